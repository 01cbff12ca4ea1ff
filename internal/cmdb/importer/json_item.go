package importer

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// jsonReadOnly are fields of an exported CI that an import ignores: the
// CMDB assigns them. Accepting them lets an export be imported again.
var jsonReadOnly = map[string]bool{"key": true, "version": true, "created_at": true, "updated_at": true, "sources": true}

// jsonItem builds the candidate for one array element. Problems name the
// field by its JSON path ("identifiers.ips[1]").
func jsonItem(raw json.RawMessage, row int) cmdb.Candidate {
	c := cmdb.Candidate{Row: row}
	var fe errs.Fields
	var ids cmdb.Identifiers
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > maxItem:
		fe.Add("item", "must be at most %d bytes of JSON", maxItem)
	case raw[0] != '{':
		fe.Add("item", "must be a JSON object")
	default:
		// Text is checked on the raw bytes: decoding would turn bytes that
		// are not UTF-8 into U+FFFD without a word.
		textrule.JSON(raw, jsonLongText, "", &fe)
		eachMember(raw, func(key string, v json.RawMessage) {
			jsonField(&c.Fields, &ids, key, v, &fe)
		}, "", &fe)
	}
	finish(&c, "item", ids, fe)
	return c
}

// jsonLongText: the fields of an item that may hold line breaks.
func jsonLongText(path string) bool {
	return path == fDescription || strings.HasPrefix(path, fAttributes+".") || strings.HasPrefix(path, fAttributes+"[")
}

func isNull(v json.RawMessage) bool { return string(v) == "null" }

// jsonField sets one top-level field. null means "not given", like a
// missing field; "" is a value (it clears the field on update).
func jsonField(u *cmdb.Update, ids *cmdb.Identifiers, key string, v json.RawMessage, fe *errs.Fields) {
	v = bytes.TrimSpace(v)
	if isNull(v) || jsonReadOnly[key] {
		return
	}
	str := func(dst **string) {
		var s string
		if jsonString(v, key, &s, fe) {
			*dst = &s
		}
	}
	switch key {
	case fName:
		str(&u.Name)
	case fDescription:
		str(&u.Description)
	case fEnvironment:
		str(&u.Environment)
	case fOwner:
		str(&u.Owner)
	case fSupportGroup:
		str(&u.SupportGroup)
	case fSupplier:
		str(&u.Supplier)
	case fKind:
		var s string
		if jsonString(v, key, &s, fe) {
			if k, err := parseKind(s); err != nil {
				fe.Add(key, "%v", err)
			} else {
				u.Kind = &k
			}
		}
	case fDataClassification, fLifecycleStatus:
		var s string
		if jsonString(v, key, &s, fe) {
			allowed, dst := cmdb.DataClassifications, &u.DataClassification
			if key == fLifecycleStatus {
				allowed, dst = cmdb.LifecycleStatuses, &u.LifecycleStatus
			}
			if val, err := oneOf(s, allowed); err != nil {
				fe.Add(key, "%v", err)
			} else {
				*dst = &val
			}
		}
	case fCriticality:
		var f float64
		if err := json.Unmarshal(v, &f); err != nil {
			fe.Add(key, "must be a number from 1 to 5")
		} else if f != math.Trunc(f) || checkCriticality(int(f)) != nil {
			fe.Add(key, "must be a whole number from 1 to 5, not %s", v)
		} else {
			u.Criticality = ptr(int(f))
		}
	case fInternetExposed:
		var b bool
		if err := json.Unmarshal(v, &b); err != nil {
			fe.Add(key, "must be true or false")
		} else {
			u.InternetExposed = &b
		}
	case fTags:
		if tags, ok := jsonStrings(v, key, fe); ok {
			u.Tags = &tags
		}
	case fAttributes:
		var m map[string]any
		if v[0] != '{' || json.Unmarshal(v, &m) != nil {
			fe.Add(key, "must be a JSON object")
		} else {
			u.Attributes = &m
		}
	case fIdentifiers:
		jsonIdentifiers(v, ids, fe)
	default:
		fe.Add(key, "unknown field")
	}
}

// jsonIdentifiers reads the identifiers object.
func jsonIdentifiers(v json.RawMessage, ids *cmdb.Identifiers, fe *errs.Fields) {
	if v[0] != '{' {
		fe.Add(fIdentifiers, "must be an object")
		return
	}
	lists := map[string]struct {
		dst  *[]string
		norm func(string) (string, error)
	}{
		"hostnames": {&ids.Hostnames, cmdb.NormalizeHostname},
		"fqdns":     {&ids.FQDNs, cmdb.NormalizeFQDN},
		"ips":       {&ids.IPs, cmdb.NormalizeIP},
		"macs":      {&ids.MACs, cmdb.NormalizeMAC},
	}
	eachMember(v, func(key string, v json.RawMessage) {
		field := fIdentifiers + "." + key
		v = bytes.TrimSpace(v)
		if isNull(v) {
			return
		}
		if l, ok := lists[key]; ok {
			if vals, ok := jsonStrings(v, field, fe); ok {
				*l.dst = identifierList(vals, l.norm, field, true, fe)
			}
			return
		}
		var s string
		switch key {
		case "serial":
			if jsonString(v, field, &s, fe) {
				ids.Serial = checkOpaque(s, field, fe)
			}
		case "cloud_id":
			if jsonString(v, field, &s, fe) {
				ids.CloudID = checkOpaque(s, field, fe)
			}
		default:
			fe.Add(field, "unknown identifier; use hostnames, fqdns, ips, macs, serial or cloud_id")
		}
	}, fIdentifiers+".", fe)
}

// jsonString decodes a string field, reporting a wrong type or an
// oversized value.
func jsonString(v json.RawMessage, field string, dst *string, fe *errs.Fields) bool {
	if v[0] != '"' || !fastString(v, dst) && json.Unmarshal(v, dst) != nil {
		fe.Add(field, "must be a string")
		return false
	}
	if len(*dst) > maxCell {
		fe.Add(field, "must be at most %d bytes", maxCell)
		return false
	}
	return true
}

// jsonStrings decodes an array of strings.
func jsonStrings(v json.RawMessage, field string, fe *errs.Fields) ([]string, bool) {
	var out []string
	if v[0] != '[' || json.Unmarshal(v, &out) != nil {
		fe.Add(field, "must be an array of strings")
		return nil, false
	}
	if len(out) > maxListValues {
		fe.Add(field, "at most %d values", maxListValues)
		return nil, false
	}
	for i, s := range out {
		if len(s) > maxCell {
			fe.Add(field+"["+itoa(i)+"]", "must be at most %d bytes", maxCell)
			return nil, false
		}
	}
	if out == nil {
		out = []string{}
	}
	return out, true
}

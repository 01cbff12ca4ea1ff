package cmdb

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// Defaults applied when a CI is created without these fields.
const (
	DefaultCriticality        = 3
	DefaultDataClassification = "internal"
	DefaultLifecycleStatus    = "operational"
)

// Limits on free text, so one record cannot swell every page it is on.
const (
	maxName        = 200
	maxDescription = 10000
	maxShortText   = 200
	maxTag         = 64
	maxTags        = 100
	maxAttributes  = 64 << 10
)

// Valid reports whether k is a known CI kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Valid reports whether t is a known relationship type.
func (t RelationType) Valid() bool { return slices.Contains(RelationTypes, t) }

// normalize puts ci into canonical form, applies defaults and records every
// problem in fe under the field's JSON name (prefix is prepended, for
// import rows). Owner and support group are only trimmed here: whether
// they exist is a database question (see resolveRefs).
func normalize(ci *CI, prefix string, fe *errs.Fields) {
	checkText(ci, prefix, fe)
	ci.Name = strings.TrimSpace(ci.Name)
	switch {
	case ci.Name == "":
		fe.Add(prefix+"name", "is required")
	case utf8.RuneCountInString(ci.Name) > maxName:
		fe.Add(prefix+"name", "must be at most %d characters", maxName)
	}
	switch {
	case ci.Kind == "":
		fe.Add(prefix+"kind", "is required")
	case !ci.Kind.Valid():
		fe.Add(prefix+"kind", "must be one of %s", joinKinds())
	}
	ci.Description = strings.TrimSpace(ci.Description)
	if utf8.RuneCountInString(ci.Description) > maxDescription {
		fe.Add(prefix+"description", "must be at most %d characters", maxDescription)
	}
	ci.Environment = strings.ToLower(strings.TrimSpace(ci.Environment))
	shortText(prefix+"environment", ci.Environment, fe)
	ci.Supplier = strings.TrimSpace(ci.Supplier)
	shortText(prefix+"supplier", ci.Supplier, fe)
	ci.Owner = strings.TrimSpace(ci.Owner)
	ci.SupportGroup = strings.TrimSpace(ci.SupportGroup)
	if ci.Criticality == 0 {
		// The Go zero value: not given. A request that gave 0 explicitly
		// goes through ExplicitCriticality or Update, which refuse it.
		ci.Criticality = DefaultCriticality
	}
	if ci.Criticality < 1 || ci.Criticality > 5 {
		fe.Add(prefix+"business_criticality", "must be between 1 and 5")
	}
	ci.DataClassification = strings.ToLower(strings.TrimSpace(ci.DataClassification))
	if ci.DataClassification == "" {
		ci.DataClassification = DefaultDataClassification
	}
	if !slices.Contains(DataClassifications, ci.DataClassification) {
		fe.Add(prefix+"data_classification", "must be one of %s", strings.Join(DataClassifications, ", "))
	}
	ci.LifecycleStatus = strings.ToLower(strings.TrimSpace(ci.LifecycleStatus))
	if ci.LifecycleStatus == "" {
		ci.LifecycleStatus = DefaultLifecycleStatus
	}
	if !slices.Contains(LifecycleStatuses, ci.LifecycleStatus) {
		fe.Add(prefix+"lifecycle_status", "must be one of %s", strings.Join(LifecycleStatuses, ", "))
	}
	ci.Identifiers = NormalizeIdentifiers(ci.Identifiers, prefix, fe)
	ci.Tags = normalizeTags(ci.Tags, prefix, fe)
	ci.Attributes = normalizeAttributes(ci.Attributes, prefix, fe)
}

// checkText applies the text rule to every free-text field: one line
// each, except the description and attribute values, which are long text.
// Kind, classification and status are checked against their lists, and
// host names, IPs and MACs against their syntax, which refuse control
// characters already.
func checkText(ci *CI, prefix string, fe *errs.Fields) {
	textrule.Line(fe, prefix+"name", ci.Name)
	textrule.Long(fe, prefix+"description", ci.Description)
	textrule.Line(fe, prefix+"environment", ci.Environment)
	// Owner and support group are looked up by name before the field
	// errors are returned; a refused name is not worth a query (and NUL
	// would make PostgreSQL fail it).
	if !textrule.Line(fe, prefix+"owner", ci.Owner) {
		ci.Owner = ""
	}
	if !textrule.Line(fe, prefix+"support_group", ci.SupportGroup) {
		ci.SupportGroup = ""
	}
	textrule.Line(fe, prefix+"supplier", ci.Supplier)
	textrule.Line(fe, prefix+"identifiers.serial", ci.Identifiers.Serial)
	textrule.Line(fe, prefix+"identifiers.cloud_id", ci.Identifiers.CloudID)
	for i, t := range ci.Tags {
		textrule.Line(fe, prefix+"tags["+itoa(i)+"]", t)
	}
	checkAttributeText(ci.Attributes, prefix+"attributes", fe, 0)
}

// checkAttributeText walks free attributes: keys are single-line, string
// values long text.
func checkAttributeText(v any, path string, fe *errs.Fields, depth int) {
	if depth > 32 {
		return // normalizeAttributes refuses what JSON cannot hold
	}
	switch x := v.(type) {
	case string:
		textrule.Long(fe, path, x)
	case []any:
		for i, e := range x {
			checkAttributeText(e, path+"["+itoa(i)+"]", fe, depth+1)
		}
	case []string:
		for i, e := range x {
			textrule.Long(fe, path+"["+itoa(i)+"]", e)
		}
	case map[string]any:
		for k, e := range x {
			sub := path + "." + textrule.Escape(k)
			textrule.Line(fe, sub, k)
			checkAttributeText(e, sub, fe, depth+1)
		}
	}
}

// ExplicitCriticality is the CI.Criticality for a request that says
// whether it gave the field (nil: not given). In a CI, 0 means "not
// given" and becomes DefaultCriticality; a request that sends 0 means 0,
// which is out of range, so it is refused here (under field) rather than
// silently replaced by the default.
func ExplicitCriticality(given *int, field string, fe *errs.Fields) int {
	switch {
	case given == nil:
		return 0
	case *given == 0:
		fe.Add(field, "must be between 1 and 5")
	}
	return *given
}

func shortText(field, v string, fe *errs.Fields) {
	if utf8.RuneCountInString(v) > maxShortText {
		fe.Add(field, "must be at most %d characters", maxShortText)
	}
}

// normalizeTags trims, drops empty and repeated tags and sorts them, so two
// CIs with the same tags compare equal whatever order they were given in.
func normalizeTags(tags []string, prefix string, fe *errs.Fields) []string {
	out := make([]string, 0, len(tags))
	for i, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if utf8.RuneCountInString(t) > maxTag {
			fe.Add(prefix+"tags["+itoa(i)+"]", "must be at most %d characters", maxTag)
			continue
		}
		out = append(out, t)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > maxTags {
		fe.Add(prefix+"tags", "at most %d tags", maxTags)
	}
	return out
}

// normalizeAttributes round-trips the attributes through JSON, so numbers
// are float64 and nested values plain maps and slices, exactly as they come
// back from the database: an unchanged import then compares equal.
func normalizeAttributes(attrs map[string]any, prefix string, fe *errs.Fields) map[string]any {
	if len(attrs) == 0 {
		return map[string]any{}
	}
	if plainJSON(attrs, 0) && jsonSize(attrs) <= maxAttributes {
		// Already what decoding gives (the usual case: parsers and the
		// database produce exactly this) and surely small enough.
		return attrs
	}
	b, err := json.Marshal(attrs)
	if err != nil {
		fe.Add(prefix+"attributes", "must be a JSON object: %v", err)
		return map[string]any{}
	}
	if len(b) > maxAttributes {
		fe.Add(prefix+"attributes", "must be at most %d bytes of JSON", maxAttributes)
	}
	out := map[string]any{}
	if err := json.Unmarshal(b, &out); err != nil {
		fe.Add(prefix+"attributes", "must be a JSON object: %v", err)
	}
	return out
}

// plainJSON reports whether v holds only what encoding/json decodes into
// an any: strings, float64, bools, nil, []any and map[string]any, with
// small nesting. Anything else (ints, structs, deep nesting) goes through
// a JSON round trip.
func plainJSON(v any, depth int) bool {
	if depth > 8 {
		return false
	}
	switch x := v.(type) {
	case nil, string, float64, bool:
		return true
	case []any:
		for _, e := range x {
			if !plainJSON(e, depth+1) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !plainJSON(e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// jsonSize is an upper bound of the bytes v takes as JSON, without
// encoding it: strings are counted as if every byte needed escaping.
func jsonSize(v any) int {
	switch x := v.(type) {
	case string:
		return 6*len(x) + 2
	case float64:
		return 25
	case bool, nil:
		return 5
	case []any:
		n := 2
		for _, e := range x {
			n += jsonSize(e) + 1
		}
		return n
	case map[string]any:
		n := 2
		for k, e := range x {
			n += jsonSize(k) + jsonSize(e) + 2
		}
		return n
	}
	return 0
}

// sameContent reports whether two normalised CIs hold the same data,
// ignoring bookkeeping (ids, key, version, timestamps).
func sameContent(a, b *CI) bool {
	x, y := *a, *b
	for _, c := range []*CI{&x, &y} {
		c.ID, c.Key, c.Version, c.CreatedAt, c.UpdatedAt = 0, "", 0, zeroTime, zeroTime
		c.Owner, c.SupportGroup = "", "" // compared through their ids
		c.Sources = nil                  // bookkeeping: it changes only with the content
		if len(c.Tags) == 0 {
			c.Tags = nil
		}
		if len(c.Attributes) == 0 {
			c.Attributes = nil
		}
	}
	return reflect.DeepEqual(x, y)
}

func joinKinds() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

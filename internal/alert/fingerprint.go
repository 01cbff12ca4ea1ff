package alert

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Fingerprint computes Rampart's fingerprint of an alert from a set of
// its fields, chosen per source: alerts with the same fingerprint are the
// same alert seen again (dedup counts them instead of storing each).
//
// The value is canonical: it depends on the set of fields, not on the
// order they were configured in, and on label names and values, not on
// the order a payload lists them in. A field an alert lacks counts as
// absent, which differs from present and empty. The encoding is fixed
// (TestFingerprintIsStable pins it): stored fingerprints must keep
// matching after an upgrade.
type Fingerprint struct {
	fields []fpField // sorted by name, unique
}

type fpField struct {
	name string
	get  func(*Alert) (string, bool) // nil for the whole label set
}

// fingerprintFields are the fields a fingerprint may use besides
// "labels", "labels.NAME" and "annotations.NAME".
var fingerprintFields = map[string]func(*Alert) (string, bool){
	"source":               func(a *Alert) (string, bool) { return a.Source, a.Source != "" },
	"format":               func(a *Alert) (string, bool) { return a.Format, a.Format != "" },
	"rule":                 func(a *Alert) (string, bool) { return a.Rule, a.Rule != "" },
	"rule_id":              func(a *Alert) (string, bool) { return a.RuleID, a.RuleID != "" },
	"summary":              func(a *Alert) (string, bool) { return a.Summary, a.Summary != "" },
	"severity":             func(a *Alert) (string, bool) { return string(a.Severity), a.Severity != "" },
	"severity_raw":         func(a *Alert) (string, bool) { return a.SeverityRaw, a.SeverityRaw != "" },
	"external_fingerprint": func(a *Alert) (string, bool) { return a.ExternalFingerprint, a.ExternalFingerprint != "" },
	"hostname":             func(a *Alert) (string, bool) { return a.Hostname, a.Hostname != "" },
	"src_ip":               func(a *Alert) (string, bool) { return a.SrcIP, a.SrcIP != "" },
	"dst_ip":               func(a *Alert) (string, bool) { return a.DstIP, a.DstIP != "" },
	"src_port":             func(a *Alert) (string, bool) { return portText(a.SrcPort) },
	"dst_port":             func(a *Alert) (string, bool) { return portText(a.DstPort) },
	"user":                 func(a *Alert) (string, bool) { return a.User, a.User != "" },
	"process":              func(a *Alert) (string, bool) { return a.Process, a.Process != "" },
	"url":                  func(a *Alert) (string, bool) { return a.URL, a.URL != "" },
	"category":             func(a *Alert) (string, bool) { return string(a.Category), a.Category != "" },
}

// notFingerprintFields are alert fields that change while the alert
// stays the same one; a fingerprint over them would make every
// occurrence or every resolution a new alert.
var notFingerprintFields = map[string]string{
	"status":      "it changes from firing to resolved on the same alert, which could then never resolve",
	"observed_at": "it changes with every occurrence, so nothing would ever be deduplicated",
	"ends_at":     "it changes when the alert resolves, which could then never resolve what it opened",
	"fingerprint": "it is the result",
	"count":       "it is counted per fingerprint",
	"first_seen":  "it is set per fingerprint",
	"last_seen":   "it changes with every occurrence",
	"problems":    "it describes the parse, not the alert",
	"observables": "name the field an observable comes from instead (src_ip, user, labels.NAME)",
	"techniques":  "use rule_id or labels.NAME instead",
	"annotations": "annotations describe an alert and change while it is the same one; name one as annotations.NAME",
}

// FingerprintFieldNames lists what a fingerprint field list may name, for
// messages and documentation.
func FingerprintFieldNames() []string {
	names := make([]string, 0, len(fingerprintFields)+3)
	for n := range fingerprintFields {
		names = append(names, n)
	}
	slices.Sort(names)
	return append(names, "labels", "labels.NAME", "annotations.NAME")
}

// DefaultFingerprintFields are each format's fingerprint fields when the
// source names none (docs/alerts.md explains each choice). Every default
// includes source, so equal alerts from two sources stay apart unless a
// source's own list leaves it out.
var DefaultFingerprintFields = map[string][]string{
	// Alertmanager's own identity of an alert is its label set.
	"alertmanager": {"source", "labels"},
	// The same signature between the same two hosts; ports change with
	// every connection.
	"suricata": {"source", "rule_id", "src_ip", "dst_ip"},
	// The same rule on the same agent from the same address.
	"wazuh": {"source", "rule_id", "hostname", "src_ip"},
	// A CEF/LEEF event or a plain message: the same host and program
	// reporting the same event (or, for plain messages, the same text).
	"syslog":  {"source", "hostname", "process", "rule", "rule_id", "src_ip", "dst_ip", "summary"},
	"generic": {"source", "rule", "rule_id", "hostname", "src_ip", "dst_ip", "labels"},
}

// NewFingerprint builds a Fingerprint over fields. Every name must be one
// of FingerprintFieldNames (with NAME a label or annotation name); an
// unknown or unsuitable name, or an empty list, is an errs.Invalid error
// naming "fingerprint_fields[i]": a list that silently ignored a name
// would deduplicate differently from what its author reads.
func NewFingerprint(fields []string) (Fingerprint, error) {
	var fe errs.Fields
	if len(fields) == 0 {
		fe.Add("fingerprint_fields", "name at least one field; known: %s", strings.Join(FingerprintFieldNames(), ", "))
		return Fingerprint{}, fe.Err()
	}
	var out []fpField
	for i, name := range fields {
		at := "fingerprint_fields[" + strconv.Itoa(i) + "]"
		f, msg := fingerprintField(name)
		if msg != "" {
			fe.Add(at, "%s", msg)
			continue
		}
		out = append(out, f)
	}
	if err := fe.Err(); err != nil {
		return Fingerprint{}, err
	}
	slices.SortFunc(out, func(x, y fpField) int { return strings.Compare(x.name, y.name) })
	out = slices.CompactFunc(out, func(x, y fpField) bool { return x.name == y.name })
	return Fingerprint{fields: out}, nil
}

// fingerprintField resolves one configured name, or says what is wrong
// with it.
func fingerprintField(name string) (fpField, string) {
	if get, ok := fingerprintFields[name]; ok {
		return fpField{name: name, get: get}, ""
	}
	if name == "labels" {
		return fpField{name: name}, ""
	}
	for _, prefix := range []string{"labels.", "annotations."} {
		key, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		kind := strings.TrimSuffix(prefix, "s.")
		if key == "" {
			return fpField{}, "name the " + kind + " after " + strconv.Quote(prefix)
		}
		if cleanKey(key) != key {
			return fpField{}, "the " + kind + " name " + strconv.Quote(key) + " can never match: stored names hold no control characters or invalid UTF-8"
		}
		if prefix == "labels." {
			return fpField{name: name, get: func(a *Alert) (string, bool) { v, ok := a.Labels[key]; return v, ok }}, ""
		}
		return fpField{name: name, get: func(a *Alert) (string, bool) { v, ok := a.Annotations[key]; return v, ok }}, ""
	}
	if why, ok := notFingerprintFields[name]; ok {
		return fpField{}, strconv.Quote(name) + " cannot be a fingerprint field: " + why
	}
	msg := "unknown field " + strconv.Quote(name)
	if lower := strings.ToLower(strings.TrimSpace(name)); lower != name {
		if _, ok := fingerprintFields[lower]; ok || lower == "labels" {
			msg += " (did you mean " + strconv.Quote(lower) + "?)"
		}
	}
	return fpField{}, msg + "; known: " + strings.Join(FingerprintFieldNames(), ", ")
}

// cleanKey is a label name as Normalize stores it.
func cleanKey(k string) string {
	out, _ := cleanText(k, false, MaxLine)
	return out
}

// Fields returns the field names in canonical order.
func (f Fingerprint) Fields() []string {
	names := make([]string, len(f.fields))
	for i, fd := range f.fields {
		names[i] = fd.name
	}
	return names
}

// Of returns a's fingerprint: 32 hexadecimal digits (128 bits of SHA-256
// over the fields' names and values, each length-prefixed, so no two
// different inputs encode alike).
func (f Fingerprint) Of(a *Alert) string {
	var stack [512]byte
	b := stack[:0]
	for _, fd := range f.fields {
		b = appendString(b, fd.name)
		if fd.get == nil {
			b = appendLabels(b, a.Labels)
			continue
		}
		v, ok := fd.get(a)
		if !ok {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		b = appendString(b, v)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// Apply sets the fingerprint of every alert.
func (f Fingerprint) Apply(alerts []Alert) {
	for i := range alerts {
		alerts[i].Fingerprint = f.Of(&alerts[i])
	}
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendLabels encodes the label set in name order.
func appendLabels(b []byte, labels map[string]string) []byte {
	b = binary.AppendUvarint(b, uint64(len(labels)))
	var stack [32]string
	keys := stack[:0]
	for k := range labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = appendString(b, k)
		b = appendString(b, labels[k])
	}
	return b
}

func portText(p int) (string, bool) {
	if p == 0 {
		return "", false
	}
	return strconv.Itoa(p), true
}

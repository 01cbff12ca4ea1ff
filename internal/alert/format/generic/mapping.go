package generic

import (
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Mapping says where a generic source's JSON keeps each alert field. A
// path is a JSON Pointer ("/alert/labels/team", RFC 6901: ~1 for "/", ~0
// for "~") or a dotted path ("alert.labels.team"; numbers index arrays, so
// "events.0.id"). Paths are relative to one alert.
type Mapping struct {
	// Alerts is the path, inside each JSON record of a payload, of the
	// array of alerts (or the one alert object) the record carries; ""
	// means each record is one alert.
	Alerts string `json:"alerts,omitempty"`
	// Fields maps alert fields to paths. Keys: rule, rule_id, summary,
	// severity, status, external_fingerprint, observed_at, ends_at,
	// hostname, src_ip, dst_ip, src_port, dst_port, user, process, url,
	// category, techniques. At least one of rule, rule_id or summary.
	Fields map[string]string `json:"fields"`
	// Labels and Annotations map names to paths; a path to an object
	// copies its members (nested ones with dotted names) under the name
	// given, or as they are when the name is "*".
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	// Observables maps observable kinds (ip, domain, url, file_hash,
	// email, user_account) to paths of a string or an array of strings.
	Observables map[string]string `json:"observables,omitempty"`
	// SeverityValues maps the sender's severity values (compared without
	// regard to case) to Rampart's severities; values not listed are read
	// as severity words (critical, warning, P1 …) or numbers 0–10.
	SeverityValues map[string]string `json:"severity_values,omitempty"`
	// ResolvedValues are the status values (compared without regard to
	// case) that mean resolved; every other value means firing. Default:
	// resolved, ok, closed, recovered, inactive, normal.
	ResolvedValues []string `json:"resolved_values,omitempty"`
}

// fieldNames are the keys Mapping.Fields accepts.
var fieldNames = []string{"rule", "rule_id", "summary", "severity", "status", "external_fingerprint", "observed_at",
	"ends_at", "hostname", "src_ip", "dst_ip", "src_port", "dst_port", "user", "process", "url", "category", "techniques"}

var defaultResolved = []string{"resolved", "ok", "closed", "recovered", "inactive", "normal"}

// compiled is a Mapping with its paths parsed.
type compiled struct {
	alerts      path
	fields      map[string]path
	labels      []named
	annotations []named
	observables []observablePath
	severity    map[string]alert.Severity
	resolved    map[string]bool
}

type named struct {
	name string
	path path
}

type observablePath struct {
	kind alert.ObservableKind
	path path
}

// compile checks every part of m; each problem is a field error naming
// where in the mapping it is ("mapping.fields.severity").
func (m Mapping) compile() (*compiled, error) {
	var fe errs.Fields
	c := &compiled{fields: map[string]path{}, severity: map[string]alert.Severity{}, resolved: map[string]bool{}}
	at := func(parts ...string) string { return "mapping." + strings.Join(parts, ".") }
	parse := func(where, p string) path {
		pp, msg := parsePath(p)
		if msg != "" {
			fe.Add(where, "%s", msg)
		}
		return pp
	}
	if m.Alerts != "" {
		c.alerts = parse(at("alerts"), m.Alerts)
	}
	if len(m.Fields) == 0 {
		fe.Add(at("fields"), "map at least rule, rule_id or summary to a path")
	}
	for _, k := range sortedKeys(m.Fields) {
		if !slices.Contains(fieldNames, k) {
			fe.Add(at("fields", k), "unknown field %q; known: %s", k, strings.Join(fieldNames, ", "))
			continue
		}
		c.fields[k] = parse(at("fields", k), m.Fields[k])
	}
	if len(m.Fields) > 0 && m.Fields["rule"] == "" && m.Fields["rule_id"] == "" && m.Fields["summary"] == "" {
		fe.Add(at("fields"), "map at least rule, rule_id or summary: an alert needs a name")
	}
	names := func(kind string, m map[string]string) []named {
		var out []named
		for _, k := range sortedKeys(m) {
			if strings.TrimSpace(k) == "" {
				fe.Add(at(kind), "a name is empty; name each entry, or use * to copy an object's members")
				continue
			}
			out = append(out, named{k, parse(at(kind, k), m[k])})
		}
		return out
	}
	c.labels = names("labels", m.Labels)
	c.annotations = names("annotations", m.Annotations)
	for _, k := range sortedKeys(m.Observables) {
		kind := alert.ObservableKind(k)
		switch kind {
		case alert.ObservableIP, alert.ObservableDomain, alert.ObservableURL, alert.ObservableHash,
			alert.ObservableEmail, alert.ObservableUser:
		default:
			fe.Add(at("observables", k), "unknown observable kind %q; known: ip, domain, url, file_hash, email, user_account", k)
			continue
		}
		c.observables = append(c.observables, observablePath{kind, parse(at("observables", k), m.Observables[k])})
	}
	for _, k := range sortedKeys(m.SeverityValues) {
		sev := alert.Severity(m.SeverityValues[k])
		if !sev.Valid() {
			fe.Add(at("severity_values", k), "%q is not a severity; use info, low, medium, high or critical", string(sev))
			continue
		}
		c.severity[strings.ToLower(k)] = sev
	}
	resolved := m.ResolvedValues
	if resolved == nil {
		resolved = defaultResolved
	}
	for _, v := range resolved {
		c.resolved[strings.ToLower(v)] = true
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

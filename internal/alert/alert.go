package alert

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
)

// Status says whether the condition an alert reports still holds.
type Status string

const (
	StatusFiring   Status = "firing"
	StatusResolved Status = "resolved"
)

// Alert is one signal from a monitoring, SIEM, IDS or EDR tool, normalised.
// Parsers fill it from each format; nothing in it depends on the database
// or on who sent it. JSON names are the API's (kept for scripts); the
// store adds id, count, first_seen, last_seen, raw_id, ci and incident.
type Alert struct {
	// Source is the configured source's name, Format its format
	// ("alertmanager", "syslog", "suricata", "wazuh", "generic").
	Source string `json:"source"`
	Format string `json:"format"`

	// Rule names what fired (an Alertmanager alertname, a Suricata
	// signature, a Wazuh rule description, a CEF event name); RuleID is the
	// sender's id for it when it has one ("1:2011540", "5710").
	Rule   string `json:"rule"`
	RuleID string `json:"rule_id"`
	// Summary is one line for people: an annotation, the syslog message,
	// the rule again when the sender gives nothing better.
	Summary string `json:"summary"`

	// Severity is normalised (docs/alerts.md gives each format's mapping);
	// SeverityRaw is the sender's own word or number, as given ("" when it
	// gave none).
	Severity    Severity `json:"severity"`
	SeverityRaw string   `json:"severity_raw"`
	Status      Status   `json:"status"`

	// Fingerprint is Rampart's, from the source's fingerprint fields (see
	// Fingerprint); ExternalFingerprint is the sender's own, when it has
	// one (Alertmanager's fingerprint).
	Fingerprint         string `json:"fingerprint"`
	ExternalFingerprint string `json:"external_fingerprint"`

	// ObservedAt is when the sender saw it (the receive time when the
	// payload says nothing); EndsAt when it ended, zero while it has not.
	// Both UTC, truncated to microseconds like every stored time.
	ObservedAt time.Time `json:"observed_at"`
	EndsAt     time.Time `json:"ends_at,omitzero"`

	// Hostname (lower case) and the addresses say what it is about;
	// correlation resolves them to configuration items. Ports are 0 when
	// unknown.
	Hostname string `json:"hostname"`
	SrcIP    string `json:"src_ip"`
	DstIP    string `json:"dst_ip"`
	SrcPort  int    `json:"src_port"`
	DstPort  int    `json:"dst_port"`
	User     string `json:"user"`
	Process  string `json:"process"`

	// Labels identify (Alertmanager labels, Suricata gid/sid, syslog
	// structured data, CEF extensions); Annotations describe and may hold
	// several lines.
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`

	// URL links back to the sender's view of the alert, when it has one.
	URL string `json:"url,omitempty"`
	// Category is a security category when the format says so (a Suricata
	// classification, Wazuh rule groups, a CEF category); "" otherwise.
	Category Category `json:"category,omitempty"`
	// Techniques are MITRE ATT&CK technique ids ("T1110", "T1566.001").
	Techniques  []string     `json:"techniques,omitempty"`
	Observables []Observable `json:"observables,omitempty"`

	// Problems are notes about this alert's data that did not stop it (an
	// address that is not one, a time that could not be read, a value cut
	// to its limit).
	Problems []string `json:"problems,omitempty"`
}

// Limits on one alert's text, so a hostile or broken sender cannot make
// one alert arbitrarily large: every field is stored and shown.
const (
	MaxLine   = 2048      // bytes in a one-line field, a label key or value
	MaxLong   = 64 * 1024 // bytes in an annotation value
	MaxLabels = 256       // labels, and likewise annotations, per alert
)

// Normalize brings a parsed alert into the form every stored alert has:
// text valid for the text rule (bytes that are not UTF-8 and control
// characters become U+FFFD; line breaks become spaces in one-line fields),
// fields within their limits, addresses canonical, times in UTC to the
// microsecond, defaults filled from meta, observables deduplicated and
// sorted. What it has to change or drop is recorded in Problems. Parsers
// call it through Result.Add; it is idempotent.
func (a *Alert) Normalize(meta Meta) {
	if a.Source == "" {
		a.Source = meta.Source
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"source", &a.Source}, {"format", &a.Format}, {"rule", &a.Rule}, {"rule_id", &a.RuleID},
		{"summary", &a.Summary}, {"severity_raw", &a.SeverityRaw}, {"external_fingerprint", &a.ExternalFingerprint},
		{"hostname", &a.Hostname}, {"user", &a.User}, {"process", &a.Process}, {"url", &a.URL}} {
		*f.v = strings.TrimSpace(a.clean(f.name, *f.v, false))
	}
	a.Hostname = normalizeHostname(a.Hostname)
	a.Labels = a.cleanMap("label", a.Labels, false)
	a.Annotations = a.cleanMap("annotation", a.Annotations, true)
	if a.Summary == "" {
		a.Summary = a.Rule
	}

	if !a.Severity.Valid() {
		if a.Severity != "" {
			a.Problem("severity %q is not one of info, low, medium, high, critical; medium assumed", string(a.Severity))
		}
		a.Severity = SeverityMedium
	}
	switch a.Status {
	case StatusFiring, StatusResolved:
	case "":
		a.Status = StatusFiring
	default:
		a.Problem("status %q is neither firing nor resolved; firing assumed", string(a.Status))
		a.Status = StatusFiring
	}
	if a.Category != "" && !a.Category.Valid() {
		a.Problem("category %q is not a security category", string(a.Category))
		a.Category = ""
	}

	if a.ObservedAt.IsZero() {
		a.ObservedAt = meta.Received
	}
	a.ObservedAt = clock.Normalize(a.ObservedAt)
	if !a.EndsAt.IsZero() {
		a.EndsAt = clock.Normalize(a.EndsAt)
	}

	a.SrcIP = a.address("src_ip", a.SrcIP)
	a.DstIP = a.address("dst_ip", a.DstIP)
	a.SrcPort = a.port("src_port", a.SrcPort)
	a.DstPort = a.port("dst_port", a.DstPort)

	a.Techniques = a.techniques(a.Techniques)
	a.Observables = a.observables()
}

// address returns s as a canonical IP address ("" when empty), recording
// a problem and returning "" when it is not one.
func (a *Alert) address(field, s string) string {
	if s == "" {
		return ""
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		a.Problem("%s %q is not an IP address", field, s)
		return ""
	}
	return ip.Unmap().String()
}

func (a *Alert) port(field string, n int) int {
	if n < 0 || n > 65535 {
		a.Problem("%s %d is not a port number", field, n)
		return 0
	}
	return n
}

// techniques keeps valid ATT&CK ids, upper-cased, sorted, once each.
func (a *Alert) techniques(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	out := ids[:0]
	for _, id := range ids {
		t, ok := Technique(id)
		if !ok {
			a.Problem("technique %q is not a MITRE ATT&CK technique id", id)
			continue
		}
		out = append(out, t)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// observables adds the addresses and the user the alert names to what
// the parser found, normalises each, drops repeats and sorts them.
func (a *Alert) observables() []Observable {
	in := a.Observables
	if a.SrcIP != "" {
		in = append(in, Observable{ObservableIP, a.SrcIP})
	}
	if a.DstIP != "" {
		in = append(in, Observable{ObservableIP, a.DstIP})
	}
	if a.User != "" {
		in = append(in, Observable{ObservableUser, a.User})
	}
	out := in[:0]
	for _, o := range in {
		v, cut := cleanText(o.Value, false, MaxLine)
		n, ok := NormalizeObservable(o.Kind, v)
		if !ok || cut {
			a.Problem("%s observable %q is not valid", string(o.Kind), o.Value)
			continue
		}
		out = append(out, n)
	}
	slices.SortFunc(out, func(x, y Observable) int {
		if x.Kind != y.Kind {
			return compareStrings(string(x.Kind), string(y.Kind))
		}
		return compareStrings(x.Value, y.Value)
	})
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func compareStrings(x, y string) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// Technique returns id as a MITRE ATT&CK technique id ("T1110",
// "T1566.001"), upper-cased, and whether it is one.
func Technique(id string) (string, bool) {
	if len(id) != 5 && len(id) != 9 {
		return "", false
	}
	b := []byte(id)
	if b[0] != 'T' && b[0] != 't' {
		return "", false
	}
	b[0] = 'T'
	for i := 1; i < 5; i++ {
		if b[i] < '0' || b[i] > '9' {
			return "", false
		}
	}
	if len(b) == 9 {
		if b[5] != '.' {
			return "", false
		}
		for i := 6; i < 9; i++ {
			if b[i] < '0' || b[i] > '9' {
				return "", false
			}
		}
	}
	return string(b), true
}

// Port reads a port number given as text ("443"); ok is false for
// anything else, including numbers out of range.
func Port(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 65535 {
		return 0, false
	}
	return n, true
}

// PortOf reads the port a sender gave as text in field, 0 when it gave
// none; one that is not a port number is recorded as a problem.
func (a *Alert) PortOf(field, s string) int {
	if s == "" {
		return 0
	}
	n, ok := Port(s)
	if !ok {
		a.Problem("%s %q is not a port number", field, s)
	}
	return n
}

// FirstOf returns the first of values that is not empty: parsers take a
// field from the first place a format may put it.
func FirstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

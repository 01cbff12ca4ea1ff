package alert_test

import (
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func mustFingerprint(t *testing.T, fields ...string) alert.Fingerprint {
	t.Helper()
	fp, err := alert.NewFingerprint(fields)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

func diskFull(instance string) alert.Alert {
	return alert.Alert{Source: "am", Format: "alertmanager", Rule: "DiskFull", Summary: "a disk is full",
		Hostname: instance, Severity: alert.SeverityCritical,
		Labels:      map[string]string{"alertname": "DiskFull", "instance": instance, "severity": "critical"},
		Annotations: map[string]string{"summary": "a disk is full"}}
}

// The encoding is frozen: stored fingerprints must match after an
// upgrade. If this test fails, the change breaks dedup of every alert
// already stored. The values were computed outside Go from the encoding
// documented in docs/alerts.md: SHA-256 over, per field in name order,
// the length-prefixed name, then 0 (absent) or 1 and the length-prefixed
// value (for "labels": the count, then each name and value), cut to 16
// bytes.
func TestFingerprintIsStable(t *testing.T) {
	a := diskFull("fs-01")
	tests := []struct {
		fields []string
		want   string
	}{
		{[]string{"source", "labels"}, "7b060bdcb7dd90836690262d54845afd"},
		{[]string{"rule", "hostname", "labels.severity"}, "d54b1a14095b07c4369ddeca030a935a"},
		{[]string{"src_ip"}, "669103eefcb50c31b68fdf3e5bc21106"},
	}
	for _, tt := range tests {
		if got := mustFingerprint(t, tt.fields...).Of(&a); got != tt.want {
			t.Errorf("fingerprint over %v = %s, want %s", tt.fields, got, tt.want)
		}
	}
}

func TestFingerprintIsCanonical(t *testing.T) {
	a, b := diskFull("fs-01"), diskFull("fs-01")
	// The same labels, built in another order (and so laid out in another
	// order in the map).
	b.Labels = map[string]string{}
	for _, k := range []string{"severity", "instance", "alertname"} {
		b.Labels[k] = a.Labels[k]
	}
	f1 := mustFingerprint(t, "source", "labels", "rule")
	f2 := mustFingerprint(t, "rule", "labels", "source", "labels")
	if f1.Of(&a) != f2.Of(&b) {
		t.Error("the fingerprint depends on the order of fields or labels")
	}
	if got := f2.Fields(); strings.Join(got, ",") != "labels,rule,source" {
		t.Errorf("Fields() = %v, want them sorted and unique", got)
	}
	// What the fingerprint does not name cannot change it; what it names
	// does.
	c := diskFull("fs-01")
	c.ObservedAt, c.Status, c.Annotations = received, alert.StatusResolved, map[string]string{"summary": "other"}
	if f1.Of(&a) != f1.Of(&c) {
		t.Error("time, status or annotations changed a fingerprint over source, labels and rule")
	}
	d := diskFull("fs-02")
	if f1.Of(&a) == f1.Of(&d) {
		t.Error("a different instance label gave the same fingerprint")
	}
}

// A missing label and an empty one are different alerts; so are values
// that would run together without length prefixes.
func TestFingerprintTellsAbsentFromEmpty(t *testing.T) {
	fp := mustFingerprint(t, "labels.team", "rule", "summary")
	with := alert.Alert{Rule: "x", Labels: map[string]string{"team": ""}}
	without := alert.Alert{Rule: "x"}
	if fp.Of(&with) == fp.Of(&without) {
		t.Error("an empty label and a missing one gave the same fingerprint")
	}
	ab := alert.Alert{Rule: "ab", Summary: "c"}
	abc := alert.Alert{Rule: "a", Summary: "bc"}
	if fp.Of(&ab) == fp.Of(&abc) {
		t.Error(`rule "ab" + summary "c" collides with rule "a" + summary "bc"`)
	}
}

// Keep users report custom dedup rules silently ignored: every name in a
// field list either takes effect or is refused, with the place named.
func TestFingerprintFieldListErrors(t *testing.T) {
	tests := []struct {
		fields []string
		field  string // the errs field
		msg    string // part of its message
	}{
		{nil, "fingerprint_fields", "name at least one field"},
		{[]string{"rule", "hostnmae"}, "fingerprint_fields[1]", `unknown field "hostnmae"; known: category`},
		{[]string{"Hostname"}, "fingerprint_fields[0]", `did you mean "hostname"?`},
		{[]string{"status"}, "fingerprint_fields[0]", "could then never resolve"},
		{[]string{"observed_at"}, "fingerprint_fields[0]", "nothing would ever be deduplicated"},
		{[]string{"annotations"}, "fingerprint_fields[0]", "annotations.NAME"},
		{[]string{"labels."}, "fingerprint_fields[0]", `name the label after "labels."`},
		{[]string{"labels.te\x00am"}, "fingerprint_fields[0]", "can never match"},
		{[]string{"rule", "labels.team", "$.labels"}, "fingerprint_fields[2]", "unknown field"},
	}
	for _, tt := range tests {
		_, err := alert.NewFingerprint(tt.fields)
		e, ok := errs.As(err)
		if !ok || e.Kind != errs.Invalid {
			t.Errorf("%q: error %v, want errs.Invalid", tt.fields, err)
			continue
		}
		found := false
		for _, f := range e.Fields {
			if f.Field == tt.field && strings.Contains(f.Message, tt.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: fields %+v, want %s: …%s…", tt.fields, e.Fields, tt.field, tt.msg)
		}
	}
	for format, fields := range alert.DefaultFingerprintFields {
		if _, err := alert.NewFingerprint(fields); err != nil {
			t.Errorf("default fields of %s: %v", format, err)
		}
	}
}

// Every field a configuration may name changes the fingerprint when its
// value changes: none is accepted and then ignored.
func TestEveryFingerprintFieldTakesEffect(t *testing.T) {
	base := alert.Alert{Source: "s", Format: "generic", Rule: "r", RuleID: "1", Summary: "sum", Severity: alert.SeverityLow,
		SeverityRaw: "low", ExternalFingerprint: "e", Hostname: "h", SrcIP: "192.0.2.1", DstIP: "192.0.2.2",
		SrcPort: 1, DstPort: 2, User: "u", Process: "p", URL: "http://x.example", Category: alert.CategoryMalware,
		Labels: map[string]string{"team": "a"}, Annotations: map[string]string{"runbook": "a"}}
	changes := map[string]func(a *alert.Alert){
		"source": func(a *alert.Alert) { a.Source = "t" }, "format": func(a *alert.Alert) { a.Format = "syslog" },
		"rule": func(a *alert.Alert) { a.Rule = "q" }, "rule_id": func(a *alert.Alert) { a.RuleID = "2" },
		"summary": func(a *alert.Alert) { a.Summary = "other" }, "severity": func(a *alert.Alert) { a.Severity = alert.SeverityHigh },
		"severity_raw": func(a *alert.Alert) { a.SeverityRaw = "4" }, "external_fingerprint": func(a *alert.Alert) { a.ExternalFingerprint = "f" },
		"hostname": func(a *alert.Alert) { a.Hostname = "i" }, "src_ip": func(a *alert.Alert) { a.SrcIP = "192.0.2.3" },
		"dst_ip": func(a *alert.Alert) { a.DstIP = "192.0.2.4" }, "src_port": func(a *alert.Alert) { a.SrcPort = 3 },
		"dst_port": func(a *alert.Alert) { a.DstPort = 4 }, "user": func(a *alert.Alert) { a.User = "v" },
		"process": func(a *alert.Alert) { a.Process = "q" }, "url": func(a *alert.Alert) { a.URL = "http://y.example" },
		"category": func(a *alert.Alert) { a.Category = alert.CategoryPhishing },
		"labels":   func(a *alert.Alert) { a.Labels = map[string]string{"team": "b"} },
		"labels.NAME": func(a *alert.Alert) {
			a.Labels = map[string]string{"team": "b"}
		},
		"annotations.NAME": func(a *alert.Alert) { a.Annotations = map[string]string{"runbook": "b"} },
	}
	for _, name := range alert.FingerprintFieldNames() {
		change, ok := changes[name]
		if !ok {
			t.Errorf("no test change for fingerprint field %q", name)
			continue
		}
		field := strings.NewReplacer("labels.NAME", "labels.team", "annotations.NAME", "annotations.runbook").Replace(name)
		fp := mustFingerprint(t, field)
		a, b := base, base
		change(&b)
		if fp.Of(&a) == fp.Of(&b) {
			t.Errorf("changing %s left a fingerprint over it unchanged", field)
		}
	}
}

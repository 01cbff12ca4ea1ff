package format_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/format"
	"github.com/rampart-itsm/rampart/internal/alert/format/generic"
	"github.com/rampart-itsm/rampart/internal/alert/format/syslog"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name   string
		c      format.Config
		fields map[string]string // field → part of its message
	}{
		{"unknown format", format.Config{Format: "splunk"}, map[string]string{"format": `unknown format "splunk"`}},
		{"unknown fingerprint field", format.Config{Format: "suricata", FingerprintFields: []string{"rule_id", "dest_ip"}},
			map[string]string{"fingerprint_fields[1]": `unknown field "dest_ip"`}},
		{"bad zone", format.Config{Format: "syslog", Syslog: syslog.Options{Zone: "CEST"}}, map[string]string{"syslog.zone": "unknown time zone"}},
		{"generic without mapping", format.Config{Format: "generic"}, map[string]string{"mapping": "needs a mapping"}},
		{"mapping elsewhere", format.Config{Format: "wazuh", Mapping: &generic.Mapping{Fields: map[string]string{"rule": "r"}}},
			map[string]string{"mapping": "this wazuh source would ignore it"}},
		{"syslog options elsewhere", format.Config{Format: "alertmanager", Syslog: syslog.Options{Zone: "UTC"}},
			map[string]string{"syslog": "this alertmanager source would ignore them"}},
		{"every problem at once", format.Config{Format: "generic", FingerprintFields: []string{"status"},
			Mapping: &generic.Mapping{Fields: map[string]string{"rule": "a..b"}}},
			map[string]string{"fingerprint_fields[0]": "never resolve", "mapping.fields.rule": "empty segment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := format.New(tt.c)
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Invalid || len(e.Fields) != len(tt.fields) {
				t.Fatalf("error %v, want errs.Invalid with %d fields", err, len(tt.fields))
			}
			for _, f := range e.Fields {
				if !strings.Contains(f.Message, tt.fields[f.Field]) || tt.fields[f.Field] == "" {
					t.Errorf("%s: %s; want %v", f.Field, f.Message, tt.fields)
				}
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	for _, f := range alert.Formats {
		c := format.Config{Format: f}
		if f == "generic" {
			c.Mapping = &generic.Mapping{Fields: map[string]string{"rule": "name"}}
		}
		d, err := format.New(c)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if got, want := strings.Join(d.FingerprintFields(), ","), strings.Join(slices.Sorted(slices.Values(alert.DefaultFingerprintFields[f])), ","); got != want {
			t.Errorf("%s fingerprints over %s, want the documented default %s", f, got, want)
		}
	}
}

// diskFull is a notification of two disks whose alerts share a summary
// template's text but not their labels.
func diskFull(labelOrder int) []byte {
	l1 := `"alertname":"DiskFull","instance":"fs-01:9100","severity":"critical"`
	if labelOrder == 1 {
		l1 = `"severity":"critical","instance":"fs-01:9100","alertname":"DiskFull"`
	}
	return []byte(`{"version":"4","status":"firing","alerts":[
 {"status":"firing","labels":{` + l1 + `},"annotations":{"summary":"a disk is full"},"startsAt":"2026-11-30T10:00:00Z","fingerprint":"a1"},
 {"status":"firing","labels":{"alertname":"DiskFull","instance":"fs-02:9100","severity":"critical"},"annotations":{"summary":"a disk is full"},"startsAt":"2026-11-30T10:00:00Z","fingerprint":"a2"}]}`)
}

func decode(t *testing.T, c format.Config, payload []byte) []alert.Alert {
	t.Helper()
	d, err := format.New(c)
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Decode(payload, alerttest.Meta("am"))
	alerttest.Check(t, res, err)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Alerts {
		if len(a.Fingerprint) != 32 {
			t.Fatalf("fingerprint %q", a.Fingerprint)
		}
	}
	return res.Alerts
}

// GoAlert deduplicates Alertmanager alerts on their summary alone, so two
// disks filling up at once become one alert. Rampart's default is the
// label set, Alertmanager's own identity of an alert.
func TestAlertmanagerDefaultIsNotTheSummary(t *testing.T) {
	as := decode(t, format.Config{Format: "alertmanager"}, diskFull(0))
	if as[0].Fingerprint == as[1].Fingerprint {
		t.Error("two disks with the same summary share a fingerprint")
	}
	// The order labels arrive in does not matter.
	again := decode(t, format.Config{Format: "alertmanager"}, diskFull(1))
	if again[0].Fingerprint != as[0].Fingerprint {
		t.Error("the same labels in another order gave another fingerprint")
	}
	// Summary-only dedup is still there for a source that asks for it.
	bySummary := decode(t, format.Config{Format: "alertmanager", FingerprintFields: []string{"source", "annotations.summary"}}, diskFull(0))
	if bySummary[0].Fingerprint != bySummary[1].Fingerprint {
		t.Error("a source fingerprinting on the summary did not get it")
	}
}

// Keep users report custom dedup rules silently ignored. Here a custom
// list decides: what it names changes the fingerprint, what it leaves out
// does not.
func TestCustomFingerprintFieldsTakeEffect(t *testing.T) {
	alerts := func(fields ...string) []alert.Alert {
		return decode(t, format.Config{Format: "alertmanager", FingerprintFields: fields}, diskFull(0))
	}
	byRule := alerts("rule")
	if byRule[0].Fingerprint != byRule[1].Fingerprint {
		t.Error(`fields ["rule"]: the instance, which the list leaves out, changed the fingerprint`)
	}
	byHost := alerts("rule", "hostname")
	if byHost[0].Fingerprint == byHost[1].Fingerprint {
		t.Error(`fields ["rule", "hostname"]: two hosts share a fingerprint`)
	}
	byLabel := alerts("labels.instance")
	if byLabel[0].Fingerprint == byLabel[1].Fingerprint || byLabel[0].Fingerprint == byHost[0].Fingerprint {
		t.Error(`fields ["labels.instance"] did not take effect`)
	}
	if _, err := format.New(format.Config{Format: "alertmanager", FingerprintFields: []string{"rule", "labels.instance", "instance"}}); err == nil ||
		!strings.Contains(err.Error(), `fingerprint_fields[2]: unknown field "instance"`) {
		t.Errorf("a list naming an unknown field: %v", err)
	}
}

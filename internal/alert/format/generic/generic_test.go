package generic_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/format/generic"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// A webhook of an uptime monitor: a batch object with its checks in a
// list, names with dots, a severity of its own words, epoch times.
const batch = `{"batch":"b-77","checks":[
 {"id":9001,"check":{"name":"shop checkout","url":"https://shop.example.org/checkout"},"state":"DOWN","prio":"P1",
  "host":{"name":"Shop-01.example.org","ip":"192.0.2.80"},"at":1796032800,"tags":{"team":"web","env":{"stage":"prod"}},
  "app.kubernetes.io/name":"checkout","notes":"HTTP 503\nthree probes","mitre":["T1499.002"],"iocs":["bad.example.net","evil.example.com"]},
 {"id":9002,"check":{"name":"shop search"},"state":"UP","prio":"warn","host":{"name":"shop-02"},"at":"2026-11-30T10:00:05.5+01:00",
  "ended":1796032805123,"tags":{"team":"web"}}
]}`

var mapping = generic.Mapping{
	Alerts: "checks",
	Fields: map[string]string{"rule": "check.name", "rule_id": "/id", "severity": "prio", "status": "state",
		"hostname": "host.name", "dst_ip": "/host/ip", "observed_at": "at", "ends_at": "ended", "url": "check.url",
		"techniques": "mitre", "external_fingerprint": "id"},
	Labels:         map[string]string{"app": "/app.kubernetes.io~1name", "*": "tags"},
	Annotations:    map[string]string{"notes": "notes"},
	Observables:    map[string]string{"domain": "iocs"},
	SeverityValues: map[string]string{"p1": "critical"},
	ResolvedValues: []string{"up"},
}

func TestMappedAlerts(t *testing.T) {
	p, err := generic.New(mapping)
	if err != nil {
		t.Fatal(err)
	}
	res, err := alerttest.Parse(t, p, "uptime", []byte(batch))
	if err != nil || len(res.Alerts) != 2 {
		t.Fatalf("%v, %d alerts", err, len(res.Alerts))
	}
	a, b := res.Alerts[0], res.Alerts[1]
	if a.Rule != "shop checkout" || a.RuleID != "9001" || a.ExternalFingerprint != "9001" || a.Severity != alert.SeverityCritical ||
		a.SeverityRaw != "P1" || a.Status != alert.StatusFiring || a.Hostname != "shop-01.example.org" || a.DstIP != "192.0.2.80" ||
		a.URL != "https://shop.example.org/checkout" || !a.ObservedAt.Equal(time.Unix(1796032800, 0)) ||
		!reflect.DeepEqual(a.Techniques, []string{"T1499.002"}) {
		t.Errorf("first alert %+v", a)
	}
	wantLabels := map[string]string{"app": "checkout", "team": "web", "env.stage": "prod"}
	if !reflect.DeepEqual(a.Labels, wantLabels) || a.Annotations["notes"] != "HTTP 503\nthree probes" {
		t.Errorf("labels %v, annotations %v", a.Labels, a.Annotations)
	}
	if len(a.Observables) != 3 || a.Observables[0] != (alert.Observable{Kind: alert.ObservableDomain, Value: "bad.example.net"}) {
		t.Errorf("observables %v", a.Observables)
	}
	if b.Status != alert.StatusResolved || b.Severity != alert.SeverityMedium || !b.ObservedAt.Equal(time.Date(2026, 11, 30, 9, 0, 5, 5e8, time.UTC)) ||
		!b.EndsAt.Equal(time.UnixMilli(1796032805123).UTC()) || b.DstIP != "" {
		t.Errorf("second alert %+v", b)
	}
}

// A mapping is checked when the source is saved: nothing in it may be
// silently ignored later.
func TestMappingErrors(t *testing.T) {
	tests := []struct {
		name  string
		m     generic.Mapping
		field string
		msg   string
	}{
		{"no fields", generic.Mapping{}, "mapping.fields", "map at least rule, rule_id or summary"},
		{"no name", generic.Mapping{Fields: map[string]string{"hostname": "h"}}, "mapping.fields", "an alert needs a name"},
		{"unknown field", generic.Mapping{Fields: map[string]string{"rule": "r", "severty": "s"}}, "mapping.fields.severty", `unknown field "severty"`},
		{"empty path", generic.Mapping{Fields: map[string]string{"rule": ""}}, "mapping.fields.rule", "the path is empty"},
		{"bad pointer escape", generic.Mapping{Fields: map[string]string{"rule": "/a~2b"}}, "mapping.fields.rule", "~ must be followed by 0"},
		{"empty dotted segment", generic.Mapping{Fields: map[string]string{"rule": "a..b"}}, "mapping.fields.rule", "empty segment"},
		{"JSONPath", generic.Mapping{Fields: map[string]string{"rule": "$.alert.name"}}, "mapping.fields.rule", "JSONPath"},
		{"bad alerts path", generic.Mapping{Alerts: "a.", Fields: map[string]string{"rule": "r"}}, "mapping.alerts", "empty segment"},
		{"unknown severity", generic.Mapping{Fields: map[string]string{"rule": "r"}, SeverityValues: map[string]string{"P1": "urgent"}},
			"mapping.severity_values.P1", `"urgent" is not a severity`},
		{"unknown observable kind", generic.Mapping{Fields: map[string]string{"rule": "r"}, Observables: map[string]string{"hash": "h"}},
			"mapping.observables.hash", "unknown observable kind"},
		{"unnamed label", generic.Mapping{Fields: map[string]string{"rule": "r"}, Labels: map[string]string{" ": "x"}},
			"mapping.labels", "a name is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generic.New(tt.m)
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Invalid {
				t.Fatalf("error %v, want errs.Invalid", err)
			}
			for _, f := range e.Fields {
				if f.Field == tt.field && strings.Contains(f.Message, tt.msg) {
					return
				}
			}
			t.Errorf("fields %+v; want %s: …%s…", e.Fields, tt.field, tt.msg)
		})
	}
}

func TestBadPayloads(t *testing.T) {
	p, err := generic.New(mapping)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		payload string
		alerts  int
		field   string
		msg     string
	}{
		{`{"checks":[{"check":{"name":"a"}},"not an object",{"check":{"name":"b"}}]}`, 2, "line 1 (/checks/1)", "must be a JSON object"},
		{`{"other":[]}`, 0, "line 1", "no alerts at the mapping's alerts path"},
		{`{"checks":[{"check":{"name":"a"},"at":"next tuesday"}]}`, 1, "", ""},
		{`{"checks":[` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `]}`, 0, "line 1, column", "nested deeper than 64 levels"},
	}
	for _, tt := range tests {
		res, err := alerttest.Parse(t, p, "uptime", []byte(tt.payload))
		if len(res.Alerts) != tt.alerts {
			t.Errorf("%.40s: %d alerts, want %d", tt.payload, len(res.Alerts), tt.alerts)
		}
		if tt.field == "" {
			if err != nil || len(res.Alerts[0].Problems) != 1 || !strings.Contains(res.Alerts[0].Problems[0], `observed_at "next tuesday"`) {
				t.Errorf("%v %q", err, res.Alerts[0].Problems)
			}
			continue
		}
		e, ok := errs.As(err)
		if !ok || !strings.HasPrefix(e.Fields[0].Field, tt.field) || !strings.Contains(e.Fields[0].Message, tt.msg) {
			t.Errorf("%.40s: %v; want %s: …%s…", tt.payload, err, tt.field, tt.msg)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(batch))
	f.Add([]byte(`{"checks":{"check":{"name":1e400},"at":-5,"tags":[1,{"a":null}]}}`))
	p, err := generic.New(mapping)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		alerttest.Parse(t, p, "uptime", payload)
	})
}

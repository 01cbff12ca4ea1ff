package alertmanager_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/format/alertmanager"
	"github.com/rampart-itsm/rampart/internal/errs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func parse(t testing.TB, payload []byte) (alert.Result, error) {
	t.Helper()
	return alerttest.Parse(t, alertmanager.Parser{}, "am", payload)
}

// The bodies the real Alertmanager sent (testdata/captured/README.md).
func TestCapturedNotifications(t *testing.T) {
	tests := []struct {
		file      string
		group     string
		truncated int
		statuses  string // per alert, in order
	}{
		{"basic-firing", `{}:{alertname="DiskFull"}`, 0, "firing firing"},
		{"basic-mixed", `{}:{alertname="DiskFull"}`, 0, "resolved firing"},
		{"bearer-firing", `{}/{via="bearer"}:{alertname="TargetDown"}`, 0, "firing"},
		{"bearer-resolved", `{}/{via="bearer"}:{alertname="TargetDown"}`, 0, "resolved"},
		{"truncated", `{}/{via="truncated"}:{alertname="QueueBacklog"}`, 2, "firing"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			payload, err := os.ReadFile(filepath.Join("testdata", "captured", tt.file+".json"))
			if err != nil {
				t.Fatal(err)
			}
			res, err := parse(t, payload)
			if err != nil {
				t.Fatal(err)
			}
			var statuses []string
			for _, a := range res.Alerts {
				statuses = append(statuses, string(a.Status))
				if a.ExternalFingerprint == "" || a.Rule != a.Labels["alertname"] || len(a.Problems) > 0 {
					t.Errorf("alert %+v", a)
				}
			}
			if res.Group != tt.group || res.Truncated != tt.truncated || strings.Join(statuses, " ") != tt.statuses {
				t.Errorf("group %q, truncated %d, statuses %q; want %q, %d, %q", res.Group, res.Truncated, statuses, tt.group, tt.truncated, tt.statuses)
			}
			alerttest.Golden(t, filepath.Join("testdata", "golden", tt.file+".json"), res, *update)
		})
	}
}

func TestHostAndSeverityFromLabels(t *testing.T) {
	tests := []struct {
		labels   string
		host     string
		severity alert.Severity
		raw      string
	}{
		{`"instance":"fs-01:9100","severity":"critical"`, "fs-01", alert.SeverityCritical, "critical"},
		{`"instance":"[2001:db8::7]:9100","severity":"warning"`, "2001:db8::7", alert.SeverityMedium, "warning"},
		{`"instance":"https://shop.example.org/health","severity":"page"`, "shop.example.org", alert.SeverityCritical, "page"},
		{`"instance":"db-1:5432","hostname":"DB-1.example.org","severity":"info"`, "db-1.example.org", alert.SeverityInfo, "info"},
		{`"nodename":"k8s-node-3"`, "k8s-node-3", alert.SeverityMedium, ""},
		{`"severity":"urgent"`, "", alert.SeverityMedium, "urgent"},
	}
	for _, tt := range tests {
		payload := `{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"X",` + tt.labels +
			`},"annotations":{},"startsAt":"2026-11-30T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"1"}]}`
		res, err := parse(t, []byte(payload))
		if err != nil || len(res.Alerts) != 1 {
			t.Fatalf("%s: %v", tt.labels, err)
		}
		a := res.Alerts[0]
		if a.Hostname != tt.host || a.Severity != tt.severity || a.SeverityRaw != tt.raw {
			t.Errorf("%s: host %q severity %q raw %q; want %q %q %q", tt.labels, a.Hostname, a.Severity, a.SeverityRaw, tt.host, tt.severity, tt.raw)
		}
	}
}

// One unreadable alert does not lose the group's others; the error names
// it by JSON Pointer.
func TestBadInputNamesWhere(t *testing.T) {
	alertOK := `{"status":"firing","labels":{"alertname":"A"},"startsAt":"2026-11-30T10:00:00Z","fingerprint":"1"}`
	tests := []struct {
		name    string
		payload string
		alerts  int
		field   string
		msg     string
	}{
		{"unknown status", `{"version":"4","alerts":[` + alertOK + `,{"status":"pending","labels":{}}]}`, 1,
			"line 1 (/alerts/1/status)", `status "pending"`},
		{"label value not a string", `{"version":"4","alerts":[{"status":"firing","labels":{"a":1}},` + alertOK + `]}`, 1,
			"line 1 (/alerts/0/labels/a)", "cannot read JSON number"},
		{"other version", `{"version":"5","alerts":[]}`, 0, "line 1 (/version)", `version "5"`},
		{"no alerts", `{"version":"4","status":"firing"}`, 0, "line 1 (/alerts)", "no alerts"},
		{"truncated body", `{"version":"4","alerts":[` + alertOK, 0, "line 1, column 124 (/alerts)", "truncated"},
		{"resolved without endsAt", `{"version":"4","alerts":[{"status":"resolved","labels":{"alertname":"A"},"startsAt":"2026-11-30T10:00:00Z","endsAt":"0001-01-01T00:00:00Z"}]}`,
			1, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parse(t, []byte(tt.payload))
			if len(res.Alerts) != tt.alerts {
				t.Errorf("%d alerts, want %d", len(res.Alerts), tt.alerts)
			}
			if tt.field == "" {
				if err != nil || len(res.Alerts[0].Problems) != 1 || !strings.Contains(res.Alerts[0].Problems[0], "resolved without a readable endsAt") {
					t.Errorf("error %v, problems %q", err, res.Alerts[0].Problems)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Invalid || len(e.Fields) != 1 {
				t.Fatalf("error %v, want errs.Invalid with one field", err)
			}
			if e.Fields[0].Field != tt.field || !strings.Contains(e.Fields[0].Message, tt.msg) {
				t.Errorf("%q: %q; want %q: …%q…", e.Fields[0].Field, e.Fields[0].Message, tt.field, tt.msg)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"basic-mixed", "truncated"} {
		b, err := os.ReadFile(filepath.Join("testdata", "captured", name+".json"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`[{"version":"4","alerts":[{"status":"resolved","labels":{"instance":"[::1]:1"},"endsAt":"x"}]},{"alerts":[1]}]`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		alerttest.Parse(t, alertmanager.Parser{}, "am", payload)
	})
}

package wazuh_test

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/format/wazuh"
	"github.com/rampart-itsm/rampart/internal/errs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func parse(t testing.TB, payload []byte) (alert.Result, error) {
	t.Helper()
	return alerttest.Parse(t, wazuh.Parser{}, "wazuh", payload)
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDocumentedAlerts(t *testing.T) {
	type want struct {
		rule, ruleID, host, src, user, process string
		srcPort, dstPort                       int
		sev                                    alert.Severity
		raw                                    string
		cat                                    alert.Category
		observed                               string
		techniques                             []string
		hashes                                 int
	}
	tests := []struct {
		file  string
		wants []want
	}{
		{"alerts.json", []want{
			{rule: "sshd: Attempt to login using a non-existent user", ruleID: "5710", host: "bastion-02", src: "198.51.100.23",
				user: "oracle", process: "sshd", srcPort: 40188, sev: alert.SeverityLow, raw: "5",
				observed: "2026-11-30T09:14:02.118Z", techniques: []string{"T1110"}},
			// Level 10 with the group authentication_failures: a brute force.
			{rule: "sshd: brute force trying to get access to the system. Non existent user.", ruleID: "5712", host: "bastion-02",
				src: "198.51.100.23", user: "test", process: "sshd", srcPort: 40310, sev: alert.SeverityMedium, raw: "10",
				cat: alert.CategoryUnauthorisedAccess, observed: "2026-11-30T09:15:40.502Z", techniques: []string{"T1110"}},
			{rule: "Integrity checksum changed.", ruleID: "550", host: "web-01", user: "root", process: "/usr/bin/nano",
				sev: alert.SeverityMedium, raw: "7", observed: "2026-11-30T09:20:11.904Z", techniques: []string{"T1565.001"}, hashes: 3},
			{rule: "ClamAV: Virus detected", ruleID: "52502", host: "mail-01", process: "clamd", sev: alert.SeverityMedium, raw: "8",
				cat: alert.CategoryMalware, observed: "2026-11-30T09:31:55.017Z"},
			// Agent 000 is the manager: the device is the one the log names.
			{rule: "ASA: Built inbound TCP connection", ruleID: "64201", host: "fw-edge-01", src: "203.0.113.80",
				srcPort: 52110, dstPort: 443, sev: alert.SeverityInfo, raw: "3", observed: "2026-11-30T09:40:03.66Z"},
		}},
		{"integration.json", []want{
			{rule: "Windows Logon Success (logon type 10) for a user outside business hours.", ruleID: "100120",
				host: "ws-fin-07", src: "198.51.100.77", user: "j.doe", sev: alert.SeverityHigh, raw: "12",
				cat: alert.CategoryUnauthorisedAccess, observed: "2026-11-30T10:02:19.331Z", techniques: []string{"T1078"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := parse(t, read(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Alerts) != len(tt.wants) {
				t.Fatalf("%d alerts, want %d", len(res.Alerts), len(tt.wants))
			}
			for i, w := range tt.wants {
				a := res.Alerts[i]
				hashes := 0
				for _, o := range a.Observables {
					if o.Kind == alert.ObservableHash {
						hashes++
					}
				}
				got := want{rule: a.Rule, ruleID: a.RuleID, host: a.Hostname, src: a.SrcIP, user: a.User, process: a.Process,
					srcPort: a.SrcPort, dstPort: a.DstPort, sev: a.Severity, raw: a.SeverityRaw, cat: a.Category,
					observed: a.ObservedAt.Format(time.RFC3339Nano), techniques: a.Techniques, hashes: hashes}
				if !reflect.DeepEqual(got, w) {
					t.Errorf("alert %d:\n got %+v\nwant %+v", i, got, w)
				}
				if len(a.Problems) > 0 {
					t.Errorf("alert %d problems %q", i, a.Problems)
				}
			}
			alerttest.Golden(t, filepath.Join("testdata", "golden", strings.TrimSuffix(tt.file, ".json")+".json"), res, *update)
		})
	}
}

func TestLevelsMapToSeverities(t *testing.T) {
	want := map[int]alert.Severity{0: "info", 3: "info", 4: "low", 6: "low", 7: "medium", 11: "medium", 12: "high", 14: "high", 15: "critical", 16: "critical"}
	for level, sev := range want {
		payload := `{"timestamp":"2026-11-30T09:00:00.000+0000","rule":{"level":` + strconv.Itoa(level) + `,"id":"1","description":"x"},"agent":{"id":"001","name":"a"}}`
		res, err := parse(t, []byte(payload))
		if err != nil || len(res.Alerts) != 1 || res.Alerts[0].Severity != sev {
			t.Errorf("level %d: %v %+v, want %s", level, err, res.Alerts, sev)
		}
	}
}

// Below level 7 the classification gives an event no security relevance
// by itself, whatever its groups: no category, so no security incident.
func TestCategoryNeedsLevelSeven(t *testing.T) {
	for level, want := range map[string]alert.Category{"6": "", "7": alert.CategoryMalware} {
		payload := `{"timestamp":"2026-11-30T09:00:00.000+0000","rule":{"level":` + level + `,"id":"52502","description":"ClamAV","groups":["clamd","virus"]},"agent":{"id":"001","name":"a"}}`
		res, err := parse(t, []byte(payload))
		if err != nil || len(res.Alerts) != 1 || res.Alerts[0].Category != want {
			t.Errorf("level %s: %v, category %q, want %q", level, err, res.Alerts[0].Category, want)
		}
	}
}

func TestBadInputNamesWhere(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(string(read(t, "alerts.json"))), "\n")
	tests := []struct {
		name    string
		payload string
		alerts  int
		field   string
		msg     string
	}{
		{"truncated last line", strings.Join(lines[:4], "\n") + "\n" + lines[4][:100], 4, "line 5, column", "truncated"},
		{"no rule", `{"timestamp":"2026-11-30T09:00:00.000+0000","agent":{"name":"a"}}`, 0, "line 1 (/rule)", "no rule"},
		{"level out of range", `{"rule":{"level":42,"id":"1"}}`, 0, "line 1 (/rule/level)", "not a level from 0 to 16"},
		{"level not a number", `{"rule":{"level":"high","id":"1"}}`, 0, "line 1 (/rule/level)", "not a level"},
		{"agent of the wrong type", `{"rule":{"level":3,"id":"1"},"agent":"bastion-02"}`, 0, "line 1, column 38 (/agent)", "cannot read JSON string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parse(t, []byte(tt.payload))
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Invalid || len(e.Fields) != 1 {
				t.Fatalf("error %v, want errs.Invalid with one field", err)
			}
			if !strings.HasPrefix(e.Fields[0].Field, tt.field) || !strings.Contains(e.Fields[0].Message, tt.msg) {
				t.Errorf("%q: %q; want %q…: …%q…", e.Fields[0].Field, e.Fields[0].Message, tt.field, tt.msg)
			}
			if len(res.Alerts) != tt.alerts {
				t.Errorf("%d alerts, want %d", len(res.Alerts), tt.alerts)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"alerts.json", "integration.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"rule":{"level":"7","groups":"virus","mitre":{"id":"T1566.002"}},"data":{"a":[{"b":1},[2]],"srcport":"x"}}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		alerttest.Parse(t, wazuh.Parser{}, "wazuh", payload)
	})
}

package alert_test

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

var received = time.Date(2026, 11, 30, 10, 0, 0, 123456789, time.UTC)

func TestNormalize(t *testing.T) {
	meta := alert.Meta{Source: "edge", Received: received}
	tests := []struct {
		name     string
		in       alert.Alert
		check    func(t *testing.T, a alert.Alert)
		problems []string // substrings, in order
	}{
		{name: "defaults from meta", in: alert.Alert{Format: "generic", Rule: "DiskFull"},
			check: func(t *testing.T, a alert.Alert) {
				want := alert.Alert{Source: "edge", Format: "generic", Rule: "DiskFull", Summary: "DiskFull",
					Severity: alert.SeverityMedium, Status: alert.StatusFiring,
					ObservedAt: time.Date(2026, 11, 30, 10, 0, 0, 123456000, time.UTC)}
				if !reflect.DeepEqual(a, want) {
					t.Errorf("got %+v\nwant %+v", a, want)
				}
			}},
		{name: "text repaired for the text rule",
			in: alert.Alert{Rule: "  bad\x00rule\x1b[31m  ", Summary: "line one\r\nline two\xff", Hostname: "Web-01.Example.ORG.",
				Labels:      map[string]string{"k\x07": " v\x00 ", "ok": "plain"},
				Annotations: map[string]string{"description": "first\r\nsecond\rthird\x85"}},
			check: func(t *testing.T, a alert.Alert) {
				if a.Rule != "bad\ufffdrule\ufffd[31m" {
					t.Errorf("rule %q", a.Rule)
				}
				if a.Summary != "line one line two\ufffd" {
					t.Errorf("summary %q", a.Summary)
				}
				if a.Hostname != "web-01.example.org" {
					t.Errorf("hostname %q", a.Hostname)
				}
				if a.Labels["k\ufffd"] != " v\ufffd " || a.Labels["ok"] != "plain" || len(a.Labels) != 2 {
					t.Errorf("labels %q", a.Labels)
				}
				if a.Annotations["description"] != "first\nsecond\nthird\ufffd" {
					t.Errorf("annotation %q", a.Annotations["description"])
				}
				for _, s := range []string{a.Rule, a.Summary, a.Hostname} {
					if p := textrule.Problem(s, false); p != "" {
						t.Errorf("%q breaks the text rule: %s", s, p)
					}
				}
				if p := textrule.Problem(a.Annotations["description"], true); p != "" {
					t.Errorf("annotation breaks the text rule: %s", p)
				}
			}},
		{name: "addresses, ports, techniques, observables",
			in: alert.Alert{SrcIP: "::ffff:192.0.2.7", DstIP: "not-an-ip", SrcPort: 70000, DstPort: 443, User: "alice",
				Techniques: []string{"t1110", "T1566.001", "T1110", "TA0001"},
				Observables: []alert.Observable{{alert.ObservableDomain, "Evil.Example.COM."}, {alert.ObservableHash, "ABCDEF0123456789ABCDEF0123456789"},
					{alert.ObservableDomain, "192.0.2.7"}, {alert.ObservableURL, "not a url"}, {alert.ObservableEmail, "Bob@Example.org"}}},
			check: func(t *testing.T, a alert.Alert) {
				if a.SrcIP != "192.0.2.7" || a.DstIP != "" || a.SrcPort != 0 || a.DstPort != 443 {
					t.Errorf("addresses %q %q %d %d", a.SrcIP, a.DstIP, a.SrcPort, a.DstPort)
				}
				if !reflect.DeepEqual(a.Techniques, []string{"T1110", "T1566.001"}) {
					t.Errorf("techniques %q", a.Techniques)
				}
				want := []alert.Observable{{alert.ObservableDomain, "evil.example.com"}, {alert.ObservableEmail, "bob@example.org"},
					{alert.ObservableHash, "abcdef0123456789abcdef0123456789"}, {alert.ObservableIP, "192.0.2.7"},
					{alert.ObservableUser, "alice"}}
				if !reflect.DeepEqual(a.Observables, want) {
					t.Errorf("observables %v\nwant %v", a.Observables, want)
				}
			},
			problems: []string{`dst_ip "not-an-ip" is not an IP address`, "src_port 70000 is not a port number",
				`technique "TA0001"`, `url observable "not a url"`}},
		{name: "unknown severity, status and category",
			in: alert.Alert{Severity: "urgent", Status: "pending", Category: "spam"},
			check: func(t *testing.T, a alert.Alert) {
				if a.Severity != alert.SeverityMedium || a.Status != alert.StatusFiring || a.Category != "" {
					t.Errorf("%q %q %q", a.Severity, a.Status, a.Category)
				}
			},
			problems: []string{`severity "urgent"`, `status "pending"`, `category "spam"`}},
		{name: "limits", in: alert.Alert{Summary: strings.Repeat("é", alert.MaxLine), Labels: manyLabels(alert.MaxLabels + 3)},
			check: func(t *testing.T, a alert.Alert) {
				if len(a.Summary) > alert.MaxLine || !utf8.ValidString(a.Summary) {
					t.Errorf("summary of %d bytes", len(a.Summary))
				}
				if len(a.Labels) != alert.MaxLabels {
					t.Errorf("%d labels", len(a.Labels))
				}
			},
			problems: []string{"summary cut to 2048 bytes", "3 labels dropped beyond the limit of 256"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.in
			a.Normalize(meta)
			tt.check(t, a)
			if len(a.Problems) != len(tt.problems) {
				t.Fatalf("problems %q, want %d like %q", a.Problems, len(tt.problems), tt.problems)
			}
			for i, p := range tt.problems {
				if !strings.Contains(a.Problems[i], p) {
					t.Errorf("problem %d: %q, want it to contain %q", i, a.Problems[i], p)
				}
			}
			again := a
			again.Normalize(meta)
			if !reflect.DeepEqual(again, a) {
				t.Errorf("Normalize is not idempotent:\n%+v\n%+v", a, again)
			}
		})
	}
}

func manyLabels(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m["label"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strings.Repeat("y", i/26)] = "v"
	}
	for len(m) < n {
		m["z"+strings.Repeat("z", len(m))] = "v"
	}
	return m
}

func TestSeverityWords(t *testing.T) {
	tests := []struct {
		in   string
		want alert.Severity
		ok   bool
	}{
		{"critical", alert.SeverityCritical, true}, {"PAGE", alert.SeverityCritical, true}, {"Very-High", alert.SeverityCritical, true},
		{"error", alert.SeverityHigh, true}, {"P2", alert.SeverityHigh, true},
		{"warning", alert.SeverityMedium, true}, {" Warn ", alert.SeverityMedium, true},
		{"notice", alert.SeverityLow, true}, {"info", alert.SeverityInfo, true}, {"debug", alert.SeverityInfo, true},
		{"7", alert.SeverityHigh, true}, {"10", alert.SeverityCritical, true}, {"0", alert.SeverityLow, true},
		{"11", "", false}, {"urgent", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		got, ok := alert.SeverityText(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("SeverityText(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for n, want := range []alert.Severity{"critical", "critical", "critical", "high", "medium", "low", "info", "info"} {
		if got := alert.SyslogSeverity(n); got != want {
			t.Errorf("SyslogSeverity(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCategoryOf(t *testing.T) {
	tests := []struct {
		in   string
		want alert.Category
	}{
		{"malware", alert.CategoryMalware},
		{"/Attack/Malware/Trojan", alert.CategoryMalware},
		{"Spear-Phishing e-mail", alert.CategoryPhishing},
		{"Attempted Denial of Service", alert.CategoryDenialOfService},
		{"DDoS", alert.CategoryDenialOfService},
		{"Windows Security", ""}, // "dos" only as a word
		{"SQL Injection", alert.CategoryVulnerabilityExploitation},
		{"Brute Force", alert.CategoryUnauthorisedAccess},
		{"Data Loss Prevention", alert.CategoryDataExfiltration},
		{"insider_threat", alert.CategoryInsiderThreat},
		{"Audit Policy Change", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := alert.CategoryOf(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("CategoryOf(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	refused := time.Time{}.Add(-1)
	tests := []struct {
		in   string
		want time.Time // refused: an error
	}{
		{"2019-11-26T16:41:02.504203+0800", utc("2019-11-26T08:41:02.504203Z")},
		{"2022-11-18T00:21:55.076760+0100", utc("2022-11-17T23:21:55.07676Z")},
		{"2019-10-15T19:07:57.741+0000", utc("2019-10-15T19:07:57.741Z")},
		{"2026-11-30T10:00:00Z", utc("2026-11-30T10:00:00Z")},
		{"2026-11-30T10:00:00.123456789-05:30", utc("2026-11-30T15:30:00.123456789Z")},
		{"2026-11-30 10:00:00+01", utc("2026-11-30T09:00:00Z")},
		{"0001-01-01T00:00:00Z", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-11-30T10:00:00", refused},       // no zone
		{"2026-02-29T10:00:00Z", refused},      // not a leap year
		{"2026-11-30T10:00:00.Z", refused},     // empty fraction
		{"2026-11-30T10:00:00+0100x", refused}, // trailing text
		{"2026-13-01T10:00:00Z", refused},
		{"yesterday", refused},
	}
	for _, tt := range tests {
		got, err := alert.ParseTimestamp(tt.in)
		if tt.want.Equal(refused) {
			if err == nil {
				t.Errorf("ParseTimestamp(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestErrorsNamePlaces(t *testing.T) {
	e := alert.Errors{Format: "suricata"}
	if e.Err() != nil {
		t.Fatal("no problems, yet an error")
	}
	for i := range 25 {
		e.Add("line "+string(rune('A'+i)), "bad %d", i)
	}
	err := e.Err()
	msg := err.Error()
	for _, want := range []string{"invalid suricata payload", "line A: bad 0", "line T: bad 19", "payload: 5 more could not be read"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "line U") {
		t.Errorf("%q names more than 20 places", msg)
	}
	if got := alert.Position([]byte("ab\ncde\nf"), 5); got != "line 2, column 3" {
		t.Errorf("Position = %q", got)
	}
}

package syslog_test

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/format/syslog"
	"github.com/rampart-itsm/rampart/internal/errs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func newParser(t testing.TB, zone string) *syslog.Parser {
	t.Helper()
	p, err := syslog.New(syslog.Options{Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func parse(t testing.TB, p *syslog.Parser, payload string) (alert.Result, error) {
	t.Helper()
	return alerttest.Parse(t, p, "syslog", []byte(payload))
}

func TestMessagesBecomeAlerts(t *testing.T) {
	type want struct {
		rule, ruleID, summary, host, process, user string
		sev                                        alert.Severity
		raw, observed, src, dst                    string
		srcPort, dstPort                           int
		cat                                        alert.Category
		labels                                     map[string]string // checked keys only
		annotations                                map[string]string // checked keys only
		observables                                []string
	}
	tests := []struct {
		name string
		msg  string
		want want
	}{
		{"RFC 5424 with structured data",
			`<165>1 2026-11-30T09:59:58.000003Z db-1.example.org postgres 8710 AUTHFAIL [origin@32473 ip="192.0.2.44" software="pg"][meta sequenceId="17"] password authentication failed for user "app"`,
			want{rule: "AUTHFAIL", ruleID: "AUTHFAIL", summary: `password authentication failed for user "app"`, host: "db-1.example.org",
				process: "postgres", sev: alert.SeverityLow, raw: "notice", observed: "2026-11-30T09:59:58.000003Z",
				labels:      map[string]string{"facility": "local4", "origin@32473.ip": "192.0.2.44", "meta.sequenceId": "17"},
				annotations: map[string]string{"procid": "8710"}}},
		{"RFC 3164 without host name: the sender's address",
			`<11>Nov 30 09:59:00 kernel: Out of memory: Killed process 4411 (java)`,
			want{rule: "kernel", summary: "Out of memory: Killed process 4411 (java)", host: "192.0.2.10", process: "kernel",
				sev: alert.SeverityHigh, raw: "err", observed: "2026-11-30T09:59:00Z", labels: map[string]string{"facility": "user"}}},
		{"multi-line message",
			"<12>1 2026-11-30T10:00:00Z h app - - - first line\nsecond line",
			want{rule: "app", summary: "first line", host: "h", process: "app", sev: alert.SeverityMedium, raw: "warning",
				observed: "2026-11-30T10:00:00Z", annotations: map[string]string{"message": "first line\nsecond line"}}},
		{"CEF in RFC 3164",
			`<132>Nov 30 09:58:00 ids-1 CEF:0|Trend Micro|Deep Security Agent|10.0|4000030|Malware detected|8|src=10.1.1.5 dst=203.0.113.50 spt=50432 dpt=443 duser=CORP\\alice suser=mallory@evil.example dhost=ws-17.corp.example.org request=http://203.0.113.50/payload.bin fileHash=44d88612fea8a8f36de82e1278abb02f cat=/Security/Malware rt=1796032680000 msg=Trojan found\nquarantined act=quarantine`,
			want{rule: "Malware detected", ruleID: "4000030", summary: "Trojan found", host: "ws-17.corp.example.org", user: `CORP\alice`,
				sev: alert.SeverityHigh, raw: "8", observed: "2026-11-30T09:58:00Z", src: "10.1.1.5", dst: "203.0.113.50",
				srcPort: 50432, dstPort: 443, cat: alert.CategoryMalware,
				labels: map[string]string{"format": "cef", "cefVersion": "0", "deviceVendor": "Trend Micro", "deviceProduct": "Deep Security Agent",
					"deviceEventCategory": "/Security/Malware"},
				annotations: map[string]string{"act": "quarantine", "msg": "Trojan found\nquarantined"},
				observables: []string{"domain:ws-17.corp.example.org", "email:mallory@evil.example",
					"file_hash:44d88612fea8a8f36de82e1278abb02f", "ip:10.1.1.5", "ip:203.0.113.50",
					"url:http://203.0.113.50/payload.bin", `user_account:CORP\alice`}}},
		// CEF and LEEF times without a zone are read in the source's zone,
		// like RFC 3164 stamps.
		{"CEF in RFC 5424 with a text time",
			`<134>1 2026-11-30T10:00:00Z fw-1 asa - - - CEF:0|Cisco|ASA|9.8|106023|Deny tcp|Low|src=198.51.100.9 dst=10.0.0.8 dpt=22 rt=Nov 30 2026 09:57:01 cat=Firewall`,
			want{rule: "Deny tcp", ruleID: "106023", summary: "Deny tcp", host: "fw-1", process: "asa", sev: alert.SeverityLow, raw: "Low",
				observed: "2026-11-30T08:57:01Z", src: "198.51.100.9", dst: "10.0.0.8", dstPort: 22,
				observables: []string{"ip:10.0.0.8", "ip:198.51.100.9"}}},
		{"LEEF 2.0 with devTimeFormat",
			"<13>Nov 30 09:00:00 qradar-src LEEF:2.0|Palo Alto Networks|PAN-OS|10.1|THREAT|^|src=10.2.2.2^dst=198.51.100.77^srcPort=51000^dstPort=80^usrName=bob^sev=9^cat=spyware^devTime=2026-11-30 08:59:59.500 +0000^devTimeFormat=yyyy-MM-dd HH:mm:ss.SSS Z^url=http://c2.example.net/beacon",
			want{rule: "THREAT", ruleID: "THREAT", summary: "THREAT", host: "qradar-src", user: "bob", sev: alert.SeverityCritical,
				raw: "9", observed: "2026-11-30T08:59:59.5Z", src: "10.2.2.2", dst: "198.51.100.77", srcPort: 51000, dstPort: 80,
				cat: alert.CategoryMalware, labels: map[string]string{"format": "leef", "leefVersion": "2.0", "deviceProduct": "PAN-OS"},
				observables: []string{"ip:10.2.2.2", "ip:198.51.100.77", "url:http://c2.example.net/beacon", "user_account:bob"}}},
		{"LEEF 1.0 with the default devTime format, in the source's zone",
			"<13>Nov 30 09:00:00 h LEEF:1.0|V|P|1|login-fail|src=192.0.2.5\tusrName=root\tsev=4\tdevTime=Nov 30 2026 10:58:00\tcat=Brute Force",
			want{rule: "login-fail", ruleID: "login-fail", summary: "login-fail", host: "h", user: "root", sev: alert.SeverityMedium,
				raw: "4", observed: "2026-11-30T09:58:00Z", src: "192.0.2.5", cat: alert.CategoryUnauthorisedAccess,
				observables: []string{"ip:192.0.2.5", "user_account:root"}}},
	}
	p := newParser(t, "Europe/Berlin")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 3164 stamps are read in Berlin: give them here in UTC terms.
			msg := strings.Replace(tt.msg, "Nov 30 09:", "Nov 30 10:", 1)
			if strings.HasPrefix(tt.name, "LEEF 1.0") {
				msg = tt.msg
			}
			// One message per payload, as the listener's frames are kept.
			res, err := parse(t, p, string(syslog.AppendFrame(nil, []byte(msg))))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Alerts) != 1 {
				t.Fatalf("%d alerts", len(res.Alerts))
			}
			a := res.Alerts[0]
			var obs []string
			for _, o := range a.Observables {
				obs = append(obs, string(o.Kind)+":"+o.Value)
			}
			got := want{rule: a.Rule, ruleID: a.RuleID, summary: a.Summary, host: a.Hostname, process: a.Process, user: a.User,
				sev: a.Severity, raw: a.SeverityRaw, observed: a.ObservedAt.Format(time.RFC3339Nano), src: a.SrcIP, dst: a.DstIP,
				srcPort: a.SrcPort, dstPort: a.DstPort, cat: a.Category, observables: obs,
				labels: pick(a.Labels, tt.want.labels), annotations: pick(a.Annotations, tt.want.annotations)}
			if tt.want.observables == nil && len(obs) == 0 {
				got.observables = nil
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
			if len(a.Problems) > 0 {
				t.Errorf("problems %q", a.Problems)
			}
		})
	}
}

// pick keeps the keys want names, so a test checks what it cares about.
func pick(m, want map[string]string) map[string]string {
	if want == nil {
		return nil
	}
	out := map[string]string{}
	for k := range want {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

func TestPayloadFraming(t *testing.T) {
	p := newParser(t, "")
	msgs := []string{"<13>1 2026-11-30T10:00:00Z h a - - - one", "<13>1 2026-11-30T10:00:01Z h a - - - two\nstill two", "<13>Nov 30 10:00:02 h a: three"}
	var counted []byte
	for _, m := range msgs {
		counted = syslog.AppendFrame(counted, []byte(m))
	}
	res, err := parse(t, p, string(counted))
	if err != nil || len(res.Alerts) != 3 || res.Alerts[1].Annotations["message"] != "two\nstill two" {
		t.Fatalf("octet counted: %v, %+v", err, res.Alerts)
	}
	res, err = parse(t, p, "<13>Nov 30 10:00:02 h a: one\r\n\r\nnot syslog\n<13>Nov 30 10:00:03 h a: three\x00\n")
	e, ok := errs.As(err)
	if !ok || len(res.Alerts) != 2 || len(e.Fields) != 1 || e.Fields[0].Field != "line 3" ||
		!strings.Contains(e.Fields[0].Message, "column 1: a syslog message starts with <PRI>") {
		t.Errorf("lines: %v, %d alerts", err, len(res.Alerts))
	}
	res, err = parse(t, p, "38 <13>1 2026-11-30T10:00:00Z h a - - - x\n25 <13>Nov 30 10:00:02 h a")
	e, ok = errs.As(err)
	if !ok || len(res.Alerts) != 1 || e.Fields[0].Field != "byte 43" || !strings.Contains(e.Fields[0].Message, "octet count") {
		t.Errorf("bad count: %v, %d alerts", err, len(res.Alerts))
	}
	res, err = parse(t, p, "")
	if e, ok := errs.As(err); !ok || e.Fields[0].Field != "payload" || len(res.Alerts) != 0 {
		t.Errorf("empty payload: %v", err)
	}
}

func TestZoneIsChecked(t *testing.T) {
	for _, zone := range []string{"Mars/Olympus", "Local"} {
		_, err := syslog.New(syslog.Options{Zone: zone})
		e, ok := errs.As(err)
		if !ok || e.Fields[0].Field != "syslog.zone" {
			t.Errorf("zone %q: %v", zone, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`<165>1 2026-11-30T09:59:58.000003Z h app 1 ID [a@1 x="\]\"\\"] ` + "\xef\xbb\xbfmsg"))
	f.Add([]byte("<13>Feb 29 12:00:00 h a[1]: CEF:0|V|P|1|i|n|Very-High|src=1.2.3.4 msg=a\\=b rt=Nov 30 2026 09:57:01 UTC"))
	f.Add([]byte("<13>Nov 30 09:00:00 h LEEF:2.0|V|P|1|E|0x5E|sev=9^devTime=x^devTimeFormat='a'yyyy"))
	f.Add([]byte("12 <13>1 - - - 3 <1"))
	p, err := syslog.New(syslog.Options{Zone: "Europe/Berlin"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		alerttest.Parse(t, p, "syslog", payload)
	})
}

// The frames logger and rsyslog sent (testdata/captured/README.md).
func TestCapturedFrames(t *testing.T) {
	p := newParser(t, "")
	for _, name := range []string{"logger", "rsyslog"} {
		t.Run(name, func(t *testing.T) {
			payload, err := os.ReadFile(filepath.Join("testdata", "captured", name+".syslog"))
			if err != nil {
				t.Fatal(err)
			}
			res, err := parse(t, p, string(payload))
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"logger": 7, "rsyslog": 6}[name]
			if len(res.Alerts) != want {
				t.Fatalf("%d alerts, want %d", len(res.Alerts), want)
			}
			for _, a := range res.Alerts {
				if len(a.Problems) > 0 || a.Hostname != "vm" || !strings.Contains(a.Summary, "case-") {
					t.Errorf("%+v", a)
				}
			}
			alerttest.Golden(t, filepath.Join("testdata", "golden", name+".json"), res, *update)
		})
	}
}

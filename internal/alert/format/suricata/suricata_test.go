package suricata_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/format/suricata"
	"github.com/rampart-itsm/rampart/internal/errs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func parse(t testing.TB, payload []byte) (alert.Result, error) {
	t.Helper()
	return alerttest.Parse(t, suricata.Parser{}, "ids", payload)
}

// summary is what a golden file keeps of a large parse: counts, a digest
// of every alert, and the first alerts in full.
type summary struct {
	Alerts     int            `json:"alerts"`
	Others     map[string]int `json:"others_by_type"`
	Failed     int            `json:"failed"`
	BySeverity map[string]int `json:"alerts_by_severity"`
	ByCategory map[string]int `json:"alerts_by_category"`
	Digest     string         `json:"digest"`
	First      []alert.Alert  `json:"first"`
}

func summarise(t testing.TB, res alert.Result, shown int) summary {
	s := summary{Alerts: len(res.Alerts), Others: map[string]int{}, Failed: res.Failed,
		BySeverity: map[string]int{}, ByCategory: map[string]int{}}
	h := sha256.New()
	for _, a := range res.Alerts {
		s.BySeverity[string(a.Severity)]++
		s.ByCategory[string(a.Category)]++
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(append(b, '\n'))
	}
	for _, o := range res.Others {
		s.Others[o.Type]++
	}
	s.Digest = hex.EncodeToString(h.Sum(nil))
	s.First = res.Alerts[:min(shown, len(res.Alerts))]
	return s
}

// The shared fixtures are real eve.json files: only event_type alert
// opens work, everything else is handed back as "other".
func TestSharedFixtures(t *testing.T) {
	dir := alerttest.SharedFixtures(t)
	tests := []struct {
		file   string
		alerts int
		others map[string]int
	}{
		{"suricata-eve-small.json", 3, map[string]int{"flow": 4, "stats": 3}},
		{"suricata-eve.json", 653, map[string]int{"flow": 1469, "tls": 748, "smb": 477, "dns": 473, "dcerpc": 265,
			"krb5": 60, "http": 18, "fileinfo": 16, "anomaly": 11, "dhcp": 1, "stats": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			payload, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res, err := parse(t, payload)
			if err != nil {
				t.Fatal(err)
			}
			s := summarise(t, res, 3)
			if s.Alerts != tt.alerts || !reflect.DeepEqual(s.Others, tt.others) {
				t.Errorf("%d alerts, others %v; want %d and %v", s.Alerts, s.Others, tt.alerts, tt.others)
			}
			for _, o := range res.Others {
				if !bytes.Contains(o.Raw, []byte(`"event_type":"`+o.Type+`"`)) || !strings.HasPrefix(o.Where, "line ") {
					t.Fatalf("other %s at %s does not hold its record: %.80s", o.Type, o.Where, o.Raw)
				}
			}
			alerttest.Golden(t, filepath.Join("testdata", "golden", "shared-"+strings.TrimSuffix(tt.file, ".json")+".json"), s, *update)
		})
	}
}

// A file cut short (a sensor still writing, a copy interrupted) is an
// error that names the last line; every complete line before it counts.
func TestTruncatedLastLineNamesTheLine(t *testing.T) {
	dir := alerttest.SharedFixtures(t)
	payload, err := os.ReadFile(filepath.Join(dir, "suricata-eve.json"))
	if err != nil {
		t.Fatal(err)
	}
	lastLine := bytes.LastIndexByte(bytes.TrimRight(payload, "\n"), '\n') + 1
	cut := payload[:lastLine+40]
	res, err := parse(t, cut)
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Invalid || len(e.Fields) != 1 || !strings.HasPrefix(e.Fields[0].Field, "line 4192, column ") ||
		!strings.Contains(e.Fields[0].Message, "truncated") {
		t.Fatalf("error %v, want one field at line 4192 saying truncated", err)
	}
	if len(res.Alerts) != 653 || res.Failed != 1 || res.Records != 4192 {
		t.Errorf("%d alerts, %d failed of %d records; want 653, 1 of 4192", len(res.Alerts), res.Failed, res.Records)
	}
}

// handmade are alert events written from the EVE format documentation
// (https://docs.suricata.io/en/latest/output/eve/eve-json-format.html),
// covering what the shared files do not: protocol records with names,
// URLs, hashes and mail addresses; classifications that are security
// categories; offsets written without a colon and with one.
const handmade = `{"timestamp":"2026-11-30T11:02:03.000120+0100","flow_id":1,"in_iface":"eth0","event_type":"alert","src_ip":"10.1.2.3","src_port":51000,"dest_ip":"203.0.113.9","dest_port":80,"proto":"TCP","app_proto":"http","host":"sensor-1","alert":{"action":"allowed","gid":1,"signature_id":2024897,"rev":3,"signature":"ET MALWARE Win32/Agent CnC Checkin","category":"A Network Trojan was detected","severity":1},"http":{"hostname":"cnc.example.net","url":"/gate.php?id=7","http_user_agent":"Mozilla/4.0","http_method":"POST"}}
{"timestamp":"2026-11-30T10:02:04Z","event_type":"alert","src_ip":"10.1.2.4","src_port":53123,"dest_ip":"10.1.0.53","dest_port":53,"proto":"UDP","app_proto":"dns","alert":{"action":"allowed","gid":1,"signature_id":2027863,"rev":2,"signature":"ET INFO Observed DNS Query to .top TLD","category":"Potentially Bad Traffic","severity":2},"dns":{"query":[{"type":"query","id":1,"rrname":"Login-Update.Example.TOP","rrtype":"A"}]}}
{"timestamp":"2026-11-30T10:02:05.5-05:00","event_type":"alert","src_ip":"198.51.100.20","src_port":25,"dest_ip":"10.1.2.5","dest_port":40000,"proto":"TCP","app_proto":"smtp","alert":{"action":"blocked","gid":1,"signature_id":2030000,"rev":1,"signature":"ET PHISHING Credential Phish Landing","category":"Possible Social Engineering Attempted","severity":2,"metadata":{"signature_severity":["Major"],"tag":["Phishing","Credential"]}},"smtp":{"mail_from":"<billing@pay.example.com>","rcpt_to":["<alice@corp.example.org>"]},"email":{"from":"Billing <billing@pay.example.com>","to":["alice@corp.example.org"]}}
{"timestamp":"2026-11-30T10:02:06.000000+0000","event_type":"alert","src_ip":"203.0.113.7","src_port":443,"dest_ip":"10.1.2.6","dest_port":51111,"proto":"TCP","app_proto":"tls","alert":{"action":"allowed","gid":1,"signature_id":2999999,"rev":1,"signature":"ET EXPLOIT Possible Exploit Kit Landing","category":"Exploit Kit Activity Detected","severity":1},"tls":{"sni":"ek.example.com"},"fileinfo":{"filename":"/invoice.pdf","md5":"0CC175B9C0F1B6A831C399E269772661","sha256":"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"}}
{"timestamp":"yesterday","event_type":"alert","src_ip":"fe80::1","dest_ip":"ff02::1","proto":"IPv6-ICMP","alert":{"gid":1,"signature_id":2200000,"rev":1,"signature":"SURICATA ICMPv6 unknown type","category":"Generic Protocol Command Decode","severity":3}}
{"timestamp":"2026-11-30T10:02:07Z","event_type":"flow","src_ip":"10.1.2.3","dest_ip":"203.0.113.9","flow":{"pkts_toserver":3}}
`

func TestHandmadeEvents(t *testing.T) {
	res, err := parse(t, []byte(handmade))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Alerts) != 5 || len(res.Others) != 1 || res.Others[0].Type != "flow" || res.Others[0].Where != "line 6" {
		t.Fatalf("%d alerts, others %+v", len(res.Alerts), res.Others)
	}
	want := []struct {
		rule, ruleID string
		sev          alert.Severity
		cat          alert.Category
		observed     string
		observables  []string // kind:value
		problem      string
	}{
		{"ET MALWARE Win32/Agent CnC Checkin", "1:2024897", alert.SeverityHigh, alert.CategoryMalware, "2026-11-30T10:02:03.00012Z",
			[]string{"domain:cnc.example.net", "ip:10.1.2.3", "ip:203.0.113.9", "url:http://cnc.example.net/gate.php?id=7"}, ""},
		{"ET INFO Observed DNS Query to .top TLD", "1:2027863", alert.SeverityMedium, "", "2026-11-30T10:02:04Z",
			[]string{"domain:login-update.example.top", "ip:10.1.0.53", "ip:10.1.2.4"}, ""},
		{"ET PHISHING Credential Phish Landing", "1:2030000", alert.SeverityMedium, alert.CategoryPhishing, "2026-11-30T15:02:05.5Z",
			[]string{"email:alice@corp.example.org", "email:billing@pay.example.com", "ip:10.1.2.5", "ip:198.51.100.20"}, ""},
		{"ET EXPLOIT Possible Exploit Kit Landing", "1:2999999", alert.SeverityHigh, alert.CategoryVulnerabilityExploitation,
			"2026-11-30T10:02:06Z", []string{"domain:ek.example.com", "file_hash:0cc175b9c0f1b6a831c399e269772661",
				"file_hash:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", "ip:10.1.2.6", "ip:203.0.113.7"}, ""},
		{"SURICATA ICMPv6 unknown type", "1:2200000", alert.SeverityLow, "", alerttest.Received.Format(time.RFC3339Nano),
			[]string{"ip:fe80::1", "ip:ff02::1"}, `timestamp "yesterday" not understood`},
	}
	for i, w := range want {
		a := res.Alerts[i]
		var obs []string
		for _, o := range a.Observables {
			obs = append(obs, string(o.Kind)+":"+o.Value)
		}
		if a.Rule != w.rule || a.RuleID != w.ruleID || a.Severity != w.sev || a.Category != w.cat ||
			a.ObservedAt.Format(time.RFC3339Nano) != w.observed || !reflect.DeepEqual(obs, w.observables) {
			t.Errorf("alert %d: %q %q %q %q %s %v", i, a.Rule, a.RuleID, a.Severity, a.Category, a.ObservedAt.Format(time.RFC3339Nano), obs)
		}
		if got := strings.Join(a.Problems, "; "); !strings.Contains(got, w.problem) || (w.problem == "") != (got == "") {
			t.Errorf("alert %d problems %q, want %q", i, got, w.problem)
		}
	}
	if l := res.Alerts[0].Labels; l["host"] != "sensor-1" || l["sid"] != "2024897" || l["app_proto"] != "http" {
		t.Errorf("labels %v", l)
	}
	if l := res.Alerts[2].Labels; l["metadata.tag"] != "Phishing,Credential" || l["action"] != "blocked" {
		t.Errorf("labels %v", l)
	}
}

// An HTTP batch may be a JSON array or JSON lines; a file may even hold
// pretty-printed events. All read alike.
func TestBatchShapes(t *testing.T) {
	var events []json.RawMessage
	for _, line := range strings.Split(strings.TrimSpace(handmade), "\n") {
		events = append(events, json.RawMessage(line))
	}
	array, err := json.Marshal(events)
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	for _, ev := range events {
		if err := json.Indent(&pretty, ev, "", "  "); err != nil {
			t.Fatal(err)
		}
		pretty.WriteString("\n")
	}
	want, err := parse(t, []byte(handmade))
	if err != nil {
		t.Fatal(err)
	}
	for name, payload := range map[string][]byte{"array": array, "pretty": pretty.Bytes(),
		"crlf": []byte(strings.ReplaceAll(handmade, "\n", "\r\n")), "bom": append([]byte("\xef\xbb\xbf"), handmade...)} {
		got, err := parse(t, payload)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got.Alerts, want.Alerts) || len(got.Others) != 1 {
			t.Errorf("%s: read differently from JSON lines", name)
		}
	}
}

func TestBadInputNamesWhere(t *testing.T) {
	good := `{"timestamp":"2026-11-30T10:00:00Z","event_type":"alert","src_ip":"10.0.0.1","dest_ip":"10.0.0.2","alert":{"gid":1,"signature_id":1,"signature":"x","severity":2}}`
	tests := []struct {
		name    string
		payload string
		alerts  int
		field   string // first error field, prefix
		msg     string
	}{
		{"empty", "  \n", 0, "payload", "empty"},
		{"not JSON", "hello\n", 0, "line 1, column 1", "invalid character"},
		{"bad middle line", good + "\n{\"event_type\":\"alert\",\n" + good + "\n", 2, "line 2, column 23", "truncated"},
		{"no event_type", `{"timestamp":"2026-11-30T10:00:00Z"}` + "\n" + good, 1, "line 1 (/event_type)", "no event_type"},
		{"alert without alert", `{"event_type":"alert"}`, 0, "line 1 (/alert)", "without its alert object"},
		{"port of the wrong type", strings.Replace(good, `"dest_ip"`, `"src_port":"http","dest_ip"`, 1), 0,
			"line 1, column", "cannot read JSON string"},
		{"broken array", "[" + good + ",", 1, "line 1, column", "truncated"},
		{"array then more", "[" + good + "] {}", 1, "line 1, column", "more after the array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parse(t, []byte(tt.payload))
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Invalid || len(e.Fields) == 0 {
				t.Fatalf("error %v, want errs.Invalid with fields", err)
			}
			if !strings.HasPrefix(e.Fields[0].Field, tt.field) || !strings.Contains(e.Fields[0].Message, tt.msg) {
				t.Errorf("field %q: %q; want %q…: …%q…", e.Fields[0].Field, e.Fields[0].Message, tt.field, tt.msg)
			}
			if len(res.Alerts) != tt.alerts {
				t.Errorf("%d alerts, want %d", len(res.Alerts), tt.alerts)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(handmade))
	f.Add([]byte(`[{"event_type":"alert","alert":{"severity":"1"}}]`))
	f.Add([]byte("{\n\"event_type\": \"dns\"\n}\n{\"event_type\":\"alert\""))
	f.Fuzz(func(t *testing.T, payload []byte) {
		alerttest.Parse(t, suricata.Parser{}, "ids", payload)
	})
}

package syslog_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/alert/format/syslog"
)

func TestParseEvent(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want syslog.Event
	}{
		{"CEF with spaces in values",
			"CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 msg=Worm stopped on host a",
			syslog.Event{Kind: "CEF", Version: "0", Vendor: "Security", Product: "threatmanager", ProductVersion: "1.0", EventID: "100",
				Name: "worm successfully stopped", Severity: "10", Attributes: []syslog.Param{{"src", "10.0.0.1"}, {"dst", "2.1.2.2"},
					{"spt", "1232"}, {"msg", "Worm stopped on host a"}}}},
		{"CEF escapes",
			`CEF:1|Acme\|Corp|Fire\\wall|2.1|deny:17|Blocked \| dropped|Very-High|msg=a\=b c\\d\nline two request=http://evil.example.com/x?a\=1&b\=2 fname=C:\Windows\evil.exe cs1Label=Rule Name cs1=block all`,
			syslog.Event{Kind: "CEF", Version: "1", Vendor: "Acme|Corp", Product: `Fire\wall`, ProductVersion: "2.1", EventID: "deny:17",
				Name: "Blocked | dropped", Severity: "Very-High", Attributes: []syslog.Param{{"msg", "a=b c\\d\nline two"},
					{"request", "http://evil.example.com/x?a=1&b=2"}, {"fname", `C:\Windows\evil.exe`},
					{"cs1Label", "Rule Name"}, {"cs1", "block all"}}}},
		{"CEF without extension or final pipe", "CEF:0|V|P|1|id|name|3",
			syslog.Event{Kind: "CEF", Version: "0", Vendor: "V", Product: "P", ProductVersion: "1", EventID: "id", Name: "name", Severity: "3"}},
		{"LEEF 1.0, tab between attributes",
			"LEEF:1.0|Microsoft|MSExchange|2013 SP1|15345|src=10.50.1.1\tdst=2.10.20.20\tspt=1200\tusrName=alice\tsev=8\tcat=Malware",
			syslog.Event{Kind: "LEEF", Version: "1.0", Vendor: "Microsoft", Product: "MSExchange", ProductVersion: "2013 SP1", EventID: "15345",
				Delimiter: '\t', Attributes: []syslog.Param{{"src", "10.50.1.1"}, {"dst", "2.10.20.20"}, {"spt", "1200"}, {"usrName", "alice"},
					{"sev", "8"}, {"cat", "Malware"}}}},
		{"LEEF 2.0, a character as delimiter",
			"LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=10.0.1.8^dst=10.0.0.5^sev=5^msg=a\\^b c\\=d\\\\e",
			syslog.Event{Kind: "LEEF", Version: "2.0", Vendor: "Lancope", Product: "StealthWatch", ProductVersion: "1.0", EventID: "41",
				Delimiter: '^', Attributes: []syslog.Param{{"src", "10.0.1.8"}, {"dst", "10.0.0.5"}, {"sev", "5"}, {"msg", `a^b c=d\e`}}}},
		{"LEEF 2.0, delimiter in hexadecimal", "LEEF:2.0|V|P|1|E|0x7C|",
			syslog.Event{Kind: "LEEF", Version: "2.0", Vendor: "V", Product: "P", ProductVersion: "1", EventID: "E", Delimiter: '|'}},
		{"LEEF 2.0, x form", "LEEF:2.0|V|P|1|E|x09|a=1\tb=2",
			syslog.Event{Kind: "LEEF", Version: "2.0", Vendor: "V", Product: "P", ProductVersion: "1", EventID: "E", Delimiter: '\t',
				Attributes: []syslog.Param{{"a", "1"}, {"b", "2"}}}},
		{"LEEF 2.0, empty delimiter field is TAB", "LEEF:2.0|V|P|1|E||a=1\tb=x\\|y",
			syslog.Event{Kind: "LEEF", Version: "2.0", Vendor: "V", Product: "P", ProductVersion: "1", EventID: "E", Delimiter: '\t',
				Attributes: []syslog.Param{{"a", "1"}, {"b", "x|y"}}}},
		{"LEEF 2.0 without the delimiter field", "LEEF:2.0|V|P|1|E|src=10.0.0.1\tdst=10.0.0.2",
			syslog.Event{Kind: "LEEF", Version: "2.0", Vendor: "V", Product: "P", ProductVersion: "1", EventID: "E", Delimiter: '\t',
				Attributes: []syslog.Param{{"src", "10.0.0.1"}, {"dst", "10.0.0.2"}}}},
		{"LEEF header escapes", `LEEF:1.0|Ven\|dor|P|1|E\\1|a=1`,
			syslog.Event{Kind: "LEEF", Version: "1.0", Vendor: "Ven|dor", Product: "P", ProductVersion: "1", EventID: `E\1`, Delimiter: '\t',
				Attributes: []syslog.Param{{"a", "1"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok, err := syslog.ParseEvent([]byte(tt.in))
			if err != nil || !ok {
				t.Fatalf("%v %v", ok, err)
			}
			if !reflect.DeepEqual(*ev, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *ev, tt.want)
			}
		})
	}
}

func TestParseEventErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CEF:0|V|P|1|id", "column 15: CEF header has 4 of its 7 |-separated fields"},
		{"CEF:0|V|P|1|id|n|5|just words", "column 20: the extension must be key=value pairs"},
		{"LEEF:3.0|V|P|1|E|a=1", `column 6: LEEF version "3.0"`},
		{"LEEF:2.0|V|P|1|E|xZZ|a=1", `column 18: LEEF 2.0 delimiter "xZZ" is neither one character nor its code`},
		{"LEEF:1.0|V|P", "column 13: LEEF header has 2 of its 5"},
	}
	for _, tt := range tests {
		_, ok, err := syslog.ParseEvent([]byte(tt.in))
		if !ok || err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: %v %v, want %q…", tt.in, ok, err, tt.want)
		}
	}
	if _, ok, err := syslog.ParseEvent([]byte("an ordinary message")); ok || err != nil {
		t.Errorf("an ordinary message: %v %v", ok, err)
	}
}

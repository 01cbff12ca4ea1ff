package syslog_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert/format/syslog"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

var now = at("2026-11-30T10:00:00Z")

func TestParseRFC5424(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want syslog.Message
	}{
		{"BOM and no structured data",
			"<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xef\xbb\xbf'su root' failed for lonvick on /dev/pts/8",
			syslog.Message{Facility: 4, Severity: 2, Version: 1, Timestamp: at("2003-10-11T22:14:15.003Z"),
				Hostname: "mymachine.example.com", AppName: "su", MsgID: "ID47",
				Msg: []byte("'su root' failed for lonvick on /dev/pts/8"), BOM: true}},
		{"structured data, two elements",
			`<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] An application event`,
			syslog.Message{Facility: 20, Severity: 5, Version: 1, Timestamp: at("2003-08-24T12:14:15.000003Z"),
				Hostname: "192.0.2.1", AppName: "myproc", ProcID: "8710",
				StructuredData: []syslog.Element{
					{ID: "exampleSDID@32473", Params: []syslog.Param{{"iut", "3"}, {"eventSource", "Application"}, {"eventID", "1011"}}},
					{ID: "examplePriority@32473", Params: []syslog.Param{{"class", "high"}}}},
				Msg: []byte("An application event")}},
		{"escapes in parameter values",
			`<14>1 2026-11-30T10:00:00Z h app - - [x@1 q="say \"hi\"" b="C:\\temp" r="a\]b" l="lit\eral" u="päß" e=""]`,
			syslog.Message{Facility: 1, Severity: 6, Version: 1, Timestamp: at("2026-11-30T10:00:00Z"), Hostname: "h", AppName: "app",
				StructuredData: []syslog.Element{{ID: "x@1", Params: []syslog.Param{{"q", `say "hi"`}, {"b", `C:\temp`},
					{"r", "a]b"}, {"l", `lit\eral`}, {"u", "päß"}, {"e", ""}}}}}},
		{"everything nil", "<14>1 - - - - - -", syslog.Message{Facility: 1, Severity: 6, Version: 1}},
		{"message with line breaks and no BOM", "<11>1 2026-11-30T10:00:00+01:00 h a p m - first\nsecond\n",
			syslog.Message{Facility: 1, Severity: 3, Version: 1, Timestamp: at("2026-11-30T09:00:00Z"), Hostname: "h", AppName: "a",
				ProcID: "p", MsgID: "m", Msg: []byte("first\nsecond\n")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := syslog.ParseMessage([]byte(tt.in), now, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Msg) == 0 {
				got.Msg = nil
			}
			if !got.Timestamp.Equal(tt.want.Timestamp) {
				t.Errorf("timestamp %v, want %v", got.Timestamp, tt.want.Timestamp)
			}
			got.Timestamp = tt.want.Timestamp
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseErrorsNamePosition(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"", "column 1: a syslog message starts with <PRI>"},
		{"hello", "column 1: a syslog message starts with <PRI>"},
		{"<192>1 - - - - - -", "column 2: priority 192 is beyond 191"},
		{"<1234>x", "column 5: the priority is 1 to 3 digits"},
		{"<13", "column 4: the priority is 1 to 3 digits"},
		{"<13>2 - - - - - -", "column 5: syslog protocol version 2"},
		{"<13>1 yesterday h a p m -", `column 7: TIMESTAMP "yesterday" is not an RFC 3339 time`},
		{"<13>1 - h\x01st a p m -", "column 10: HOSTNAME holds a character that is not printable"},
		{"<13>1 - h a p", "column 14: the message ends after PROCID"},
		{"<13>1 - h a p m x", "column 17: STRUCTURED-DATA is - or starts with ["},
		{`<13>1 - h a p m [x@1 a="b"`, `column 27: structured data element "x@1" is not closed with ]`},
		{`<13>1 - h a p m [x@1 a=b]`, `column 23: parameter "a" of "x@1" needs ="value"`},
		{`<13>1 - h a p m [x@1 a="b]`, `column 25: a parameter value is not closed with "`},
		{`<13>1 - h a p m [x@1 a="b"]msg`, "column 28: a space must separate STRUCTURED-DATA from MSG"},
		{`<13>1 - h a p m []`, "column 18: SD-ID is missing"},
	}
	for _, tt := range tests {
		_, err := syslog.ParseMessage([]byte(tt.in), now, time.UTC)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q…", tt.in, err, tt.want)
		}
	}
}

func TestParseRFC3164(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                   string
		in                     string
		now                    time.Time
		loc                    *time.Location
		ts                     string // "" for none
		host, app, procID, msg string
		bom                    bool
		facility, severity     int
	}{
		{"classic", "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", now, time.UTC,
			"2026-10-11T22:14:15Z", "mymachine", "su", "", "'su root' failed for lonvick on /dev/pts/8", false, 4, 2},
		{"space-padded day, pid", "<13>Feb  5 17:32:18 10.0.0.99 sshd[1234]: Accepted publickey for git", now, time.UTC,
			"2026-02-05T17:32:18Z", "10.0.0.99", "sshd", "1234", "Accepted publickey for git", false, 1, 5},
		{"no host name", "<13>Feb 05 17:32:18 sshd[1234]: Accepted", now, time.UTC,
			"2026-02-05T17:32:18Z", "", "sshd", "1234", "Accepted", false, 1, 5},
		{"no tag", "<13>Nov 30 09:00:00 router-1 link down on ge-0/0/1", now, time.UTC,
			"2026-11-30T09:00:00Z", "router-1", "", "", "link down on ge-0/0/1", false, 1, 5},
		{"year and fraction", "<13>Nov 30 2025 09:00:00.250 host app: x", now, time.UTC,
			"2025-11-30T09:00:00.25Z", "host", "app", "", "x", false, 1, 5},
		{"RFC 3339 stamp (rsyslog forwarding)", "<86>2026-11-30T10:59:58.123456+01:00 web-01 sudo: alice : TTY=pts/0", now, time.UTC,
			"2026-11-30T09:59:58.123456Z", "web-01", "sudo", "", "alice : TTY=pts/0", false, 10, 6},
		{"no stamp at all", "<13>just text", now, time.UTC, "", "", "", "", "just text", false, 1, 5},
		{"BOM in MSG", "<13>Nov 30 09:00:00 h app: \xef\xbb\xbfgrüße", now, time.UTC,
			"2026-11-30T09:00:00Z", "h", "app", "", "grüße", true, 1, 5},
		{"CEF without a tag", "<134>Nov 30 09:00:00 fw CEF:0|V|P|1|id|n|5|src=10.0.0.1", now, time.UTC,
			"2026-11-30T09:00:00Z", "fw", "", "", "CEF:0|V|P|1|id|n|5|src=10.0.0.1", false, 16, 6},
		{"stamp in the configured zone", "<13>Nov 30 10:00:00 h a: x", now, berlin,
			"2026-11-30T09:00:00Z", "h", "a", "", "x", false, 1, 5},
		// The year is the latest that does not put the stamp more than a
		// week after now.
		{"December stamp received in January", "<13>Dec 31 23:59:30 h a: x", at("2027-01-01T00:00:10Z"), time.UTC,
			"2026-12-31T23:59:30Z", "h", "a", "", "x", false, 1, 5},
		{"January stamp received in December", "<13>Jan  1 00:00:05 h a: x", at("2026-12-31T23:59:50Z"), time.UTC,
			"2027-01-01T00:00:05Z", "h", "a", "", "x", false, 1, 5},
		{"across the new year in the zone, not in UTC", "<13>Jan  1 00:30:00 h a: x", at("2026-12-31T23:20:00Z"), berlin,
			"2026-12-31T23:30:00Z", "h", "a", "", "x", false, 1, 5},
		{"an old stamp is this year's", "<13>Feb  5 17:32:18 h a: x", at("2026-11-30T10:00:00Z"), time.UTC,
			"2026-02-05T17:32:18Z", "h", "a", "", "x", false, 1, 5},
		{"a stamp days ahead is this year's", "<13>Dec  3 10:00:00 h a: x", at("2026-11-30T10:00:00Z"), time.UTC,
			"2026-12-03T10:00:00Z", "h", "a", "", "x", false, 1, 5},
		{"29 February only in a leap year", "<13>Feb 29 12:00:00 h a: x", at("2028-03-01T00:00:00Z"), time.UTC,
			"2028-02-29T12:00:00Z", "h", "a", "", "x", false, 1, 5},
		{"29 February with no leap year near", "<13>Feb 29 12:00:00 h a: x", now, time.UTC,
			"", "", "", "", "Feb 29 12:00:00 h a: x", false, 1, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := syslog.ParseMessage([]byte(tt.in), tt.now, tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			ts := ""
			if !m.Timestamp.IsZero() {
				ts = m.Timestamp.UTC().Format(time.RFC3339Nano)
			}
			if ts != tt.ts || m.Hostname != tt.host || m.AppName != tt.app || m.ProcID != tt.procID || string(m.Msg) != tt.msg ||
				m.BOM != tt.bom || m.Facility != tt.facility || m.Severity != tt.severity || m.Version != 0 {
				t.Errorf("got %s %q %q %q %q bom=%v %d/%d v%d", ts, m.Hostname, m.AppName, m.ProcID, m.Msg, m.BOM, m.Facility, m.Severity, m.Version)
			}
		})
	}
}

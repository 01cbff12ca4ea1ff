package syslognet_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/format/syslog"
	"github.com/rampart-itsm/rampart/internal/alert/syslognet"
)

var capture = flag.Bool("capture", false, "write the frames logger and rsyslog send to ../format/syslog/testdata/captured")

// decode parses one frame as ingestion will: kept octet-counted, read
// with the frame's sender and receive time.
func decode(t *testing.T, f syslognet.Frame) alert.Alert {
	t.Helper()
	p, err := syslog.New(syslog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Parse(syslog.AppendFrame(nil, f.Data), alert.Meta{Source: "syslog", Received: f.Received, Peer: f.Peer.String()})
	alerttest.Check(t, res, err)
	if err != nil || len(res.Alerts) != 1 {
		t.Fatalf("frame %q: %v, %d alerts", f.Data, err, len(res.Alerts))
	}
	return res.Alerts[0]
}

func hostname(t *testing.T) string {
	h, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	h, _, _ = strings.Cut(h, ".")
	return strings.ToLower(h)
}

// withMarker returns the frames that hold marker.
func withMarker(frames []syslognet.Frame, marker string) []syslognet.Frame {
	var out []syslognet.Frame
	for _, f := range frames {
		if bytes.Contains(f.Data, []byte(marker)) {
			out = append(out, f)
		}
	}
	return out
}

// saveCapture writes frames as one syslog payload (octet counted, a line
// break between frames for reading) to the syslog parser's testdata.
func saveCapture(t *testing.T, name string, frames []syslognet.Frame) {
	var b []byte
	for _, f := range frames {
		b = append(syslog.AppendFrame(b, f.Data), '\n')
	}
	path := filepath.Join("..", "format", "syslog", "testdata", "captured", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

type loggerCase struct {
	name, marker string
	args         []string
	stdin        string
	transport    string
	check        func(t *testing.T, a alert.Alert)
}

// TestLogger sends with util-linux logger, in each format and framing it
// offers, to the listener on loopback.
func TestLogger(t *testing.T) {
	bin := alerttest.Tool(t, "logger")
	l, s := listen(t, syslognet.Config{UDP: "127.0.0.1:0", TCP: "127.0.0.1:0"})
	_, port, _ := net.SplitHostPort(l.TCPAddr().String())
	_, uport, _ := net.SplitHostPort(l.UDPAddr().String())
	host := hostname(t)
	tcp := func(extra ...string) []string {
		return append([]string{"--server", "127.0.0.1", "--port", port, "--tcp"}, extra...)
	}
	udp := func(extra ...string) []string {
		return append([]string{"--server", "127.0.0.1", "--port", uport, "--udp"}, extra...)
	}
	cases := []loggerCase{
		{name: "RFC 5424, TCP, octet counting, structured data with escapes", marker: "case-5424-octet", transport: "tcp",
			args: tcp("--octet-count", "--rfc5424", "-p", "local0.err", "-t", "billing", "--msgid", "ID47",
				"--sd-id", "zoo@32473", "--sd-param", `tiger="hungry"`, "--sd-param", `note="a \"q\" \] \\ x"`, "payment run failed case-5424-octet"),
			check: func(t *testing.T, a alert.Alert) {
				if a.Process != "billing" || a.RuleID != "ID47" || a.Severity != alert.SeverityHigh || a.SeverityRaw != "err" ||
					a.Labels["facility"] != "local0" || a.Labels["zoo@32473.tiger"] != "hungry" || a.Labels["zoo@32473.note"] != `a "q" ] \ x` ||
					a.Summary != "payment run failed case-5424-octet" || a.Hostname != host {
					t.Errorf("%+v", a)
				}
			}},
		{name: "RFC 5424, TCP, one message per line", marker: "case-5424-lf", transport: "tcp",
			args: tcp("--rfc5424", "-p", "user.notice", "-t", "deploy", "release 42 rolled out case-5424-lf"),
			check: func(t *testing.T, a alert.Alert) {
				if a.Process != "deploy" || a.Severity != alert.SeverityLow || a.Summary != "release 42 rolled out case-5424-lf" {
					t.Errorf("%+v", a)
				}
			}},
		{name: "RFC 3164, UDP, with a process id", marker: "case-3164-udp", transport: "udp",
			args: udp("--rfc3164", "-p", "auth.warning", "-t", "sshd", "-i", "Failed password for root from 198.51.100.7 port 4242 ssh2 case-3164-udp"),
			check: func(t *testing.T, a alert.Alert) {
				if a.Process != "sshd" || a.Annotations["procid"] == "" || a.Severity != alert.SeverityMedium || a.Labels["facility"] != "auth" ||
					a.Hostname != host || a.ObservedAt.Sub(a.ObservedAt.Truncate(time.Second)) != 0 {
					t.Errorf("%+v", a)
				}
			}},
		{name: "RFC 5424, UDP, UTF-8 with a BOM", marker: "case-bom", transport: "udp",
			args: udp("--rfc5424", "-t", "bomtest"), stdin: "\xef\xbb\xbfGrüße aus Köln case-bom\n",
			check: func(t *testing.T, a alert.Alert) {
				if a.Summary != "Grüße aus Köln case-bom" {
					t.Errorf("summary %q", a.Summary)
				}
			}},
		{name: "CEF in RFC 3164 over UDP", marker: "case-cef", transport: "udp",
			args: udp("--rfc3164", "-t", "fw", `CEF:0|Acme|Firewall|1.0|deny-17|Deny \| blocked|7|src=10.0.0.1 dst=10.0.0.2 dpt=3389 msg=blocked a\=b case-cef`),
			check: func(t *testing.T, a alert.Alert) {
				if a.Rule != "Deny | blocked" || a.RuleID != "deny-17" || a.Severity != alert.SeverityHigh || a.SrcIP != "10.0.0.1" ||
					a.DstPort != 3389 || a.Summary != "blocked a=b case-cef" || a.Labels["deviceVendor"] != "Acme" {
					t.Errorf("%+v", a)
				}
			}},
		{name: "LEEF 1.0 in RFC 3164 over TCP, octet counting", marker: "case-leef1", transport: "tcp",
			args: tcp("--octet-count", "--rfc3164", "-t", "qradar", "LEEF:1.0|Acme|IPS|3.2|sig-9|src=10.9.9.9\tdst=10.0.0.5\tsev=9\tcat=Exploit\tmsg=case-leef1"),
			check: func(t *testing.T, a alert.Alert) {
				if a.RuleID != "sig-9" || a.Severity != alert.SeverityCritical || a.Category != alert.CategoryVulnerabilityExploitation ||
					a.SrcIP != "10.9.9.9" || a.Summary != "case-leef1" {
					t.Errorf("%+v", a)
				}
			}},
		{name: "LEEF 2.0 with a hexadecimal delimiter, TCP lines", marker: "case-leef2", transport: "tcp",
			args: tcp("--rfc3164", "-t", "qradar", `LEEF:2.0|Acme|DLP|1.0|exfil|x5E|src=10.3.3.3^usrName=carol^sev=6^cat=Data Loss^msg=case-leef2 a\^b`),
			check: func(t *testing.T, a alert.Alert) {
				if a.RuleID != "exfil" || a.User != "carol" || a.Severity != alert.SeverityMedium || a.Category != alert.CategoryDataExfiltration ||
					a.Summary != "case-leef2 a^b" {
					t.Errorf("%+v", a)
				}
			}},
	}
	var commands []string
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		cmd.Stdin = strings.NewReader(c.stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: logger %q: %v\n%s", c.name, c.args, err, out)
		}
		commands = append(commands, "logger "+strings.Join(c.args, " "))
	}
	frames, problems := s.wait(t, "a frame of every logger command", func(f []syslognet.Frame, _ []syslognet.Problem) bool {
		for _, c := range cases {
			if len(withMarker(f, c.marker)) == 0 {
				return false
			}
		}
		return true
	})
	if len(problems) > 0 {
		t.Errorf("problems %+v", problems)
	}
	var captured []syslognet.Frame
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := withMarker(frames, c.marker)
			if len(got) != 1 || got[0].Transport != c.transport {
				t.Fatalf("%d frames; want one over %s", len(got), c.transport)
			}
			captured = append(captured, got[0])
			c.check(t, decode(t, got[0]))
		})
	}
	if *capture {
		saveCapture(t, "logger.syslog", captured)
		t.Logf("commands (ports vary):\n%s", strings.Join(commands, "\n"))
	}
}

// rsyslogConfig forwards what arrives on a Unix socket (logger -u) and in
// a file to the listener three ways: RFC 5424 over TCP with octet
// counting, RFC 3164 over UDP, and rsyslog's own forwarding format (an
// RFC 3339 stamp in a BSD frame) over TCP, one message per line.
const rsyslogConfig = `global(workDirectory="DIR")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="DIR/log.sock")
module(load="imfile")
input(type="imfile" File="DIR/app.log" Tag="appfile:" Severity="warning" Facility="local3")
*.* action(type="omfwd" target="127.0.0.1" port="TCPPORT" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")
*.* action(type="omfwd" target="127.0.0.1" port="UDPPORT" protocol="udp" template="RSYSLOG_TraditionalForwardFormat")
*.* action(type="omfwd" target="127.0.0.1" port="TCPPORT" protocol="tcp" template="RSYSLOG_ForwardFormat")
`

// TestRsyslog runs Debian's rsyslogd with its own configuration, pid file
// and work directory, forwarding to the listener on loopback.
func TestRsyslog(t *testing.T) {
	rsyslogd := alerttest.Tool(t, "rsyslogd")
	logger := alerttest.Tool(t, "logger")
	l, s := listen(t, syslognet.Config{UDP: "127.0.0.1:0", TCP: "127.0.0.1:0"})
	_, tport, _ := net.SplitHostPort(l.TCPAddr().String())
	_, uport, _ := net.SplitHostPort(l.UDPAddr().String())
	dir := t.TempDir()
	conf := strings.NewReplacer("DIR", dir, "TCPPORT", tport, "UDPPORT", uport).Replace(rsyslogConfig)
	if err := os.WriteFile(filepath.Join(dir, "rsyslog.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	appLog := filepath.Join(dir, "app.log")
	if err := os.WriteFile(appLog, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, rsyslogd, "-n", "-f", filepath.Join(dir, "rsyslog.conf"), "-i", filepath.Join(dir, "rsyslogd.pid"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("rsyslogd output:\n%s", out.String())
		}
	})
	sock := filepath.Join(dir, "log.sock")
	alerttest.WaitFor(t, "rsyslogd to create its socket", nil, func() (bool, string) {
		_, err := os.Stat(sock)
		return err == nil, fmt.Sprint(err)
	})

	if b, err := exec.Command(logger, "-u", sock, "-t", "sshd", "-i", "-p", "auth.warning",
		"Failed password for invalid user admin from 203.0.113.5 port 50022 ssh2 case-rsyslog-plain").CombinedOutput(); err != nil {
		t.Fatalf("logger: %v\n%s", err, b)
	}
	f, err := os.OpenFile(appLog, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "CEF:0|Acme|Proxy|2.0|block-7|Blocked malware download|9|src=10.0.0.9 request=http://bad.example/x.exe cat=Malware msg=case-rsyslog-cef")
	f.Close()

	frames, problems := s.wait(t, "both messages over all three forwarding actions", func(f []syslognet.Frame, _ []syslognet.Problem) bool {
		return len(withMarker(f, "case-rsyslog-plain")) >= 3 && len(withMarker(f, "case-rsyslog-cef")) >= 3
	})
	if len(problems) > 0 {
		t.Errorf("problems %+v", problems)
	}
	host := hostname(t)
	var captured []syslognet.Frame
	for _, marker := range []string{"case-rsyslog-plain", "case-rsyslog-cef"} {
		got := withMarker(frames, marker)
		var transports []string
		for _, fr := range got {
			transports = append(transports, fr.Transport)
			captured = append(captured, fr)
			a := decode(t, fr)
			switch marker {
			case "case-rsyslog-plain":
				if a.Process != "sshd" || a.Severity != alert.SeverityMedium || a.Labels["facility"] != "auth" || a.Hostname != host ||
					a.Summary != "Failed password for invalid user admin from 203.0.113.5 port 50022 ssh2 case-rsyslog-plain" {
					t.Errorf("%s over %s: %+v", marker, fr.Transport, a)
				}
			default:
				if a.RuleID != "block-7" || a.Severity != alert.SeverityCritical || a.Category != alert.CategoryMalware ||
					a.Labels["facility"] != "local3" || a.Summary != "case-rsyslog-cef" || a.Hostname != host {
					t.Errorf("%s over %s: %+v", marker, fr.Transport, a)
				}
			}
		}
		if !sameSet(transports, []string{"tcp", "udp", "tcp"}) {
			t.Errorf("%s arrived over %q, want tcp twice and udp once", marker, transports)
		}
	}
	if *capture {
		saveCapture(t, "rsyslog.syslog", captured)
	}
}

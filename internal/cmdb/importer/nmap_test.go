package importer_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/errs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// wantHost is what a test expects of one candidate from a real scan.
type wantHost struct {
	row       int
	ips, macs []string
	hostnames []string
	fqdns     []string
	vendor    string
	ports     []string // "proto/port state service|product|version|extrainfo"; nil: no ports attribute
	os        string   // name of the best OS match, "" when none
}

func TestParseNmapXMLRealScans(t *testing.T) {
	sshDeb12 := "tcp/22 open ssh|OpenSSH|9.2p1 Debian 2+deb12u3|protocol 2.0"
	sshDeb11 := "tcp/22 open ssh|OpenSSH|8.4p1 Debian 5+deb11u3|protocol 2.0"
	httpPy := func(port int) string {
		return fmt.Sprintf("tcp/%d open http|SimpleHTTPServer|0.6|Python 3.11.7", port)
	}
	redis := "tcp/6379 open redis|Redis key-value store|7.0.15|"
	localPorts := []string{"tcp/5432 open postgresql|PostgreSQL DB|9.6.0 or later|", redis,
		"tcp/18022 open ssh|OpenSSH|9.2p1 Debian 2+deb12u3|protocol 2.0", httpPy(18080)}
	web01 := wantHost{ips: []string{"10.77.0.11"}, macs: []string{"52:54:00:12:34:11"}, vendor: "QEMU virtual NIC",
		hostnames: []string{"web01"}, fqdns: []string{"web01.lab.example"}}
	build02 := wantHost{ips: []string{"10.77.0.12"}, macs: []string{"08:00:27:ab:cd:12"}, vendor: "Oracle VirtualBox virtual NIC",
		hostnames: []string{"build02"}, fqdns: []string{"build02.lab.example"}}
	with := func(h wantHost, row int, ports []string, os string) wantHost {
		h.row, h.ports, h.os = row, ports, os
		return h
	}
	tests := []struct {
		file    string
		hosts   []wantHost
		skipped []string // "row label: reason"
	}{
		{file: "localhost-sV.xml", hosts: []wantHost{{row: 1, ips: []string{"127.0.0.1"}, hostnames: []string{"localhost"},
			ports: localPorts}}},
		{file: "localhost-sV-O.xml", hosts: []wantHost{{row: 1, ips: []string{"127.0.0.1"}, hostnames: []string{"localhost"},
			ports: localPorts, os: "Linux 5.0 - 5.2"}}},
		{file: "localhost6-sV.xml", hosts: []wantHost{{row: 1, ips: []string{"::1"}, ports: []string{redis}}}},
		{file: "lab-sV-O.xml",
			hosts: []wantHost{
				// closed 443, 8080, 9999 and 162/udp are not services
				with(web01, 2, []string{sshDeb12, httpPy(80), redis, "udp/161 open|filtered snmp|||"}, "Linux 5.3 - 5.4"),
				// 9999 is filtered: not a service
				with(build02, 3, []string{sshDeb11, httpPy(8080)}, "Linux 5.3 - 5.4"),
			},
			skipped: []string{"1 host 10.77.0.13: host is down (no-response)"}},
		{file: "lab-top100-sV.xml", hosts: []wantHost{
			with(web01, 1, []string{sshDeb12, httpPy(80)}, ""),
			with(build02, 2, []string{sshDeb11, httpPy(8080)}, ""),
		}},
		{file: "lab-ping-sn.xml",
			hosts: []wantHost{with(web01, 4, nil, ""), with(build02, 5, nil, "")},
			skipped: []string{"1 host 10.77.0.8: host is down (no-response)", "2 host 10.77.0.9: host is down (no-response)",
				"3 host 10.77.0.10: host is down (no-response)", "6 host 10.77.0.13: host is down (no-response)",
				"7 host 10.77.0.14: host is down (no-response)", "8 host 10.77.0.15: host is down (no-response)"}},
		{file: "lab6-sV.xml", hosts: []wantHost{{row: 1, ips: []string{"fd77::11"}, macs: []string{"52:54:00:12:34:11"},
			vendor: "QEMU virtual NIC", hostnames: []string{"web01"}, fqdns: []string{"web01.lab.example"},
			ports: []string{httpPy(80)}}}},
		{file: "lab-Pn.xml",
			hosts:   []wantHost{with(build02, 1, []string{"tcp/22 open ssh|||"}, "")},
			skipped: []string{"2 host 10.77.0.13: host was only assumed up (-Pn) and nothing answered"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			scan := decodeFile(t, tt.file)
			if len(scan.Candidates) != len(tt.hosts) {
				t.Fatalf("got %d candidates, want %d", len(scan.Candidates), len(tt.hosts))
			}
			for i, want := range tt.hosts {
				checkHost(t, scan.Candidates[i], want)
			}
			var skipped []string
			for _, s := range scan.Skipped {
				skipped = append(skipped, fmt.Sprintf("%d %s: %s", s.Row, s.Label, s.Reason))
			}
			if !slices.Equal(skipped, tt.skipped) {
				t.Errorf("skipped:\n got %q\nwant %q", skipped, tt.skipped)
			}
			golden(t, filepath.Join("testdata", "golden", "nmap", strings.TrimSuffix(tt.file, ".xml")+".json"), scan)
		})
	}
}

func decodeFile(t *testing.T, name string) importer.NmapScan {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "nmap", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	scan, err := importer.DecodeNmap(f)
	if err != nil {
		t.Fatalf("DecodeNmap: %v", err)
	}
	// ParseNmapXML must give exactly the candidates.
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	cands, err := importer.ParseNmapXML(f)
	if err != nil || len(cands) != len(scan.Candidates) {
		t.Fatalf("ParseNmapXML: %d candidates, %v; DecodeNmap had %d", len(cands), err, len(scan.Candidates))
	}
	return scan
}

func checkHost(t *testing.T, c cmdb.Candidate, want wantHost) {
	t.Helper()
	name := c.Label
	if c.Row != want.row {
		t.Errorf("%s: row %d, want %d", name, c.Row, want.row)
	}
	if len(c.Problems) > 0 {
		t.Errorf("%s: problems %v", name, c.Problems)
	}
	ids := c.Identifiers
	for _, l := range []struct {
		what      string
		got, want []string
	}{{"ips", ids.IPs, want.ips}, {"macs", ids.MACs, want.macs}, {"hostnames", ids.Hostnames, want.hostnames},
		{"fqdns", ids.FQDNs, want.fqdns}} {
		if !slices.Equal(l.got, l.want) {
			t.Errorf("%s: %s %q, want %q", name, l.what, l.got, l.want)
		}
	}
	// nmap observes; it does not name or classify CIs (the CMDB's defaults do).
	if c.Fields.Name != nil || c.Fields.Kind != nil || c.Fields.Identifiers != nil {
		t.Errorf("%s: name/kind/fields.identifiers set: %+v", name, c.Fields)
	}
	attrs := map[string]any{}
	if c.Fields.Attributes != nil {
		attrs = *c.Fields.Attributes
	}
	if got, _ := attrs["mac_vendor"].(string); got != want.vendor {
		t.Errorf("%s: mac_vendor %q, want %q", name, got, want.vendor)
	}
	ports, hasPorts := attrs["ports"].([]any)
	if want.ports == nil {
		if hasPorts {
			t.Errorf("%s: ports attribute %v, want none (no port scan)", name, ports)
		}
	} else {
		var got []string
		for _, p := range ports {
			m := p.(map[string]any)
			s := func(k string) string { v, _ := m[k].(string); return v }
			got = append(got, fmt.Sprintf("%s/%d %s %s|%s|%s|%s", s("protocol"), m["port"], s("state"), s("service"),
				s("product"), s("version"), s("extrainfo")))
		}
		if !slices.Equal(got, want.ports) {
			t.Errorf("%s: ports\n got %q\nwant %q", name, got, want.ports)
		}
	}
	osName := ""
	if os, ok := attrs["os"].(map[string]any); ok {
		osName, _ = os["name"].(string)
	}
	if osName != want.os {
		t.Errorf("%s: os %q, want %q", name, osName, want.os)
	}
}

// golden compares v, as indented JSON, with a file; -update rewrites it.
func golden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("result differs from %s (go test -update rewrites it after review):\n%s", path, got)
	}
}

func TestParseNmapXMLRefused(t *testing.T) {
	tests := []struct {
		file string // in testdata/nmap, or inline input when it starts with "<"
		kind errs.Kind
		want []string // substrings of the error
	}{
		{"lab-interrupted.xml", errs.Invalid, []string{"line 21", "ends before </nmaprun>"}},
		{"truncated-lab-sV-O.xml", errs.Invalid, []string{"line 79", "ends before </nmaprun>"}},
		{"no-finished-lab-top100-sV.xml", errs.Invalid, []string{"did not finish", "interrupted"}},
		{"error-bad-interface.xml", errs.Invalid, []string{"nmap ended with an error", "device bogus0"}},
		{"xxe-file.xml", errs.Invalid, []string{"line 2", "entity declarations are not accepted"}},
		{"billion-laughs.xml", errs.Invalid, []string{"line 2", "entity declarations are not accepted"}},
		{"doctype-subset.xml", errs.Invalid, []string{"line 2", "internal subset"}},
		{"doctype-external.xml", errs.Invalid, []string{"line 2", "external DTD"}},
		{"wrong-root.xml", errs.Invalid, []string{"line 2", "root element is <scan>"}},
		{"", errs.Invalid, []string{"no <nmaprun> element"}},
		{"<?xml version=\"1.0\"?>\n", errs.Invalid, []string{"no <nmaprun> element"}},
		{"<nmaprun>\n<host>\n</nmaprun>", errs.Invalid, []string{"line 3", "element <host> closed by </nmaprun>"}},
		{"<nmaprun><host><hostnames><hostname name=\"&xxe;\"/></hostnames></host></nmaprun>", errs.Invalid,
			[]string{"line 1", "invalid character entity &xxe;"}},
		{"<nmaprun><runstats><finished exit=\"success\"/></runstats></nmaprun>\n<nmaprun/>", errs.Invalid,
			[]string{"line 2", "after </nmaprun>"}},
		{"<nmaprun><runstats><finished exit=\"success\"/></runstats></nmaprun>junk", errs.Invalid,
			[]string{"text outside the <nmaprun> element"}},
		{"<!DOCTYPE nmaprun>\n<!DOCTYPE nmaprun>\n<nmaprun/>", errs.Invalid, []string{"line 2", "unexpected declaration"}},
		{"<nmaprun>\n<!ENTITY x \"y\">\n</nmaprun>", errs.Invalid, []string{"line 2", "entity declarations"}},
		{"<n:nmaprun xmlns:n=\"urn:x\"/>", errs.Invalid, []string{"not <nmaprun>"}},
		{"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><nmaprun/>", errs.Invalid, []string{"ISO-8859-1"}},
	}
	for _, tt := range tests {
		name := tt.file
		if name == "" || strings.HasPrefix(name, "<") {
			name = fmt.Sprintf("inline %.30q", tt.file)
		}
		t.Run(name, func(t *testing.T) {
			var data []byte
			if tt.file == "" || strings.HasPrefix(tt.file, "<") {
				data = []byte(tt.file)
			} else {
				var err error
				if data, err = os.ReadFile(filepath.Join("testdata", "nmap", tt.file)); err != nil {
					t.Fatal(err)
				}
			}
			cands, err := importer.ParseNmapXML(bytes.NewReader(data))
			if err == nil {
				t.Fatalf("accepted, %d candidates", len(cands))
			}
			if cands != nil {
				t.Errorf("candidates returned with the error: %d", len(cands))
			}
			if errs.KindOf(err) != tt.kind {
				t.Errorf("kind %s, want %s: %v", errs.KindOf(err), tt.kind, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestParseNmapXMLHostProblems: a host nmap could never write is rejected
// on its own; the file's other hosts are still candidates.
func TestParseNmapXMLHostProblems(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap">
<host><status state="up" reason="arp-response"/><address addr="10.0.0.300" addrtype="ipv4"/></host>
<host><status state="up" reason="arp-response"/><address addr="10.0.0.5" addrtype="ipv4"/>
<address addr="zz:zz" addrtype="mac"/></host>
<host><status state="up" reason="echo-reply"/><address addr="10.0.0.6" addrtype="ipv4"/>
<hostnames><hostname name="bad name!" type="PTR"/><hostname name="DB-1.Example.ORG." type="PTR"/><hostname name="db-1" type="user"/></hostnames>
<ports><port protocol="tcp" portid="x"><state state="open"/></port><port protocol="tcp" portid="443"><state state="open"/><service name="https" tunnel="ssl" method="probed"/></port></ports></host>
<host><status state="up" reason="localhost-response"/><address addr="::ffff:10.0.0.7" addrtype="ipv6"/></host>
<host><status state="unknown"/><address addr="10.0.0.8" addrtype="ipv4"/></host>
<host><status state="up" reason="arp-response"/><address addr="52:54:00:00:00:09" addrtype="mac"/></host>
<runstats><finished exit="success"/></runstats>
</nmaprun>
`
	scan, err := importer.DecodeNmap(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, c := range scan.Candidates {
		got[c.Row] = fmt.Sprint(c.Problems)
	}
	want := map[int]string{
		1: `[{address "10.0.0.300" is not an IP address}]`,
		2: `[{address "zz:zz" is not a MAC address}]`,
		3: `[{ports port "x" is not a port number}]`,
		4: `[]`,
		6: `[{address the host has no IP address}]`,
	}
	for row, w := range want {
		if got[row] != w {
			t.Errorf("row %d: problems %s, want %s", row, got[row], w)
		}
	}
	if len(scan.Candidates) != 5 || len(scan.Skipped) != 1 || scan.Skipped[0].Reason != "host is unknown" {
		t.Fatalf("candidates %d, skipped %+v", len(scan.Candidates), scan.Skipped)
	}
	c3 := scan.Candidates[2]
	if !slices.Equal(c3.Identifiers.FQDNs, []string{"db-1.example.org"}) || !slices.Equal(c3.Identifiers.Hostnames, []string{"db-1"}) {
		t.Errorf("names: %+v (invalid name dropped, FQDN lower-cased, short name once)", c3.Identifiers)
	}
	ports := (*c3.Fields.Attributes)["ports"].([]any)
	if len(ports) != 1 || ports[0].(map[string]any)["tunnel"] != "ssl" {
		t.Errorf("ports %v", ports)
	}
	if ip := scan.Candidates[3].Identifiers.IPs; !slices.Equal(ip, []string{"10.0.0.7"}) {
		t.Errorf("IPv4-mapped address: %v", ip)
	}
}

// TestParseNmapXMLPortCap: a host with more open ports than are kept
// records how many were left out.
func TestParseNmapXMLPortCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<nmaprun><host><status state="up" reason="syn-ack"/><address addr="10.0.0.1" addrtype="ipv4"/><ports>`)
	for p := 1; p <= 300; p++ {
		fmt.Fprintf(&b, `<port protocol="tcp" portid="%d"><state state="open"/></port>`, p)
	}
	b.WriteString(`</ports></host><runstats><finished exit="success"/></runstats></nmaprun>`)
	cands, err := importer.ParseNmapXML(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	attrs := *cands[0].Fields.Attributes
	if n := len(attrs["ports"].([]any)); n != 256 || attrs["ports_omitted"] != 44 {
		t.Errorf("kept %d ports, omitted %v; want 256 and 44", n, attrs["ports_omitted"])
	}
}

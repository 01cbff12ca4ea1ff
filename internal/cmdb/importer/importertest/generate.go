// Package importertest generates large, deterministic import files for
// tests and benchmarks of the import parsers and the CMDB's reconciliation.
package importertest

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// NmapXML returns nmap XML output (-oX) for n hosts that are up, built from
// hosts of a real scan (see nmap_templates.go): hosts alternate between the
// two shapes of that scan, host i (from 0) has address 10.0.0.0+i+1, MAC
// 52:54:00 or 08:00:27 followed by i+1, and PTR name host-<i+1>.lab.example.
// Every host parses to a candidate with 2 open ports. The same n always
// gives the same bytes.
func NmapXML(n int) []byte {
	var b bytes.Buffer
	b.Grow(n*1600 + 4096)
	b.WriteString(nmapHeader)
	for i := range n {
		tmpl, oui := hostWeb, "52:54:00"
		if i%2 == 1 {
			tmpl, oui = hostBuild, "08:00:27"
		}
		id := uint32(i + 1)
		ip := fmt.Sprintf("10.%d.%d.%d", byte(id>>16), byte(id>>8), byte(id))
		mac := fmt.Sprintf("%s:%02X:%02X:%02X", oui, byte(id>>16), byte(id>>8), byte(id))
		writeHost(&b, tmpl, ip, mac, HostName(i))
	}
	b.WriteString(`<runstats><finished time="1795577083" timestr="Wed Nov 25 03:24:43 2026" summary="Nmap done at Wed Nov 25 03:24:43 2026; `)
	b.WriteString(strconv.Itoa(n))
	b.WriteString(` IP addresses (`)
	b.WriteString(strconv.Itoa(n))
	b.WriteString(` hosts up) scanned in 7.79 seconds" elapsed="7.79" exit="success"/><hosts up="`)
	b.WriteString(strconv.Itoa(n))
	b.WriteString(`" down="0" total="`)
	b.WriteString(strconv.Itoa(n))
	b.WriteString("\"/>\n</runstats>\n</nmaprun>\n")
	return b.Bytes()
}

// HostName is the FQDN NmapXML and CSV give host i (from 0).
func HostName(i int) string { return fmt.Sprintf("host-%06d.lab.example", i+1) }

func writeHost(b *bytes.Buffer, tmpl, ip, mac, name string) {
	for {
		at := strings.IndexByte(tmpl, '@')
		if at < 0 {
			b.WriteString(tmpl)
			return
		}
		b.WriteString(tmpl[:at])
		rest := tmpl[at:]
		switch {
		case strings.HasPrefix(rest, "@IP@"):
			b.WriteString(ip)
			tmpl = rest[len("@IP@"):]
		case strings.HasPrefix(rest, "@MAC@"):
			b.WriteString(mac)
			tmpl = rest[len("@MAC@"):]
		case strings.HasPrefix(rest, "@NAME@"):
			b.WriteString(name)
			tmpl = rest[len("@NAME@"):]
		default:
			b.WriteByte('@')
			tmpl = rest[1:]
		}
	}
}

// csvKinds cycles through a few kinds so generated CIs are not all alike.
var csvKinds = []string{"server", "virtual_machine", "database", "network_device", "endpoint"}

var csvEnvironments = []string{"production", "staging", "development", "test"}

// CSVHeader is the header row CSV writes.
const CSVHeader = "name,kind,description,environment,business_criticality,data_classification,internet_exposed," +
	"lifecycle_status,hostnames,fqdns,ips,macs,serial,tags,attr.rack,attr.os\n"

// CSV returns a CSV import file of n rows, every column but owner and
// support group filled (those name users and teams, which a benchmark
// database may not have). Row i (from 0) has the identifiers of host i of
// NmapXML (same address, FQDN and host name; a different MAC prefix), a
// unique serial, and two tags. The same n always gives the same bytes.
func CSV(n int) []byte {
	var b bytes.Buffer
	b.Grow(n*260 + len(CSVHeader))
	b.WriteString(CSVHeader)
	for i := range n {
		id := uint32(i + 1)
		fqdn := HostName(i)
		short, _, _ := strings.Cut(fqdn, ".")
		fmt.Fprintf(&b, "%s,%s,\"Generated host %d, rack %d\",%s,%d,internal,%t,operational,%s,%s,10.%d.%d.%d,02:00:00:%02x:%02x:%02x,SN%08d,generated;%s,R%02d,Debian 12\n",
			short, csvKinds[i%len(csvKinds)], i+1, i%40, csvEnvironments[i%len(csvEnvironments)], i%5+1, i%7 == 0,
			short, fqdn, byte(id>>16), byte(id>>8), byte(id), byte(id>>16), byte(id>>8), byte(id), i+1,
			csvEnvironments[i%len(csvEnvironments)], i%40)
	}
	return b.Bytes()
}

// JSON returns a JSON import file (an array) of n items describing the same
// CIs as CSV(n), one item per line. The same n always gives the same bytes.
func JSON(n int) []byte {
	var b bytes.Buffer
	b.Grow(n*420 + 4)
	b.WriteString("[\n")
	for i := range n {
		id := uint32(i + 1)
		fqdn := HostName(i)
		short, _, _ := strings.Cut(fqdn, ".")
		env := csvEnvironments[i%len(csvEnvironments)]
		fmt.Fprintf(&b, `{"name":%q,"kind":%q,"description":"Generated host %d, rack %d","environment":%q,`+
			`"business_criticality":%d,"data_classification":"internal","internet_exposed":%t,"lifecycle_status":"operational",`+
			`"identifiers":{"hostnames":[%q],"fqdns":[%q],"ips":["10.%d.%d.%d"],"macs":["02:00:00:%02x:%02x:%02x"],"serial":"SN%08d"},`+
			`"tags":["generated",%q],"attributes":{"rack":"R%02d","os":"Debian 12"}}`,
			short, csvKinds[i%len(csvKinds)], i+1, i%40, env, i%5+1, i%7 == 0,
			short, fqdn, byte(id>>16), byte(id>>8), byte(id), byte(id>>16), byte(id>>8), byte(id), i+1, env, i%40)
		if i < n-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	return b.Bytes()
}

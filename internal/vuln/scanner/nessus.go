package scanner

import (
	"errors"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/vuln"
)

// The subset of the Nessus v2 format (.nessus, root NessusClientData_v2)
// the import reads: each ReportHost's properties and ReportItems.

type nessusItem struct {
	Port        string   `xml:"port,attr"`
	SvcName     string   `xml:"svc_name,attr"`
	Protocol    string   `xml:"protocol,attr"`
	Severity    string   `xml:"severity,attr"`
	PluginID    string   `xml:"pluginID,attr"`
	PluginName  string   `xml:"pluginName,attr"`
	CVEs        []string `xml:"cve"`
	CVSS3Vector string   `xml:"cvss3_vector"`
	CVSS3Base   string   `xml:"cvss3_base_score"`
	CVSS3Temp   string   `xml:"cvss3_temporal_vector"`
	CVSSVector  string   `xml:"cvss_vector"`
	CVSSBase    string   `xml:"cvss_base_score"`
	CVSSTemp    string   `xml:"cvss_temporal_vector"`
	CVSS4Vector string   `xml:"cvss4_vector"`
	CVSS4Base   string   `xml:"cvss4_base_score"`
	RiskFactor  string   `xml:"risk_factor"`
	Synopsis    string   `xml:"synopsis"`
	Description string   `xml:"description"`
	Solution    string   `xml:"solution"`
	SeeAlso     string   `xml:"see_also"`
	CWE         []string `xml:"cwe"`
	XRef        []string `xml:"xref"`
}

// ParseNessus reads a Nessus v2 report (.nessus). Each ReportItem becomes a
// network finding on its host (ReportHost name, host-ip, host-fqdn,
// netbios-name) and port, identified by its plugin ID, with its CVEs and
// CVSS v2, v3 and v4 vectors. Severity is the item's severity attribute:
// 0 informational, 1 low, 2 medium, 3 high, 4 critical (risk_factor is
// kept as the vendor severity). Errors: see Parse.
func ParseNessus(r io.Reader, opt Options, sink Sink) (Report, error) {
	rep := Report{Format: "nessus", Scanner: "nessus", FormatVersion: "2"}
	em := newEmitter(&rep, opt, sink)
	x := newXMLReader("Nessus", r)
	err := parseNessus(x, em)
	return finish(rep, err)
}

func parseNessus(x *xmlReader, em *emitter) error {
	if _, err := x.root("NessusClientData_v2", "a Nessus v2 report <NessusClientData_v2>"); err != nil {
		return err
	}
	var host vuln.Target
	for {
		el, err := x.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch el.Name.Local {
		case "Report":
		case "ReportHost":
			host = vuln.Target{Kind: vuln.TargetHost}
			for _, a := range el.Attr {
				if a.Name.Local == "name" {
					host.Name = strings.TrimSpace(a.Value)
				}
			}
			setHostName(&host, host.Name)
		case "HostProperties":
			var props struct {
				Tags []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:",chardata"`
				} `xml:"tag"`
			}
			if err := x.decode(&props, el); err != nil {
				return err
			}
			for _, t := range props.Tags {
				v := strings.TrimSpace(t.Value)
				switch t.Name {
				case "host-ip":
					host.IP = v
				case "host-fqdn":
					host.FQDN = strings.ToLower(v)
				case "hostname", "netbios-name":
					if host.Hostname == "" {
						host.Hostname = strings.ToLower(v)
					}
				}
			}
		case "ReportItem":
			var it nessusItem
			if err := x.decode(&it, el); err != nil {
				return err
			}
			if err := em.emit(nessusFinding(&it, host)); err != nil {
				return err
			}
		default:
			if err := x.skip(); err != nil {
				return err
			}
		}
	}
}

// setHostName files the name a host was scanned by as an IP, FQDN or host
// name.
func setHostName(t *vuln.Target, name string) {
	switch {
	case name == "":
	case isIP(name):
		t.IP = name
	case strings.Contains(name, "."):
		t.FQDN = strings.ToLower(name)
	default:
		t.Hostname = strings.ToLower(name)
	}
}

func isIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

var nessusSeverity = map[string]vuln.Severity{"0": vuln.SeverityInfo, "1": vuln.SeverityLow, "2": vuln.SeverityMedium,
	"3": vuln.SeverityHigh, "4": vuln.SeverityCritical}

func nessusFinding(it *nessusItem, host vuln.Target) vuln.Finding {
	sev, ok := nessusSeverity[strings.TrimSpace(it.Severity)]
	vendor := it.Severity
	if !ok {
		sev, _ = vuln.ParseSeverity(it.RiskFactor)
	}
	if rf := strings.TrimSpace(it.RiskFactor); rf != "" {
		vendor = it.Severity + " (" + rf + ")"
	}
	f := vuln.Finding{Target: host, Kind: vuln.KindNetwork, Identifier: strings.TrimSpace(it.PluginID),
		Endpoint: it.Protocol + "/" + it.Port, Severity: sev, VendorSeverity: strings.TrimSpace(vendor),
		Title: it.PluginName, Solution: it.Solution, Aliases: it.CVEs}
	if f.Title == "" {
		f.Title = firstLine(it.Synopsis)
	}
	f.Description = strings.Join(nonEmpty(collapse(it.Synopsis), collapse(it.Description)), "\n\n")
	f.References = append(f.References, strings.Fields(it.SeeAlso)...)
	for _, c := range it.CWE {
		if n, err := strconv.Atoi(strings.TrimSpace(c)); err == nil {
			f.CWEs = append(f.CWEs, "CWE-"+strconv.Itoa(n))
		}
	}
	for _, x := range it.XRef {
		if k, v, ok := strings.Cut(x, ":"); ok && strings.EqualFold(k, "CWE") {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				f.CWEs = append(f.CWEs, "CWE-"+strconv.Itoa(n))
			}
		}
	}
	addScored := func(vector, temporal, base string) {
		if strings.TrimSpace(vector) == "" {
			return
		}
		var vs *float64
		if b, ok := vuln.ParseScore(base); ok {
			vs = &b
		}
		f.AddCVSS("nessus", joinTemporal(vector, temporal), vs)
	}
	addScored(it.CVSS4Vector, "", it.CVSS4Base)
	addScored(it.CVSS3Vector, it.CVSS3Temp, it.CVSS3Base)
	addScored(it.CVSSVector, it.CVSSTemp, it.CVSSBase)
	return f
}

// joinTemporal appends Nessus's separate temporal vector
// ("CVSS:3.0/E:U/RL:O/RC:C", "CVSS2#E:U/RL:OF/RC:C") to its base vector.
func joinTemporal(base, temporal string) string {
	base, temporal = strings.TrimSpace(base), strings.TrimSpace(temporal)
	if temporal == "" {
		return base
	}
	t := temporal
	if i := strings.Index(t, "/"); i > 0 && (strings.HasPrefix(t, "CVSS:") || strings.HasPrefix(t, "CVSS2#")) {
		if strings.HasPrefix(t, "CVSS2#") {
			t = strings.TrimPrefix(t, "CVSS2#")
		} else {
			t = t[i+1:]
		}
	}
	return base + "/" + t
}

// collapse undoes the indentation Nessus puts into its texts.
func collapse(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}

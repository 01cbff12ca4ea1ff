package scanner

import (
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/rampart-itsm/rampart/internal/vuln"
)

// The subset of an OpenVAS / Greenbone (GVM) XML report (GMP get_reports
// with the XML report format) the import reads: the report's severity
// class and each result.

type ovResult struct {
	Name string `xml:"name"`
	Host struct {
		IP       string `xml:",chardata"`
		Hostname string `xml:"hostname"`
	} `xml:"host"`
	Port string `xml:"port"`
	NVT  struct {
		OID      string `xml:"oid,attr"`
		Name     string `xml:"name"`
		Family   string `xml:"family"`
		CVSSBase string `xml:"cvss_base"`
		Tags     string `xml:"tags"`
		CVE      string `xml:"cve"` // GVM before 9: comma-separated, "NOCVE" for none
		XRef     string `xml:"xref"`
		Solution struct {
			Text string `xml:",chardata"`
		} `xml:"solution"`
		Refs []struct {
			ID   string `xml:"id,attr"`
			Type string `xml:"type,attr"`
		} `xml:"refs>ref"`
		Severities []struct {
			Type  string `xml:"type,attr"`
			Value string `xml:"value"`
			Score string `xml:"score"`
		} `xml:"severities>severity"`
	} `xml:"nvt"`
	Threat      string `xml:"threat"`
	Severity    string `xml:"severity"`
	Description string `xml:"description"`
}

type ovSeverityRange struct {
	Name string  `xml:"name"`
	Min  float64 `xml:"min"`
	Max  float64 `xml:"max"`
}

// ParseOpenVAS reads an OpenVAS / Greenbone XML report (a <report>, or a
// <get_reports_response> around one). Each result becomes a network
// finding on its host and port, identified by its NVT's OID, with the CVEs
// the NVT names. The severity is the result's threat word (High, Medium,
// Low, Log); when the threat is empty, its severity number is rated with
// the report's own severity class (its ranges, e.g. NVD's), or with the
// CVSS v3 scale when the report has none. False positives (threat "False
// Positive" or a negative severity) and debug and error results are
// skipped and counted. Errors: see Parse.
func ParseOpenVAS(r io.Reader, opt Options, sink Sink) (Report, error) {
	rep := Report{Format: "openvas", Scanner: "openvas"}
	em := newEmitter(&rep, opt, sink)
	x := newXMLReader("OpenVAS", r)
	err := parseOpenVAS(x, em)
	return finish(rep, err)
}

func parseOpenVAS(x *xmlReader, em *emitter) error {
	root, err := x.next()
	if errors.Is(err, io.EOF) {
		return x.errorf("the file is empty; expected an OpenVAS <report>")
	}
	if err != nil {
		return err
	}
	if root.Name.Local != "report" && root.Name.Local != "get_reports_response" {
		_, err := x.rootHint(root, "an OpenVAS <report>")
		return err
	}
	var ranges []ovSeverityRange
	for {
		el, err := x.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case el.Name.Local == "gmp" || el.Name.Local == "omp":
			var v struct {
				Version string `xml:"version"`
			}
			if err := x.decode(&v, el); err != nil {
				return err
			}
			em.rep.FormatVersion = "GMP " + v.Version
		case el.Name.Local == "severity_class":
			var sc struct {
				Ranges []ovSeverityRange `xml:"severity_range"`
			}
			if err := x.decode(&sc, el); err != nil {
				return err
			}
			ranges = sc.Ranges
		case el.Name.Local == "result" && x.parent() == "results":
			var res ovResult
			if err := x.decode(&res, el); err != nil {
				return err
			}
			if err := openVASResult(em, &res, ranges); err != nil {
				return err
			}
		case el.Name.Local == "report" || el.Name.Local == "results":
			// descend
		default:
			if err := x.skip(); err != nil {
				return err
			}
		}
	}
}

var (
	installedRE = regexp.MustCompile(`(?m)^\s*Installed version:\s*(\S.*?)\s*$`)
	fixedRE     = regexp.MustCompile(`(?m)^\s*Fixed version:\s*(\S.*?)\s*$`)
	pathRE      = regexp.MustCompile(`(?m)^\s*Installation\s*\n?\s*path / port:\s*(\S.*?)\s*$`)
)

func openVASResult(em *emitter, res *ovResult, ranges []ovSeverityRange) error {
	threat := strings.TrimSpace(res.Threat)
	score, scored := vuln.ParseScore(res.Severity)
	neg := strings.HasPrefix(strings.TrimSpace(res.Severity), "-")
	switch {
	case strings.EqualFold(threat, "False Positive") || (threat == "" && neg):
		em.skip("false positive")
		return nil
	case strings.EqualFold(threat, "Debug") || strings.EqualFold(threat, "Error"):
		em.skip(strings.ToLower(threat))
		return nil
	}
	var sev vuln.Severity
	vendor := threat
	if threat != "" {
		s, ok := vuln.ParseSeverity(threat)
		if !ok && strings.EqualFold(threat, "Alarm") {
			s, ok = vuln.SeverityHigh, true
		}
		sev = s
		if !ok {
			sev = vuln.SeverityUnknown
		}
	} else if scored {
		sev, vendor = ratedByClass(score, ranges), strings.TrimSpace(res.Severity)
	}
	if vendor != "" && scored && threat != "" {
		vendor += " (" + strings.TrimSpace(res.Severity) + ")"
	}
	ip := strings.TrimSpace(res.Host.IP)
	host := strings.TrimSpace(res.Host.Hostname)
	t := vuln.Target{Kind: vuln.TargetHost, Name: firstOf(ip, host), IP: ip}
	if strings.Contains(host, ".") {
		t.FQDN = host
	} else {
		t.Hostname = host
	}
	tags := ovTags(res.NVT.Tags)
	f := vuln.Finding{Target: t, Kind: vuln.KindNetwork, Identifier: firstOf(res.NVT.OID, res.NVT.Name, res.Name),
		Endpoint: strings.TrimSpace(res.Port), Severity: sev, VendorSeverity: vendor,
		Title: firstOf(res.Name, res.NVT.Name), Solution: firstOf(strings.TrimSpace(res.NVT.Solution.Text), tags["solution"])}
	f.Description = strings.TrimSpace(strings.Join(nonEmpty(tags["summary"], res.Description, tags["insight"], tags["impact"]), "\n\n"))
	if m := installedRE.FindStringSubmatch(res.Description); m != nil {
		f.InstalledVersion = m[1]
	}
	if m := fixedRE.FindStringSubmatch(res.Description); m != nil {
		f.FixedVersion = m[1]
	}
	if m := pathRE.FindStringSubmatch(res.Description); m != nil {
		f.Path = m[1]
	}
	for _, ref := range res.NVT.Refs {
		switch strings.ToLower(ref.Type) {
		case "cve", "cve_id":
			f.Aliases = append(f.Aliases, ref.ID)
		case "url":
			f.References = append(f.References, ref.ID)
		case "cert-bund", "dfn-cert":
		default:
			f.Aliases = append(f.Aliases, ref.ID)
		}
	}
	for _, c := range strings.Split(res.NVT.CVE, ",") {
		if c = strings.TrimSpace(c); vuln.IsCVE(c) {
			f.Aliases = append(f.Aliases, c)
		}
	}
	for _, s := range res.NVT.Severities {
		f.AddCVSS("openvas", s.Value, nil)
	}
	if len(res.NVT.Severities) == 0 {
		if v := tags["cvss_base_vector"]; v != "" {
			base, ok := vuln.ParseScore(res.NVT.CVSSBase)
			var vs *float64
			if ok {
				vs = &base
			}
			f.AddCVSS("openvas", v, vs)
		}
	}
	return em.emit(f)
}

// ratedByClass rates a severity number with the report's severity class:
// the range it falls in names the severity ("None" is info); without one,
// the CVSS v3 scale.
func ratedByClass(score float64, ranges []ovSeverityRange) vuln.Severity {
	for _, r := range ranges {
		if score >= r.Min && score <= r.Max {
			if s, ok := vuln.ParseSeverity(r.Name); ok {
				return s
			}
		}
	}
	return vuln.SeverityFromScore(score)
}

// ovTags splits an NVT's tags ("summary=…|insight=…|solution=…").
func ovTags(s string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(s, "|") {
		if k, v, ok := strings.Cut(part, "="); ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}

func nonEmpty(s ...string) []string {
	out := s[:0]
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

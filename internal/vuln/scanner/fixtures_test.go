package scanner_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// wantFinding is what a test checks of one finding by hand; the golden
// files hold the rest.
type wantFinding struct {
	identifier string
	severity   vuln.Severity
	vendor     string
	target     string // Target.Key()
	where      string // Identity().Where
	cves       []string
	cvss       string  // primary vector
	score      float64 // its score
}

func TestRealReports(t *testing.T) {
	dir := sharedFixtures(t)
	tests := []struct {
		file, format string
		findings     int
		identities   int
		version      string // Report.FormatVersion
		scanner      string
		scannerVer   string
		checks       map[int]wantFinding // by index
	}{
		{file: "trivy-severity-prio.json", format: "trivy", findings: 2, identities: 2, version: "2", scanner: "trivy",
			checks: map[int]wantFinding{
				0: {identifier: "CVE-2023-46218", severity: vuln.SeverityLow, vendor: "LOW", target: "filesystem:sbom.json",
					where: "curl@7.81.0-1ubuntu1.14 in requirements.txt", cves: []string{"CVE-2023-46218"},
					cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N", score: 6.5},
				1: {identifier: "CVE-2023-37920", severity: vuln.SeverityCritical, vendor: "CRITICAL",
					target: "filesystem:sbom.json", where: "certifi@2022.5.18.1 in requirements.txt",
					cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", score: 9.8},
			}},
		{file: "trivy-cvss-severity-source.json", format: "trivy", findings: 2, identities: 2, version: "2", scanner: "trivy"},
		{file: "trivy-cvssv4-severity-source.json", format: "trivy", findings: 3, identities: 3, version: "2", scanner: "trivy",
			scannerVer: "0.69.1", checks: map[int]wantFinding{
				0: {identifier: "CVE-2025-66614", severity: vuln.SeverityMedium, vendor: "MEDIUM",
					target: "filesystem:lib/catalina.jar", where: "org.apache.tomcat:tomcat-catalina@9.0.109 in catalina.jar",
					cvss: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", score: 6.3},
			}},
		{file: "trivy-legacy-no-vuln.json", format: "trivy", findings: 0, version: "1", scanner: "trivy"},
		{file: "grype-fix-available.json", format: "grype", findings: 1, identities: 1, scanner: "grype", scannerVer: "0.75.0",
			checks: map[int]wantFinding{
				0: {identifier: "CVE-2009-3882", severity: vuln.SeverityHigh, vendor: "High", target: "image:REDACTED",
					where: "java@17.0.10+7\x00-J-ms8m in /opt/java/openjdk/bin/java",
					cvss:  "AV:N/AC:L/Au:N/C:P/I:P/A:P", score: 7.5},
			}},
		{file: "grype-fix-not-available.json", format: "grype", findings: 1, identities: 1, scanner: "grype", scannerVer: "0.75.0"},
		{file: "grype-many-vulns.json", format: "grype", findings: 1509, identities: 1509, scanner: "grype", scannerVer: "0.7.0",
			checks: map[int]wantFinding{
				0: {identifier: "CVE-2011-3389", severity: vuln.SeverityMedium, vendor: "Medium", target: "image:python:3.6",
					where: "libgnutls-openssl27@3.6.7-4+deb10u5", cvss: "AV:N/AC:M/Au:N/C:P/I:N/A:N", score: 4.3},
			}},
		{file: "sarif-semgrep.sarif", format: "sarif", findings: 1768, identities: 1768, version: "2.1.0", scanner: "semgrep",
			scannerVer: "0.17.0", checks: map[int]wantFinding{
				// no result.level: the rule's defaultConfiguration.level "warning"
				0: {identifier: "java.lang.security.audit.cbc-padding-oracle.cbc-padding-oracle", severity: vuln.SeverityMedium,
					vendor: "warning", target: ":", where: "src/main/java/org/owasp/benchmark/testcode/BenchmarkTest02660.java:59"},
			}},
		{file: "sarif-njsscan.sarif", format: "sarif", findings: 2, identities: 2, version: "2.1.0", scanner: "nodejsscan",
			scannerVer: "0.2.3", checks: map[int]wantFinding{
				// no level, rule without defaultConfiguration: "warning"
				0: {identifier: "node_insecure_random_generator", severity: vuln.SeverityMedium, vendor: "warning",
					target: ":", where: "/src/index.js:321"},
				1: {identifier: "node_password", severity: vuln.SeverityHigh, vendor: "error", target: ":", where: "/src/index.js:235"},
			}},
		// The log repeats results word for word (rule 2077 at line 410 of
		// dojo-shared-resources.sh six times): 27 results, 12 findings.
		{file: "sarif-shellcheck.sarif", format: "sarif", findings: 27, identities: 12, version: "2.1.0",
			scanner: "shell script analysis", scannerVer: "1.0.0-scan", checks: map[int]wantFinding{
				0: {identifier: "2076", severity: vuln.SeverityLow, vendor: "note",
					target: "repo:github.com/damiencarol/django-defectdojo", where: "/home/damien/dd/docker/setEnv.sh:134"},
			}},
		{file: "sarif-no-runs.sarif", format: "sarif", findings: 0, version: "2.1.0", scanner: "sarif"},
		{file: "openvas-one-vuln.xml", format: "openvas", findings: 1, identities: 1, version: "GMP 9.0", scanner: "openvas",
			checks: map[int]wantFinding{
				0: {identifier: "1.3.6.1.4.1.25623.1.0.832260", severity: vuln.SeverityHigh, vendor: "High (10.0)",
					target: "host:10.0.101.2", where: "general/tcp", cves: []string{"CVE-2023-4573", "CVE-2023-4574",
						"CVE-2023-4575", "CVE-2023-4576", "CVE-2023-4577", "CVE-2023-4578", "CVE-2023-4579", "CVE-2023-4580",
						"CVE-2023-4581", "CVE-2023-4583", "CVE-2023-4584", "CVE-2023-4585"}},
			}},
		{file: "nessus-issue-6992.nessus", format: "nessus", findings: 1, identities: 1, version: "2", scanner: "nessus",
			checks: map[int]wantFinding{
				0: {identifier: "142591", severity: vuln.SeverityMedium, vendor: "2 (Medium)", target: "host:44.228.249.3",
					where: "tcp/80", cvss: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", score: 7.5},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := parseFile(t, tt.format, filepath.Join(dir, tt.file), scanner.Options{})
			if p.err != nil {
				t.Fatal(p.err)
			}
			checkReport(t, p, tt.findings, tt.identities, tt.version, tt.scanner, tt.scannerVer)
			for i, w := range tt.checks {
				checkFinding(t, p.findings[i], w)
			}
			golden(t, "shared-"+strings.TrimSuffix(tt.file, filepath.Ext(tt.file)), p)
		})
	}
}

func checkReport(t *testing.T, p parsed, findings, identities int, version, scannerName, scannerVer string) {
	t.Helper()
	if len(p.findings) != findings || p.rep.Findings != findings {
		t.Errorf("%d findings (report says %d), want %d", len(p.findings), p.rep.Findings, findings)
	}
	var set vuln.IdentitySet
	for _, f := range p.findings {
		set.Add(f.Identity())
	}
	if set.Len() != identities {
		t.Errorf("%d distinct identities, want %d", set.Len(), identities)
	}
	if p.rep.FormatVersion != version || p.rep.Scanner != scannerName || p.rep.ScannerVersion != scannerVer {
		t.Errorf("report %+v, want format version %q, scanner %q %q", p.rep, version, scannerName, scannerVer)
	}
}

func checkFinding(t *testing.T, f vuln.Finding, w wantFinding) {
	t.Helper()
	id := f.Identity()
	if f.Identifier != w.identifier || f.Severity != w.severity || f.VendorSeverity != w.vendor || id.Target != w.target || id.Where != w.where {
		t.Errorf("finding %s %s (%s) on %s at %q; want %s %s (%s) on %s at %q", f.Identifier, f.Severity, f.VendorSeverity,
			id.Target, id.Where, w.identifier, w.severity, w.vendor, w.target, w.where)
	}
	if w.cves != nil && !slices.Equal(f.CVEs, w.cves) {
		t.Errorf("%s: CVEs %v, want %v", f.Identifier, f.CVEs, w.cves)
	}
	if w.cvss != "" {
		c, ok := f.PrimaryCVSS("")
		if !ok || c.Vector != w.cvss || *c.Score != w.score {
			t.Errorf("%s: primary CVSS %+v, want %s scoring %.1f", f.Identifier, c, w.cvss, w.score)
		}
	}
}

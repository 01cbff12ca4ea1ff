package scanner_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// Reports made with real tools (gosec) or written by hand after each
// tool's documented format for the shapes the shared sample lacks; see
// testdata/README.md.
func TestProjectReports(t *testing.T) {
	tests := []struct {
		file, format string
		opt          scanner.Options
		findings     int
		identities   int
		version      string
		scannerName  string
		scannerVer   string
		skipped      map[string]int
		checks       map[int]wantFinding
	}{
		{file: "gosec/gosec-2.30.0.sarif", format: "sarif", findings: 13, identities: 13, version: "2.1.0",
			scannerName: "gosec", scannerVer: "2.30.0",
			opt: scanner.Options{Target: vuln.Target{Kind: vuln.TargetRepository, Name: "git@github.com:acme/insecure.git"}},
			checks: map[int]wantFinding{
				// results come before the tool in gosec's output
				0: {identifier: "G404", severity: vuln.SeverityHigh, vendor: "error", target: "repo:github.com/acme/insecure", where: "main.go:24"},
			}},
		{file: "trivy/trivy-0.74.0-fs-misconfig-secret.json", format: "trivy", findings: 25, identities: 25, version: "2",
			scannerName: "trivy", scannerVer: "0.74.0", skipped: map[string]int{},
			checks: map[int]wantFinding{
				0: {identifier: "DS-0001", severity: vuln.SeverityMedium, vendor: "MEDIUM", target: "filesystem:project", where: "Dockerfile:3"},
				// a check about the whole file has no line
				1:  {identifier: "DS-0002", severity: vuln.SeverityHigh, vendor: "HIGH", target: "filesystem:project", where: "Dockerfile"},
				24: {identifier: "private-key", severity: vuln.SeverityHigh, vendor: "HIGH", target: "filesystem:project", where: "deploy/id_rsa.pem:3"},
			}},
		{file: "sarif/level-chain.sarif", format: "sarif", findings: 9, identities: 9, version: "2.1.0", scannerName: "handmade",
			scannerVer: "1.0", skipped: map[string]int{"result pass": 1, "result notApplicable": 1, "suppressed": 1, "baseline absent": 1},
			checks: map[int]wantFinding{
				0: {identifier: "R1", severity: vuln.SeverityLow, vendor: "note", target: "repo:github.com/acme/shop", where: "src/a.go:1"},
				1: {identifier: "R1", severity: vuln.SeverityHigh, vendor: "error", target: "repo:github.com/acme/shop", where: "src/a.go:2"},
				2: {identifier: "R2", severity: vuln.SeverityMedium, vendor: "warning", target: "repo:github.com/acme/shop", where: "src/a.go:3"},
				3: {identifier: "R3", severity: vuln.SeverityHigh, vendor: "error", target: "repo:github.com/acme/shop", where: "src/b.go:4"},
				4: {identifier: "R4", severity: vuln.SeverityMedium, vendor: "4.5", target: "repo:github.com/acme/shop", where: "/src/c d.go:5"},
				5: {identifier: "R4", severity: vuln.SeverityCritical, vendor: "9.1", target: "repo:github.com/acme/shop", where: "src/c.go:6"},
				6: {identifier: "R1", severity: vuln.SeverityInfo, vendor: "none", target: "repo:github.com/acme/shop", where: "src/a.go:7"},
				7: {identifier: "R5/sub", severity: vuln.SeverityHigh, vendor: "error", target: "repo:github.com/acme/shop", where: "src/e.go:8"},
				8: {identifier: "R3", severity: vuln.SeverityLow, vendor: "note", target: "repo:github.com/acme/shop", where: "src/b.go:9"},
			}},
		{file: "trivy/legacy-list.json", format: "trivy", findings: 2, identities: 2, version: "1", scannerName: "trivy",
			checks: map[int]wantFinding{
				0: {identifier: "CVE-2019-1549", severity: vuln.SeverityMedium, vendor: "MEDIUM", target: "image:alpine:3.10",
					where: "openssl@1.1.1c-r0"},
			}},
		{file: "trivy/k8s.json", format: "trivy", findings: 3, identities: 3, version: "2", scannerName: "trivy",
			skipped: map[string]int{"check passed": 1},
			checks: map[int]wantFinding{
				0: {identifier: "CVE-2024-2961", severity: vuln.SeverityHigh, vendor: "HIGH", target: "k8s:prod-eu/shop/Deployment/web",
					where: "libc6@2.36-9+deb12u4", cvss: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", score: 8.1},
				1: {identifier: "KSV001", severity: vuln.SeverityMedium, vendor: "MEDIUM", target: "k8s:prod-eu/shop/Deployment/web",
					where: "Deployment/web:132"},
				// Results before Kind and Name: held until the resource is known.
				2: {identifier: "KSV041", severity: vuln.SeverityCritical, vendor: "CRITICAL", target: "k8s:prod-eu/kube-system/Role/admin",
					where: "Role/admin"},
			}},
		{file: "openvas/empty-threat.xml", format: "openvas", findings: 4, identities: 4, version: "GMP 22.4", scannerName: "openvas",
			skipped: map[string]int{"false positive": 1},
			checks: map[int]wantFinding{
				// empty threat: the number, rated by the report's own class
				0: {identifier: "1.3.6.1.4.1.25623.1.0.100001", severity: vuln.SeverityHigh, vendor: "9.8", target: "host:192.0.2.10",
					where: "22/tcp", cves: []string{"CVE-2024-6387"}, cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", score: 9.8},
				1: {identifier: "1.3.6.1.4.1.25623.1.0.105937", severity: vuln.SeverityInfo, vendor: "0.0", target: "host:192.0.2.10",
					where: "general/tcp", cvss: "AV:N/AC:L/Au:N/C:N/I:N/A:N", score: 0},
				2: {identifier: "1.3.6.1.4.1.25623.1.0.900234", severity: vuln.SeverityMedium, vendor: "4.3", target: "host:192.0.2.11",
					where: "443/tcp", cves: []string{"CVE-2013-2566", "CVE-2015-2808"}},
				// a malformed vector is kept, flagged and not scored
				3: {identifier: "1.3.6.1.4.1.25623.1.0.2", severity: vuln.SeverityMedium, vendor: "Medium (5.0)", target: "host:192.0.2.12",
					where: "8080/tcp"},
			}},
		{file: "nessus/severities.nessus", format: "nessus", findings: 3, identities: 3, version: "2", scannerName: "nessus",
			checks: map[int]wantFinding{
				0: {identifier: "19506", severity: vuln.SeverityInfo, vendor: "0 (None)", target: "host:192.0.2.20", where: "tcp/0"},
				1: {identifier: "156860", severity: vuln.SeverityCritical, vendor: "4 (Critical)", target: "host:192.0.2.20",
					where: "tcp/443", cves: []string{"CVE-2021-44228"},
					cvss: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:H/RL:O/RC:C", score: 9.5},
				2: {identifier: "70658", severity: vuln.SeverityLow, vendor: "1 (Low)", target: "host:192.0.2.20", where: "tcp/22"},
			}},
		{file: "nuclei/results.jsonl", format: "nuclei", findings: 3, identities: 3, version: "jsonl", scannerName: "nuclei",
			skipped: map[string]int{"template did not match": 1},
			checks: map[int]wantFinding{
				0: {identifier: "CVE-2021-41773", severity: vuln.SeverityHigh, vendor: "high", target: "url:https://shop.example.com:443",
					where: "https://shop.example.com/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", cves: []string{"CVE-2021-41773"},
					cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", score: 7.5},
				1: {identifier: "tech-detect:nginx", severity: vuln.SeverityInfo, vendor: "info", target: "url:https://shop.example.com:443",
					where: "https://shop.example.com"},
				2: {identifier: "openssh-detect", severity: vuln.SeverityInfo, vendor: "info", target: "host:192.0.2.10",
					where: "db01.lab.example:22"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := parseFile(t, tt.format, filepath.Join("testdata", tt.file), tt.opt)
			if p.err != nil {
				t.Fatal(p.err)
			}
			checkReport(t, p, tt.findings, tt.identities, tt.version, tt.scannerName, tt.scannerVer)
			if len(tt.skipped) > 0 || len(p.rep.Skipped) > 0 {
				if !equalCounts(p.rep.Skipped, tt.skipped) {
					t.Errorf("skipped %v, want %v", p.rep.Skipped, tt.skipped)
				}
			}
			for i, w := range tt.checks {
				checkFinding(t, p.findings[i], w)
			}
			golden(t, strings.TrimSuffix(strings.ReplaceAll(tt.file, "/", "-"), filepath.Ext(tt.file)), p)
		})
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Details the table above does not show.
func TestProjectReportDetails(t *testing.T) {
	t.Run("openvas malformed vector is flagged", func(t *testing.T) {
		p := parseFile(t, "openvas", filepath.Join("testdata", "openvas", "empty-threat.xml"), scanner.Options{})
		f := p.findings[3]
		if len(f.CVSS) != 1 || f.CVSS[0].Score != nil || f.CVSS[0].Problem == "" || len(f.Problems) != 1 {
			t.Errorf("malformed vector: %+v, problems %v", f.CVSS, f.Problems)
		}
		if f := p.findings[0]; f.InstalledVersion != "8.9p1" || f.FixedVersion != "9.8p1" || f.Target.FQDN != "db01.lab.example" {
			t.Errorf("versions %q → %q, fqdn %q", f.InstalledVersion, f.FixedVersion, f.Target.FQDN)
		}
	})
	t.Run("nessus vectors, CWE and host names", func(t *testing.T) {
		p := parseFile(t, "nessus", filepath.Join("testdata", "nessus", "severities.nessus"), scanner.Options{})
		f := p.findings[1]
		if len(f.CVSS) != 2 || f.CVSS[1].Vector != "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:H/RL:OF/RC:C" || *f.CVSS[1].Score != 8.7 {
			t.Errorf("v2 vector with temporal metrics: %+v", f.CVSS)
		}
		if len(f.CWEs) != 1 || f.CWEs[0] != "CWE-502" || f.Target.FQDN != "web01.lab.example" || f.Target.Hostname != "web01" {
			t.Errorf("CWEs %v, target %+v", f.CWEs, f.Target)
		}
		if low := p.findings[2]; len(low.Problems) != 1 || low.CVSS[0].Score != nil {
			t.Errorf("malformed v2 vector not flagged: %+v", low.CVSS)
		}
	})
	t.Run("gosec CWE from the taxonomy relationship", func(t *testing.T) {
		p := parseFile(t, "sarif", filepath.Join("testdata", "gosec", "gosec-2.30.0.sarif"), scanner.Options{})
		for _, f := range p.findings {
			if f.Identifier == "G101" && (len(f.CWEs) != 1 || f.CWEs[0] != "CWE-798") {
				t.Errorf("G101 CWEs %v, want CWE-798", f.CWEs)
			}
		}
	})
	t.Run("sarif CWE from tags", func(t *testing.T) {
		p := parseFile(t, "sarif", filepath.Join("testdata", "sarif", "level-chain.sarif"), scanner.Options{})
		if f := p.findings[4]; len(f.CWEs) != 1 || f.CWEs[0] != "CWE-79" {
			t.Errorf("CWEs %v, want CWE-79", f.CWEs)
		}
	})
}

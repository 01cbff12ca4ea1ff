package scanner_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// writeTrivyReport writes a Trivy Kubernetes report (SchemaVersion 2) of
// targets workloads with perTarget vulnerabilities each, shaped like real
// Trivy output and pretty-printed as Trivy prints it: about 1,070 bytes per
// vulnerability, so the report the measurement names (1,000,000
// findings across 10,000 targets, about 860 MB there) is 1.07 GB here, a
// little more work than asked. It streams, so it needs no memory of its
// own.
func writeTrivyReport(w io.Writer, targets, perTarget int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintf(bw, "{\n  \"SchemaVersion\": 2,\n  \"ClusterName\": \"bench\",\n  \"Resources\": [")
	for t := range targets {
		if t > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n    {\n      \"Namespace\": \"ns-%d\",\n      \"Kind\": \"Deployment\",\n      \"Name\": \"app-%d\",\n"+
			"      \"Results\": [\n        {\n          \"Target\": \"registry.example/app-%d:1.%d (debian 12.5)\",\n"+
			"          \"Class\": \"os-pkgs\",\n          \"Type\": \"debian\",\n          \"Vulnerabilities\": [", t%50, t, t, t%7)
		for v := range perTarget {
			if v > 0 {
				bw.WriteString(",")
			}
			cve := fmt.Sprintf("CVE-20%02d-%05d", 10+v%15, (t*perTarget+v)%99991)
			fmt.Fprintf(bw, `
            {
              "VulnerabilityID": %q,
              "PkgName": "lib%03d",
              "InstalledVersion": "1.%d.%d-1+deb12u1",
              "FixedVersion": "1.%d.%d-1+deb12u2",
              "Status": "fixed",
              "SeveritySource": "nvd",
              "PrimaryURL": "https://avd.aquasec.com/nvd/%s",
              "Title": "lib%03d: heap overflow when parsing crafted input",
              "Description": "A heap-based buffer overflow in lib%03d allows a remote attacker to cause a denial of service or possibly execute code via a crafted file.",
              "Severity": %q,
              "CweIDs": ["CWE-122"],
              "CVSS": {
                "nvd": {"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", "V3Score": 8.8},
                "redhat": {"V3Vector": "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", "V3Score": 7.8}
              },
              "References": ["https://security-tracker.debian.org/tracker/%s", "https://nvd.nist.gov/vuln/detail/%s"]
            }`, cve, v, v%9, v%13, v%9, v%13+1, cve, v, v, []string{"HIGH", "MEDIUM", "LOW", "CRITICAL"}[v%4], cve, cve)
		}
		bw.WriteString("\n          ]\n        }\n      ]\n    }")
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// benchReport returns the path of a generated report, written once: to
// $VULN_BENCH_REPORT when set (kept for a driver run), else to a temporary
// folder.
func benchReport(b *testing.B, targets, perTarget int) string {
	b.Helper()
	path := os.Getenv("VULN_BENCH_REPORT")
	if path == "" {
		path = filepath.Join(b.TempDir(), "trivy.json")
	} else if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeTrivyReport(f, targets, perTarget); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkParseTrivy parses a generated Trivy report from a file and
// reports findings per second, megabytes per second and the peak heap
// (runtime/metrics is not needed: the heap stays flat, so the largest
// HeapInuse sampled every 10,000 findings is close to the true peak).
//
//	go test ./internal/vuln/scanner -run '^$' -bench ParseTrivy -benchtime 1x -benchmem
func BenchmarkParseTrivy(b *testing.B) {
	for _, size := range []struct {
		name               string
		targets, perTarget int
	}{
		{"100k", 1_000, 100},
		{"1M", 10_000, 100},
	} {
		b.Run(size.name, func(b *testing.B) {
			path := benchReport(b, size.targets, size.perTarget)
			st, _ := os.Stat(path)
			b.SetBytes(st.Size())
			b.ResetTimer()
			var peak uint64
			for range b.N {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				var targets vuln.IdentitySet
				var ms runtime.MemStats
				_, err = scanner.ParseTrivy(f, scanner.Options{}, func(fd vuln.Finding) error {
					n++
					if n%10_000 == 0 {
						targets.Add(vuln.Identity{Target: fd.Target.Key()})
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
					return nil
				})
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
				if n != size.targets*size.perTarget {
					b.Fatalf("%d findings, want %d", n, size.targets*size.perTarget)
				}
			}
			b.ReportMetric(float64(size.targets*size.perTarget*b.N)/b.Elapsed().Seconds(), "findings/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

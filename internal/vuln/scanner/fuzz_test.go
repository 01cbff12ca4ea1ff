package scanner_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// The fuzz targets check that no input makes a parser panic or hang, and
// that what it returns keeps its promises: an Invalid or TooLarge error or
// findings that are complete (an identifier, a known kind and severity,
// sorted CVE ids, every vector either scored or flagged). Seeds: the
// committed corpus in testdata/fuzz/<target> plus the project's reports in
// testdata.

func FuzzParseTrivy(f *testing.F)   { fuzzFormat(f, "trivy", "trivy/*.json") }
func FuzzParseGrype(f *testing.F)   { fuzzFormat(f, "grype", "") }
func FuzzParseSARIF(f *testing.F)   { fuzzFormat(f, "sarif", "*/*.sarif") }
func FuzzParseOpenVAS(f *testing.F) { fuzzFormat(f, "openvas", "openvas/*.xml") }
func FuzzParseNessus(f *testing.F)  { fuzzFormat(f, "nessus", "nessus/*.nessus") }
func FuzzParseNuclei(f *testing.F)  { fuzzFormat(f, "nuclei", "nuclei/*.jsonl") }

func fuzzFormat(f *testing.F, format, seeds string) {
	if seeds != "" {
		files, _ := filepath.Glob(filepath.Join("testdata", seeds))
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range []func() parsed{
			func() parsed { return parse(format, bytes.NewReader(data), scanner.Options{}) },
			func() parsed { return parse(format, stream{bytes.NewReader(data)}, scanner.Options{}) },
		} {
			checkParsed(t, r())
		}
	})
}

func checkParsed(t *testing.T, p parsed) {
	t.Helper()
	if p.err != nil {
		if k := errs.KindOf(p.err); k != errs.Invalid && k != errs.TooLarge {
			t.Fatalf("error of kind %s: %v", k, p.err)
		}
		return
	}
	if p.rep.Findings != len(p.findings) {
		t.Fatalf("report counts %d findings, sink got %d", p.rep.Findings, len(p.findings))
	}
	for _, f := range p.findings {
		if f.Identifier == "" || f.Scanner == "" {
			t.Fatalf("finding without identifier or scanner: %+v", f)
		}
		if !slices.Contains([]vuln.Kind{vuln.KindDependency, vuln.KindCode, vuln.KindNetwork}, f.Kind) ||
			!slices.Contains(vuln.Severities, f.Severity) {
			t.Fatalf("kind %q severity %q", f.Kind, f.Severity)
		}
		if !slices.IsSorted(f.CVEs) {
			t.Fatalf("CVEs not sorted: %v", f.CVEs)
		}
		for _, c := range f.CVEs {
			if !vuln.IsCVE(c) {
				t.Fatalf("not a CVE id: %q", c)
			}
		}
		for _, c := range f.CVSS {
			if (c.Score == nil) == (c.Problem == "") {
				t.Fatalf("vector neither scored nor flagged: %+v", c)
			}
		}
		if f.Line < 0 {
			t.Fatalf("line %d", f.Line)
		}
		_ = f.Identity().Key()
	}
}

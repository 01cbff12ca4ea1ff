package scanner_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
	"github.com/rampart-itsm/rampart/internal/vuln/vulntest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func sharedFixtures(t testing.TB) string { return vulntest.SharedFixtures(t) }

// parsed is what a test keeps of a parse.
type parsed struct {
	rep      scanner.Report
	findings []vuln.Finding
	err      error
}

// parseFile parses a file as a file (seekable), the way an import job
// reads its spooled upload.
func parseFile(t testing.TB, format, path string, opt scanner.Options) parsed {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return parse(format, f, opt)
}

func parse(format string, r io.Reader, opt scanner.Options) parsed {
	var p parsed
	p.rep, p.err = scanner.Parse(format, r, opt, func(f vuln.Finding) error {
		p.findings = append(p.findings, f)
		return nil
	})
	return p
}

// stream hides everything of r but Read, as a network body would.
type stream struct{ r io.Reader }

func (s stream) Read(p []byte) (int, error) { return s.r.Read(p) }

// golden compares what a parse produced with testdata/golden/NAME.json,
// rewriting it with -update. The file holds the report, counts by
// severity, the number of distinct identities, a digest of every finding
// and the first findings in full, so that it stays small for large
// reports yet changes whenever any finding does.
func golden(t *testing.T, name string, p parsed) {
	t.Helper()
	const shown = 20
	g := struct {
		Report     scanner.Report `json:"report"`
		Findings   int            `json:"findings"`
		Identities int            `json:"distinct_identities"`
		BySeverity map[string]int `json:"by_severity"`
		Digest     string         `json:"digest"`
		First      []vuln.Finding `json:"first"`
	}{Report: p.rep, Findings: len(p.findings), BySeverity: map[string]int{}}
	var set vuln.IdentitySet
	h := sha256.New()
	for _, f := range p.findings {
		set.Add(f.Identity())
		g.BySeverity[string(f.Severity)]++
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(append(b, '\n'))
	}
	g.Identities, g.Digest = set.Len(), hex.EncodeToString(h.Sum(nil))
	g.First = p.findings[:min(shown, len(p.findings))]
	got, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	vulntest.Golden(t, filepath.Join("testdata", "golden", name+".json"), append(got, '\n'), *update)
}

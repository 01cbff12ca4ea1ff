package scanner_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// The order of a JSON object's members is not fixed: Grype writes its
// findings before the source they were found in, and `jq -S` sorts keys.
// Every order gives the same findings, from a file (read twice when needed)
// and from a stream that cannot seek (held in memory).
func TestMemberOrderDoesNotMatter(t *testing.T) {
	dir := sharedFixtures(t)
	for _, tt := range []struct{ format, path string }{
		{"grype", filepath.Join(dir, "grype-many-vulns.json")},
		{"grype", filepath.Join(dir, "grype-fix-available.json")},
		{"trivy", filepath.Join(dir, "trivy-cvssv4-severity-source.json")},
		{"trivy", filepath.Join("testdata", "trivy", "k8s.json")},
		{"sarif", filepath.Join(dir, "sarif-shellcheck.sarif")},
		{"sarif", filepath.Join("testdata", "gosec", "gosec-2.30.0.sarif")},
	} {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			raw, err := os.ReadFile(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			want := parse(tt.format, bytes.NewReader(raw), scanner.Options{})
			if want.err != nil || len(want.findings) == 0 {
				t.Fatalf("%d findings, %v", len(want.findings), want.err)
			}
			var doc any
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			sorted, _ := json.Marshal(doc) // encoding/json writes map keys sorted
			for name, r := range map[string]func() parsed{
				"original stream": func() parsed { return parse(tt.format, stream{bytes.NewReader(raw)}, scanner.Options{}) },
				"sorted file":     func() parsed { return parse(tt.format, bytes.NewReader(sorted), scanner.Options{}) },
				"sorted stream":   func() parsed { return parse(tt.format, stream{bytes.NewReader(sorted)}, scanner.Options{}) },
			} {
				got := r()
				if got.err != nil {
					t.Fatalf("%s: %v", name, got.err)
				}
				if !sameFindings(got.findings, want.findings) {
					t.Errorf("%s: %d findings differ from the original's %d", name, len(got.findings), len(want.findings))
				}
			}
		})
	}
}

func sameFindings(a, b []vuln.Finding) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// A report that cannot be read as a whole is an Invalid error whose field
// says where; the wrong format for the chosen parser is such an error too,
// never zero findings.
func TestBadReports(t *testing.T) {
	dir := sharedFixtures(t)
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	trivy := read(filepath.Join(dir, "trivy-cvss-severity-source.json"))
	grype := read(filepath.Join(dir, "grype-fix-available.json"))
	sarif := read(filepath.Join(dir, "sarif-njsscan.sarif"))
	openvas := read(filepath.Join(dir, "openvas-one-vuln.xml"))
	nessus := read(filepath.Join("testdata", "nessus", "severities.nessus"))
	nuclei := read(filepath.Join("testdata", "nuclei", "results.jsonl"))
	tests := []struct {
		name, format, input string
		where, message      string // substrings of the field and its message
	}{
		{"trivy truncated", "trivy", trivy[:700], "/Results/0/Vulnerabilities/0", "truncated"},
		{"trivy truncated in a string", "trivy", trivy[:2000], "line ", "truncated"},
		{"trivy syntax error", "trivy", strings.Replace(trivy, `"PkgName": "curl"`, `"PkgName" "curl"`, 1), "line 26", "malformed JSON"},
		{"trivy wrong type", "trivy", strings.Replace(trivy, `"V3Score": 6.5`, `"V3Score": "high"`, 1), "/Results/0/Vulnerabilities/0/CVSS/nvd/V3Score", "unexpected a string"},
		{"trivy given grype", "trivy", grype, "/matches", "Grype"},
		{"trivy given sarif", "trivy", sarif, "/runs", "SARIF"},
		{"trivy given xml", "trivy", openvas, "line 1, column 1", "malformed JSON"},
		{"trivy given a number", "trivy", "42", "/", "expected a Trivy report"},
		{"trivy empty object", "trivy", "{}", "/", "not a Trivy report"},
		{"trivy empty file", "trivy", "", "/", "ends where a Trivy report"},
		{"trivy data after the report", "trivy", trivy + "{}", "/", "after the end"},
		{"grype given trivy", "grype", trivy, "/SchemaVersion", "Trivy"},
		{"grype truncated", "grype", grype[:5000], "/source/target", "truncated"},
		{"grype truncated in matches", "grype", grype[:700], "/matches/0/vulnerability", "truncated"},
		{"grype empty object", "grype", "{}", "/", "not a Grype report"},
		{"sarif given trivy", "sarif", trivy, "/SchemaVersion", "Trivy"},
		{"sarif truncated", "sarif", sarif[:1500], "/runs/0", "truncated"},
		{"sarif version 2.0.0", "sarif", `{"version": "2.0.0", "runs": []}`, "/version", "only 2.1.0"},
		{"sarif without version", "sarif", `{"runs": []}`, "/", "needs"},
		{"sarif run without tool", "sarif", `{"version": "2.1.0", "runs": [{"results": []}]}`, "/runs/0", "without \"tool\""},
		{"openvas given nessus", "openvas", nessus, "line 2", "Nessus report"},
		{"openvas truncated", "openvas", openvas[:3000], "line ", "truncated"},
		{"openvas given json", "openvas", trivy, "line 1", "not an XML report"},
		{"openvas empty", "openvas", "", "line 1", "empty"},
		{"nessus given openvas", "nessus", openvas, "line 1", "OpenVAS report"},
		{"nessus truncated", "nessus", nessus[:1200], "line ", "truncated"},
		{"nessus given nmap", "nessus", `<?xml version="1.0"?><nmaprun></nmaprun>`, "line 1", "CMDB"},
		{"nessus entity", "nessus", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><NessusClientData_v2>&e;</NessusClientData_v2>`, "line 1", "malformed XML"},
		{"nuclei given trivy", "nuclei", trivy, "line 1", "not JSON lines"},
		{"nuclei truncated line", "nuclei", nuclei[:len(nuclei)/2], "line ", "truncated"},
		{"nuclei bad second line", "nuclei", nuclei + "{\"template-id\": }\n", "line ", "malformed JSON"},
		{"nuclei object without template", "nuclei", `{"host": "x"}`, "line 1", "template-id"},
		{"nuclei given grype", "nuclei", `{"matches": []}`, "line 1", "template-id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parse(tt.format, strings.NewReader(tt.input), scanner.Options{})
			e, ok := errs.As(p.err)
			if !ok || e.Kind != errs.Invalid || len(e.Fields) != 1 {
				t.Fatalf("got %v (%d findings), want an Invalid error", p.err, len(p.findings))
			}
			if f := e.Fields[0]; !strings.Contains(f.Field, tt.where) || !strings.Contains(f.Message, tt.message) {
				t.Errorf("error at %q: %q; want %q at %q", f.Field, f.Message, tt.message, tt.where)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Run("unknown format", func(t *testing.T) {
		_, err := scanner.Parse("qualys", strings.NewReader("{}"), scanner.Options{}, func(vuln.Finding) error { return nil })
		if e, ok := errs.As(err); !ok || e.Fields[0].Field != "format" {
			t.Errorf("got %v", err)
		}
	})
	t.Run("too many findings", func(t *testing.T) {
		p := parseFile(t, "sarif", filepath.Join("testdata", "sarif", "level-chain.sarif"), scanner.Options{MaxFindings: 3})
		if errs.KindOf(p.err) != errs.TooLarge || len(p.findings) != 3 {
			t.Errorf("got %v after %d findings", p.err, len(p.findings))
		}
	})
	t.Run("sink error stops the parse unchanged", func(t *testing.T) {
		stop := errors.New("chunk failed")
		n := 0
		f, _ := os.Open(filepath.Join("testdata", "openvas", "empty-threat.xml"))
		defer f.Close()
		_, err := scanner.ParseOpenVAS(f, scanner.Options{}, func(vuln.Finding) error {
			n++
			if n == 2 {
				return stop
			}
			return nil
		})
		if err != stop || n != 2 {
			t.Errorf("got %v after %d findings, want the sink's error after 2", err, n)
		}
	})
	t.Run("read error is returned wrapped", func(t *testing.T) {
		broken := errors.New("connection reset")
		starts := map[string]string{"trivy": `{"ArtifactName": "x", "Results": [`, "grype": `{"source": {}, "matches": [`,
			"sarif": `{"version": "2.1.0", "runs": [`, "openvas": `<report><results>`, "nessus": `<NessusClientData_v2><Report>`,
			"nuclei": `{"template-id": "x"`}
		for _, format := range scanner.Formats {
			_, err := scanner.Parse(format, &failingReader{starts[format], broken}, scanner.Options{}, func(vuln.Finding) error { return nil })
			if !errors.Is(err, broken) || errs.KindOf(err) == errs.Invalid {
				t.Errorf("%s: got %v, want the read error", format, err)
			}
		}
	})
}

type failingReader struct {
	data string
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) > 0 {
		n := copy(p, f.data)
		f.data = f.data[n:]
		return n, nil
	}
	return 0, f.err
}

func TestBatch(t *testing.T) {
	var sizes []int
	var total int
	sink, done := scanner.Batch(4, func(b []vuln.Finding) error {
		sizes = append(sizes, len(b))
		total += len(b)
		return nil
	})
	p := parseFile(t, "sarif", filepath.Join("testdata", "gosec", "gosec-2.30.0.sarif"), scanner.Options{})
	for _, f := range p.findings {
		if err := sink(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := done(); err != nil {
		t.Fatal(err)
	}
	if total != 13 || len(sizes) != 4 || sizes[0] != 4 || sizes[3] != 1 {
		t.Errorf("batches %v", sizes)
	}
}

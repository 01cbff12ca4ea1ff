package feed_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/feed"
	"github.com/rampart-itsm/rampart/internal/vuln/vulntest"
)

func sharedFixtures(t *testing.T) string { return vulntest.SharedFixtures(t) }

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestKEVCatalogue(t *testing.T) {
	f, err := os.Open(filepath.Join(sharedFixtures(t), "kev.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byCVE := map[string]vuln.KEV{}
	cat, err := feed.ParseKEV(f, func(k vuln.KEV) error { byCVE[k.CVE] = k; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if cat.Version != "2025.08.25" || cat.Count != 1404 || cat.Entries != 1404 || len(byCVE) != 1404 || len(cat.Problems) != 0 ||
		!cat.Released.Equal(time.Date(2025, 8, 25, 17, 4, 19, 979600000, time.UTC)) {
		t.Fatalf("catalogue %+v, %d distinct", cat, len(byCVE))
	}
	ransomware := 0
	for _, k := range byCVE {
		if k.Ransomware {
			ransomware++
		}
	}
	if ransomware != 293 {
		t.Errorf("%d entries with known ransomware use, want 293", ransomware)
	}
	l := byCVE["CVE-2021-44228"]
	if !l.DateAdded.Equal(date("2021-12-10")) || !l.DueDate.Equal(date("2021-12-24")) || !l.Ransomware ||
		l.Product != "Log4j2" || !strings.HasPrefix(l.RequiredAction, "For all affected software assets") {
		t.Errorf("Log4Shell entry %+v", l)
	}
}

func TestKEVBadEntries(t *testing.T) {
	const doc = `{
  "catalogVersion": "test",
  "count": 4,
  "vulnerabilities": [
    {"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10", "dueDate": "2021-12-24", "knownRansomwareCampaignUse": "Known"},
    {"cveID": "CVE-21-1", "dateAdded": "2021-12-10", "dueDate": "2021-12-24"},
    {"cveID": "CVE-2022-0001", "dateAdded": "10/12/2021", "dueDate": "2021-12-24"},
    {"cveID": "CVE-2022-0002",
     "dateAdded": "2021-12-10", "dueDate": 20211224}
  ]
}`
	var got []string
	cat, err := feed.ParseKEV(strings.NewReader(doc), func(k vuln.KEV) error { got = append(got, k.CVE); return nil })
	if err != nil {
		t.Fatal(err)
	}
	want := []feed.Problem{
		{Line: 6, Where: "/vulnerabilities/1", Message: `cveID "CVE-21-1" is not a CVE id`},
		{Line: 7, Where: "/vulnerabilities/2", Message: `CVE-2022-0001: dateAdded "10/12/2021" is not a date (YYYY-MM-DD)`},
		{Line: 8, Where: "/vulnerabilities/3", Message: `dueDate: unexpected number`},
	}
	if len(got) != 1 || cat.Entries != 1 || len(cat.Problems) != len(want) {
		t.Fatalf("entries %v, problems %+v", got, cat.Problems)
	}
	for i, p := range want {
		if cat.Problems[i] != p {
			t.Errorf("problem %d: %+v, want %+v", i, cat.Problems[i], p)
		}
	}
}

func TestKEVNotACatalogue(t *testing.T) {
	tests := []struct{ name, input, where, message string }{
		{"trivy report", `{"SchemaVersion": 2, "Results": []}`, "/ (line 1)", "not a KEV catalogue"},
		{"array", `[]`, "/ (line 1)", "expected the KEV catalogue"},
		{"truncated", "{\n\"vulnerabilities\": [\n{\"cveID\": \"CVE-2021-", "/vulnerabilities/0/cveID (line 3)", "truncated"},
		{"syntax", "{\n\"count\": 1,,\n}", "line 2", "malformed JSON"},
		{"vulnerabilities not a list", `{"vulnerabilities": {}}`, "/vulnerabilities", "unexpected object"},
		{"empty", ``, "/ (line 1)", "expected the KEV catalogue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := feed.ParseKEV(strings.NewReader(tt.input), func(vuln.KEV) error { return nil })
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Invalid || !strings.Contains(e.Fields[0].Field, tt.where) || !strings.Contains(e.Fields[0].Message, tt.message) {
				t.Errorf("got %v; want %q at %q", err, tt.message, tt.where)
			}
		})
	}
}

func TestEPSSFile(t *testing.T) {
	f, err := os.Open(filepath.Join(sharedFixtures(t), "epss-sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []vuln.EPSS
	file, err := feed.ParseEPSS(f, func(e vuln.EPSS) error { rows = append(rows, e); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if file.ModelVersion != "v2023.03.01" || !file.ScoreDate.Equal(date("2025-02-20")) || file.Rows != 5 || len(rows) != 5 || file.Skipped != 0 {
		t.Fatalf("file %+v", file)
	}
	if r := rows[4]; r.CVE != "CVE-1999-0005" || r.Probability != 0.91963 || r.Percentile != 0.99214 || r.ModelVersion != "v2023.03.01" {
		t.Errorf("last row %+v", r)
	}
}

func TestEPSSBadRows(t *testing.T) {
	const doc = "#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\n" +
		"cve,epss,percentile\n" +
		"CVE-2021-44228,0.94400,0.99990\n" +
		"CVE-2021-4,0.5,0.5\n" +
		"CVE-2022-0001,1.5,0.5\n" +
		"CVE-2022-0002,0.1,high\n" +
		"CVE-2022-0003,0.1\n" +
		"\"CVE-2022-0004,0.1,0.2\n"
	var got []string
	file, err := feed.ParseEPSS(strings.NewReader(doc), func(e vuln.EPSS) error { got = append(got, e.CVE); return nil })
	if err != nil {
		t.Fatal(err)
	}
	wantLines := []int{4, 5, 6, 7, 8}
	if len(got) != 1 || file.Rows != 1 || file.Skipped != len(wantLines) {
		t.Fatalf("rows %v, file %+v", got, file)
	}
	for i, l := range wantLines {
		if file.Problems[i].Line != l {
			t.Errorf("problem %d on line %d, want %d: %+v", i, file.Problems[i].Line, l, file.Problems[i])
		}
	}
}

func TestEPSSNotAnEPSSFile(t *testing.T) {
	tests := []struct{ name, input, where, message string }{
		{"kev json", `{"vulnerabilities": []}`, "line 1", "header"},
		{"wrong header", "#model_version:v1,score_date:2025-01-01\ncve,score\n", "line 2", "header"},
		{"empty", "", "line 1", "empty"},
		{"bad score date", "#model_version:v1,score_date:yesterday\ncve,epss,percentile\n", "line 1", "not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := feed.ParseEPSS(strings.NewReader(tt.input), func(vuln.EPSS) error { return nil })
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Invalid || e.Fields[0].Field != tt.where || !strings.Contains(e.Fields[0].Message, tt.message) {
				t.Errorf("got %v; want %q at %q", err, tt.message, tt.where)
			}
		})
	}
}

func TestDemoSamples(t *testing.T) {
	kev := feed.DemoKEV()
	defer kev.Close()
	cat, err := feed.ParseKEV(kev, func(vuln.KEV) error { return nil })
	if err != nil || cat.Entries != 5 || cat.Count != 5 || len(cat.Problems) != 0 {
		t.Errorf("demo KEV: %+v, %v", cat, err)
	}
	epss := feed.DemoEPSS()
	defer epss.Close()
	file, err := feed.ParseEPSS(epss, func(vuln.EPSS) error { return nil })
	if err != nil || file.Rows != 9 || file.Skipped != 0 || file.ModelVersion == "" {
		t.Errorf("demo EPSS: %+v, %v", file, err)
	}
}

package importer_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func sp(s string) *string { return &s }

func TestParseCSVValid(t *testing.T) {
	kind := func(k cmdb.Kind) *cmdb.Kind { return &k }
	tests := []struct {
		name string
		in   string
		want []cmdb.Candidate
	}{
		{
			name: "every column",
			in: "name,kind,description,environment,owner,support_group,business_criticality,data_classification," +
				"internet_exposed,supplier,lifecycle_status,hostnames,fqdns,ips,macs,serial,cloud_id,tags,attr.rack\n" +
				"web-01,server,Front web,Production,alice,NOC,4,confidential,yes,Dell,operational,web-01,web-01.example.com," +
				"10.0.0.1;2001:DB8::1,00-11-22-AA-BB-CC,SN1,i-0abc,web;dmz,R12\n",
			want: []cmdb.Candidate{{
				Row: 1, Label: "row 1 (web-01)",
				Identifiers: cmdb.Identifiers{Hostnames: []string{"web-01"}, FQDNs: []string{"web-01.example.com"},
					IPs: []string{"10.0.0.1", "2001:db8::1"}, MACs: []string{"00:11:22:aa:bb:cc"}, Serial: "SN1", CloudID: "i-0abc"},
				Fields: cmdb.Update{Name: sp("web-01"), Kind: kind(cmdb.KindServer), Description: sp("Front web"),
					Environment: sp("production"), Owner: sp("alice"), SupportGroup: sp("NOC"), Criticality: new(4),
					DataClassification: sp("confidential"), InternetExposed: new(true), Supplier: sp("Dell"),
					LifecycleStatus: sp("operational"), Tags: &[]string{"web", "dmz"},
					Attributes: &map[string]any{"rack": "R12"}},
			}},
		},
		{
			name: "BOM, any case, singular names, quoting, CRLF, empty cells not given",
			in: "\ufeff\"Name\",KIND,IP,Hostname,Description,ATTR.Room,attr.os,Internet_Exposed\r\n" +
				"db-1,Business Service,10.0.0.2,,\"two\r\nlines, and a comma\",,,0\r\n" +
				",,10.0.0.3,,,B2,,\r\n",
			want: []cmdb.Candidate{
				{Row: 1, Label: "row 1 (db-1)", Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.2"}},
					Fields: cmdb.Update{Name: sp("db-1"), Kind: kind(cmdb.KindBusinessService),
						Description: sp("two\nlines, and a comma"), InternetExposed: new(false)}},
				{Row: 2, Label: "row 2 (10.0.0.3)", Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.3"}},
					Fields: cmdb.Update{Attributes: &map[string]any{"Room": "B2"}}},
			},
		},
		{
			name: "multiple values with spaces and empty parts, repeated values once",
			in:   "ips,tags,macs\n\" 10.0.0.1 ; ;10.0.0.1;10.0.0.2 \",a; b ;,001122334455\n",
			want: []cmdb.Candidate{{Row: 1, Label: "row 1 (00:11:22:33:44:55)",
				Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.1", "10.0.0.2"}, MACs: []string{"00:11:22:33:44:55"}},
				Fields:      cmdb.Update{Tags: &[]string{"a", "b"}}}},
		},
		{name: "header only", in: "name,ips\n", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.ParseCSV(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", dump(got), dump(tt.want))
			}
		})
	}
}

func dump(cs []cmdb.Candidate) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "row %d %q ids=%+v problems=%v\n  fields:", c.Row, c.Label, c.Identifiers, c.Problems)
		v := reflect.ValueOf(c.Fields)
		for i := range v.NumField() {
			if f := v.Field(i); !f.IsNil() {
				fmt.Fprintf(&b, " %s=%v", v.Type().Field(i).Name, f.Elem())
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestParseCSVFileErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", []string{"line 1", "header row"}},
		{"unknown columns", "name,colour,ips,IP Address\n", []string{`unknown column "colour" (column 2)`,
			`unknown column "IP Address" (column 4)`, "columns: name, kind"}},
		{"repeated column", "ip,name,IPS\n", []string{`column "IPS" (column 3) repeats "ip"`}},
		{"repeated attribute", "attr.rack,ATTR.rack\n", []string{`repeats "attr.rack"`}},
		{"column without name", "name,,ips\n", []string{"column 2 has no name"}},
		{"attribute without name", "name,attr.\n", []string{`column 2 "attr." names no attribute`}},
		{"bare quote", "name,ips\nweb\"1,10.0.0.1\n", []string{"line 2, column 4", "bare \" in non-quoted-field"}},
		{"unterminated quote", "name,ips\nweb,\"10.0.0.1\nnext,10.0.0.2\n", []string{"line 3, column 15", "extraneous or missing \" in quoted-field, in the record that starts on line 2"}},
		{"too many columns", strings.Repeat("attr.a,", 256) + "name\n", []string{"at most 256 columns"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.ParseCSV(strings.NewReader(tt.in))
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("got %d candidates, error %v; want Invalid", len(got), err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestParseCSVBadCells: each bad cell rejects only its row, naming the
// column as the header wrote it; the rows around it are clean.
func TestParseCSVBadCells(t *testing.T) {
	tests := []struct {
		column, cell string
		want         string // "field: message substring"
	}{
		{"business_criticality", "7", "business_criticality: must be a whole number from 1 to 5, not 7"},
		{"Business_Criticality", "high", `Business_Criticality: must be a whole number from 1 to 5, not "high"`},
		{"kind", "toaster", `kind: "toaster" is not a CI kind; use one of business_service,`},
		{"internet_exposed", "maybe", `internet_exposed: must be true or false (or yes/no, 1/0), not "maybe"`},
		{"data_classification", "secret", `data_classification: "secret" is not allowed; use one of public, internal`},
		{"lifecycle_status", "dead", `lifecycle_status: "dead" is not allowed; use one of planned`},
		{"ip", "10.0.0.300", `ip: "10.0.0.300" is not an IP address`},
		{"ips", "10.0.0.1;fe80::1%eth0", `ips: "fe80::1%eth0" is not an IP address`},
		{"macs", "zz:zz", `macs: "zz:zz" is not a MAC address`},
		{"fqdn", "single", `fqdn: "single" is not a fully qualified domain name`},
		{"hostnames", "bad_name!", `hostnames: "bad_name!" is not a valid host name`},
		{"serial", "SN\x01", "serial: must not contain control characters"},
		{"description", "caf\xe9", "description: is not valid UTF-8 text"},
		{"owner", "al\x00ice", "owner: must not contain control characters (NUL at character 3)"},
		{"supplier", "\x1b[31mred", "supplier: must not contain control characters (U+001B at character 1)"},
		{"environment", "prod\u009b", "environment: must not contain control characters (U+009B"},
		{"support_group", "two\nlines", "support_group: must be a single line"},
		{"attr.rack", "B\x00", "attr.rack: must not contain control characters (NUL"},
		{"description", "a\x00", "description: must not contain control characters (NUL"},
		{"tags", "ok;b\x07ad", "tags: must not contain control characters (U+0007"},
		{"description", strings.Repeat("x", 64<<10+1), "description: must be at most 65536 bytes"},
		{"tags", strings.Repeat("t;", 1001), "tags: at most 1000 values"},
	}
	for _, tt := range tests {
		t.Run(tt.column+"="+clipTest(tt.cell), func(t *testing.T) {
			in := "name,ips," + tt.column + "\n" +
				"a,10.1.0.1,\n" +
				"b,10.1.0.2,\"" + tt.cell + "\"\n" +
				"c,10.1.0.3,\n"
			if tt.column == "ip" || tt.column == "ips" {
				in = strings.Replace(in, "name,ips,", "name,hostnames,", 1)
				in = strings.NewReplacer(",10.1.0.1,", ",a,", ",10.1.0.2,", ",b,", ",10.1.0.3,", ",c,").Replace(in)
			}
			got, err := importer.ParseCSV(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 {
				t.Fatalf("%d candidates, want 3", len(got))
			}
			for _, i := range []int{0, 2} {
				if len(got[i].Problems) > 0 {
					t.Errorf("row %d: problems %v", got[i].Row, got[i].Problems)
				}
			}
			c := got[1]
			if c.Row != 2 || c.Label != "row 2 (b)" {
				t.Errorf("row %d label %q", c.Row, c.Label)
			}
			if len(c.Problems) != 1 || !strings.HasPrefix(c.Problems[0].Field+": "+c.Problems[0].Message, tt.want) {
				t.Errorf("problems %v, want one starting %q", c.Problems, tt.want)
			}
		})
	}
}

// TestParseTextInLabels: what a row quotes from the file in its label
// or problems is escaped, so the stored report is text on any engine; a
// line break in a quoted description is text.
func TestParseTextInLabels(t *testing.T) {
	in := "name,description,ips\n" +
		"\"we\x1bb\x00\",,10.0.0.1\n" +
		"ok,\"two\nlines\",10.0.0.2\n"
	in = strings.ReplaceAll(in, `\"`, `"`)
	got, err := importer.ParseCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d candidates", len(got))
	}
	// The refused cell is not used, not even for the label.
	if want := `row 1 (10.0.0.1)`; got[0].Label != want || len(got[0].Problems) != 1 {
		t.Errorf("label %q (want %q), problems %v", got[0].Label, want, got[0].Problems)
	}
	if len(got[1].Problems) > 0 || got[1].Fields.Description == nil || *got[1].Fields.Description != "two\nlines" {
		t.Errorf("long text row: %s", dump(got[1:]))
	}
	// A JSON item keeps a bad name for its label: escaped.
	items, err := importer.ParseJSON(strings.NewReader(`[{"name":"we\u001bb\u0000","identifiers":{"ips":["10.0.0.1"]}}]`))
	if err != nil || len(items) != 1 || items[0].Label != `item 1 (we\u001bb\u0000)` || len(items[0].Problems) != 1 {
		t.Errorf("JSON item with ESC and NUL in its name: %s (%v)", dump(items), err)
	}
	_, err = importer.ParseCSV(strings.NewReader("name,attr.a\x1bb\nx,1\n"))
	if e, ok := errs.As(err); !ok || len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, "control characters") {
		t.Errorf("attribute column with ESC: %v", err)
	}
}

func clipTest(s string) string {
	if len(s) > 20 {
		return s[:20]
	}
	return s
}

func TestParseCSVWrongCellCount(t *testing.T) {
	got, err := importer.ParseCSV(strings.NewReader("name,ips\na,10.0.0.1\nb\nc,10.0.0.3,extra\nd,10.0.0.4\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"", "row: has 1 cells, the header has 2", "row: has 3 cells, the header has 2", ""}
	for i, c := range got {
		p := ""
		if len(c.Problems) > 0 {
			p = c.Problems[0].Field + ": " + c.Problems[0].Message
		}
		if p != want[i] {
			t.Errorf("row %d: %q, want %q", c.Row, p, want[i])
		}
	}
	if len(got) != 4 || got[2].Identifiers.IPs[0] != "10.0.0.3" {
		t.Errorf("got %s", dump(got))
	}
}

func TestParseRowLimit(t *testing.T) {
	defer importer.SetMaxRows(2)()
	for _, tt := range []struct {
		format, ok, tooMany string
	}{
		{"csv", "ips\n10.0.0.1\n10.0.0.2\n", "ips\n10.0.0.1\n10.0.0.2\n10.0.0.3\n"},
		{"json", `[{"name":"a"},{"name":"b"}]`, `[{"name":"a"},{"name":"b"},{"name":"c"}]`},
		{"nmap", nmapHosts(2), nmapHosts(3)},
	} {
		if got, err := importer.Parse(tt.format, strings.NewReader(tt.ok)); err != nil || len(got) != 2 {
			t.Errorf("%s at the limit: %d candidates, %v", tt.format, len(got), err)
		}
		_, err := importer.Parse(tt.format, strings.NewReader(tt.tooMany))
		if errs.KindOf(err) != errs.TooLarge || !strings.Contains(err.Error(), "more than 2") {
			t.Errorf("%s over the limit: %v, want TooLarge", tt.format, err)
		}
	}
}

func nmapHosts(n int) string {
	var b strings.Builder
	b.WriteString("<nmaprun>")
	for i := range n {
		fmt.Fprintf(&b, `<host><status state="up" reason="echo-reply"/><address addr="10.0.0.%d" addrtype="ipv4"/></host>`, i+1)
	}
	b.WriteString(`<runstats><finished exit="success"/></runstats></nmaprun>`)
	return b.String()
}

func TestParseFormat(t *testing.T) {
	for _, f := range []string{"csv", " CSV ", "Json", "NMAP"} {
		if _, err := importer.Parse(f, strings.NewReader("")); errs.KindOf(err) != errs.Invalid ||
			strings.Contains(err.Error(), "format") {
			t.Errorf("format %q: %v (want a file error, not a format error)", f, err)
		}
	}
	_, err := importer.Parse("xlsx", strings.NewReader("x"))
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "format" {
		t.Errorf("unknown format: %v", err)
	}
}

package importer_test

import (
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestParseJSONValid(t *testing.T) {
	kind := func(k cmdb.Kind) *cmdb.Kind { return &k }
	full := cmdb.Candidate{
		Row: 1, Label: "item 1 (web-01)",
		Identifiers: cmdb.Identifiers{Hostnames: []string{"web-01"}, FQDNs: []string{"web-01.example.com"},
			IPs: []string{"10.0.0.1", "2001:db8::1"}, MACs: []string{"00:11:22:aa:bb:cc"}, Serial: "SN1", CloudID: "i-0abc"},
		Fields: cmdb.Update{Name: sp("web-01"), Kind: kind(cmdb.KindServer), Description: sp("Front web"),
			Environment: sp("production"), Owner: sp("alice"), SupportGroup: sp("NOC"), Criticality: new(4),
			DataClassification: sp("confidential"), InternetExposed: new(true), Supplier: sp("Dell"),
			LifecycleStatus: sp("operational"), Tags: &[]string{"web", "dmz"},
			Attributes: &map[string]any{"rack": "R12", "ports": []any{float64(22), float64(443)}}},
	}
	fullJSON := `{"name":"web-01","kind":"server","description":"Front web","environment":"production","owner":"alice",
	  "support_group":"NOC","business_criticality":4,"data_classification":"Confidential","internet_exposed":true,
	  "supplier":"Dell","lifecycle_status":"operational",
	  "identifiers":{"hostnames":["web-01"],"fqdns":["web-01.example.com"],"ips":["10.0.0.1","2001:DB8::1"],
	    "macs":["00-11-22-AA-BB-CC"],"serial":"SN1","cloud_id":"i-0abc"},
	  "tags":["web","dmz"],"attributes":{"rack":"R12","ports":[22,443]}}`
	exported := `{"key":"CI-7","name":"db-1","kind":"database","version":3,"created_at":"2026-01-01T00:00:00Z",
	  "updated_at":"2026-01-02T00:00:00Z","identifiers":{"ips":["10.0.0.9"]}}`
	db1 := cmdb.Candidate{Row: 1, Label: "item 1 (db-1)", Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.9"}},
		Fields: cmdb.Update{Name: sp("db-1"), Kind: kind(cmdb.KindDatabase)}}
	tests := []struct {
		name string
		in   string
		want []cmdb.Candidate
	}{
		{"every field", "[" + fullJSON + "]", []cmdb.Candidate{full}},
		{"items object", `{"items":[` + fullJSON + `]}`, []cmdb.Candidate{full}},
		{"exported page: read-only fields and page keys ignored",
			`{"items":[` + exported + `],"total":1,"next_cursor":"abc"}`, []cmdb.Candidate{db1}},
		{"null is not given, empty string is a value, empty arrays clear",
			`[{"identifiers":{"ips":["10.0.0.5"],"macs":null},"owner":"","supplier":null,"tags":[],"attributes":{}}]`,
			[]cmdb.Candidate{{Row: 1, Label: "item 1 (10.0.0.5)", Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.5"}},
				Fields: cmdb.Update{Owner: sp(""), Tags: &[]string{}, Attributes: &map[string]any{}}}}},
		{"empty array", " [ ] ", nil},
		{"empty items", `{"items":[]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.ParseJSON(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", dump(got), dump(tt.want))
			}
		})
	}
}

func TestParseJSONFileErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", []string{"line 1", "the file is empty"}},
		{"scalar", `"web-01"`, []string{"expected an array of CIs"}},
		{"syntax error with line and column", "[\n  {\"name\": \"a\"},\n  {\"name\" \"b\"}\n]",
			[]string{"line 3, column 11 (byte offset 29)", "invalid character '\"' after object key"}},
		{"truncated", "[\n {\"name\": \"a\"},\n {\"name\": \"b", []string{"line 3", "ends in the middle of a JSON value"}},
		{"truncated after an item", "[{\"name\": \"a\"},", []string{"ends in the middle"}},
		{"trailing data", `[{"name":"a"}] [`, []string{"unexpected data after the end"}},
		{"unknown top-level key", `{"item":[]}`, []string{`line 1, column 2 (byte offset 1)`, `unknown key "item"`}},
		{"no items", `{"total":3}`, []string{`no "items" array`}},
		{"items not an array", `{"items":{"name":"a"}}`, []string{`"items" must be an array`}},
		{"items twice", `{"items":[],"items":[]}`, []string{`"items" is given twice`}},
		{"bad escape", `[{"name":"\x"}]`, []string{"line 1, column 12", "invalid character 'x' in string escape code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.ParseJSON(strings.NewReader(tt.in))
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("got %d candidates, error %v; want Invalid", len(got), err)
			}
			if got != nil {
				t.Errorf("candidates returned with the error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestParseJSONBadFields: unknown fields and wrong types reject their item
// only, naming the field by its JSON path.
func TestParseJSONBadFields(t *testing.T) {
	tests := []struct {
		item string
		want []string // "field: message" prefixes, in order
	}{
		{`{"colour":"red"}`, []string{"colour: unknown field"}},
		{`{"name":7}`, []string{"name: must be a string"}},
		{`{"name":"a","name":"b"}`, []string{"name: is given twice"}},
		{`{"kind":"toaster"}`, []string{`kind: "toaster" is not a CI kind`}},
		{`{"kind":["server"]}`, []string{"kind: must be a string"}},
		{`{"business_criticality":"3"}`, []string{"business_criticality: must be a number from 1 to 5"}},
		{`{"business_criticality":2.5}`, []string{"business_criticality: must be a whole number from 1 to 5, not 2.5"}},
		{`{"business_criticality":9}`, []string{"business_criticality: must be a whole number from 1 to 5, not 9"}},
		{`{"internet_exposed":"yes"}`, []string{"internet_exposed: must be true or false"}},
		{`{"data_classification":"secret"}`, []string{`data_classification: "secret" is not allowed`}},
		{`{"lifecycle_status":1}`, []string{"lifecycle_status: must be a string"}},
		{`{"tags":"a;b"}`, []string{"tags: must be an array of strings"}},
		{`{"tags":["a",1]}`, []string{"tags: must be an array of strings"}},
		{`{"attributes":[1]}`, []string{"attributes: must be a JSON object"}},
		{`{"identifiers":["10.0.0.1"]}`, []string{"identifiers: must be an object"}},
		{`{"identifiers":{"ip":["10.0.0.1"]}}`, []string{"identifiers.ip: unknown identifier"}},
		{`{"identifiers":{"ips":"10.0.0.1"}}`, []string{"identifiers.ips: must be an array of strings"}},
		{`{"identifiers":{"ips":["10.0.0.1","10.0.0.300"]}}`, []string{`identifiers.ips[1]: "10.0.0.300" is not an IP address`}},
		{`{"identifiers":{"macs":["zz"]},"tags":{}}`, []string{`identifiers.macs[0]: "zz" is not a MAC address`,
			"tags: must be an array of strings"}},
		{`{"identifiers":{"serial":5}}`, []string{"identifiers.serial: must be a string"}},
		{`{"identifiers":{"fqdns":["web"]}}`, []string{`identifiers.fqdns[0]: "web" is not a fully qualified`}},
		{`{"identifiers":{"ips":[],"ips":[]}}`, []string{"identifiers.ips: is given twice"}},
		{`{"description":"` + strings.Repeat("x", 64<<10+1) + `"}`, []string{"description: must be at most 65536 bytes"}},
		{`[1,2]`, []string{"item: must be a JSON object"}},
		{`{"name":"zz\u0000"}`, []string{"name: must not contain control characters (NUL at character 3)"}},
		{"{\"owner\":\"al\xffice\"}", []string{"owner: is not valid UTF-8 text"}},
		{`{"identifiers":{"serial":"S\u001b[2J"}}`, []string{"identifiers.serial: must not contain control characters (U+001B",
			"identifiers.serial: must not contain control characters"}},
		{`{"supplier":"a\ud800"}`, []string{"supplier: holds an unpaired UTF-16 surrogate"}},
		{`{"name":"a\nb","description":"a\nb","attributes":{"motd":"a\nb"}}`, []string{"name: must be a single line"}},
		{`{"attributes":{"k\u0000":1}}`, []string{`attributes.k\u0000: must not contain control characters (NUL`}},
		{`{"c\u0000lour":1}`, []string{`c\u0000lour: must not contain control characters (NUL`, `c\u0000lour: unknown field`}},
		{`"web-01"`, []string{"item: must be a JSON object"}},
		{`{"attributes":{"blob":"` + strings.Repeat("x", 1<<20) + `"}}`, []string{"item: must be at most 1048576 bytes"}},
	}
	for _, tt := range tests {
		t.Run(clipTest(tt.item), func(t *testing.T) {
			in := `[{"name":"a","identifiers":{"ips":["10.0.0.1"]}},` + "\n" + tt.item + ",\n" + `{"name":"c"}]`
			got, err := importer.ParseJSON(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || len(got[0].Problems) > 0 || len(got[2].Problems) > 0 {
				t.Fatalf("got %s", dump(got))
			}
			c := got[1]
			if c.Row != 2 || !strings.HasPrefix(c.Label, "item 2") {
				t.Errorf("row %d label %q", c.Row, c.Label)
			}
			if len(c.Problems) != len(tt.want) {
				t.Fatalf("problems %v, want %q", c.Problems, tt.want)
			}
			for i, w := range tt.want {
				if p := c.Problems[i].Field + ": " + c.Problems[i].Message; !strings.HasPrefix(p, w) {
					t.Errorf("problem %q, want prefix %q", p, w)
				}
			}
		})
	}
}

// failingReader returns data, then an error that is not about the content.
type failingReader struct {
	data string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestParseReadError: a failure of the reader (a body over the size limit)
// is returned as itself, not reported as a problem of the file.
func TestParseReadError(t *testing.T) {
	cause := errors.New("http: request body too large")
	for _, tt := range []struct{ format, start string }{
		{"csv", "name,ips\na,10.0.0.1\n"},
		{"json", `[{"name":"a"},`},
		{"nmap", "<nmaprun><host>"},
	} {
		_, err := importer.Parse(tt.format, &failingReader{data: tt.start, err: cause})
		if !errors.Is(err, cause) || errs.KindOf(err) == errs.Invalid {
			t.Errorf("%s: %v (kind %s), want the reader's error", tt.format, err, errs.KindOf(err))
		}
	}
	var _ io.Reader = (*failingReader)(nil)
}

// TestParseJSONErrorPositionFarIn: positions stay exact past the window the
// parser keeps, and inside an item larger than that window.
func TestParseJSONErrorPositionFarIn(t *testing.T) {
	var b strings.Builder
	b.WriteString("{\"items\": [\n")
	for range 5000 {
		b.WriteString(`  {"name": "host", "identifiers": {"ips": ["10.0.0.1"]}},` + "\n")
	}
	b.WriteString(`  {"name": "big", "description": "` + strings.Repeat("x", 300<<10) + "\",\n")
	b.WriteString(`   "tags": ["a" "b"]}` + "\n]}\n")
	offset := strings.Index(b.String(), `"a" "b"`) + 4
	_, err := importer.ParseJSON(strings.NewReader(b.String()))
	want := "line 5003, column 17 (byte offset " + itoa(offset) + "): invalid character '\"' after array element"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

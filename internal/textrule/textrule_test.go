package textrule_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

func TestProblem(t *testing.T) {
	cases := []struct {
		name string
		in   string
		long bool
		want string // substring of the problem; "" when accepted
	}{
		{"plain", "web-01", false, ""},
		{"unicode", "Zürich Ω 東京", false, ""},
		{"tab", "a\tb", false, ""},
		{"empty", "", false, ""},
		{"NUL", "admin\x00", false, "NUL at character 6"},
		{"ESC", "a\x1b[31m", false, "U+001B at character 2"},
		{"bell", "\a", false, "U+0007"},
		{"DEL", "a\x7f", false, "U+007F"},
		{"C1 CSI", "a\u009b31m", false, "U+009B"},
		{"LF in a line", "a\nb", false, "single line"},
		{"LF in long text", "a\nb", true, ""},
		{"CR in long text", "a\r\nb", true, "not CR"},
		{"CR in a line", "a\rb", false, "U+000D"},
		{"NUL in long text", "a\n\x00", true, "NUL at character 3"},
		{"invalid UTF-8", "a\xffb", false, "not valid UTF-8 text (byte 2)"},
		{"truncated UTF-8", "\xc3", true, "not valid UTF-8"},
		{"replacement character is text", "a\ufffdb", false, ""},
		{"bidi override is text (escaped on output only)", "a\u202eb", false, ""},
	}
	for _, c := range cases {
		got := textrule.Problem(c.in, c.long)
		switch {
		case c.want == "" && got != "":
			t.Errorf("%s: refused %q: %s", c.name, c.in, got)
		case c.want != "" && !strings.Contains(got, c.want):
			t.Errorf("%s: problem %q, want it to mention %q", c.name, got, c.want)
		case strings.ContainsAny(got, "\x00\x1b\x7f\n\r") || strings.Contains(got, "\u009b"):
			t.Errorf("%s: the message itself carries a control character: %q", c.name, got)
		}
	}
}

func TestEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"web-01", "web-01"},
		{"C:\\temp", "C:\\temp"},
		{"Zürich", "Zürich"},
		{"\x1b[2J\x1b]0;pwned\a", `\u001b[2J\u001b]0;pwned\u0007`},
		{"a\tb\nc\rd", `a\u0009b\u000ac\u000dd`},
		{"\u009b1m", `\u009b1m`},
		{"del\x7f", `del\u007f`},
		{"\xff\xfe", `\xff\xfe`},
		{"abc\u202edcba", `abc\u202edcba`},
		{"\x00", `\u0000`},
	}
	for _, c := range cases {
		if got := textrule.Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
		if textrule.Safe(c.in) != (c.in == c.want) {
			t.Errorf("Safe(%q) = %v", c.in, textrule.Safe(c.in))
		}
	}
	// Escaped JSON stays JSON with the same meaning for everything but the
	// escaped characters, which keep theirs.
	raw, _ := json.Marshal(map[string]string{"v": "a\u009bb\x7f"})
	var back map[string]string
	if err := json.Unmarshal([]byte(textrule.Escape(string(raw))), &back); err != nil || back["v"] != "a\u009bb\x7f" {
		t.Errorf("escaped JSON %s reads back as %q (%v)", textrule.Escape(string(raw)), back["v"], err)
	}
}

func TestJSON(t *testing.T) {
	long := func(path string) bool { return path == "description" || strings.HasPrefix(path, "attributes.") }
	cases := []struct {
		name string
		in   string
		want []string // "field: message fragment"
	}{
		{"clean", `{"name":"web-01","description":"two\nlines","tags":["a","b"],"n":1,"ok":true,"x":null}`, nil},
		{"escaped NUL", `{"name":"zz-nul\u0000name"}`, []string{"name: NUL at character 7"}},
		{"raw invalid UTF-8", "{\"name\":\"a\xffb\"}", []string{"name: not valid UTF-8"}},
		{"LF in a single-line field", `{"name":"a\nb","description":"a\nb"}`, []string{"name: single line"}},
		{"nested arrays and objects", `{"identifiers":{"ips":["10.0.0.1","1\u001b"]},"attributes":{"os":{"name":"x\u0000"}}}`,
			[]string{"identifiers.ips[1]: U+001B", "attributes.os.name: NUL"}},
		{"bad key", `{"attributes":{"a\u0000b":"v"}}`, []string{`attributes.a\u0000b: NUL`}},
		{"lone high surrogate", `{"name":"a\ud800b"}`, []string{"name: unpaired UTF-16 surrogate"}},
		{"lone low surrogate", `{"name":"\udc00"}`, []string{"name: unpaired"}},
		{"surrogate pair is text", `{"name":"\ud83d\ude00"}`, nil},
		{"escapes that are text", `{"name":"a\/b\\c\"d\u00e9"}`, nil},
		{"top-level array", `[{"name":"ok"},{"name":"\u0007"}]`, []string{"[1].name: U+0007"}},
		{"top-level string", `"\u0000"`, []string{": NUL"}},
		{"CR escape in long text", `{"description":"a\r\nb"}`, []string{"description: not CR"}},
		{"C1 raw", "{\"name\":\"a\u009b\"}", []string{"name: U+009B"}},
	}
	for _, c := range cases {
		var fe errs.Fields
		textrule.JSON([]byte(c.in), long, "", &fe)
		if len(fe) != len(c.want) {
			t.Errorf("%s: %d problems %v, want %v", c.name, len(fe), fe, c.want)
			continue
		}
		for i, w := range c.want {
			field, frag, _ := strings.Cut(w, ": ")
			if fe[i].Field != field || !strings.Contains(fe[i].Message, frag) {
				t.Errorf("%s: problem %d is %q: %q, want %q: …%s…", c.name, i, fe[i].Field, fe[i].Message, field, frag)
			}
		}
	}
	// A prefix names rows of an import; many problems are capped.
	var fe errs.Fields
	textrule.JSON([]byte(`["\u0000","\u0000"]`), nil, "items", &fe)
	if len(fe) != 2 || fe[0].Field != "items[0]" {
		t.Errorf("prefixed: %v", fe)
	}
	fe = nil
	textrule.JSON([]byte("["+strings.Repeat(`"\u0000",`, 1000)+`""]`), nil, "", &fe)
	if len(fe) == 0 || len(fe) > 20 {
		t.Errorf("%d problems for 1000 bad strings, want 1..20", len(fe))
	}
}

// The walker never panics or loops on input the decoder would refuse.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `["\u0000",1,{"x":[true]}]`, `{"a":`, `"\ud800`, `{"a"`, `[`, `"\u12`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fe errs.Fields
		textrule.JSON(b, func(string) bool { return true }, "", &fe)
		if json.Valid(b) {
			var v any
			_ = json.Unmarshal(b, &v)
		}
	})
}

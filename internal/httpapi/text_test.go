package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// badText is one way to break the text rule, as it appears in a URL and in
// a JSON string.
type badText struct {
	name, url, json string
	msg             string // expected in the problem's message
}

var badTexts = []badText{
	{"NUL", "a%00b", `a\u0000b`, "control characters (NUL"},
	{"ESC", "a%1B%5B2J", `a\u001b[2J`, "control characters (U+001B"},
	{"invalid UTF-8", "a%FFb", "a\xffb", "not valid UTF-8"},
}

// textCase is one request with bad text in one place, and the field the
// 422 must name.
type textCase struct {
	where string // "path key", "query", "body", …
	q     req
	field string
}

// textCases builds, from the route table and the body schemas, a request
// per route × input × kind of bad text: each path key, each documented
// query parameter and one undocumented one, and each string in the JSON
// body (strings in arrays, nested objects and free attributes too).
func textCases(rs []route) []textCase {
	var out []textCase
	sch := schemas()
	for _, rt := range rs {
		params := pathParams(rt.path)
		for _, bt := range badTexts {
			for _, p := range params {
				out = append(out, textCase{"path key", req{method: rt.method, path: fillPath(rt.path, p, bt.url), body: validBody(rt)}, p})
			}
			names := []string{"zzz"}
			for _, qp := range rt.doc.query {
				names = append(names, qp.name)
			}
			for _, n := range names {
				out = append(out, textCase{"query", req{method: rt.method, path: fillPath(rt.path, "", "") + "?" + n + "=" + bt.url, body: validBody(rt)}, n})
			}
			if !rt.jsonBody() {
				continue
			}
			for _, b := range bodyCases(sch, rt.doc.body, bt.json) {
				out = append(out, textCase{"body", req{method: rt.method, path: fillPath(rt.path, "", ""), body: b.body}, b.field})
			}
		}
	}
	return out
}

// fillPath puts bad into the path key named bad (if any) and a plausible
// value into the others.
func fillPath(path, name, bad string) string {
	for _, p := range pathParams(path) {
		v := map[string]string{"key": "CI-1", "id": "1", "format": "csv", "username": "other", "name": "SOC"}[p]
		if p == name {
			v = bad
		}
		path = strings.Replace(path, "{"+p+"}", v, 1)
	}
	return path
}

// validBody is a body that reads, for requests whose bad text is elsewhere.
func validBody(rt route) any {
	switch {
	case rt.doc.body == "Upload":
		return "name,ips\nok,10.0.0.1\n"
	case rt.doc.body == "CIBulk":
		return "[]"
	case rt.jsonBody():
		return "{}"
	}
	return nil
}

type bodyCase struct {
	body  string
	field string
}

// bodyCases walks a body schema and returns one body per string in it,
// holding bad (already JSON-escaped) there.
func bodyCases(sch obj, name, bad string) []bodyCase {
	s, _ := sch[name].(obj)
	if s["type"] == "array" { // CIBulk: array of free objects, reconciled row by row
		return nil
	}
	var out []bodyCase
	props, _ := s["properties"].(obj)
	for _, p := range sortedKeys(props) {
		for _, v := range stringsIn(sch, props[p].(obj), p, bad) {
			out = append(out, bodyCase{"{" + v.body + "}", v.field})
		}
	}
	return out
}

// stringsIn returns `"name": <value with bad in a string>` for each string
// position of the property schema, with the field path that names it.
func stringsIn(sch obj, p obj, name, bad string) []bodyCase {
	member := func(v string) string { return fmt.Sprintf("%q: %s", name, v) }
	if r, ok := p["$ref"].(string); ok {
		p = sch[strings.TrimPrefix(r, "#/components/schemas/")].(obj)
	}
	switch p["type"] {
	case "string":
		if p["format"] == "date-time" || p["format"] == "binary" {
			return nil // not text: decoding refuses it as a mistyped value (400)
		}
		return []bodyCase{{member(`"` + bad + `"`), name}}
	case "array":
		var out []bodyCase
		for _, v := range stringsIn(sch, p["items"].(obj), "x", bad) {
			_, val, _ := strings.Cut(v.body, ": ")
			out = append(out, bodyCase{member("[" + val + "]"), name + "[0]" + strings.TrimPrefix(v.field, "x")})
		}
		return out
	case "object":
		if p["additionalProperties"] == true {
			return []bodyCase{
				{member(`{"k": "` + bad + `"}`), name + ".k"},
				{member(`{"` + bad + `": 1}`), name + "." + escapedKey(bad)},
			}
		}
		var out []bodyCase
		props, _ := p["properties"].(obj)
		for _, k := range sortedKeys(props) {
			for _, v := range stringsIn(sch, props[k].(obj), k, bad) {
				out = append(out, bodyCase{member("{" + v.body + "}"), name + "." + v.field})
			}
		}
		return out
	}
	return nil
}

// escapedKey is how a bad object key appears in a field path: escaped.
func escapedKey(jsonText string) string {
	var s string
	if err := json.Unmarshal([]byte(`"`+jsonText+`"`), &s); err != nil || strings.ContainsRune(s, '\ufffd') {
		return "a\\xffb" // the raw byte, as textrule.Escape writes it
	}
	out := ""
	for _, r := range s {
		if r < 0x20 {
			out += fmt.Sprintf(`\u%04x`, r)
		} else {
			out += string(r)
		}
	}
	return out
}

func sortedKeys(m obj) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestEveryRouteRefusesBadText walks every route of the table with NUL, an
// escape sequence and bytes that are not UTF-8 in each kind of input: the
// answer is a 422 naming the input, on both engines (PostgreSQL used to
// answer 500, SQLite stored the NUL), and anonymous callers never get a
// 500 either.
func TestEveryRouteRefusesBadText(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.fixture()
		cases := textCases(e.h.(*api).routes)
		seen := map[string]bool{}
		for _, c := range cases {
			seen[c.where] = true
			c.q.as = asAdmin
			r := e.do(c.q)
			if r.Code != 422 {
				t.Errorf("%s in %s %s: status %d, want 422: %s", c.where, c.q.method, c.q.path, r.Code, r.Body)
				continue
			}
			p := r.problem(t)
			if len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Errorf("%s in %s %s (body %v): errors %+v, want field %q", c.where, c.q.method, c.q.path, c.q.body, p.Errors, c.field)
			}
			c.q.as = asAnonymous
			if r := e.do(c.q); r.Code >= 500 {
				t.Errorf("anonymous %s %s: status %d: %s", c.q.method, c.q.path, r.Code, r.Body)
			}
		}
		for _, w := range []string{"path key", "query", "body"} {
			if !seen[w] {
				t.Errorf("no case puts bad text in the %s", w)
			}
		}
		if len(cases) < 300 {
			t.Errorf("only %d cases: the route walk lost routes", len(cases))
		}
	})
}

// Uploads: a bad file name is refused; a bad cell or item rejects its row
// with the reason and the rest imports; nothing is a 500.
func TestUploadsWithBadText(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for i, bt := range badTexts {
			// A part header cannot carry control characters, but an RFC 2231
			// encoded file name can.
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Disposition": {`form-data; name="file"; filename*=UTF-8''hosts` + bt.url + `.csv`}})
			fmt.Fprint(fw, "name,ips\nok,10.0.0.1\n")
			mw.Close()
			r := e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/csv", body: buf.Bytes(),
				headers: map[string]string{"Content-Type": mw.FormDataContentType()}}, 422)
			if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "filename" || !strings.Contains(p.Errors[0].Message, bt.msg) {
				t.Errorf("%s in the file name: %+v", bt.name, p.Errors)
			}

			cell, _ := url.PathUnescape(bt.url)
			csv := fmt.Sprintf("name,ips,owner\ngood-%d,10.3.%d.1,\nbad,10.3.%d.2,%s\n", i, i, i, cell)
			var rep struct {
				Created, Rejected int
				Rows              []struct {
					Action string
					Errors []struct{ Field, Message string }
				}
			}
			e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/csv", body: csv, headers: csvType}, 201).decode(t, &rep)
			// The report keeps only the rejected row.
			if rep.Created+rep.Rejected != 2 || rep.Rejected != 1 || len(rep.Rows) != 1 || rep.Rows[0].Action != "rejected" ||
				len(rep.Rows[0].Errors) == 0 || rep.Rows[0].Errors[0].Field != "owner" || !strings.Contains(rep.Rows[0].Errors[0].Message, bt.msg) {
				t.Errorf("%s in a CSV cell: %+v", bt.name, rep)
			}

			bulk := fmt.Sprintf(`[{"name":"bulk-ok-%d","identifiers":{"ips":["10.4.%d.1"]}},{"name":"x","owner":"%s","identifiers":{"ips":["10.4.%d.2"]}}]`, i, i, bt.json, i)
			e.must(req{as: asAgent, method: "POST", path: "/api/v1/cis/bulk", body: bulk}, 201).decode(t, &rep)
			if rep.Rejected != 1 || len(rep.Rows) != 1 || len(rep.Rows[0].Errors) == 0 || rep.Rows[0].Errors[0].Field != "owner" || !strings.Contains(rep.Rows[0].Errors[0].Message, bt.msg) {
				t.Errorf("%s in a bulk item: %+v", bt.name, rep)
			}
			e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/json", body: bulk}, 201).decode(t, &rep)
			if rep.Rejected != 1 {
				t.Errorf("%s in a JSON import item: %+v", bt.name, rep)
			}
		}
		// A strict import with a NUL cell is refused whole, naming the row.
		e.run(t, nil, []step{{name: "strict NUL", q: req{as: asAgent, method: "POST", path: "/api/v1/imports/csv?strict=true",
			body: "name,ips\nz\x00,10.5.0.1\n", headers: csvType}, want: 422, contains: []string{`"field":"row 1: name"`}}})
	})
}

// Long text keeps its line breaks; single-line fields do not take them.
func TestLineBreaks(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.run(t, nil, []step{
			{name: "description with lines", q: req{as: asAgent, method: "POST", path: "/api/v1/cis",
				body: `{"name":"lines","kind":"server","description":"one\ntwo\tcols","attributes":{"motd":"a\nb"}}`},
				want: 201, contains: []string{`"description":"one\ntwo\tcols"`, `"motd":"a\nb"`}},
			{name: "name with a line break", q: req{as: asAgent, method: "POST", path: "/api/v1/cis", body: `{"name":"a\nb","kind":"server"}`},
				want: 422, contains: []string{`"field":"name"`, "single line"}},
			{name: "attribute key with a line break", q: req{as: asAgent, method: "POST", path: "/api/v1/cis", body: `{"name":"k","kind":"server","attributes":{"a\nb":1}}`},
				want: 422, contains: []string{`"field":"attributes.a\\u000ab"`}},
			{name: "CRLF in a description", q: req{as: asAgent, method: "POST", path: "/api/v1/cis", body: `{"name":"crlf","kind":"server","description":"a\r\nb"}`},
				want: 422, contains: []string{`"field":"description"`, "not CR"}},
			{name: "team description is one line", q: req{as: asAdmin, method: "POST", path: "/api/v1/teams", body: `{"name":"Lines","description":"one\ntwo"}`},
				want: 422, contains: []string{`"field":"description"`}},
			{name: "unpaired surrogate", q: req{as: asAgent, method: "POST", path: "/api/v1/cis", body: `{"name":"\udc00","kind":"server"}`},
				want: 422, contains: []string{`"field":"name"`, "surrogate"}},
		})
	})
}

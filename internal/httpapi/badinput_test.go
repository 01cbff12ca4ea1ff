package httpapi

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rampart-itsm/rampart/internal/services"
)

// Bodies the API must refuse with a 400 naming what is wrong, changing
// nothing.
func TestMalformedJSONBodies(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		cases := []struct {
			name, body string
			want       int
			field      string // expected in errors[].field
			detail     string // expected in detail
		}{
			{"syntax error", `{"name": "x", "kind": server}`, 400, "", "byte offset 23"},
			{"truncated", `{"name": "x", "kind": "server"`, 400, "", "ends before"},
			{"empty", ``, 400, "", "empty"},
			{"unknown field", `{"name": "x", "kind": "server", "colour": "red"}`, 400, "colour", ""},
			{"unknown nested field", `{"name": "x", "kind": "server", "identifiers": {"ipv4": ["1.2.3.4"]}}`, 400, "ipv4", ""},
			{"wrong type", `{"name": "x", "kind": "server", "business_criticality": "high"}`, 400, "business_criticality", ""},
			{"wrong nested type", `{"name": "x", "kind": "server", "identifiers": {"ips": [10]}}`, 400, "identifiers.ips", ""},
			{"not an object", `["x"]`, 400, "", "must be a JSON object"},
			{"two values", `{"name": "x", "kind": "server"} {"name": "y"}`, 400, "", "more than one JSON value"},
			{"trailing garbage", `{"name": "x", "kind": "server"} }`, 400, "", "after the JSON value"},
			{"read-only field", `{"name": "x", "kind": "server", "key": "CI-1"}`, 400, "key", ""},
			{"valid JSON, invalid value", `{"name": "x", "kind": "server", "business_criticality": 9}`, 422, "business_criticality", ""},
		}
		for _, c := range cases {
			before := e.countCIs()
			r := e.do(req{as: asAdmin, method: "POST", path: "/api/v1/cis", body: c.body})
			if r.Code != c.want {
				t.Errorf("%s: status %d, want %d: %s", c.name, r.Code, c.want, r.Body)
				continue
			}
			p := r.problem(t)
			if c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field) {
				t.Errorf("%s: errors %+v, want field %q", c.name, p.Errors, c.field)
			}
			if c.detail != "" && !strings.Contains(p.Detail, c.detail) {
				t.Errorf("%s: detail %q lacks %q", c.name, p.Detail, c.detail)
			}
			if e.countCIs() != before {
				t.Errorf("%s: a CI was created", c.name)
			}
		}
	})
}

// endless is an io.Reader of n bytes of b, for bodies over the limits
// without holding them in memory.
type endless struct {
	b byte
	n int64
}

func (r *endless) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

func TestOversizedBodies(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		before := e.countCIs()
		big := io.MultiReader(strings.NewReader(`{"name": "x", "kind": "server", "description": "`), &endless{'a', maxJSONBody}, strings.NewReader(`"}`))
		r := e.must(req{as: asAdmin, method: "POST", path: "/api/v1/cis", body: big}, 413)
		if p := r.problem(t); !strings.Contains(p.Detail, "1 MiB") {
			t.Errorf("detail %q does not name the limit", p.Detail)
		}
		upload := io.MultiReader(strings.NewReader("name,kind,description\nbig,server,"), &endless{'a', maxUploadBody})
		e.must(req{as: asAdmin, method: "POST", path: "/api/v1/imports/csv", body: upload}, 413)
		bulk := io.MultiReader(strings.NewReader(`[`), &endless{' ', maxUploadBody}, strings.NewReader(`]`))
		e.must(req{as: asAdmin, method: "POST", path: "/api/v1/cis/bulk", body: bulk}, 413)
		if e.countCIs() != before {
			t.Error("an oversized request created CIs")
		}
	})
}

func TestBadQueryAndPathParameters(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.run(t, nil, []step{
			{name: "limit too big", q: req{as: asAdmin, method: "GET", path: "/api/v1/cis?limit=501"}, want: 400, contains: []string{`"field":"limit"`}},
			{name: "limit not a number", q: req{as: asAdmin, method: "GET", path: "/api/v1/users?limit=ten"}, want: 400, contains: []string{`"field":"limit"`}},
			{name: "unknown kind", q: req{as: asAdmin, method: "GET", path: "/api/v1/cis?kind=toaster"}, want: 400, contains: []string{`"field":"kind"`}},
			{name: "bad cursor", q: req{as: asAdmin, method: "GET", path: "/api/v1/cis?cursor=!!!"}, want: 422},
			{name: "relation id", q: req{as: asAdmin, method: "DELETE", path: "/api/v1/relations/abc"}, want: 400, contains: []string{`"field":"id"`}},
			{name: "token id", q: req{as: asAdmin, method: "DELETE", path: "/api/v1/tokens/-1"}, want: 400, contains: []string{`"field":"id"`}},
			{name: "unknown import format", q: req{as: asAdmin, method: "POST", path: "/api/v1/imports/xlsx", body: "x"}, want: 400, contains: []string{`"field":"format"`}},
			{name: "bad If-Match", q: req{as: asAdmin, method: "PATCH", path: "/api/v1/cis/CI-1", body: `{}`, headers: map[string]string{"If-Match": "yesterday"}}, want: 400, contains: []string{`"field":"If-Match"`}},
			{name: "audit since", q: req{as: asAdmin, method: "GET", path: "/api/v1/audit?since=2026-13-01"}, want: 400, contains: []string{`"field":"since"`}},
		})
	})
}

const (
	nmapHeader = `<?xml version="1.0" encoding="UTF-8"?>
<nmaprun scanner="nmap" args="nmap -sV 10.1.1.0/30" start="1767225600" version="7.95" xmloutputversion="1.05">
<host starttime="1767225600" endtime="1767225601"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="10.1.1.1" addrtype="ipv4"/><hostnames><hostname name="gw-01" type="PTR"/></hostnames>
<ports><port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="ssh" product="OpenSSH" version="9.2p1" method="probed" conf="10"/></port></ports>
</host>
`
	nmapFooter = `<runstats><finished time="1767225602" timestr="Thu Jan  1 00:00:02 2026" elapsed="2.00" summary="Nmap done" exit="success"/><hosts up="1" down="0" total="1"/></runstats>
</nmaprun>
`
	xxe = `<?xml version="1.0"?>
<!DOCTYPE nmaprun [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<nmaprun scanner="nmap" args="nmap" start="1" version="7.95" xmloutputversion="1.05">
<host><status state="up"/><address addr="10.1.1.9" addrtype="ipv4"/><hostnames><hostname name="&xxe;"/></hostnames></host>
` + nmapFooter
)

// Broken files are refused whole: 400, nothing imported.
func TestBrokenImportFiles(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		cases := []struct {
			name, format, body, detail string
		}{
			{"truncated nmap XML", "nmap", nmapHeader, ""},
			{"nmap XML with external entity", "nmap", xxe, ""},
			{"not XML at all", "nmap", "hello", ""},
			{"CSV with unknown column", "csv", "name,kind,colour\nx,server,red\n", "colour"},
			{"JSON that is not an array", "json", `{"name": "x"}`, ""},
		}
		for _, c := range cases {
			before := e.countCIs()
			r := e.do(req{as: asAgent, method: "POST", path: "/api/v1/imports/" + c.format, body: c.body})
			if r.Code != 400 {
				t.Errorf("%s: status %d, want 400: %s", c.name, r.Code, r.Body)
				continue
			}
			p := r.problem(t)
			if c.detail != "" && !strings.Contains(string(r.Body), c.detail) {
				t.Errorf("%s: problem %+v does not mention %q", c.name, p, c.detail)
			}
			if strings.Contains(string(r.Body), "root:") {
				t.Errorf("%s: file content leaked: %s", c.name, r.Body)
			}
			if after := e.countCIs(); after != before {
				t.Errorf("%s: CIs %d → %d", c.name, before, after)
			}
		}
		// The complete file imports.
		e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/nmap", body: nmapHeader + nmapFooter}, 201)
	})
}

// Invalid rows are rejected by name while the rest imports; with
// ?strict=true nothing is imported and the answer names the rows.
func TestInvalidCSVRows(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		csv := "name,kind,ips,business_criticality\n" +
			"good-1,server,10.2.0.1,3\n" +
			"bad-1,server,10.2.0.2,7\n" +
			"good-2,server,10.2.0.3,\n"
		before := e.countCIs()
		e.run(t, newValidator(t, e), []step{
			{name: "strict refuses", q: req{as: asAgent, method: "POST", path: "/api/v1/imports/csv?strict=true", body: csv}, want: 422,
				contains: []string{`"field":"row 2: business_criticality"`, `"report":{`}},
		})
		if got := e.countCIs(); got != before {
			t.Fatalf("strict import changed CIs %d → %d", before, got)
		}
		r := e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/csv", body: csv}, 201)
		var rep struct {
			Created, Rejected int
			Rows              []struct {
				Row    int
				Label  string
				Action string
				Errors []struct{ Field, Message string }
			}
		}
		r.decode(t, &rep)
		if rep.Created != 2 || rep.Rejected != 1 {
			t.Fatalf("report %s", r.Body)
		}
		for _, row := range rep.Rows {
			if row.Action == "rejected" && (row.Row != 2 || !strings.Contains(row.Label, "bad-1") || len(row.Errors) == 0 || row.Errors[0].Field != "business_criticality") {
				t.Errorf("rejected row not named: %+v", row)
			}
		}
		if got := e.countCIs(); got != before+2 {
			t.Errorf("CIs %d → %d, want +2", before, got)
		}
	})
}

// A multipart form upload works like a raw body and records the file name.
func TestMultipartUpload(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("note", "ignored")
		fw, _ := mw.CreateFormFile("file", "scan.xml")
		_, _ = fw.Write([]byte(nmapHeader + nmapFooter))
		_ = mw.Close()
		r := e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/nmap", body: buf.Bytes(),
			headers: map[string]string{"Content-Type": mw.FormDataContentType()}}, 201)
		if !strings.Contains(r.String(), `"filename":"scan.xml"`) || !strings.Contains(r.String(), `"created":1`) {
			t.Errorf("report %s", r.Body)
		}
		var empty bytes.Buffer
		mw = multipart.NewWriter(&empty)
		_ = mw.WriteField("note", "no file")
		_ = mw.Close()
		e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/nmap", body: empty.Bytes(),
			headers: map[string]string{"Content-Type": mw.FormDataContentType()}}, 400)
	})
}

// A JSON route takes JSON only: a form, text/plain or a missing type is a
// 415 and changes nothing. Uploaded files may come in any type.
func TestJSONBodyMediaType(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		body := `{"name":"typed","kind":"server"}`
		cases := []struct {
			ct   string
			want int
		}{
			{"application/json", 201},
			{"application/json; charset=utf-8", 201},
			{"Application/JSON; charset=UTF-8", 201},
			{"application/merge-patch+json", 201},
			{"text/plain", 415},
			{"text/plain; charset=utf-8", 415},
			{"application/x-www-form-urlencoded", 415},
			{"multipart/form-data; boundary=x", 415},
			{"application/json; charset=latin1", 415},
			{"application/jsonx", 415},
			{"", 415},
		}
		for i, c := range cases {
			before := e.countCIs()
			r := e.do(req{as: asAdmin, method: "POST", path: "/api/v1/cis", body: strings.Replace(body, "typed", fmt.Sprintf("typed-%d", i), 1),
				headers: map[string]string{"Content-Type": c.ct}})
			if c.ct == "" {
				r = e.doRaw("POST", "/api/v1/cis", asAdmin, body, "")
			}
			if r.Code != c.want {
				t.Errorf("Content-Type %q: status %d, want %d: %s", c.ct, r.Code, c.want, r.Body)
				continue
			}
			if c.want == 415 {
				if p := r.problem(t); p.Type != problemTypeBase+"unsupported_media_type" || !strings.Contains(p.Detail, "application/json") {
					t.Errorf("Content-Type %q: problem %+v", c.ct, p)
				}
				if e.countCIs() != before {
					t.Errorf("Content-Type %q: a CI was created", c.ct)
				}
			}
		}
		// Every JSON route checks, PATCH included; an anonymous caller
		// learns only that it must sign in.
		e.must(req{as: asAdmin, method: "PATCH", path: "/api/v1/users/other", body: `{"display_name":"x"}`, headers: map[string]string{"Content-Type": "text/plain"}}, 415)
		e.must(req{as: asAnonymous, method: "POST", path: "/api/v1/cis", body: body, headers: map[string]string{"Content-Type": "text/plain"}}, 401)
		e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/csv", body: "name,ips\nraw,10.7.0.1\n", headers: map[string]string{"Content-Type": "text/plain"}}, 201)
	})
}

// doRaw sends a request with exactly the given Content-Type ("" for none).
func (e *env) doRaw(method, path, as, body, contentType string) resp {
	e.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set("Authorization", "Bearer "+e.tokens[as])
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return resp{Code: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

// Business criticality 0 is out of range wherever it is given; only an
// absent criticality takes the default (3).
func TestCriticalityZeroRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var ci struct {
			Key         string
			Criticality int `json:"business_criticality"`
		}
		e.must(req{as: asAgent, method: "POST", path: "/api/v1/cis", body: `{"name":"no-crit","kind":"server"}`}, 201).decode(t, &ci)
		if ci.Criticality != 3 {
			t.Errorf("absent criticality became %d, want the default 3", ci.Criticality)
		}
		rejected := func(name string, r resp) {
			t.Helper()
			var rep struct{ Rejected int }
			r.decode(t, &rep)
			if rep.Rejected != 1 || !strings.Contains(string(r.Body), `"field":"business_criticality"`) {
				t.Errorf("%s: %s", name, r.Body)
			}
		}
		before := e.countCIs()
		e.run(t, nil, []step{
			{name: "create with 0", q: req{as: asAgent, method: "POST", path: "/api/v1/cis", body: `{"name":"zero","kind":"server","business_criticality":0}`},
				want: 422, contains: []string{`"field":"business_criticality"`}},
			{name: "create with 0 and other problems", q: req{as: asAgent, method: "POST", path: "/api/v1/cis", body: `{"kind":"server","business_criticality":0}`},
				want: 422, contains: []string{`"field":"business_criticality"`}},
			{name: "patch to 0", q: req{as: asAgent, method: "PATCH", path: "/api/v1/cis/" + ci.Key, body: `{"business_criticality":0}`},
				want: 422, contains: []string{`"field":"business_criticality"`}},
		})
		rejected("CSV", e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/csv", body: "name,ips,business_criticality\nz,10.8.0.1,0\n", headers: csvType}, 201))
		rejected("JSON import", e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/json", body: `[{"name":"z","identifiers":{"ips":["10.8.0.2"]},"business_criticality":0}]`}, 201))
		rejected("bulk", e.must(req{as: asAgent, method: "POST", path: "/api/v1/cis/bulk", body: `[{"name":"z","identifiers":{"ips":["10.8.0.3"]},"business_criticality":0}]`}, 201))
		if e.countCIs() != before {
			t.Errorf("CIs %d → %d: a criticality 0 was stored", before, e.countCIs())
		}
		var got struct {
			Criticality int `json:"business_criticality"`
		}
		e.must(req{as: asAgent, method: "GET", path: "/api/v1/cis/" + ci.Key}, 200).decode(t, &got)
		if got.Criticality != 3 {
			t.Errorf("criticality after the refused patch: %d", got.Criticality)
		}
	})
}

// slowBody is a request body that arrives a few bytes at a time.
type slowBody struct {
	data  []byte
	chunk int
	pause time.Duration
}

func (b *slowBody) Read(p []byte) (int, error) {
	if len(b.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(b.pause)
	n := copy(p[:min(len(p), b.chunk)], b.data)
	b.data = b.data[n:]
	return n, nil
}

// A body that stops arriving within the server's read timeout is cut off
// (408 when the answer gets through); a signed-in upload gets the longer
// upload timeout instead, so a slow link can still send a large file.
func TestSlowBodies(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		h := New(Deps{Services: services.Services{CMDB: e.cmdb, Auth: e.auth, Audit: e.audit, Jobs: e.jobs},
			Registry: prometheus.NewRegistry(), Clock: e.clk, UploadTimeout: time.Minute})
		srv := httptest.NewUnstartedServer(h)
		srv.Config.ReadTimeout = 300 * time.Millisecond
		srv.Start()
		defer srv.Close()
		send := func(path, as, body, contentType string) (*http.Response, error) {
			// 40 pauses of 25 ms: longer than the read timeout, however fast
			// the machine; far shorter than the upload timeout.
			b := []byte(body)
			req, _ := http.NewRequest("POST", srv.URL+path, &slowBody{data: b, chunk: max(1, len(b)/40), pause: 25 * time.Millisecond})
			req.ContentLength = int64(len(b))
			req.Header.Set("Content-Type", contentType)
			if as != asAnonymous {
				req.Header.Set("Authorization", "Bearer "+e.tokens[as])
			}
			return srv.Client().Do(req)
		}
		res, err := send("/api/v1/cis", asAgent, `{"name":"slow-json","kind":"server","description":"`+strings.Repeat("x", 200)+`"}`, "application/json")
		if err == nil {
			res.Body.Close()
			if res.StatusCode != http.StatusRequestTimeout {
				t.Errorf("trickled JSON body: status %d, want 408 or a closed connection", res.StatusCode)
			}
		}
		csv := "name,ips\n" + strings.Repeat("slow-a,10.9.0.1\n", 20)
		res, err = send("/api/v1/imports/csv", asAgent, csv, "text/csv")
		if err != nil {
			t.Fatalf("trickled upload: %v", err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Errorf("trickled upload by a signed-in agent: status %d, want 201", res.StatusCode)
		}
		// Anonymous callers get no extension: they are refused before the
		// body is read.
		if res, err = send("/api/v1/imports/csv", asAnonymous, csv, "text/csv"); err == nil {
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous upload: status %d", res.StatusCode)
			}
		}
		if e.countCIs() != 1 {
			t.Errorf("%d CIs, want the one the upload created", e.countCIs())
		}
	})
}

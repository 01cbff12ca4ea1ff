package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// Every input of a page is held to the text rule: NUL, control characters
// and bytes that are not UTF-8 get the 422 page naming the input, on both
// engines (PostgreSQL used to fail such requests with a 500, anonymous
// sign-in included), and nothing is stored.
func TestPagesRefuseBadText(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		ci := e.ci(cmdb.CI{Name: "web-01", Kind: cmdb.KindServer})
		c := e.login("ann")
		for _, bad := range []string{"%00", "%1B", "%FF", "%C2%9B"} {
			raw, _ := url.QueryUnescape(bad)
			cases := []struct {
				name, field string
				send        func() *http.Response
			}{
				{"sign-in username", "username", func() *http.Response {
					return e.anon().postForm("/login", url.Values{"username": {"admin" + raw}, "password": {"x"}}).Result()
				}},
				{"sign-in next", "next", func() *http.Response {
					return e.anon().postForm("/login", url.Values{"username": {"ann"}, "password": {"x"}, "next": {"/cis" + raw}}).Result()
				}},
				{"search", "q", func() *http.Response { rec, _ := c.get("/cis?q=a" + bad + "b"); return rec.Result() }},
				{"tag filter", "tag", func() *http.Response { rec, _ := c.get("/cis?tag=" + bad); return rec.Result() }},
				{"path key", "key", func() *http.Response { rec, _ := c.get("/cis/" + ci.Key + bad); return rec.Result() }},
				{"path key of a form", "key", func() *http.Response {
					return c.post("/cis/"+ci.Key+bad, url.Values{"name": {"x"}, "kind": {"server"}}).Result()
				}},
				{"team path", "name", func() *http.Response { rec, _ := c.get("/admin/teams/SOC" + bad); return rec.Result() }},
				{"form field", "name", func() *http.Response {
					return c.post("/cis", url.Values{"name": {"web" + raw}, "kind": {"server"}}).Result()
				}},
				{"long form field", "description", func() *http.Response {
					return c.post("/cis", url.Values{"name": {"ok"}, "kind": {"server"}, "description": {"a\n" + raw}}).Result()
				}},
				{"upload file name", "file", func() *http.Response {
					return c.upload("/imports", map[string]string{"format": "csv"}, "hosts"+raw+".csv", []byte("name,ips\nx,10.0.0.9\n")).Result()
				}},
			}
			for _, tc := range cases {
				before := e.count()
				res := tc.send()
				if tc.name == "upload file name" && (bad == "%00" || bad == "%1B") {
					// A part header cannot carry control characters at all:
					// the form is unreadable, which is no 500 either.
					if res.StatusCode >= 500 {
						t.Errorf("%s %s: status %d", tc.name, bad, res.StatusCode)
					}
					continue
				}
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("%s with %s: status %d, want 422", tc.name, bad, res.StatusCode)
					continue
				}
				doc := parseBody(t, res)
				if got := doc.Find(".fielderrors code").First().Text(); got != tc.field {
					t.Errorf("%s with %s: the page names %q, want %q: %s", tc.name, bad, got, tc.field, doc.Find("main").Text())
				}
				if e.count() != before {
					t.Errorf("%s with %s: a CI was stored", tc.name, bad)
				}
			}
		}
	})
}

// Text areas send CRLF; Rampart stores LF. A typed criticality of 0 is
// refused rather than turned into the default.
func TestFormLineBreaksAndCriticality(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		c := e.login("ann")
		rec := c.post("/cis", url.Values{"name": {"lines"}, "kind": {"server"}, "description": {"one\r\ntwo\r\n\tthree"}})
		wantStatus(t, rec, http.StatusSeeOther)
		key := strings.TrimSuffix(strings.TrimPrefix(location(rec), "/cis/"), "?done=created")
		got, err := e.cmdb.FindCIByKey(context.Background(), auth.System, key)
		if err != nil || got.Description != "one\ntwo\n\tthree" {
			t.Errorf("description %q (%v), want LF line breaks", got.Description, err)
		}
		rec = c.post("/cis", url.Values{"name": {"a\r\nb"}, "kind": {"server"}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)

		before := e.count()
		rec = c.post("/cis", url.Values{"name": {"zero"}, "kind": {"server"}, "criticality": {"0"}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if parse(t, rec).Find(`[name=criticality] ~ .ferr`).Length() != 1 {
			t.Errorf("no error by the criticality field: %s", parse(t, rec).Find("main").Text())
		}
		if e.count() != before {
			t.Error("a CI with criticality 0 was created")
		}
	})
}

// parseBody parses a response's HTML.
func parseBody(t *testing.T, res *http.Response) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

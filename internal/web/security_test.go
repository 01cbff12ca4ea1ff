package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

func TestPostWithoutCSRFIsRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAdmin)
		c := e.login("ann")
		form := url.Values{"name": {"web-01"}, "kind": {"server"}, "criticality": {"3"}}
		cases := []struct {
			name  string
			token string
		}{{"missing", ""}, {"wrong", "not-the-token"}}
		for _, tc := range cases {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tc.token != "" {
				f.Set("csrf_token", tc.token)
			}
			rec := c.postForm("/cis", f)
			wantStatus(t, rec, http.StatusForbidden)
			if parse(t, rec).Find("main h1").Text() != "Not allowed" {
				t.Errorf("%s token: not the 403 page", tc.name)
			}
		}
		// Sign-out needs the token too, or any site could sign users out.
		wantStatus(t, c.postForm("/logout", url.Values{}), http.StatusForbidden)
		page, err := e.cmdb.FindCIs(context.Background(), auth.System, cmdb.Filter{})
		if err != nil || page.Total != 0 {
			t.Fatalf("a CI was created without a CSRF token: %d %v", page.Total, err)
		}
		// With the token the same form works.
		wantStatus(t, c.post("/cis", form), http.StatusSeeOther)
	})
}

func TestCrossSitePostIsRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		// Even the sign-in form, which has no session to carry a token yet.
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"username": {"ann"}, "password": {testPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		rec := e.anon().do(req)
		wantStatus(t, rec, http.StatusForbidden)
		if len(rec.Result().Cookies()) != 0 {
			t.Fatal("cross-site sign-in set a cookie")
		}
	})
}

func TestSecurityHeadersAndErrorPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		c := e.login("ann")
		for _, path := range []string{"/login", "/cis", "/no/such/page", "/cis/CI-999", "/static/app.css"} {
			rec, _ := c.get(path)
			h := rec.Header()
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("%s: CSP %q", path, csp)
			}
			for k, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
				if h.Get(k) != want {
					t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), want)
				}
			}
		}
		rec, doc := c.get("/cis/CI-999")
		wantStatus(t, rec, http.StatusNotFound)
		if doc.Find("main h1").Text() != "Not found" || doc.Find(".who .user").Text() != "Ann" {
			t.Fatal("404 page is not the friendly page inside the frame")
		}
		// The page has no inline script for the policy to block.
		doc = c.mustGet("/cis")
		doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if _, ok := s.Attr("src"); !ok {
				t.Error("inline script on the page")
			}
		})
	})
}

func TestServerErrorsHideInternals(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		c := e.login("ann")
		e.db.Close() // every query now fails inside the driver
		rec, doc := c.get("/cis")
		if rec.Code != http.StatusInternalServerError && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d", rec.Code)
		}
		body := strings.ToLower(doc.Find("main").Text())
		for _, leak := range []string{"sql", "closed", "driver", "goroutine"} {
			if strings.Contains(body, leak) {
				t.Errorf("error page mentions %q: %s", leak, body)
			}
		}
		if doc.Find("main h1").Text() == "" {
			t.Error("no friendly heading")
		}
	})
}

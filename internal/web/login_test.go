package web_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/httpauth"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/web"
)

func TestLoginFlow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		anon := e.anon()

		// An anonymous visitor is sent to the sign-in form, keeping the page.
		rec, _ := anon.get("/cis?kind=server")
		wantStatus(t, rec, http.StatusSeeOther)
		if got := location(rec); got != "/login?next="+url.QueryEscape("/cis?kind=server") {
			t.Fatalf("redirect to %q", got)
		}
		doc := anon.mustGet(location(rec))
		if got := doc.Find(`form[action="/login"] input[name=next]`).AttrOr("value", ""); got != "/cis?kind=server" {
			t.Fatalf("next field %q", got)
		}

		// Wrong password and unknown user read the same, and set no cookie.
		for _, form := range []url.Values{
			{"username": {"ann"}, "password": {"wrong password!"}},
			{"username": {"nobody"}, "password": {testPassword}},
		} {
			rec := anon.postForm("/login", form)
			wantStatus(t, rec, http.StatusUnauthorized)
			if msg := strings.TrimSpace(parse(t, rec).Find(".alert.error").Text()); msg != "Invalid username or password." {
				t.Fatalf("error message %q", msg)
			}
			if len(rec.Result().Cookies()) != 0 {
				t.Fatal("failed sign-in set a cookie")
			}
		}

		// Success sets a hardened session cookie and returns to the page.
		rec = anon.postForm("/login", url.Values{"username": {"ann"}, "password": {testPassword}, "next": {"/cis?kind=server"}})
		wantStatus(t, rec, http.StatusSeeOther)
		if location(rec) != "/cis?kind=server" {
			t.Fatalf("after sign-in went to %q", location(rec))
		}
		var ck *http.Cookie
		for _, c := range rec.Result().Cookies() {
			if c.Name == httpauth.SessionCookie {
				ck = c
			}
		}
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Value == "" {
			t.Fatalf("session cookie %+v", ck)
		}
		c := &client{e: e, cookie: ck}
		doc = c.mustGet("/cis")
		if who := doc.Find(".who .user").Text(); who != "Ann" {
			t.Fatalf("signed-in user shown as %q", who)
		}
		c.csrf = doc.Find(`form[action="/logout"] input[name=csrf_token]`).AttrOr("value", "")

		// Sign-out ends the session on the server too.
		rec = c.post("/logout", nil)
		wantStatus(t, rec, http.StatusSeeOther)
		if rec, _ := c.get("/cis"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(location(rec), "/login") {
			t.Fatalf("old cookie after sign-out: %d %q", rec.Code, location(rec))
		}
	})
}

func TestLoginRedirectsOnlyToLocalPaths(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", "/%0d%0aSet-Cookie:x"} {
			rec := e.anon().postForm("/login", url.Values{"username": {"ann"}, "password": {testPassword}, "next": {next}})
			wantStatus(t, rec, http.StatusSeeOther)
			got := location(rec)
			if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
				t.Errorf("next=%q redirected to %q", next, got)
			}
		}
	})
}

func TestMustChangePasswordFirst(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		// An administrator's reset obliges the user to choose their own.
		reset := testPassword + " reset"
		if _, err := e.auth.UpdateUser(context.Background(), auth.System, "ann", auth.UserUpdate{Password: &reset}); err != nil {
			t.Fatal(err)
		}
		rec := e.anon().postForm("/login", url.Values{"username": {"ann"}, "password": {reset}})
		wantStatus(t, rec, http.StatusSeeOther)
		c := &client{e: e, cookie: rec.Result().Cookies()[0]}
		rec, _ = c.get("/cis")
		wantStatus(t, rec, http.StatusSeeOther)
		if location(rec) != "/account/password" {
			t.Fatalf("went to %q, want the password form", location(rec))
		}
		doc := c.mustGet("/account/password")
		if doc.Find(".alert.info").Length() != 1 {
			t.Fatal("the form does not say the change is required")
		}
		c.csrf = doc.Find(`form[action="/account/password"] input[name=csrf_token]`).AttrOr("value", "")

		// Mismatched confirmation and a wrong current password are shown by their fields.
		rec = c.post("/account/password", url.Values{"old_password": {reset}, "new_password": {"a brand new secret"}, "confirm_password": {"something else!!"}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if parse(t, rec).Find(`input[name=confirm_password] ~ .ferr`).Length() != 1 {
			t.Fatal("no error by the confirmation field")
		}
		rec = c.post("/account/password", url.Values{"old_password": {"not it at all"}, "new_password": {"a brand new secret"}, "confirm_password": {"a brand new secret"}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if parse(t, rec).Find(`input[name=old_password] ~ .ferr`).Length() != 1 {
			t.Fatal("no error by the current password field")
		}

		rec = c.post("/account/password", url.Values{"old_password": {reset}, "new_password": {"a brand new secret"}, "confirm_password": {"a brand new secret"}})
		wantStatus(t, rec, http.StatusSeeOther)
		c.mustGet("/cis")
	})
}

// The session cookie is Secure whenever the browser reached Rampart over
// HTTPS: directly, or through a trusted proxy that says so. Anyone else's
// X-Forwarded-Proto is ignored; secure-cookies=true still forces it.
func TestSecureCookiesWhenServedOverHTTPS(t *testing.T) {
	proxies, _ := httpauth.ParseProxies("10.0.0.5")
	cases := []struct {
		name   string
		mode   httpauth.SecureMode
		tls    bool
		remote string
		proto  string
		secure bool
	}{
		{"plain HTTP", httpauth.SecureAuto, false, "203.0.113.9:5000", "", false},
		{"TLS", httpauth.SecureAuto, true, "203.0.113.9:5000", "", true},
		{"trusted proxy terminating TLS", httpauth.SecureAuto, false, "10.0.0.5:5000", "https", true},
		{"header from someone else", httpauth.SecureAuto, false, "203.0.113.9:5000", "https", false},
		{"forced by configuration", httpauth.SecureAlways, false, "203.0.113.9:5000", "", true},
	}
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		for _, c := range cases {
			e.h = web.New(web.Deps{Services: services.Services{CMDB: e.cmdb, Auth: e.auth, Audit: e.audit},
				Transport: httpauth.Transport{Secure: c.mode, Proxies: proxies}})
			req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"username": {"ann"}, "password": {testPassword}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.RemoteAddr = c.remote
			if c.tls {
				req.TLS = &tls.ConnectionState{}
			}
			if c.proto != "" {
				req.Header.Set("X-Forwarded-Proto", c.proto)
			}
			rec := e.anon().do(req)
			wantStatus(t, rec, http.StatusSeeOther)
			cookies := rec.Result().Cookies()
			if len(cookies) != 1 || cookies[0].Secure != c.secure || !cookies[0].HttpOnly {
				t.Errorf("%s: cookies %+v, want Secure %v", c.name, cookies, c.secure)
			}
			// Signing out clears the cookie with the same attributes.
			out := e.anon()
			out.cookie = cookies[0]
			req = httptest.NewRequest(http.MethodGet, "/cis", nil)
			req.RemoteAddr, req.TLS = c.remote, nil
			if c.tls {
				req.TLS = &tls.ConnectionState{}
			}
			if c.proto != "" {
				req.Header.Set("X-Forwarded-Proto", c.proto)
			}
			if got := out.do(req).Result().Cookies(); len(got) != 1 || got[0].Secure != c.secure {
				t.Errorf("%s: refreshed cookie %+v, want Secure %v", c.name, got, c.secure)
			}
		}
	})
}

package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/httpauth"
	"github.com/rampart-itsm/rampart/internal/web"
)

// TestTemporaryPasswordGate: signed in with a temporary password, every
// page of the route table but changing it and signing out sends the user
// to the change-password form and does nothing, GET or POST with the
// CSRF token; new pages are covered by being in the table.
func TestTemporaryPasswordGate(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("root", auth.RoleAdmin)
		pw, err := e.auth.ResetPassword(context.Background(), auth.System, "root")
		if err != nil {
			t.Fatal(err)
		}
		c := e.anon()
		rec := c.postForm("/login", url.Values{"username": {"root"}, "password": {pw}})
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == httpauth.SessionCookie {
				c.cookie = ck
			}
		}
		_, doc := c.get("/account/password")
		c.csrf = doc.Find(`form[action="/logout"] input[name=csrf_token]`).AttrOr("value", "")
		if c.cookie == nil || c.csrf == "" {
			t.Fatal("no session")
		}
		before := e.count()
		param := regexp.MustCompile(`\{[^}$]+\}`)
		for _, rt := range web.PageRoutes() {
			if rt.Public || rt.Pattern == "POST /logout" {
				continue
			}
			method, path, _ := strings.Cut(rt.Pattern, " ")
			path = strings.ReplaceAll(param.ReplaceAllString(path, "1"), "{$}", "")
			var rec *httptest.ResponseRecorder
			if method == http.MethodPost {
				rec = c.post(path, url.Values{"name": {"x"}, "kind": {"server"}, "username": {"x"}, "password": {"a long enough password"}})
			} else {
				rec, _ = c.get(path)
			}
			sent := rec.Code == http.StatusSeeOther && location(rec) == "/account/password"
			if sent == rt.Temporary {
				t.Errorf("%s: %d to %q (page allowed with a temporary password: %v)", rt.Pattern, rec.Code, location(rec), rt.Temporary)
			}
		}
		if e.count() != before {
			t.Fatal("a page changed the CMDB for a user with a temporary password")
		}
		wantStatus(t, c.post("/logout", nil), http.StatusSeeOther)
	})
}

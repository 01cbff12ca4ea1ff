package web_test

import (
	"bytes"
	"context"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/httpauth"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
	"github.com/rampart-itsm/rampart/internal/web"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery"

// env is the UI over real services on a fresh database.
type env struct {
	t     testing.TB
	db    *store.DB
	h     http.Handler
	cmdb  *cmdb.Service
	auth  *auth.Service
	audit *auditlog.Service
	jobs  *jobs.Service
	vuln  *vuln.Service
}

// eachEnv runs fn on every backend with a fresh database and UI. Tests
// share nothing but the process, so they run in parallel.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newEnv(t, db)) })
}

func newEnv(t testing.TB, db *store.DB) *env {
	svc := services.New(db, db.Clock())
	e := &env{t: t, db: db, cmdb: svc.CMDB, auth: svc.Auth, audit: svc.Audit, jobs: svc.Jobs, vuln: svc.Vuln}
	e.h = web.New(web.Deps{Services: svc, Clock: db.Clock()})
	return e
}

// user creates a user with testPassword and returns its principal.
func (e *env) user(name string, roles ...auth.Role) auth.Principal {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.auth.CreateUser(ctx, auth.System, auth.NewUser{Username: name, DisplayName: strings.ToUpper(name[:1]) + name[1:], Password: testPassword, Roles: roles})
	if err != nil {
		e.t.Fatalf("create user %s: %v", name, err)
	}
	return auth.Principal{UserID: u.ID, Username: name, Roles: roles}
}

// ci creates a CI through the service as the system.
func (e *env) ci(c cmdb.CI) cmdb.CI {
	e.t.Helper()
	created, err := e.cmdb.CreateCI(context.Background(), auth.System, c)
	if err != nil {
		e.t.Fatalf("create CI %s: %v", c.Name, err)
	}
	return created
}

// client is a browser: it carries the session cookie and CSRF token.
type client struct {
	e      *env
	cookie *http.Cookie
	csrf   string
}

// anon returns a client that is not signed in.
func (e *env) anon() *client { return &client{e: e} }

// login signs in through the form and picks up the CSRF token from a page.
func (e *env) login(name string) *client {
	e.t.Helper()
	c := e.anon()
	res := c.postForm("/login", url.Values{"username": {name}, "password": {testPassword}})
	if res.Code != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d", name, res.Code)
	}
	for _, ck := range res.Result().Cookies() {
		if ck.Name == httpauth.SessionCookie {
			c.cookie = ck
		}
	}
	if c.cookie == nil {
		e.t.Fatalf("login %s: no session cookie", name)
	}
	_, doc := c.get("/account/password")
	c.csrf = doc.Find(`form[action="/logout"] input[name=csrf_token]`).AttrOr("value", "")
	if c.csrf == "" {
		e.t.Fatalf("login %s: no CSRF token on the page", name)
	}
	return c
}

func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	rec := httptest.NewRecorder()
	c.e.h.ServeHTTP(rec, req)
	return rec
}

// get fetches a page and parses it.
func (c *client) get(path string) (*httptest.ResponseRecorder, *goquery.Document) {
	c.e.t.Helper()
	rec := c.do(httptest.NewRequest(http.MethodGet, path, nil))
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		c.e.t.Fatalf("GET %s: parse: %v", path, err)
	}
	return rec, doc
}

// mustGet fetches a page that must answer 200.
func (c *client) mustGet(path string) *goquery.Document {
	c.e.t.Helper()
	rec, doc := c.get(path)
	if rec.Code != http.StatusOK {
		c.e.t.Fatalf("GET %s: status %d, want 200: %s", path, rec.Code, doc.Find("main").Text())
	}
	return doc
}

// postForm posts a form exactly as given (no CSRF token added).
func (c *client) postForm(path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// post posts a form with the session's CSRF token, as the page would.
func (c *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", c.csrf)
	return c.postForm(path, form)
}

// upload posts a multipart form with one file, with the CSRF token.
func (c *client) upload(path string, fields map[string]string, filename string, content []byte) *httptest.ResponseRecorder {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		c.e.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// parse parses a recorded response body.
func parse(t testing.TB, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// location is where a redirect points.
func location(rec *httptest.ResponseRecorder) string { return rec.Header().Get("Location") }

// wantStatus fails the test unless rec has the status.
func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d; location %q; body: %.400s", rec.Code, want, location(rec), rec.Body.String())
	}
}

// keys lists the data-key attributes of the selected elements.
func keys(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("data-key", "")) })
	return out
}

// relate adds a relation as the system.
func (e *env) relate(source string, typ cmdb.RelationType, target string) {
	e.t.Helper()
	if _, err := e.cmdb.AddRelation(context.Background(), auth.System, cmdb.Relation{Source: source, Type: typ, Target: target}); err != nil {
		e.t.Fatalf("relate %s %s %s: %v", source, typ, target, err)
	}
}

// count is how many CIs exist.
func (e *env) count() int {
	e.t.Helper()
	page, err := e.cmdb.FindCIs(context.Background(), auth.System, cmdb.Filter{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	return page.Total
}

package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
	vt "github.com/rampart-itsm/rampart/internal/storetest/visibilitytest"
)

// Who the scenario tests act as: one user per role, named after it (and
// "other", a second requester); "anonymous" sends no credentials;
// "read-token" and "metrics-token" are the admin with a token limited to
// reading and to /metrics.
const (
	asAdmin         = "admin"
	asAgent         = "agent"
	asAnalyst       = "security_analyst"
	asChangeManager = "change_manager"
	asApprover      = "approver"
	asAuditor       = "auditor"
	asSecAuditor    = "security_auditor"
	asRequester     = "requester"
	asAnonymous     = "anonymous"
	asReadToken     = "read-token"
	asMetricsToken  = "metrics-token"
)

// roleUsers are the users newEnv creates: one per role, and "other".
var roleUsers = vt.Names()

// allRoles is everyone the authorisation matrix sends every route as.
var allRoles = append(vt.Names(), asAnonymous, asReadToken, asMetricsToken)

// scopedTokens are the pseudo-roles that are the admin with a limited token.
var scopedTokens = map[string]auth.TokenScope{asReadToken: auth.ScopeRead, asMetricsToken: auth.ScopeMetrics}

// env is a running API on a real database with one user per role.
type env struct {
	t        *testing.T
	db       *store.DB
	clk      *clock.Fake
	cmdb     *cmdb.Service
	auth     *auth.Service
	audit    *auditlog.Service
	jobs     *jobs.Service
	incs     *incident.Service
	vuln     *vuln.Service
	registry *prometheus.Registry
	h        http.Handler
	tokens   map[string]string // role → API token
	ctx      context.Context
}

// testPassword satisfies the password policy.
const testPassword = "correct horse battery"

// newEnv builds the services and handler on db and creates one user per
// role (and other, a second requester), each with a token, and the admin's
// scoped tokens.
func newEnv(t *testing.T, db *store.DB, clk *clock.Fake) *env {
	t.Helper()
	e := &env{t: t, db: db, clk: clk, ctx: context.Background(), tokens: map[string]string{}, registry: prometheus.NewRegistry()}
	svc := services.New(db, clk)
	e.cmdb, e.auth, e.audit, e.jobs, e.incs, e.vuln = svc.CMDB, svc.Auth, svc.Audit, svc.Jobs, svc.Incidents, svc.Vuln
	e.h = New(Deps{Services: svc, Registry: e.registry, Clock: clk})
	// The longest life a token may have, so tests that move the clock
	// months ahead keep their callers.
	life := clk.Now().Add(auth.MaxTokenLifetime)
	for _, name := range roleUsers {
		if _, err := e.auth.CreateUser(e.ctx, auth.System, auth.NewUser{Username: name, DisplayName: strings.ToUpper(name[:1]) + name[1:],
			Password: testPassword, Roles: []auth.Role{vt.RoleOf(name)}}); err != nil {
			t.Fatalf("create user %s: %v", name, err)
		}
		tok, _, err := e.auth.CreateToken(e.ctx, auth.System, name, "tests", &life)
		if err != nil {
			t.Fatalf("token for %s: %v", name, err)
		}
		e.tokens[name] = tok
	}
	for as, scope := range scopedTokens {
		tok, _, err := e.auth.CreateToken(e.ctx, auth.System, asAdmin, as, &life, scope)
		if err != nil {
			t.Fatalf("%s: %v", as, err)
		}
		e.tokens[as] = tok
	}
	return e
}

// eachEnv runs fn on every backend with a fresh environment.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		fn(t, newEnv(t, db, clk))
	})
}

// req describes one request.
type req struct {
	as      string
	method  string
	path    string
	body    any // string/[]byte sent as is, anything else JSON-encoded
	headers map[string]string
}

// resp is a recorded answer.
type resp struct {
	Code   int
	Header http.Header
	Body   []byte
}

func (r resp) String() string { return string(r.Body) }

// decode unmarshals the body into v.
func (r resp) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

func (r resp) problem(t *testing.T) Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != ProblemContentType {
		t.Fatalf("content type %q, want %s; body %s", ct, ProblemContentType, r.Body)
	}
	var p Problem
	r.decode(t, &p)
	return p
}

func bodyReader(b any) io.Reader {
	switch v := b.(type) {
	case nil:
		return nil
	case string:
		return strings.NewReader(v)
	case []byte:
		return bytes.NewReader(v)
	case io.Reader:
		return v
	}
	raw, _ := json.Marshal(b)
	return bytes.NewReader(raw)
}

// do sends q through the handler.
func (e *env) do(q req) resp {
	e.t.Helper()
	r := httptest.NewRequest(q.method, q.path, bodyReader(q.body))
	if q.body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if tok, ok := e.tokens[q.as]; ok {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range q.headers {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return resp{Code: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

// must sends q and fails unless the status is want.
func (e *env) must(q req, want int) resp {
	e.t.Helper()
	r := e.do(q)
	if r.Code != want {
		e.t.Fatalf("%s %s as %s: status %d, want %d; body %s", q.method, q.path, q.as, r.Code, want, r.Body)
	}
	return r
}

// fixture is the data most scenarios read: a service chain and the
// requesters' laptops.
type fixture struct {
	shop, app, db, laptop, otherLaptop cmdb.CI
	rel                                cmdb.Relation
}

func (e *env) fixture() fixture {
	e.t.Helper()
	var f fixture
	mk := func(ci cmdb.CI) cmdb.CI {
		out, err := e.cmdb.CreateCI(e.ctx, auth.System, ci)
		if err != nil {
			e.t.Fatalf("create CI %s: %v", ci.Name, err)
		}
		return out
	}
	f.shop = mk(cmdb.CI{Name: "Web shop", Kind: cmdb.KindBusinessService, Criticality: 5})
	f.app = mk(cmdb.CI{Name: "shop-app", Kind: cmdb.KindApplication, Criticality: 4})
	f.db = mk(cmdb.CI{Name: "db-01", Kind: cmdb.KindDatabase, Criticality: 4,
		Identifiers: cmdb.Identifiers{Hostnames: []string{"db-01"}, IPs: []string{"10.0.0.5"}}})
	f.laptop = mk(cmdb.CI{Name: "laptop-requester", Kind: cmdb.KindEndpoint, Owner: "requester"})
	f.otherLaptop = mk(cmdb.CI{Name: "laptop-other", Kind: cmdb.KindEndpoint, Owner: "other"})
	rel := func(src, typ, dst string) cmdb.Relation {
		r, err := e.cmdb.AddRelation(e.ctx, auth.System, cmdb.Relation{Source: src, Type: cmdb.RelationType(typ), Target: dst})
		if err != nil {
			e.t.Fatalf("relation: %v", err)
		}
		return r
	}
	f.rel = rel(f.shop.Key, "depends_on", f.app.Key)
	rel(f.app.Key, "depends_on", f.db.Key)
	return f
}

// countCIs counts every CI in the database.
func (e *env) countCIs() int {
	e.t.Helper()
	p, err := e.cmdb.FindCIs(e.ctx, auth.System, cmdb.Filter{Limit: 1})
	if err != nil {
		e.t.Fatalf("count CIs: %v", err)
	}
	return p.Total
}

// session signs user in and returns the session id and CSRF token.
func (e *env) session(user string) (id, csrf string) {
	e.t.Helper()
	id, sess, err := e.auth.Login(e.ctx, user, testPassword)
	if err != nil {
		e.t.Fatalf("login %s: %v", user, err)
	}
	return id, sess.CSRFToken
}

package incident_test

import (
	"context"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// env is one test database with every service and a person per role.
type env struct {
	t   *testing.T
	ctx context.Context
	db  *store.DB
	clk *clock.Fake
	svc services.Services
	inc *incident.Service

	admin, agent, analyst, auditor, dave, erin auth.Principal // dave and erin are requesters
}

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		svc := services.New(db, clk)
		e := &env{t: t, ctx: context.Background(), db: db, clk: clk, svc: svc, inc: svc.Incidents}
		e.team("Service Desk")
		e.team("SOC")
		e.admin = e.user("ada", auth.RoleAdmin)
		e.agent = e.user("nico", auth.RoleAgent, "Service Desk")
		e.analyst = e.user("sam", auth.RoleSecurityAnalyst, "SOC")
		e.auditor = e.user("aud", auth.RoleAuditor)
		e.dave = e.user("dave", auth.RoleRequester)
		e.erin = e.user("erin", auth.RoleRequester)
		fn(t, e)
	})
}

func (e *env) team(name string) {
	e.t.Helper()
	if _, err := e.svc.Auth.CreateTeam(e.ctx, auth.System, auth.Team{Name: name}); err != nil {
		e.t.Fatal(err)
	}
}

// user creates a user and returns them as they would sign in.
func (e *env) user(name string, role auth.Role, teams ...string) auth.Principal {
	e.t.Helper()
	if _, err := e.svc.Auth.CreateUser(e.ctx, auth.System, auth.NewUser{Username: name, Password: "correct horse battery",
		Roles: []auth.Role{role}, Teams: teams}); err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := e.svc.Auth.CreateToken(e.ctx, auth.System, name, "test", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	p, err := e.svc.Auth.TokenPrincipal(e.ctx, tok)
	if err != nil {
		e.t.Fatal(err)
	}
	p.Scopes = nil
	return p
}

func (e *env) create(p auth.Principal, inc incident.Incident) incident.Incident {
	e.t.Helper()
	out, err := e.inc.CreateIncident(e.ctx, p, inc)
	if err != nil {
		e.t.Fatalf("create %q: %v", inc.ShortDescription, err)
	}
	return out
}

func (e *env) update(p auth.Principal, key string, u incident.Update) incident.Incident {
	e.t.Helper()
	out, err := e.inc.UpdateIncident(e.ctx, p, key, u)
	if err != nil {
		e.t.Fatalf("update %s: %v", key, err)
	}
	return out
}

// wantField checks err is of kind k and names field.
func wantField(t *testing.T, err error, k errs.Kind, field string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Kind != k {
		t.Fatalf("error %v, want %s", err, k)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v does not name %s", err, field)
}

func ptr[T any](v T) *T { return &v }

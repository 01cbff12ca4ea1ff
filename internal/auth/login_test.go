package auth_test

import (
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestLogin(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		bob := f.user("bob", auth.RoleAuditor)
		if _, err := f.svc.UpdateUser(f.ctx, auth.System, "bob", auth.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		_ = bob
		cases := []struct {
			name, username, password string
			want                     errs.Kind
			message                  string
		}{
			{"right password", "alice", testPassword, "", ""},
			{"username in another case", " Alice ", testPassword, "", ""},
			{"wrong password", "alice", "not the password!", errs.Unauthenticated, "invalid username or password"},
			{"unknown user", "mallory", testPassword, errs.Unauthenticated, "invalid username or password"},
			{"empty password", "alice", "", errs.Unauthenticated, "invalid username or password"},
			{"disabled user", "bob", testPassword, errs.Unauthenticated, "this account is disabled; ask an administrator"},
			{"disabled user, wrong password", "bob", "nope nope nope", errs.Unauthenticated, "invalid username or password"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				failures := f.svc.LoginFailures()
				id, sess, err := f.svc.Login(f.ctx, c.username, c.password)
				wantKind(t, err, c.want)
				if c.want != "" {
					if e, _ := errs.As(err); e.Message != c.message {
						t.Fatalf("message %q, want %q", e.Message, c.message)
					}
					if id != "" || f.svc.LoginFailures() != failures+1 {
						t.Fatalf("failed login gave id %q, failures %d→%d", id, failures, f.svc.LoginFailures())
					}
					return
				}
				if id == "" || sess.CSRFToken == "" || sess.UserID == 0 {
					t.Fatalf("session %q %+v", id, sess)
				}
				if want := f.clk.Now().Add(auth.SessionIdleTimeout); !sess.ExpiresAt.Equal(want) {
					t.Fatalf("expires %v, want %v", sess.ExpiresAt, want)
				}
			})
		}
	})
}

func TestSessionPrincipalCarriesRolesAndTeams(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent, auth.RoleApprover)
		noc, err := f.svc.CreateTeam(f.ctx, auth.System, auth.Team{Name: "NOC", Members: []string{"alice"}})
		if err != nil {
			t.Fatal(err)
		}
		id, sess, err := f.svc.Login(f.ctx, "alice", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		p, got, err := f.svc.SessionPrincipal(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Username != "alice" || len(p.Roles) != 2 || !p.Has(auth.RoleApprover) || len(p.TeamIDs) != 1 || p.TeamIDs[0] != noc.ID {
			t.Fatalf("principal %+v", p)
		}
		if got.CSRFToken != sess.CSRFToken || got.UserID != p.UserID {
			t.Fatalf("session %+v, login gave %+v", got, sess)
		}
		// A role change applies at the next request, not the next sign-in.
		if _, err := f.svc.UpdateUser(f.ctx, auth.System, "alice", auth.UserUpdate{Roles: &[]auth.Role{auth.RoleRequester}}); err != nil {
			t.Fatal(err)
		}
		p, _, err = f.svc.SessionPrincipal(f.ctx, id)
		if err != nil || p.Has(auth.RoleAgent) || !p.Has(auth.RoleRequester) {
			t.Fatalf("after role change: %+v %v", p, err)
		}
	})
}

package auth_test

import (
	"slices"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestTeamVisibility(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		agent := f.user("alice", auth.RoleAgent)
		auditor := f.user("carol", auth.RoleAuditor)
		f.user("dave", auth.RoleRequester)
		f.user("grace", auth.RoleAgent)
		for _, tm := range []auth.Team{
			{Name: "Service Desk", Members: []string{"alice", "dave", "grace"}},
			{Name: "NOC", Members: []string{"alice"}},
			{Name: "SOC"},
		} {
			if _, err := f.svc.CreateTeam(f.ctx, auth.System, tm); err != nil {
				t.Fatal(err)
			}
		}
		// Visibility comes from the principal's teams as signed in.
		dave := f.signedIn("dave")
		cases := []struct {
			name    string
			p       auth.Principal
			teams   []string
			members []string // of Service Desk
			want    errs.Kind
		}{
			{"agent sees every team and member", agent, []string{"NOC", "SOC", "Service Desk"}, []string{"alice", "dave", "grace"}, ""},
			{"auditor sees every team and member", auditor, []string{"NOC", "SOC", "Service Desk"}, []string{"alice", "dave", "grace"}, ""},
			{"requester sees own team, only themselves in it", dave, []string{"Service Desk"}, []string{"dave"}, ""},
			{"anonymous", auth.Principal{}, nil, nil, errs.Unauthenticated},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				teams, err := f.svc.FindTeams(f.ctx, c.p)
				wantKind(t, err, c.want)
				if err != nil {
					return
				}
				var names []string
				for _, tm := range teams {
					names = append(names, tm.Name)
					if tm.Name == "Service Desk" && !slices.Equal(tm.Members, c.members) {
						t.Fatalf("members %v, want %v", tm.Members, c.members)
					}
				}
				if !slices.Equal(names, c.teams) {
					t.Fatalf("teams %v, want %v", names, c.teams)
				}
				tm, err := f.svc.FindTeamByName(f.ctx, c.p, "Service Desk")
				if err != nil || !slices.Equal(tm.Members, c.members) {
					t.Fatalf("find by name: %+v %v", tm, err)
				}
			})
		}
		_, err := f.svc.FindTeamByName(f.ctx, dave, "NOC")
		wantKind(t, err, errs.NotFound)
		_, err = f.svc.FindTeamByName(f.ctx, agent, "Nope")
		wantKind(t, err, errs.NotFound)
	})
}

func TestTeamWrites(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		admin := f.user("root", auth.RoleAdmin)
		f.user("alice", auth.RoleAgent)
		f.user("bob", auth.RoleSecurityAnalyst)
		created, err := f.svc.CreateTeam(f.ctx, admin, auth.Team{Name: " SOC ", Description: "Security", Email: "soc@example.org", Members: []string{"Bob", "bob"}})
		if err != nil {
			t.Fatal(err)
		}
		if created.Name != "SOC" || !slices.Equal(created.Members, []string{"bob"}) || created.CreatedAt.IsZero() {
			t.Fatalf("created %+v", created)
		}
		updated, err := f.svc.UpdateTeam(f.ctx, admin, "SOC", auth.TeamUpdate{Members: &[]string{"alice", "bob"}, Description: ptr("SOC, 24x7")})
		if err != nil || !slices.Equal(updated.Members, []string{"alice", "bob"}) || updated.Description != "SOC, 24x7" || updated.Email != "soc@example.org" {
			t.Fatalf("updated %+v %v", updated, err)
		}
		if u, _ := f.svc.FindUserByName(f.ctx, admin, "alice"); !slices.Equal(u.Teams, []string{"SOC"}) {
			t.Fatalf("alice's teams %v", u.Teams)
		}
		cases := []struct {
			name string
			run  func() error
			want errs.Kind
		}{
			{"duplicate name", func() error { _, err := f.svc.CreateTeam(f.ctx, admin, auth.Team{Name: "SOC"}); return err }, errs.Conflict},
			{"no name", func() error { _, err := f.svc.CreateTeam(f.ctx, admin, auth.Team{Name: " "}); return err }, errs.Invalid},
			{"slash in name", func() error { _, err := f.svc.CreateTeam(f.ctx, admin, auth.Team{Name: "A/B"}); return err }, errs.Invalid},
			{"unknown member", func() error {
				_, err := f.svc.CreateTeam(f.ctx, admin, auth.Team{Name: "NOC", Members: []string{"ghost"}})
				return err
			}, errs.Invalid},
			{"update a missing team", func() error { _, err := f.svc.UpdateTeam(f.ctx, admin, "Nope", auth.TeamUpdate{}); return err }, errs.NotFound},
			{"update with a bad email", func() error {
				_, err := f.svc.UpdateTeam(f.ctx, admin, "SOC", auth.TeamUpdate{Email: ptr("soc")})
				return err
			}, errs.Invalid},
			{"delete a missing team", func() error { return f.svc.DeleteTeam(f.ctx, admin, "Nope") }, errs.NotFound},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { wantKind(t, c.run(), c.want) })
		}
		if n := f.scalar(`SELECT COUNT(*) FROM teams WHERE name = 'NOC'`); n != "0" {
			t.Fatal("team with an unknown member was stored")
		}
		if err := f.svc.DeleteTeam(f.ctx, admin, "SOC"); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.svc.FindUserByName(f.ctx, admin, "alice"); len(u.Teams) != 0 {
			t.Fatalf("alice still in %v", u.Teams)
		}
	})
}

func TestTeamWritesDenied(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("root", auth.RoleAdmin)
		if _, err := f.svc.CreateTeam(f.ctx, auth.System, auth.Team{Name: "NOC"}); err != nil {
			t.Fatal(err)
		}
		actors := map[string]auth.Principal{
			"auditor":   f.user("carol", auth.RoleAuditor),
			"agent":     f.user("alice", auth.RoleAgent),
			"requester": f.user("dave", auth.RoleRequester),
			"approver":  f.user("frank", auth.RoleApprover),
			"anonymous": {},
		}
		for name, p := range actors {
			want := errs.Forbidden
			if p.UserID == 0 {
				want = errs.Unauthenticated
			}
			t.Run(name, func(t *testing.T) {
				_, err := f.svc.CreateTeam(f.ctx, p, auth.Team{Name: "SOC"})
				wantKind(t, err, want)
				_, err = f.svc.UpdateTeam(f.ctx, p, "NOC", auth.TeamUpdate{Members: &[]string{p.Username}})
				wantKind(t, err, want)
				wantKind(t, f.svc.DeleteTeam(f.ctx, p, "NOC"), want)
			})
		}
		teams, err := f.svc.FindTeams(f.ctx, auth.System)
		if err != nil || len(teams) != 1 || len(teams[0].Members) != 0 {
			t.Fatalf("after denied writes: %+v %v", teams, err)
		}
	})
}

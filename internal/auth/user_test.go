package auth_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestUserWritesDenied(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("root", auth.RoleAdmin)
		f.user("victim", auth.RoleAgent)
		actors := map[string]auth.Principal{
			"requester":        f.user("dave", auth.RoleRequester),
			"auditor":          f.user("carol", auth.RoleAuditor),
			"agent":            f.user("alice", auth.RoleAgent),
			"security analyst": f.user("bob", auth.RoleSecurityAnalyst),
			"change manager":   f.user("erin", auth.RoleChangeManager, auth.RoleApprover),
			"anonymous":        {},
		}
		nu := auth.NewUser{Username: "newbie", Password: testPassword, Roles: []auth.Role{auth.RoleAgent}}
		for name, p := range actors {
			want := errs.Forbidden
			if p.UserID == 0 {
				want = errs.Unauthenticated
			}
			t.Run(name, func(t *testing.T) {
				_, err := f.svc.CreateUser(f.ctx, p, nu)
				wantKind(t, err, want)
				_, err = f.svc.UpdateUser(f.ctx, p, "victim", auth.UserUpdate{Roles: &[]auth.Role{auth.RoleAdmin}})
				wantKind(t, err, want)
				_, err = f.svc.UpdateUser(f.ctx, p, p.Username, auth.UserUpdate{Roles: &[]auth.Role{auth.RoleAdmin}})
				wantKind(t, err, want) // nobody grants themselves roles
				wantKind(t, f.svc.DeleteUser(f.ctx, p, "victim"), want)
			})
		}
		if u, err := f.svc.FindUserByName(f.ctx, auth.System, "victim"); err != nil || !slices.Equal(u.Roles, []auth.Role{auth.RoleAgent}) {
			t.Fatalf("victim after denied writes: %+v %v", u, err)
		}
		if n := f.scalar(`SELECT COUNT(*) FROM users WHERE username = 'newbie'`); n != "0" {
			t.Fatal("a denied create stored the user")
		}
	})
}

func TestCreateUserValidation(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		admin := f.user("root", auth.RoleAdmin)
		if _, err := f.svc.CreateTeam(f.ctx, admin, auth.Team{Name: "NOC"}); err != nil {
			t.Fatal(err)
		}
		ok := auth.NewUser{Username: "alice", DisplayName: "Alice", Email: "alice@example.org", Password: testPassword,
			Roles: []auth.Role{auth.RoleAgent}, Teams: []string{"NOC"}}
		with := func(change func(*auth.NewUser)) auth.NewUser { u := ok; change(&u); return u }
		cases := []struct {
			name  string
			user  auth.NewUser
			want  errs.Kind
			field string
		}{
			{"password too short", with(func(u *auth.NewUser) { u.Password = "elevenchars" }), errs.Invalid, "password"},
			{"password is the username", with(func(u *auth.NewUser) { u.Username = "longusername"; u.Password = "LongUsername" }), errs.Invalid, "password"},
			{"no username", with(func(u *auth.NewUser) { u.Username = " " }), errs.Invalid, "username"},
			{"username with a slash", with(func(u *auth.NewUser) { u.Username = "a/b" }), errs.Invalid, "username"},
			{"reserved username", with(func(u *auth.NewUser) { u.Username = "system" }), errs.Invalid, "username"},
			{"no role", with(func(u *auth.NewUser) { u.Roles = nil }), errs.Invalid, "roles"},
			{"unknown role", with(func(u *auth.NewUser) { u.Roles = []auth.Role{"superuser"} }), errs.Invalid, "roles"},
			{"bad email", with(func(u *auth.NewUser) { u.Email = "alice at example" }), errs.Invalid, "email"},
			{"control characters", with(func(u *auth.NewUser) { u.DisplayName = "A\x1b[31m" }), errs.Invalid, "display_name"},
			{"unknown team", with(func(u *auth.NewUser) { u.Teams = []string{"NOC", "Nope"} }), errs.Invalid, "teams"},
			{"valid", ok, "", ""},
			{"username taken, in another case", with(func(u *auth.NewUser) { u.Username = "ALICE" }), errs.Conflict, "username"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				u, err := f.svc.CreateUser(f.ctx, admin, c.user)
				wantKind(t, err, c.want)
				if c.want == "" {
					if u.Username != "alice" || !slices.Equal(u.Teams, []string{"NOC"}) || u.MustChangePassword || u.CreatedAt.IsZero() {
						t.Fatalf("created %+v", u)
					}
					return
				}
				if e, _ := errs.As(err); len(e.Fields) != 1 || e.Fields[0].Field != c.field {
					t.Fatalf("fields %+v, want one for %s", e.Fields, c.field)
				}
			})
		}
		if n := f.scalar(`SELECT COUNT(*) FROM users`); n != "2" {
			t.Fatalf("%s users stored, want root and alice", n)
		}
	})
}

func TestFindUsersScope(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("root", auth.RoleAdmin)
		dave := f.user("dave", auth.RoleRequester)
		agent := f.user("alice", auth.RoleAgent)
		auditor := f.user("carol", auth.RoleAuditor)
		cases := []struct {
			name  string
			p     auth.Principal
			users []string
			want  errs.Kind
		}{
			{"requester sees only themselves", dave, []string{"dave"}, ""},
			{"agent sees everybody", agent, []string{"alice", "carol", "dave", "root"}, ""},
			{"auditor sees everybody", auditor, []string{"alice", "carol", "dave", "root"}, ""},
			{"a principal without roles sees nothing", auth.Principal{UserID: dave.UserID, Username: "dave"}, nil, errs.Forbidden},
			{"anonymous", auth.Principal{}, nil, errs.Unauthenticated},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				page, err := f.svc.FindUsers(f.ctx, c.p, auth.UserFilter{})
				wantKind(t, err, c.want)
				if err != nil {
					return
				}
				if got := usernames(page.Items); !slices.Equal(got, c.users) || page.Total != len(c.users) {
					t.Fatalf("users %v total %d, want %v", got, page.Total, c.users)
				}
				// The search cannot be used to learn of other users either.
				page, err = f.svc.FindUsers(f.ctx, c.p, auth.UserFilter{Query: "r"})
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range page.Items {
					if !slices.Contains(c.users, u.Username) {
						t.Fatalf("search showed %s", u.Username)
					}
				}
			})
		}
		if _, err := f.svc.FindUserByName(f.ctx, dave, "alice"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("requester reads another user: %v, want NotFound", err)
		}
		if u, err := f.svc.FindUserByName(f.ctx, dave, "dave"); err != nil || u.Username != "dave" {
			t.Fatalf("requester reads themselves: %+v %v", u, err)
		}
		if u, err := f.svc.FindUserByName(f.ctx, agent, "Dave"); err != nil || u.Username != "dave" {
			t.Fatalf("agent reads dave: %+v %v", u, err)
		}
	})
}

func TestFindUsersFiltersAndPages(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for _, n := range []string{"amy", "ben", "cat", "dan", "eve"} {
			f.user(n, auth.RoleAgent)
		}
		f.user("zed_x", auth.RoleAuditor)
		if _, err := f.svc.CreateTeam(f.ctx, auth.System, auth.Team{Name: "SOC", Members: []string{"ben", "eve"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateUser(f.ctx, auth.System, "cat", auth.UserUpdate{DisplayName: ptr("Catherine O'Brien")}); err != nil {
			t.Fatal(err)
		}
		cutoff := f.clk.Now().Add(time.Second)
		f.clk.Advance(time.Minute)
		if _, err := f.svc.UpdateUser(f.ctx, auth.System, "dan", auth.UserUpdate{Email: ptr("dan@example.org")}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name   string
			filter auth.UserFilter
			want   []string
		}{
			{"display name, any case, inside", auth.UserFilter{Query: "o'BRIEN"}, []string{"cat"}},
			{"username or display name part", auth.UserFilter{Query: "e"}, []string{"ben", "cat", "eve", "zed_x"}},
			{"LIKE wildcards are literal", auth.UserFilter{Query: "_"}, []string{"zed_x"}},
			{"role", auth.UserFilter{Role: auth.RoleAuditor}, []string{"zed_x"}},
			{"team", auth.UserFilter{Team: "SOC"}, []string{"ben", "eve"}},
			{"updated since", auth.UserFilter{UpdatedSince: cutoff}, []string{"dan"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				page, err := f.svc.FindUsers(f.ctx, auth.System, c.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got := usernames(page.Items); !slices.Equal(got, c.want) || page.Total != len(c.want) || page.NextCursor != "" {
					t.Fatalf("got %v (total %d, cursor %q), want %v", got, page.Total, page.NextCursor, c.want)
				}
			})
		}
		t.Run("pages", func(t *testing.T) {
			var all []string
			f2 := auth.UserFilter{Limit: 4}
			for pages := 0; ; pages++ {
				page, err := f.svc.FindUsers(f.ctx, auth.System, f2)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != 6 || pages > 2 {
					t.Fatalf("total %d after %d pages", page.Total, pages)
				}
				all = append(all, usernames(page.Items)...)
				if page.NextCursor == "" {
					break
				}
				f2.Cursor = page.NextCursor
			}
			if want := []string{"amy", "ben", "cat", "dan", "eve", "zed_x"}; !slices.Equal(all, want) {
				t.Fatalf("paged %v, want %v", all, want)
			}
		})
		t.Run("bad input", func(t *testing.T) {
			_, err := f.svc.FindUsers(f.ctx, auth.System, auth.UserFilter{Cursor: "garbage!"})
			wantKind(t, err, errs.Invalid)
			_, err = f.svc.FindUsers(f.ctx, auth.System, auth.UserFilter{Role: "king"})
			wantKind(t, err, errs.Invalid)
		})
	})
}

func usernames(us []auth.User) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.Username)
	}
	return out
}

func TestUpdateUser(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		admin := f.user("root", auth.RoleAdmin)
		f.user("alice", auth.RoleAgent)
		for _, team := range []string{"NOC", "SOC"} {
			if _, err := f.svc.CreateTeam(f.ctx, admin, auth.Team{Name: team}); err != nil {
				t.Fatal(err)
			}
		}
		f.clk.Advance(time.Minute)
		u, err := f.svc.UpdateUser(f.ctx, admin, "alice", auth.UserUpdate{
			DisplayName: ptr(" Alice Martin "), Email: ptr("alice@example.org"),
			Roles: &[]auth.Role{auth.RoleRequester, auth.RoleAgent, auth.RoleAgent}, Teams: &[]string{"SOC", "NOC"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if u.DisplayName != "Alice Martin" || u.Email != "alice@example.org" || !slices.Equal(u.Roles, []auth.Role{auth.RoleAgent, auth.RoleRequester}) ||
			!slices.Equal(u.Teams, []string{"NOC", "SOC"}) || !u.UpdatedAt.Equal(f.clk.Now()) || u.UpdatedAt.Equal(u.CreatedAt) {
			t.Fatalf("updated %+v", u)
		}
		u, err = f.svc.UpdateUser(f.ctx, admin, "alice", auth.UserUpdate{Teams: &[]string{"SOC"}})
		if err != nil || !slices.Equal(u.Teams, []string{"SOC"}) || u.Email != "alice@example.org" {
			t.Fatalf("only teams changed: %+v %v", u, err)
		}

		// A reset password works, must be changed, and the old one stops working.
		if _, err := f.svc.UpdateUser(f.ctx, admin, "alice", auth.UserUpdate{Password: ptr("temporary password 1")}); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.svc.FindUserByName(f.ctx, admin, "alice"); !u.MustChangePassword {
			t.Fatal("reset password need not be changed")
		}
		_, _, err = f.svc.Login(f.ctx, "alice", testPassword)
		wantKind(t, err, errs.Unauthenticated)
		f.login("alice", "temporary password 1")

		cases := []struct {
			name string
			u    auth.UserUpdate
			want errs.Kind
		}{
			{"short password", auth.UserUpdate{Password: ptr("short")}, errs.Invalid},
			{"no roles", auth.UserUpdate{Roles: &[]auth.Role{}}, errs.Invalid},
			{"unknown team", auth.UserUpdate{Teams: &[]string{"Nope"}}, errs.Invalid},
			{"bad email", auth.UserUpdate{Email: ptr("@")}, errs.Invalid},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.UpdateUser(f.ctx, admin, "alice", c.u)
				wantKind(t, err, c.want)
			})
		}
		_, err = f.svc.UpdateUser(f.ctx, admin, "nobody", auth.UserUpdate{})
		wantKind(t, err, errs.NotFound)
		if u, _ := f.svc.FindUserByName(f.ctx, admin, "alice"); !slices.Equal(u.Teams, []string{"SOC"}) {
			t.Fatalf("a failed update changed teams: %v", u.Teams)
		}
	})
}

func TestLastAdminProtection(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		root := f.user("root", auth.RoleAdmin)
		f.user("old", auth.RoleAdmin)
		if _, err := f.svc.UpdateUser(f.ctx, root, "old", auth.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err) // a disabled admin does not count
		}
		cases := []struct {
			name string
			run  func() error
			want errs.Kind
		}{
			{"delete yourself", func() error { return f.svc.DeleteUser(f.ctx, root, "root") }, errs.Conflict},
			{"disable yourself", func() error {
				_, err := f.svc.UpdateUser(f.ctx, root, "root", auth.UserUpdate{Disabled: ptr(true)})
				return err
			}, errs.Conflict},
			{"drop your own admin role as the last admin", func() error {
				_, err := f.svc.UpdateUser(f.ctx, root, "root", auth.UserUpdate{Roles: &[]auth.Role{auth.RoleAgent}})
				return err
			}, errs.Conflict},
			{"system disables the last admin", func() error {
				_, err := f.svc.UpdateUser(f.ctx, auth.System, "root", auth.UserUpdate{Disabled: ptr(true)})
				return err
			}, errs.Conflict},
			{"system deletes the last admin", func() error { return f.svc.DeleteUser(f.ctx, auth.System, "root") }, errs.Conflict},
			{"delete a disabled admin", func() error { return f.svc.DeleteUser(f.ctx, root, "old") }, ""},
			{"other changes to the last admin", func() error {
				_, err := f.svc.UpdateUser(f.ctx, root, "root", auth.UserUpdate{DisplayName: ptr("Root"), Roles: &[]auth.Role{auth.RoleAdmin, auth.RoleAuditor}})
				return err
			}, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { wantKind(t, c.run(), c.want) })
		}
		second := f.user("second", auth.RoleAdmin)
		if _, err := f.svc.UpdateUser(f.ctx, second, "root", auth.UserUpdate{Roles: &[]auth.Role{auth.RoleAgent}}); err != nil {
			t.Fatalf("demote one of two admins: %v", err)
		}
		if err := f.svc.DeleteUser(f.ctx, auth.System, "second"); !errs.Is(err, errs.Conflict) {
			t.Fatalf("delete the now last admin: %v", err)
		}
		if err := f.svc.DeleteUser(f.ctx, second, "root"); err != nil {
			t.Fatalf("delete a former admin: %v", err)
		}
		wantKind(t, f.svc.DeleteUser(f.ctx, second, "root"), errs.NotFound)
	})
}

func TestChangePassword(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("root", auth.RoleAdmin)
		alice := f.user("alice", auth.RoleRequester)
		if _, err := f.svc.UpdateUser(f.ctx, auth.System, "alice", auth.UserUpdate{Password: ptr("one-time password")}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, old, new string
			field          string
		}{
			{"wrong old password", "not it at all", "brand new password", "old_password"},
			{"too short", "one-time password", "short", "new_password"},
			{"the username", "one-time password", "ALICE", "new_password"},
			{"unchanged", "one-time password", "one-time password", "new_password"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := f.svc.ChangePassword(f.ctx, alice, c.old, c.new)
				wantKind(t, err, errs.Invalid)
				if e, _ := errs.As(err); e.Fields[0].Field != c.field {
					t.Fatalf("field %s, want %s", e.Fields[0].Field, c.field)
				}
			})
		}
		wantKind(t, f.svc.ChangePassword(f.ctx, auth.Principal{}, "a", "b"), errs.Unauthenticated)
		wantKind(t, f.svc.ChangePassword(f.ctx, auth.System, "a", "b"), errs.Unauthenticated)
		if err := f.svc.ChangePassword(f.ctx, alice, "one-time password", "brand new password"); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.svc.FindUserByName(f.ctx, alice, "alice"); u.MustChangePassword {
			t.Fatal("must_change_password not cleared")
		}
		f.login("alice", "brand new password")
		_, _, err := f.svc.Login(f.ctx, "alice", "one-time password")
		wantKind(t, err, errs.Unauthenticated)
		if h := f.scalar(`SELECT password_hash FROM users WHERE username = 'alice'`); !strings.HasPrefix(h, "$argon2id$") {
			t.Fatalf("hash %q", h)
		}
	})
}

func TestConcurrentDemotionsKeepAnAdmin(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		a := f.user("ann", auth.RoleAdmin)
		b := f.user("ben", auth.RoleAdmin)
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i, pair := range [][2]auth.Principal{{a, b}, {b, a}} {
			wg.Go(func() {
				_, results[i] = f.svc.UpdateUser(f.ctx, pair[0], pair[1].Username, auth.UserUpdate{Roles: &[]auth.Role{auth.RoleAgent}})
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range results {
			switch {
			case err == nil:
				ok++
			case !errs.Is(err, errs.Conflict):
				t.Fatalf("unexpected error: %v", err)
			}
		}
		page, err := f.svc.FindUsers(f.ctx, auth.System, auth.UserFilter{Role: auth.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		if ok != 1 || page.Total != 1 {
			t.Fatalf("%d demotions succeeded, %d admins left; want 1 and 1", ok, page.Total)
		}
	})
}

// An admin reset hands out a random one-time password: it signs in once,
// must be changed, ends the user's sessions, and differs every time.
func TestResetPassword(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		admin := f.user("root", auth.RoleAdmin)
		agent := f.user("alice", auth.RoleAgent)
		old := f.login("alice", testPassword)

		_, err := f.svc.ResetPassword(f.ctx, agent, "root")
		wantKind(t, err, errs.Forbidden)
		_, err = f.svc.ResetPassword(f.ctx, admin, "nobody")
		wantKind(t, err, errs.NotFound)

		pw, err := f.svc.ResetPassword(f.ctx, admin, "Alice")
		if err != nil || len(pw) < auth.MinPasswordLength {
			t.Fatalf("reset: %q %v", pw, err)
		}
		if again, _ := f.svc.ResetPassword(f.ctx, admin, "alice"); again == pw {
			t.Fatal("two resets gave the same password")
		} else {
			pw = again
		}
		if _, _, err := f.svc.SessionPrincipal(f.ctx, old); err == nil {
			t.Error("the user's session survived the reset")
		}
		_, _, err = f.svc.Login(f.ctx, "alice", testPassword)
		wantKind(t, err, errs.Unauthenticated)
		f.login("alice", pw)
		if u, _ := f.svc.FindUserByName(f.ctx, admin, "alice"); !u.MustChangePassword {
			t.Error("the one-time password need not be changed")
		}
		// An admin resetting their own password gets a one-time one too.
		own, err := f.svc.ResetPassword(f.ctx, admin, "root")
		if err != nil {
			t.Fatal(err)
		}
		if u, _ := f.svc.FindUserByName(f.ctx, admin, "root"); !u.MustChangePassword {
			t.Error("own reset need not be changed")
		}
		f.login("root", own)
		if n := f.scalar(`SELECT COUNT(*) FROM audit_log WHERE action = 'reset_password'`); n != "3" {
			t.Errorf("%s reset_password audit entries, want 3", n)
		}
	})
}

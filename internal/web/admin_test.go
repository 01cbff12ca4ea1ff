package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
)

func TestAdminPagesDeniedToOthers(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		e.user("aud", auth.RoleAuditor)
		for _, name := range []string{"ann", "aud"} {
			c := e.login(name)
			if c.mustGet("/cis").Find(`.nav a[href="/admin/users"]`).Length() != 0 {
				t.Errorf("%s sees the admin navigation", name)
			}
			for _, path := range []string{"/admin/users", "/admin/users/new", "/admin/users/ann", "/admin/teams", "/admin/teams/new"} {
				rec, doc := c.get(path)
				wantStatus(t, rec, http.StatusForbidden)
				if doc.Find("main h1").Text() != "Not allowed" {
					t.Errorf("%s %s: not the 403 page", name, path)
				}
			}
			for _, path := range []string{"/admin/users", "/admin/users/ann", "/admin/users/ann/disable", "/admin/teams"} {
				rec := c.post(path, url.Values{"username": {"mallory"}, "password": {testPassword}, "roles": {"admin"}, "name": {"x"}})
				wantStatus(t, rec, http.StatusForbidden)
			}
		}
		if _, err := e.auth.FindUserByName(t.Context(), auth.System, "mallory"); err == nil {
			t.Fatal("a non-admin created a user")
		}
	})
}

func TestAdminManagesUsersAndTeams(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("root", auth.RoleAdmin)
		c := e.login("root")

		wantStatus(t, c.post("/admin/teams", url.Values{"name": {"NOC"}, "description": {"Network operations"}}), http.StatusSeeOther)
		doc := c.mustGet("/admin/users/new")
		if doc.Find(`input[name=teams][value=NOC]`).Length() != 1 {
			t.Fatal("team not offered on the user form")
		}
		// Errors stay on the form.
		rec := c.post("/admin/users", url.Values{"username": {"bob"}, "password": {"short"}, "roles": {"agent"}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if parse(t, rec).Find(`input[name=password] ~ .ferr`).Length() == 0 {
			t.Error("no message by the password field")
		}
		rec = c.post("/admin/users", url.Values{"username": {"bob"}, "display_name": {"Bob"}, "password": {testPassword},
			"roles": {"agent", "security_analyst"}, "teams": {"NOC"}})
		wantStatus(t, rec, http.StatusSeeOther)
		row := c.mustGet("/admin/users").Find(`#user-table tr[data-user=bob]`)
		if row.Length() != 1 || row.Find(".tag").Length() != 3 {
			t.Fatalf("bob's row: %q", row.Text())
		}

		// Edit roles, then disable.
		doc = c.mustGet("/admin/users/bob")
		if _, ok := doc.Find(`input[name=roles][value=security_analyst]`).Attr("checked"); !ok {
			t.Fatal("edit form does not show bob's roles")
		}
		wantStatus(t, c.post("/admin/users/bob", url.Values{"display_name": {"Bob B"}, "roles": {"auditor"}}), http.StatusSeeOther)
		u, err := e.auth.FindUserByName(t.Context(), auth.System, "bob")
		if err != nil || !slices.Equal(u.Roles, []auth.Role{auth.RoleAuditor}) || len(u.Teams) != 0 || u.DisplayName != "Bob B" {
			t.Fatalf("after edit: %+v %v", u, err)
		}
		wantStatus(t, c.post("/admin/users/bob/disable", nil), http.StatusSeeOther)
		if u, _ := e.auth.FindUserByName(t.Context(), auth.System, "bob"); !u.Disabled {
			t.Fatal("bob not disabled")
		}
		rec = e.anon().postForm("/login", url.Values{"username": {"bob"}, "password": {testPassword}})
		wantStatus(t, rec, http.StatusUnauthorized)

		// Team members are edited as a list of usernames.
		wantStatus(t, c.post("/admin/teams/NOC", url.Values{"description": {"NOC"}, "members": {"root\nbob"}}), http.StatusSeeOther)
		team := c.mustGet("/admin/teams").Find(`#team-table tr[data-team=NOC]`)
		if team.Find(".tag").Length() != 2 {
			t.Fatalf("team members: %q", team.Text())
		}
	})
}

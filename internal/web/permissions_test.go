package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/web"
)

// uiControl is a navigation entry or button and who should see it.
type uiControl struct {
	name  string
	page  string // where it shows; {ci} is the test CI's key
	sel   string
	roles []auth.Role
	// use sends the request the control leads to and returns its status;
	// nil where using it would change what later roles see.
	use func(c *client, ci string) int
}

func getting(path string) func(*client, string) int {
	return func(c *client, ci string) int {
		rec, _ := c.get(expand(path, ci))
		return rec.Code
	}
}

func expand(path, ci string) string { return strings.ReplaceAll(path, "{ci}", ci) }

// Each navigation entry and button appears exactly for the roles whose
// request behind it the services allow, role by role: the page asks the
// same permission the service checks, so neither a dead button nor a
// missing one can appear.
func TestControlsFollowPermissions(t *testing.T) {
	staff := []auth.Role{auth.RoleAdmin, auth.RoleAgent, auth.RoleSecurityAnalyst, auth.RoleChangeManager, auth.RoleApprover, auth.RoleAuditor, auth.RoleSecurityAuditor}
	writers := []auth.Role{auth.RoleAdmin, auth.RoleAgent, auth.RoleSecurityAnalyst}
	admin := []auth.Role{auth.RoleAdmin}
	controls := []uiControl{
		{"CMDB navigation", "/cis", `.nav a[href="/cis"]`, auth.AllRoles, getting("/cis")},
		{"Imports navigation", "/cis", `.nav a[href="/imports"]`, staff, getting("/imports")},
		{"Audit navigation", "/cis", `.nav a[href="/audit"]`, []auth.Role{auth.RoleAdmin, auth.RoleAuditor, auth.RoleSecurityAuditor}, getting("/audit")},
		{"Users navigation", "/cis", `.nav a[href="/admin/users"]`, admin, getting("/admin/users")},
		{"Teams navigation", "/cis", `.nav a[href="/admin/teams"]`, admin, getting("/admin/teams")},
		{"Jobs navigation", "/cis", `.nav a[href="/admin/jobs"]`, admin, getting("/admin/jobs")},
		{"New CI", "/cis", "#new-ci", writers, getting("/cis/new")},
		{"Impact", "/cis/{ci}", "#impact-link", auth.AllRoles, getting("/cis/{ci}/impact")},
		{"Edit CI", "/cis/{ci}", "#edit-ci", writers, getting("/cis/{ci}/edit")},
		{"Delete CI", "/cis/{ci}", "#delete-ci", writers, getting("/cis/{ci}/delete")},
		// A relationship of a CI to itself is refused after the permission
		// check: 422 for writers, 403 for the others, nothing changes.
		{"Add relationship", "/cis/{ci}", "#rel-form", writers, func(c *client, ci string) int {
			return c.post("/cis/"+ci+"/relations", url.Values{"direction": {"outgoing"}, "type": {"depends_on"}, "other": {ci}}).Code
		}},
		{"Remove relationship", "/cis/{ci}", `#relationships form[action$="/delete"]`, writers, nil},
		// No file: refused after the permission check.
		{"Upload form", "/imports", "#import-form", writers, func(c *client, _ string) int {
			return c.post("/imports", url.Values{"format": {"csv"}}).Code
		}},
	}
	eachEnv(t, func(t *testing.T, e *env) {
		for _, r := range auth.AllRoles {
			e.user(string(r), r)
		}
		// Owned by the requester, so every role sees the CI and its
		// relationship and the buttons on its page are what differs.
		ci := e.ci(cmdb.CI{Name: "laptop-1", Kind: cmdb.KindEndpoint, Owner: string(auth.RoleRequester)})
		dock := e.ci(cmdb.CI{Name: "dock-1", Kind: cmdb.KindEndpoint, Owner: string(auth.RoleRequester)})
		e.relate(ci.Key, cmdb.RelConnectsTo, dock.Key)
		for _, role := range auth.AllRoles {
			c := e.login(string(role))
			for _, ctl := range controls {
				want := slices.Contains(ctl.roles, role)
				rec, doc := c.get(expand(ctl.page, ci.Key))
				shown := rec.Code == http.StatusOK && doc.Find(ctl.sel).Length() > 0
				if shown != want {
					t.Errorf("%s: %s shown=%v on %s (status %d), want %v", role, ctl.name, shown, ctl.page, rec.Code, want)
				}
				if ctl.use == nil {
					continue
				}
				code := ctl.use(c, ci.Key)
				if allowed := code != http.StatusForbidden && code != http.StatusNotFound; allowed != want {
					t.Errorf("%s: using %s answers %d, but the control is shown=%v", role, ctl.name, code, want)
				}
			}
		}
	})
}

// A server without a jobs runner offers no jobs page, even to admins.
func TestNoJobsLinkWithoutJobs(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("root", auth.RoleAdmin)
		e.h = web.New(web.Deps{Services: services.Services{CMDB: e.cmdb, Auth: e.auth, Audit: e.audit}, Clock: e.db.Clock()})
		doc := e.login("root").mustGet("/cis")
		if doc.Find(`.nav a[href="/admin/jobs"]`).Length() != 0 {
			t.Error("jobs link shown without a jobs service")
		}
		if doc.Find(`.nav a[href="/admin/users"]`).Length() != 1 {
			t.Error("admin navigation missing")
		}
	})
}

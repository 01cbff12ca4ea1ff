package auth_test

import (
	"slices"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// The permission table as the README's roles table states it. Roles() is
// what the API document and the UI show, so it must say exactly who Can.
func TestActionRoles(t *testing.T) {
	staff := []auth.Role{auth.RoleAdmin, auth.RoleAgent, auth.RoleSecurityAnalyst, auth.RoleChangeManager, auth.RoleApprover, auth.RoleAuditor, auth.RoleSecurityAuditor}
	writers := []auth.Role{auth.RoleAdmin, auth.RoleAgent, auth.RoleSecurityAnalyst}
	cases := []struct {
		action auth.Action
		want   []auth.Role
	}{
		{auth.CIRead, append(slices.Clone(staff), auth.RoleRequester)},
		{auth.CIWrite, writers},
		{auth.ImportRun, writers},
		{auth.ImportRead, staff},
		{auth.UserRead, append(slices.Clone(staff), auth.RoleRequester)},
		{auth.UserManage, []auth.Role{auth.RoleAdmin}},
		{auth.TokenManage, []auth.Role{auth.RoleAdmin}},
		{auth.AuditRead, []auth.Role{auth.RoleAdmin, auth.RoleAuditor, auth.RoleSecurityAuditor}},
		{auth.AuditReadRestricted, []auth.Role{auth.RoleAdmin, auth.RoleSecurityAuditor}},
		{auth.JobsAdmin, []auth.Role{auth.RoleAdmin}},
		{auth.CMDBConfigure, []auth.Role{auth.RoleAdmin}},
	}
	for _, c := range cases {
		t.Run(string(c.action), func(t *testing.T) {
			if !c.action.Valid() {
				t.Fatalf("%s is not valid", c.action)
			}
			if got := c.action.Roles(); !slices.Equal(got, c.want) {
				t.Errorf("Roles() = %v, want %v", got, c.want)
			}
			for _, r := range auth.AllRoles {
				p := auth.Principal{UserID: 1, Roles: []auth.Role{r}}
				if p.Can(c.action) != slices.Contains(c.want, r) {
					t.Errorf("%s: Can = %v, Roles says %v", r, p.Can(c.action), slices.Contains(c.want, r))
				}
			}
		})
	}
	if auth.Action("ci:wirte").Valid() || auth.Action("ci:wirte").Roles() != nil {
		t.Error("an unknown action is valid or granted")
	}
}

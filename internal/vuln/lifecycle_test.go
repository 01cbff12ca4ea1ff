package vuln_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/feed"
)

// People move findings through their life cycle with the fields each state
// needs; an expired risk acceptance reopens the finding.
func TestLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.mustImport("trivy", "a", imageReport("app:1", "CVE-2024-0001"))
		key := e.list(vuln.Filter{})[0].Key
		agent := auth.Principal{UserID: e.admin.UserID, Username: "ada", Roles: []auth.Role{auth.RoleAgent}}
		exp := e.clk.Now().Add(30 * 24 * time.Hour)
		cases := []struct {
			name string
			p    auth.Principal
			c    vuln.StateChange
			want errs.Kind
		}{
			{"agent may not accept risk", agent, vuln.StateChange{State: vuln.StateRiskAccepted, Approver: "ciso", Reason: "r", ExpiresAt: &exp}, errs.Forbidden},
			{"acceptance needs an approver", e.admin, vuln.StateChange{State: vuln.StateRiskAccepted, Reason: "r", ExpiresAt: &exp}, errs.Invalid},
			{"acceptance needs an expiry", e.admin, vuln.StateChange{State: vuln.StateRiskAccepted, Approver: "ciso", Reason: "r"}, errs.Invalid},
			{"fixed is not set by hand", e.admin, vuln.StateChange{State: vuln.StateFixed}, errs.Invalid},
			{"agent starts remediation", agent, vuln.StateChange{State: vuln.StateInRemediation}, ""},
			{"not twice", agent, vuln.StateChange{State: vuln.StateInRemediation}, errs.Conflict},
			{"admin accepts the risk", e.admin, vuln.StateChange{State: vuln.StateRiskAccepted, Approver: "ciso", Reason: "compensating control", ExpiresAt: &exp}, ""},
		}
		for _, c := range cases {
			_, err := e.svc.Vuln.ChangeState(e.ctx, c.p, strings.ToLower(key), c.c)
			if (c.want == "" && err != nil) || (c.want != "" && !errs.Is(err, c.want)) {
				t.Errorf("%s: %v, want %q", c.name, err, c.want)
			}
		}
		r, err := e.svc.Vuln.FindFinding(e.ctx, e.admin, key)
		if err != nil || r.State != vuln.StateRiskAccepted || r.Decision == nil || r.Decision.Approver != "ciso" {
			t.Fatalf("after acceptance: %+v %v", r, err)
		}
		if n, err := e.svc.Vuln.ReopenExpired(e.ctx); n != 0 || err != nil {
			t.Fatalf("reopened %d before expiry (%v)", n, err)
		}
		e.clk.Advance(31 * 24 * time.Hour)
		if n, err := e.svc.Vuln.ReopenExpired(e.ctx); n != 1 || err != nil {
			t.Fatalf("reopened %d after expiry (%v)", n, err)
		}
		if r, _ := e.svc.Vuln.FindFinding(e.ctx, e.admin, key); r.State != vuln.StateReopened {
			t.Errorf("after expiry: %s", r.State)
		}
	})
}

// A CVE entering KEV ranks its findings again; remediation tasks group
// findings per CI and fix, assigned to the CI's support group.
func TestKEVAddRerankAndRemediations(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		if _, err := e.db.SQL().Exec(`INSERT INTO teams (name, created_at, updated_at) VALUES ('Platform', $1, $1)`, e.clk.Now().Format("2006-01-02T15:04:05.000000Z")); err != nil {
			t.Fatal(err)
		}
		ci, err := e.svc.CMDB.CreateCI(e.ctx, e.admin, cmdb.CI{Name: "app", Kind: "container", SupportGroup: "Platform", Identifiers: cmdb.Identifiers{CloudID: "app:1"}})
		if err != nil {
			t.Fatal(err)
		}
		e.mustImport("trivy", "a", imageReport("app:1", "CVE-2021-44228", "CVE-2024-0001"))
		before := e.list(vuln.Filter{CVE: "CVE-2021-44228"})[0]
		if before.KEV != nil {
			t.Fatal("KEV before the feed")
		}
		rep, err := e.svc.Vuln.ImportKEV(e.ctx, e.admin, vuln.FeedRequest{}, feed.KEVSource(bytes.NewReader(fixture(t, "kev.json"))))
		if err != nil || rep.Detail.Reranked != 1 {
			t.Fatalf("KEV import: %+v %v", rep.Detail, err)
		}
		after := e.list(vuln.Filter{CVE: "CVE-2021-44228"})[0]
		if after.KEV == nil || after.DueSource != "kev" || vuln.PriorityRank(after.Priority) > vuln.PriorityRank(before.Priority) || !after.UpdatedAt.After(before.UpdatedAt) && !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Errorf("after KEV: %+v", after)
		}
		tasks, err := e.svc.Vuln.FindRemediations(e.ctx, e.admin, ci.Key, 10)
		if err != nil || len(tasks) != 1 || tasks[0].Findings != 2 || tasks[0].SupportGroup != "Platform" || tasks[0].Action != "upgrade lib to 1.1" {
			t.Fatalf("remediations: %+v %v", tasks, err)
		}
	})
}

package incident_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/incident"
)

func TestCreateTakesKeyAndPriority(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		tests := []struct {
			name            string
			in              incident.Incident
			key             string
			priority        int
			security        bool
			impact, urgency int
		}{
			{"P1 from impact 1 urgency 1", incident.Incident{ShortDescription: "db down", Impact: 1, Urgency: 1}, "INC-1", 1, false, 1, 1},
			{"defaults to low", incident.Incident{ShortDescription: "printer"}, "INC-2", 5, false, 3, 3},
			{"security flag", incident.Incident{ShortDescription: "odd login", Security: true, Impact: 2, Urgency: 2}, "SIR-1", 3, true, 2, 2},
			{"security category", incident.Incident{ShortDescription: "phish", Category: "phishing", Impact: 2, Urgency: 1}, "SIR-2", 2, true, 2, 1},
			{"impact 3 urgency 1", incident.Incident{ShortDescription: "slow", Impact: 3, Urgency: 1}, "INC-3", 3, false, 3, 1},
		}
		for _, tt := range tests {
			got := e.create(e.agent, tt.in)
			if got.Key != tt.key || got.Priority != tt.priority || got.Security != tt.security || got.State != incident.StateNew ||
				got.Impact != tt.impact || got.Urgency != tt.urgency {
				t.Errorf("%s: got %s P%d security=%v state %s %d/%d", tt.name, got.Key, got.Priority, got.Security, got.State, got.Impact, got.Urgency)
			}
			if got.Caller != "nico" {
				t.Errorf("%s: caller %q, want the reporter", tt.name, got.Caller)
			}
		}
	})
}

func TestCreateRefusesBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		tests := []struct {
			name  string
			p     auth.Principal
			in    incident.Incident
			field string
		}{
			{"no short description", e.agent, incident.Incident{}, "short_description"},
			{"impact out of range", e.agent, incident.Incident{ShortDescription: "x", Impact: 4}, "impact"},
			{"unknown category", e.agent, incident.Incident{ShortDescription: "x", Category: "weather"}, "category"},
			{"unknown CI", e.agent, incident.Incident{ShortDescription: "x", CIs: []string{"CI-999"}}, "cis[0]"},
			{"unknown caller", e.agent, incident.Incident{ShortDescription: "x", Caller: "nobody"}, "caller"},
			{"assignee outside the group", e.agent, incident.Incident{ShortDescription: "x", AssignmentGroup: "SOC", Assignee: "nico"}, "assignee"},
			{"assignee without group", e.agent, incident.Incident{ShortDescription: "x", Assignee: "nico"}, "assignee"},
			{"bad ATT&CK id", e.analyst, incident.Incident{ShortDescription: "x", Security: true, Techniques: []string{"T15"}}, "techniques[0]"},
			{"security fields on an ordinary incident", e.agent, incident.Incident{ShortDescription: "x", ResponsePhase: "containment"}, "response_phase"},
			{"bad observable", e.analyst, incident.Incident{ShortDescription: "x", Security: true, Observables: []incident.Observable{{Kind: "ip", Value: "999.1.1.1"}}}, "observables[0].value"},
			{"requester for someone else", e.dave, incident.Incident{ShortDescription: "x", Caller: "erin"}, "caller"},
			{"requester assigns", e.dave, incident.Incident{ShortDescription: "x", AssignmentGroup: "SOC"}, "assignment_group"},
			{"requester raises a security incident", e.dave, incident.Incident{ShortDescription: "x", Category: "phishing"}, "security"},
		}
		for _, tt := range tests {
			_, err := e.inc.CreateIncident(e.ctx, tt.p, tt.in)
			t.Run(tt.name, func(t *testing.T) { wantField(t, err, errs.Invalid, tt.field) })
		}
		page, err := e.inc.FindIncidents(e.ctx, e.admin, incident.Filter{})
		if err != nil || page.Total != 0 {
			t.Errorf("nothing may be written: %d incidents, %v", page.Total, err)
		}
		if _, err := e.inc.CreateIncident(e.ctx, e.auditor, incident.Incident{ShortDescription: "x"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("auditor create: %v", err)
		}
	})
}

func TestLifeCycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		inc := e.create(e.agent, incident.Incident{ShortDescription: "mail queue stuck", Impact: 2, Urgency: 2})
		// New cannot jump to closed: 409 naming the allowed states.
		_, err := e.inc.UpdateIncident(e.ctx, e.agent, inc.Key, incident.Update{State: ptr(incident.StateClosed)})
		wantField(t, err, errs.Conflict, "state")
		if e, _ := errs.As(err); !strings.Contains(e.Error(), "in_progress, on_hold, resolved, cancelled") {
			t.Errorf("refusal does not name the allowed states: %v", err)
		}
		// On hold needs a reason.
		_, err = e.inc.UpdateIncident(e.ctx, e.agent, inc.Key, incident.Update{State: ptr(incident.StateOnHold)})
		wantField(t, err, errs.Invalid, "on_hold_reason")
		got := e.update(e.agent, inc.Key, incident.Update{State: ptr(incident.StateOnHold), OnHoldReason: ptr("awaiting_vendor")})
		if got.State != incident.StateOnHold || got.OnHoldReason != "awaiting_vendor" || got.FirstResponseAt == nil {
			t.Fatalf("on hold: %+v", got)
		}
		got = e.update(e.agent, inc.Key, incident.Update{State: ptr(incident.StateInProgress)})
		if got.OnHoldReason != "" {
			t.Errorf("leaving hold keeps reason %q", got.OnHoldReason)
		}
		// Resolving needs a code and notes.
		_, err = e.inc.UpdateIncident(e.ctx, e.agent, inc.Key, incident.Update{State: ptr(incident.StateResolved)})
		wantField(t, err, errs.Invalid, "resolution_code")
		wantField(t, err, errs.Invalid, "resolution_notes")
		got = e.update(e.agent, inc.Key, incident.Update{State: ptr(incident.StateResolved), ResolutionCode: ptr("fixed"), ResolutionNotes: ptr("restarted postfix")})
		if got.ResolvedAt == nil || got.ResolutionCode != "fixed" {
			t.Fatalf("resolved: %+v", got)
		}
		// Reopen counts.
		got = e.update(e.agent, inc.Key, incident.Update{State: ptr(incident.StateInProgress)})
		if got.ReopenCount != 1 || got.ResolvedAt != nil || got.ResolutionCode != "" {
			t.Errorf("reopen: count %d resolved_at %v code %q", got.ReopenCount, got.ResolvedAt, got.ResolutionCode)
		}
		e.update(e.agent, inc.Key, incident.Update{State: ptr(incident.StateResolved), ResolutionCode: ptr("fixed"), ResolutionNotes: ptr("again")})
		got = e.update(e.agent, inc.Key, incident.Update{State: ptr(incident.StateClosed)})
		if got.ClosedAt == nil || got.Version != 7 {
			t.Errorf("closed: %v version %d", got.ClosedAt, got.Version)
		}
		_, err = e.inc.UpdateIncident(e.ctx, e.agent, inc.Key, incident.Update{State: ptr(incident.StateInProgress)})
		wantField(t, err, errs.Conflict, "state")
		// Every change is in the audit log.
		entries, err := e.svc.Audit.Find(e.ctx, e.admin, auditlog.Filter{Kind: incident.AuditKindIncident, Key: inc.Key})
		if err != nil || entries.Total != 7 {
			t.Errorf("audit entries %d, %v", entries.Total, err)
		}
	})
}

func TestAssignment(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user("rita", auth.RoleAgent, "Service Desk", "SOC")
		inc := e.create(e.agent, incident.Incident{ShortDescription: "vpn", AssignmentGroup: "Service Desk", Assignee: "nico"})
		if inc.ReassignmentCount != 0 {
			t.Errorf("first assignment counted")
		}
		got := e.update(e.agent, inc.Key, incident.Update{Assignee: ptr("rita")})
		if got.ReassignmentCount != 1 || got.Assignee != "rita" {
			t.Errorf("reassign: %d %q", got.ReassignmentCount, got.Assignee)
		}
		// A new group without an assignee clears the assignee.
		got = e.update(e.agent, inc.Key, incident.Update{AssignmentGroup: ptr("SOC")})
		if got.Assignee != "" || got.ReassignmentCount != 2 {
			t.Errorf("new group: assignee %q count %d", got.Assignee, got.ReassignmentCount)
		}
		_, err := e.inc.UpdateIncident(e.ctx, e.agent, inc.Key, incident.Update{Assignee: ptr("nico")})
		wantField(t, err, errs.Invalid, "assignee")
		// Impact and urgency set the priority through the matrix.
		got = e.update(e.agent, inc.Key, incident.Update{Impact: ptr(1), Urgency: ptr(2)})
		if got.Priority != 2 {
			t.Errorf("priority %d", got.Priority)
		}
		// Requesters do not work incidents.
		if _, err := e.inc.UpdateIncident(e.ctx, e.dave, inc.Key, incident.Update{Impact: ptr(1)}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("requester update: %v", err)
		}
	})
}

func TestAffectedServicesFromImpact(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		mk := func(name string, k cmdb.Kind) cmdb.CI {
			ci, err := e.svc.CMDB.CreateCI(e.ctx, e.admin, cmdb.CI{Name: name, Kind: k})
			if err != nil {
				t.Fatal(err)
			}
			return ci
		}
		db := mk("orders-db", cmdb.KindDatabase)
		app := mk("shop-app", cmdb.KindApplication)
		shop := mk("Web shop", cmdb.KindBusinessService)
		for _, r := range [][2]string{{app.Key, db.Key}, {shop.Key, app.Key}} {
			if _, err := e.svc.CMDB.AddRelation(e.ctx, e.admin, cmdb.Relation{Source: r[0], Type: cmdb.RelDependsOn, Target: r[1]}); err != nil {
				t.Fatal(err)
			}
		}
		inc := e.create(e.agent, incident.Incident{ShortDescription: "db slow", CIs: []string{strings.ToLower(db.Key)}})
		if !slices.Equal(inc.CIs, []string{db.Key}) || !slices.Equal(inc.Services, []string{shop.Key}) {
			t.Fatalf("cis %v services %v", inc.CIs, inc.Services)
		}
		if p := inc.ServicePaths[shop.Key]; !slices.Equal(p, []string{db.Key, app.Key, shop.Key}) {
			t.Errorf("path %v", p)
		}
		got, err := e.inc.FindIncidentByKey(e.ctx, e.auditor, inc.Key)
		if err != nil || !slices.Equal(got.Services, []string{shop.Key}) || !slices.Equal(got.ServicePaths[shop.Key], []string{db.Key, app.Key, shop.Key}) {
			t.Errorf("read back: %v %v, %v", got.Services, got.ServicePaths, err)
		}
		// Unlinking the CI drops the services.
		got = e.update(e.agent, inc.Key, incident.Update{CIs: &[]string{}})
		if len(got.CIs) != 0 || len(got.Services) != 0 {
			t.Errorf("after unlinking: %v %v", got.CIs, got.Services)
		}
		page, err := e.inc.FindIncidents(e.ctx, e.agent, incident.Filter{CI: db.Key})
		if err != nil || page.Total != 0 {
			t.Errorf("filter by CI after unlinking: %d %v", page.Total, err)
		}
	})
}

// Who sees what: staff every ordinary incident, requesters their own,
// security incidents only analysts, admins and those it is shared with.
func TestVisibility(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		mine := e.create(e.dave, incident.Incident{ShortDescription: "my laptop"})
		other := e.create(e.agent, incident.Incident{ShortDescription: "erin's phone", Caller: "erin"})
		sir := e.create(e.analyst, incident.Incident{ShortDescription: "sirmarker beacon", Category: "malware", Caller: "dave"})
		sees := map[string][]string{
			"admin":   {mine.Key, other.Key, sir.Key},
			"analyst": {mine.Key, other.Key, sir.Key},
			"agent":   {mine.Key, other.Key},
			"auditor": {mine.Key, other.Key},
			"dave":    {mine.Key},
			"erin":    {other.Key},
		}
		for name, p := range map[string]auth.Principal{"admin": e.admin, "analyst": e.analyst, "agent": e.agent, "auditor": e.auditor, "dave": e.dave, "erin": e.erin} {
			page, err := e.inc.FindIncidents(e.ctx, p, incident.Filter{Sort: "created"})
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, i := range page.Items {
				keys = append(keys, i.Key)
			}
			if !slices.Equal(keys, sees[name]) || page.Total != len(sees[name]) {
				t.Errorf("%s sees %v (total %d), want %v", name, keys, page.Total, sees[name])
			}
			for _, k := range []string{mine.Key, other.Key, sir.Key} {
				_, err := e.inc.FindIncidentByKey(e.ctx, p, k)
				if want := slices.Contains(sees[name], k); (err == nil) != want || err != nil && !errs.Is(err, errs.NotFound) {
					t.Errorf("%s reads %s: %v", name, k, err)
				}
			}
			search, _ := e.inc.FindIncidents(e.ctx, p, incident.Filter{Query: "SIRMARKER"})
			if got, want := search.Total, len(slices.DeleteFunc(slices.Clone(sees[name]), func(k string) bool { return k != sir.Key })); got != want {
				t.Errorf("%s search total %d", name, got)
			}
		}
		// An agent cannot make it visible by patching it.
		if _, err := e.inc.UpdateIncident(e.ctx, e.agent, sir.Key, incident.Update{Security: ptr(false)}); !errs.Is(err, errs.NotFound) {
			t.Errorf("agent patch of a hidden incident: %v", err)
		}
	})
}

func TestPriorityMatrixIsConfiguration(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		m, err := e.inc.PriorityMatrix(e.ctx, e.agent)
		if err != nil || m != incident.DefaultMatrix {
			t.Fatalf("matrix %v, %v", m, err)
		}
		m.Priority[2][2] = 4
		if _, err := e.inc.SetPriorityMatrix(e.ctx, e.agent, m); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agent changes the matrix: %v", err)
		}
		if _, err := e.inc.SetPriorityMatrix(e.ctx, e.admin, m); err != nil {
			t.Fatal(err)
		}
		if got := e.create(e.agent, incident.Incident{ShortDescription: "x"}); got.Priority != 4 {
			t.Errorf("priority %d after the change", got.Priority)
		}
		entries, err := e.svc.Audit.Find(e.ctx, e.admin, auditlog.Filter{Kind: incident.AuditKindMatrix})
		if err != nil || entries.Total != 1 {
			t.Errorf("matrix audit entries %d, %v", entries.Total, err)
		}
		_, err = incident.MatrixFromCells([]incident.Cell{{Impact: 1, Urgency: 1, Priority: 9}})
		wantField(t, err, errs.Invalid, "cells[0].priority")
	})
}

func TestParentResolvesChildren(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		parent := e.create(e.agent, incident.Incident{ShortDescription: "site outage", Major: true})
		a := e.create(e.agent, incident.Incident{ShortDescription: "cannot reach intranet", Parent: parent.Key})
		b := e.create(e.agent, incident.Incident{ShortDescription: "email down", Parent: parent.Key})
		e.update(e.agent, b.Key, incident.Update{State: ptr(incident.StateCancelled)})
		if _, err := e.inc.UpdateIncident(e.ctx, e.agent, parent.Key, incident.Update{Parent: ptr(a.Key)}); err == nil {
			t.Error("a parent became a child")
		}
		e.update(e.agent, parent.Key, incident.Update{State: ptr(incident.StateResolved), ResolutionCode: ptr("fixed"), ResolutionNotes: ptr("power back")})
		got, err := e.inc.FindIncidentByKey(e.ctx, e.agent, a.Key)
		if err != nil || got.State != incident.StateResolved || got.ResolutionCode != "fixed" || got.Parent != parent.Key {
			t.Errorf("open child: %s %q parent %q, %v", got.State, got.ResolutionCode, got.Parent, err)
		}
		got, _ = e.inc.FindIncidentByKey(e.ctx, e.agent, b.Key)
		if got.State != incident.StateCancelled {
			t.Errorf("cancelled child became %s", got.State)
		}
	})
}

package incidentsla_test

import (
	"context"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// An incident's SLA clocks follow it through one unit of work per change:
// a P1 gets a response and a resolution clock with due times, the first
// response stops the response clock, a pause for the caller keeps the
// resolution clock's time, a later update does not move the first
// response, and resolving straight from hold stops it met.
func TestIncidentClocks(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		start := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
		clk.Set(start)
		svc := services.New(db, clk)
		if _, err := svc.Auth.CreateUser(ctx, auth.System, auth.NewUser{Username: "ada", Password: "correct horse battery",
			Roles: []auth.Role{auth.RoleAdmin}}); err != nil {
			t.Fatal(err)
		}
		tok, _, err := svc.Auth.CreateToken(ctx, auth.System, "ada", "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := svc.Auth.TokenPrincipal(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		inc, err := svc.Incidents.CreateIncident(ctx, p, incident.Incident{ShortDescription: "db down", Impact: 1, Urgency: 1})
		if err != nil {
			t.Fatal(err)
		}
		slas := func() map[string]incident.SLA {
			got, err := svc.Incidents.FindIncidentByKey(ctx, p, inc.Key)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]incident.SLA{}
			for _, s := range got.SLAs {
				out[s.Target] = s
			}
			return out
		}
		update := func(after time.Duration, u incident.Update) {
			t.Helper()
			clk.Set(start.Add(after))
			if _, err := svc.Incidents.UpdateIncident(ctx, p, inc.Key, u); err != nil {
				t.Fatal(err)
			}
		}
		s := slas()
		if r := s["response"]; r.DueAt == nil || !r.DueAt.Equal(start.Add(15*time.Minute)) || r.State != "running" {
			t.Errorf("response clock %+v, want due 15 minutes after creation", r)
		}
		if r := s["resolution"]; r.DueAt == nil || !r.DueAt.Equal(start.Add(4*time.Hour)) {
			t.Errorf("resolution clock %+v, want due 4 hours after creation", r)
		}
		working, hold, resolved := incident.StateInProgress, incident.StateOnHold, incident.StateResolved
		reason, code, notes := "awaiting_caller", "fixed", "restarted"
		update(10*time.Minute, incident.Update{State: &working})
		update(time.Hour, incident.Update{State: &hold, OnHoldReason: &reason})
		s = slas()
		if r := s["response"]; r.State != "met" || r.Elapsed != 600 {
			t.Errorf("response clock %+v, want met after 10 minutes", r)
		}
		if r := s["resolution"]; r.State != "paused" || r.DueAt != nil || r.Elapsed != 3600 {
			t.Errorf("resolution clock %+v, want paused after an hour", r)
		}
		update(3*time.Hour, incident.Update{State: &resolved, ResolutionCode: &code, ResolutionNotes: &notes})
		s = slas()
		if r := s["resolution"]; r.State != "met" || r.Elapsed != 3600 {
			t.Errorf("resolution clock %+v, want met with the hold left out", r)
		}
		if r := s["response"]; r.State != "met" || r.Elapsed != 600 {
			t.Errorf("response clock %+v moved after the first response", r)
		}
	})
}

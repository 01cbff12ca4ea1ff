package slastore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/sla"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
	"github.com/rampart-itsm/rampart/internal/store/slastore"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

var admin = auth.Principal{UserID: 1, Username: "root", Roles: []auth.Role{auth.RoleAdmin}}

// monday is a Monday morning in UTC.
var monday = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// inUnit runs fn in a write unit of work, as a practice timing its
// records would.
func inUnit(t *testing.T, db *store.DB, fn func(u sla.Tx) error) {
	t.Helper()
	if err := store.Bind(db, slastore.Bind).InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func reports(t *testing.T, db *store.DB, svc *sla.Service, ids ...int64) map[int64][]sla.Report {
	t.Helper()
	var out map[int64][]sla.Report
	err := store.Bind(db, slastore.Bind).View(context.Background(), func(u sla.Tx) (err error) {
		out, err = svc.Reports(context.Background(), u, "incident", ids)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func eventJobs(t *testing.T, db *store.DB) []sla.EventJob {
	t.Helper()
	var out []sla.EventJob
	err := store.Bind(db, jobstore.Bind).View(context.Background(), func(tx jobs.Tx) error {
		js, err := tx.Jobs().FindJobs(context.Background(), auth.Unrestricted("test"), "", 500)
		for _, j := range js {
			if j.Kind == sla.JobEvents {
				var p sla.EventsJob
				if err := j.Decode(&p); err != nil {
					return err
				}
				out = append(p.Events, out...)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The default definitions give a P1 incident a response and a
// resolution SLA, around the clock; the poller raises warnings and the
// breach as jobs carrying ids only, once each, across service instances
// (a restart) and never before they are due.
func TestClocksOfARecord(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		clk.Set(monday)
		svc := newService(db)
		p1 := sla.Record{Kind: "incident", ID: 42, Attrs: sla.Attributes{Priority: 1}}
		inUnit(t, db, func(u sla.Tx) error { return svc.Apply(ctx, u, p1) })
		got := reports(t, db, svc, 42)[42]
		if len(got) != 2 {
			t.Fatalf("P1 incident has %d clocks, want response and resolution: %+v", len(got), got)
		}
		want := map[sla.Target]time.Time{sla.TargetResponse: monday.Add(15 * time.Minute), sla.TargetResolution: monday.Add(4 * time.Hour)}
		for _, r := range got {
			if r.DueAt == nil || !r.DueAt.Equal(want[r.Target]) || r.State != sla.StateRunning || r.Kind != sla.KindSLA {
				t.Errorf("%s clock: %+v, want running, due %s", r.Target, r, want[r.Target])
			}
		}

		poll := func(at time.Duration) sla.PollResult {
			clk.Set(monday.Add(at))
			// A new service each time: nothing survives in memory.
			res, err := newService(db).Poll(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		if res := poll(7 * time.Minute); res.Warnings+res.Breaches != 0 {
			t.Errorf("raised %+v before anything was due", res)
		}
		if res := poll(8 * time.Minute); res.Warnings != 1 { // 50% of 15 minutes is 7m30s
			t.Errorf("at 8m: %+v, want the 50%% response warning", res)
		}
		if res := poll(8 * time.Minute); res.Clocks != 0 {
			t.Errorf("second poll at 8m took %d clocks again", res.Clocks)
		}
		// Respond at 10 minutes: the response clock stops, met.
		clk.Set(monday.Add(10 * time.Minute))
		inUnit(t, db, func(u sla.Tx) error { return svc.Stop(ctx, u, "incident", 42, sla.TargetResponse) })
		// A later update does not move the first response.
		clk.Set(monday.Add(20 * time.Minute))
		inUnit(t, db, func(u sla.Tx) error { return svc.Stop(ctx, u, "incident", 42, sla.TargetResponse) })
		if res := poll(5 * time.Hour); res.Breaches != 1 || res.Warnings != 0 {
			t.Errorf("at 5h: %+v, want the resolution breach alone", res)
		}
		evs := eventJobs(t, db)
		if len(evs) != 2 || evs[0].Type != sla.EventWarning || evs[0].Percent != 50 || evs[1].Type != sla.EventBreach ||
			evs[1].RecordID != 42 || evs[1].RecordKind != "incident" || !evs[1].At.Equal(monday.Add(4*time.Hour)) {
			t.Errorf("events %+v", evs)
		}
		stats, err := svc.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantStats := map[string]bool{"P1 response met stopped 1 10m0s": true, "P1 resolution breached active 1 0s": true} // active: banked time only
		for _, st := range stats {
			stopped := map[bool]string{true: "stopped", false: "active"}[st.Stopped]
			k := fmt.Sprintf("%s %s %s %d %s", st.Name, st.State, stopped, st.Count, st.Elapsed)
			if !wantStats[k] {
				t.Errorf("stat %s not expected", k)
			}
			delete(wantStats, k)
		}
		if len(wantStats) > 0 {
			t.Errorf("stats %+v lack %v", stats, wantStats)
		}
		for _, r := range reports(t, db, svc, 42)[42] {
			switch r.Target {
			case sla.TargetResponse:
				if r.State != sla.StateMet || r.ElapsedSeconds != 600 {
					t.Errorf("response %+v, want met after 10 minutes", r)
				}
			case sla.TargetResolution:
				if r.State != sla.StateBreached {
					t.Errorf("resolution %+v, want breached", r)
				}
			}
		}
	})
}

// Priority change, pause and resume go through the store as they do in
// the domain: the P3 clocks are replaced by P1 ones that keep the time
// elapsed and the pause in progress (GLPI #15605).
func TestReprioritiseWhilePaused(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		clk.Set(monday.Add(time.Hour)) // 10:00, inside business hours
		svc := newService(db)
		rec := sla.Record{Kind: "incident", ID: 7, Attrs: sla.Attributes{Priority: 3}}
		inUnit(t, db, func(u sla.Tx) error { return svc.Apply(ctx, u, rec) })
		clk.Advance(time.Hour)
		rec.Hold = "awaiting_caller"
		inUnit(t, db, func(u sla.Tx) error { return svc.Hold(ctx, u, rec) })
		clk.Advance(time.Hour)
		rec.Attrs.Priority = 1
		inUnit(t, db, func(u sla.Tx) error { return svc.Apply(ctx, u, rec) })
		got := reports(t, db, svc, 7)[7]
		if len(got) != 2 {
			t.Fatalf("clocks %+v, want the two P1 clocks (P3 ones cancelled and hidden)", got)
		}
		for _, r := range got {
			if r.State != sla.StatePaused || r.DueAt != nil || r.ElapsedSeconds != 3600 || r.Name[:2] != "P1" {
				t.Errorf("%+v, want a paused P1 clock with an hour elapsed", r)
			}
		}
		clk.Advance(time.Hour)
		rec.Hold = ""
		inUnit(t, db, func(u sla.Tx) error { return svc.Hold(ctx, u, rec) })
		for _, r := range reports(t, db, svc, 7)[7] {
			if r.Target == sla.TargetResolution && (r.DueAt == nil || !r.DueAt.Equal(clk.Now().Add(3*time.Hour))) {
				t.Errorf("resolution due %v, want %s", r.DueAt, clk.Now().Add(3*time.Hour))
			}
		}
	})
}

func TestDefinitionsAndSchedules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(db)
		defs, err := svc.FindDefinitions(ctx, admin, "incident")
		if err != nil || len(defs) != 10 {
			t.Fatalf("defaults: %d definitions, %v", len(defs), err)
		}
		sc, err := svc.CreateSchedule(ctx, admin, sla.Schedule{Name: "Berlin office", TimeZone: "Europe/Berlin",
			Hours:    sla.WorkingWeek(sla.Span{Start: 8 * 60, End: 16 * 60}, time.Monday, time.Wednesday, time.Saturday),
			Holidays: []sla.Holiday{{Date: "2026-12-25", Name: "Christmas"}}})
		if err != nil {
			t.Fatal(err)
		}
		d, err := svc.CreateDefinition(ctx, admin, sla.Definition{Name: "Security OLA", RecordKind: "incident", Kind: sla.KindOLA,
			Target: sla.TargetResolution, Duration: 2 * time.Hour, Schedule: sc.Name, Warnings: []int{75}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if d.ScheduleID != sc.ID || d.OnPriorityChange != sla.KeepElapsed || d.Version != 1 {
			t.Errorf("created %+v", d)
		}
		if _, err := svc.CreateDefinition(ctx, admin, d); !errs.Is(err, errs.Conflict) {
			t.Errorf("same name again: %v, want Conflict", err)
		}
		bad := d
		bad.Name, bad.Schedule = "x", "nowhere"
		if _, err := svc.CreateDefinition(ctx, admin, bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown schedule: %v, want Invalid", err)
		}
		dur, off, stale := "3h", false, 7
		up, err := svc.UpdateDefinition(ctx, admin, d.ID, sla.DefinitionUpdate{Duration: &dur, Active: &off})
		if err != nil || up.Duration != 3*time.Hour || up.Active || up.Version != 2 {
			t.Errorf("update: %+v %v", up, err)
		}
		if _, err := svc.UpdateDefinition(ctx, admin, d.ID, sla.DefinitionUpdate{Version: &stale}); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale version: %v, want Conflict", err)
		}
		hol := []sla.Holiday{{Date: "2026-12-24", Name: "Christmas Eve"}, {Date: "2026-12-31"}}
		us, err := svc.UpdateSchedule(ctx, admin, sc.ID, sla.ScheduleUpdate{Holidays: &hol})
		if err != nil || len(us.Holidays) != 2 || us.Version != 2 {
			t.Errorf("update schedule: %+v %v", us, err)
		}
		all, err := svc.FindSchedules(ctx, admin)
		if err != nil || len(all) != 3 {
			t.Fatalf("schedules %d, %v", len(all), err)
		}
		for _, x := range all {
			if x.Name == "Berlin office" && (len(x.Holidays) != 2 || len(x.Hours[time.Saturday]) != 1 || x.TimeZone != "Europe/Berlin") {
				t.Errorf("stored %+v", x)
			}
		}
		agent := auth.Principal{UserID: 2, Username: "a", Roles: []auth.Role{auth.RoleAgent}}
		if _, err := svc.CreateSchedule(ctx, agent, sc); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agent creating a schedule: %v, want Forbidden", err)
		}
		if _, err := svc.FindDefinitions(ctx, agent, ""); err != nil {
			t.Errorf("agent reading definitions: %v", err)
		}
		requester := auth.Principal{UserID: 3, Username: "r", Roles: []auth.Role{auth.RoleRequester}}
		if _, err := svc.FindDefinitions(ctx, requester, ""); !errs.Is(err, errs.Forbidden) {
			t.Errorf("requester reading definitions: %v, want Forbidden", err)
		}
	})
}

func newService(db *store.DB) *sla.Service {
	return sla.NewService(store.Bind(db, slastore.Bind), store.Bind(db, jobstore.Bind))
}

// A resolved record that is reopened runs its resolution clock again from
// where it stopped; its response clock stays met.
func TestResumeAfterReopen(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		clk.Set(monday)
		svc := newService(db)
		rec := sla.Record{Kind: "incident", ID: 9, Attrs: sla.Attributes{Priority: 1}}
		inUnit(t, db, func(u sla.Tx) error { return svc.Apply(ctx, u, rec) })
		clk.Advance(time.Hour)
		inUnit(t, db, func(u sla.Tx) error { return svc.Stop(ctx, u, "incident", 9) })
		clk.Advance(time.Hour)
		inUnit(t, db, func(u sla.Tx) error { return svc.Resume(ctx, u, rec) })
		clk.Advance(30 * time.Minute)
		for _, r := range reports(t, db, svc, 9)[9] {
			switch r.Target {
			case sla.TargetResponse:
				if r.State != sla.StateBreached || r.ElapsedSeconds != 3600 { // 15 minutes allowed, met after an hour
					t.Errorf("response %+v, want stopped late", r)
				}
			case sla.TargetResolution:
				if r.State != sla.StateRunning || r.ElapsedSeconds != 5400 || !r.DueAt.Equal(clk.Now().Add(150*time.Minute)) {
					t.Errorf("resolution %+v, want running with 1h30m elapsed", r)
				}
			}
		}
	})
}

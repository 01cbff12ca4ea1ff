package sla

import (
	"testing"
	"time"
)

// step is one thing that happens to a clock in a scenario.
type step struct {
	at     string // local time in Europe/Berlin
	do     string // "hold:<reason>", "resume", "stop", "cancel", "poll"
	state  State
	due    string // local; "-" for none
	events []Event
}

func TestClockLifecycle(t *testing.T) {
	const zone = "Europe/Berlin"
	office := cal(t, zone, WorkingWeek(nineToFive, weekdays...))
	r := rule(1, office, TargetResolution, 4*time.Hour)
	tests := []struct {
		name    string
		start   string
		steps   []step
		elapsed time.Duration
		paused  time.Duration
	}{
		{"met within target", "2026-11-30 09:00", []step{
			{at: "2026-11-30 10:00", do: "stop", state: StateMet, due: "2026-11-30 13:00"},
		}, time.Hour, 0},
		{"pause moves the due time", "2026-11-30 09:00", []step{
			{at: "2026-11-30 10:00", do: "hold:awaiting_caller", state: StatePaused, due: "-"},
			{at: "2026-11-30 15:00", do: "resume", state: StateRunning, due: "2026-12-01 10:00"},
			{at: "2026-12-01 09:30", do: "stop", state: StateMet, due: "2026-12-01 10:00"},
		}, 3*time.Hour + 30*time.Minute, 5 * time.Hour},
		{"a reason the definition does not pause on", "2026-11-30 09:00", []step{
			{at: "2026-11-30 10:00", do: "hold:awaiting_vendor", state: StateRunning, due: "2026-11-30 13:00"},
		}, time.Hour, 0},
		{"changing to a non-pausing reason resumes", "2026-11-30 09:00", []step{
			{at: "2026-11-30 10:00", do: "hold:awaiting_caller", state: StatePaused, due: "-"},
			{at: "2026-11-30 11:00", do: "hold:awaiting_vendor", state: StateRunning, due: "2026-11-30 14:00"},
		}, time.Hour, time.Hour},
		// frappe/helpdesk: hold time is counted when a record goes
		// straight from On Hold to Resolved.
		{"resolved straight from hold", "2026-11-30 09:00", []step{
			{at: "2026-11-30 10:00", do: "hold:awaiting_caller", state: StatePaused, due: "-"},
			{at: "2026-12-02 10:00", do: "stop", state: StateMet, due: "-"},
		}, time.Hour, 48 * time.Hour},
		{"warnings then breach", "2026-11-30 09:00", []step{
			{at: "2026-11-30 10:59", do: "poll", state: StateRunning, due: "2026-11-30 13:00"},
			{at: "2026-11-30 11:00", do: "poll", state: StateRunning, due: "2026-11-30 13:00",
				events: []Event{{Type: EventWarning, Percent: 50, At: at(t, zone, "2026-11-30 11:00")}}},
			{at: "2026-11-30 11:01", do: "poll", state: StateRunning, due: "2026-11-30 13:00"},
			{at: "2026-11-30 13:00", do: "poll", state: StateBreached, due: "2026-11-30 13:00",
				events: []Event{{Type: EventBreach, Percent: 100, At: at(t, zone, "2026-11-30 13:00")}}},
			{at: "2026-11-30 13:05", do: "poll", state: StateBreached, due: "2026-11-30 13:00"},
			{at: "2026-11-30 14:00", do: "stop", state: StateBreached, due: "2026-11-30 13:00"},
		}, 5 * time.Hour, 0},
		{"a late poll raises only the highest warning", "2026-11-30 09:00", []step{
			{at: "2026-11-30 12:40", do: "poll", state: StateRunning, due: "2026-11-30 13:00",
				events: []Event{{Type: EventWarning, Percent: 90, At: at(t, zone, "2026-11-30 12:36")}}},
		}, 3*time.Hour + 40*time.Minute, 0},
		{"stopped late without a poll is breached", "2026-11-30 09:00", []step{
			{at: "2026-11-30 14:00", do: "stop", state: StateBreached, due: "2026-11-30 13:00"},
		}, 5 * time.Hour, 0},
		{"cancelled", "2026-11-30 09:00", []step{
			{at: "2026-11-30 10:00", do: "cancel", state: StateCancelled, due: "2026-11-30 13:00"},
			{at: "2026-11-30 14:00", do: "poll", state: StateCancelled, due: "2026-11-30 13:00"},
		}, time.Hour, 0},
		// Zammad #5177: a later update does not override the first response.
		{"a stopped clock stays stopped", "2026-11-30 09:00", []step{
			{at: "2026-11-30 10:00", do: "stop", state: StateMet, due: "2026-11-30 13:00"},
			{at: "2026-11-30 15:00", do: "stop", state: StateMet, due: "2026-11-30 13:00"},
			{at: "2026-11-30 16:00", do: "hold:awaiting_caller", state: StateMet, due: "2026-11-30 13:00"},
			{at: "2026-11-30 17:00", do: "poll", state: StateMet, due: "2026-11-30 13:00"},
		}, time.Hour, 0},
		{"breached clock still counts pauses", "2026-11-30 09:00", []step{
			{at: "2026-11-30 13:00", do: "poll", state: StateBreached, due: "2026-11-30 13:00",
				events: []Event{{Type: EventBreach, Percent: 100, At: at(t, zone, "2026-11-30 13:00")}}},
			{at: "2026-11-30 14:00", do: "hold:awaiting_caller", state: StateBreached, due: "-"},
			{at: "2026-11-30 16:00", do: "resume", state: StateBreached},
			{at: "2026-11-30 17:00", do: "stop", state: StateBreached},
		}, 6 * time.Hour, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Start(r, "incident", 7, "", at(t, zone, tt.start))
			var now time.Time
			for _, s := range tt.steps {
				now = at(t, zone, s.at)
				var ev []Event
				switch {
				case s.do == "stop":
					c.Stop(r, now)
				case s.do == "cancel":
					c.Cancel(r, now)
				case s.do == "resume":
					c.Hold(r, "", now)
				case s.do == "poll":
					ev = c.Fire(r, now)
				case len(s.do) > 5 && s.do[:5] == "hold:":
					c.Hold(r, s.do[5:], now)
				default:
					t.Fatalf("unknown step %q", s.do)
				}
				if c.State != s.state {
					t.Errorf("%s %s: state %s, want %s", s.at, s.do, c.State, s.state)
				}
				switch {
				case s.due == "-" && !c.DueAt.IsZero():
					t.Errorf("%s %s: due %s, want none", s.at, s.do, c.DueAt.In(office.Location()))
				case s.due != "-" && s.due != "" && !c.DueAt.Equal(at(t, zone, s.due)):
					t.Errorf("%s %s: due %s, want %s", s.at, s.do, c.DueAt.In(office.Location()), s.due)
				}
				if !eventsEqual(ev, s.events) {
					t.Errorf("%s %s: events %v, want %v", s.at, s.do, ev, s.events)
				}
			}
			if el := c.ElapsedAt(office, now); el != tt.elapsed || c.PausedTotal != tt.paused {
				t.Errorf("elapsed %s, paused %s; want %s, %s", el, c.PausedTotal, tt.elapsed, tt.paused)
			}
		})
	}
}

func eventsEqual(a, b []Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type != b[i].Type || a[i].Percent != b[i].Percent || !a[i].At.Equal(b[i].At) {
			return false
		}
	}
	return true
}

// GLPI #15429: a calendar in another time zone must not breach at
// creation. An incident opened at 23:00 UTC is 18:00 in New York, after
// closing time: its due time is the next business day, not in the past.
func TestClockInAnotherZoneDoesNotBreachAtCreation(t *testing.T) {
	ny := cal(t, "America/New_York", WorkingWeek(nineToFive, weekdays...))
	r := rule(1, ny, TargetResponse, 4*time.Hour)
	for _, created := range []string{"2026-11-30 23:00", "2026-12-01 04:30", "2026-12-01 13:59", "2026-12-05 12:00"} {
		now := at(t, "UTC", created)
		c := Start(r, "incident", 1, "", now)
		if !c.DueAt.After(now) {
			t.Errorf("created %s UTC: due %s is not after creation", created, c.DueAt)
		}
		if ev := c.Fire(r, now); len(ev) > 0 {
			t.Errorf("created %s UTC: %v raised at creation", created, ev)
		}
	}
	c := Start(r, "incident", 1, "", at(t, "UTC", "2026-11-30 23:00"))
	if want := at(t, "America/New_York", "2026-12-01 13:00"); !c.DueAt.Equal(want) {
		t.Errorf("due %s, want %s", c.DueAt, want)
	}
}

// Zammad #4432: no breach or warning is raised outside the schedule's
// hours. Events carry the instant the threshold was crossed, which is
// always within hours, whenever the poller runs.
func TestEventsFallInsideHours(t *testing.T) {
	const zone = "Europe/Berlin"
	office := cal(t, zone, WorkingWeek(nineToFive, weekdays...), "2026-12-25")
	r := rule(1, office, TargetResolution, 3*time.Hour)
	for _, created := range []string{"2026-11-30 16:00", "2026-12-04 15:30", "2026-12-24 16:45", "2026-12-05 03:00"} {
		c := Start(r, "incident", 1, "", at(t, zone, created))
		now := at(t, zone, created)
		for range 7 * 24 * 4 { // poll every 15 minutes for a week
			now = now.Add(15 * time.Minute)
			for _, e := range c.Fire(r, now) {
				if !office.InHours(e.At.Add(-time.Nanosecond)) {
					t.Errorf("created %s: %s raised for %s, outside hours", created, e.Type, e.At.In(office.Location()))
				}
				if e.Type == EventBreach && !office.InHours(c.DueAt.Add(-time.Nanosecond)) {
					t.Errorf("created %s: due %s outside hours", created, c.DueAt)
				}
			}
		}
		if c.State != StateBreached {
			t.Errorf("created %s: state %s after a week, want breached", created, c.State)
		}
	}
	// And nothing is raised while the office is closed: a clock that
	// started on Friday evening stays quiet all weekend.
	c := Start(r, "incident", 1, "", at(t, zone, "2026-12-04 18:00"))
	for now := at(t, zone, "2026-12-04 18:00"); now.Before(at(t, zone, "2026-12-07 09:00")); now = now.Add(time.Hour) {
		if ev := c.Fire(r, now); len(ev) > 0 {
			t.Errorf("%s raised at %s, outside hours", ev[0].Type, now.In(office.Location()))
		}
	}
}

func TestReportAt(t *testing.T) {
	c24 := cal(t, "UTC", AlwaysOn())
	r := rule(1, c24, TargetResponse, time.Hour)
	start := at(t, "UTC", "2026-11-30 09:00")
	c := Start(r, "incident", 1, "", start)
	got := c.ReportAt(c24, start.Add(90*time.Minute))
	if got.State != StateBreached || got.Elapsed != "1h30m" || got.ElapsedSeconds != 5400 || got.Duration != "1h" ||
		got.DueAt == nil || !got.DueAt.Equal(start.Add(time.Hour)) || got.Kind != KindSLA || got.Target != TargetResponse {
		t.Errorf("report %+v", got)
	}
	c.Hold(r, "awaiting_caller", start.Add(10*time.Minute))
	if got := c.ReportAt(c24, start.Add(90*time.Minute)); got.State != StatePaused || got.DueAt != nil || got.Elapsed != "10m" {
		t.Errorf("paused report %+v", got)
	}
}

package sla

import (
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
)

// State is where a clock is in its life.
type State string

// Clock states. Running and paused clocks are active; breached is active
// until stopped (its record is still open, and its elapsed time still
// runs); met, cancelled and a stopped breached clock are final.
const (
	StateRunning   State = "running"
	StatePaused    State = "paused"
	StateMet       State = "met"
	StateBreached  State = "breached"
	StateCancelled State = "cancelled"
)

// Rule is a definition with its schedule compiled: what a clock is
// measured by.
type Rule struct {
	Def Definition
	Cal *Calendar
}

// Clock measures one record against one definition. Elapsed is business
// time banked up to Since; while the clock runs, business time from Since
// on counts too. DueAt and NextAt are recomputed on every start, pause,
// resume and re-prioritisation and stored, so a poller finds clocks that
// need attention by NextAt alone.
type Clock struct {
	ID           int64
	RecordKind   string
	RecordID     int64
	DefinitionID int64
	// Name, Kind, Target and Duration are copied from the definition when
	// the clock starts, so a report reads as it was agreed.
	Name     string
	Kind     Kind
	Target   Target
	Duration time.Duration

	State     State
	StartedAt time.Time
	// Since is when business time last started to run (start or resume);
	// zero while paused or stopped.
	Since   time.Time
	Elapsed time.Duration
	// PausedAt is when the current pause began; zero when not paused.
	PausedAt time.Time
	// PausedTotal is the wall-clock time spent paused, finished pauses
	// only.
	PausedTotal time.Duration
	// DueAt is when the target is reached if the clock keeps running;
	// zero while paused. A stopped clock keeps the due time it had.
	DueAt time.Time
	// Warned is the highest warning percentage already raised.
	Warned int
	// NextAt is when the poller should next look at the clock (the next
	// warning or the breach), zero when there is nothing left to raise.
	NextAt     time.Time
	BreachedAt time.Time
	StoppedAt  time.Time
	Version    int
}

// Active reports whether the clock still measures (its record is open).
func (c *Clock) Active() bool {
	return c.StoppedAt.IsZero() && c.State != StateCancelled
}

// Paused reports whether the clock is on hold.
func (c *Clock) Paused() bool { return !c.PausedAt.IsZero() }

// ElapsedAt is the business time the clock has counted by now.
func (c *Clock) ElapsedAt(cal *Calendar, now time.Time) time.Duration {
	if c.Since.IsZero() {
		return c.Elapsed
	}
	return c.Elapsed + cal.Between(c.Since, now)
}

// Start returns a new running clock for a record under r, started at now,
// paused at once when the record is already on hold for a reason r
// pauses on.
func Start(r Rule, recordKind string, recordID int64, hold string, now time.Time) Clock {
	now = clock.Normalize(now)
	c := Clock{RecordKind: recordKind, RecordID: recordID, DefinitionID: r.Def.ID, Name: r.Def.Name,
		Kind: r.Def.Kind, Target: r.Def.Target, Duration: r.Def.Duration,
		State: StateRunning, StartedAt: now, Since: now}
	c.schedule(r)
	c.Hold(r, hold, now)
	return c
}

// bank moves business time up to now into Elapsed.
func (c *Clock) bank(r Rule, now time.Time) {
	if !c.Since.IsZero() {
		c.Elapsed += r.Cal.Between(c.Since, now)
		c.Since = now
	}
}

// Hold applies the record's on-hold reason ("" when not on hold): a reason
// r pauses on pauses a running clock; any other reason, or none, resumes a
// paused one. It reports whether the clock changed.
func (c *Clock) Hold(r Rule, reason string, now time.Time) bool {
	if !c.Active() {
		return false
	}
	now = clock.Normalize(now)
	switch pause := r.Def.Pauses(reason); {
	case pause && !c.Paused():
		c.bank(r, now)
		c.Since, c.PausedAt = time.Time{}, now
		if c.State == StateRunning {
			c.State = StatePaused
		}
	case !pause && c.Paused():
		c.PausedTotal += now.Sub(c.PausedAt)
		c.PausedAt, c.Since = time.Time{}, now
		if c.State == StatePaused {
			c.State = StateRunning
		}
	default:
		return false
	}
	c.schedule(r)
	return true
}

// Stop ends the clock because its target was reached (first response
// given, record resolved): met if within the target, else breached. A
// stopped clock stays as it is: a later update does not move its stop
// time. A paused clock stops without counting the time on hold, which is
// added to PausedTotal. It reports whether the clock changed.
func (c *Clock) Stop(r Rule, now time.Time) bool {
	if !c.Active() {
		return false
	}
	now = clock.Normalize(now)
	if c.Paused() {
		c.PausedTotal += now.Sub(c.PausedAt)
		c.PausedAt = time.Time{}
	}
	c.bank(r, now)
	c.Since, c.StoppedAt, c.NextAt = time.Time{}, now, time.Time{}
	if c.State != StateBreached {
		c.State = StateMet
		if c.Elapsed > c.Duration {
			c.State, c.BreachedAt = StateBreached, c.DueAt
			if c.BreachedAt.IsZero() || c.BreachedAt.After(now) {
				c.BreachedAt = now
			}
		}
	}
	return true
}

// Cancel ends an active clock without an outcome (its definition no
// longer applies, or the record was cancelled).
func (c *Clock) Cancel(r Rule, now time.Time) bool {
	if !c.Active() {
		return false
	}
	now = clock.Normalize(now)
	if c.Paused() {
		c.PausedTotal += now.Sub(c.PausedAt)
		c.PausedAt = time.Time{}
	}
	c.bank(r, now)
	c.Since, c.StoppedAt, c.NextAt, c.State = time.Time{}, now, time.Time{}, StateCancelled
	return true
}

// at is the instant the clock's elapsed time reaches d, if it keeps
// running from Since; Since itself when it already has.
func (c *Clock) at(r Rule, d time.Duration) time.Time {
	return r.Cal.Add(c.Since, d-c.Elapsed)
}

// warnAt is the instant the clock reaches pct per cent of its target.
func (c *Clock) warnAt(r Rule, pct int) time.Time {
	return c.at(r, c.Duration*time.Duration(pct)/100)
}

// schedule recomputes DueAt and NextAt from Since and Elapsed.
func (c *Clock) schedule(r Rule) {
	c.NextAt = time.Time{}
	if c.Since.IsZero() {
		if c.Paused() {
			c.DueAt = time.Time{}
		}
		return
	}
	c.DueAt = c.at(r, c.Duration)
	if c.State == StateBreached {
		return
	}
	c.NextAt = c.DueAt
	for _, pct := range r.Def.Warnings {
		if pct > c.Warned {
			c.NextAt = c.warnAt(r, pct)
			break
		}
	}
}

// EventType is what the poller raises.
type EventType string

// Event types.
const (
	EventWarning EventType = "warning"
	EventBreach  EventType = "breach"
)

// Event is a warning or breach of one clock. At is the instant the
// threshold was crossed, inside the schedule's hours, not the moment the
// poller noticed.
type Event struct {
	Type    EventType
	Percent int
	At      time.Time
}

// Fire raises what is due on a running clock by now: the breach when its
// due time has come (no warning then), else the highest warning whose time
// has come (lower ones passed meanwhile are skipped, not sent late). It
// reports nothing for a clock that is paused, stopped or not yet due.
func (c *Clock) Fire(r Rule, now time.Time) []Event {
	if !c.Active() || c.Since.IsZero() || c.NextAt.IsZero() || c.NextAt.After(now) {
		return nil
	}
	if !c.DueAt.After(now) {
		c.State, c.BreachedAt, c.NextAt = StateBreached, c.DueAt, time.Time{}
		return []Event{{Type: EventBreach, Percent: 100, At: c.DueAt}}
	}
	var ev []Event
	for _, pct := range r.Def.Warnings {
		if at := c.warnAt(r, pct); pct > c.Warned && !at.After(now) {
			ev = []Event{{Type: EventWarning, Percent: pct, At: at}}
		}
	}
	if len(ev) > 0 {
		c.Warned = ev[0].Percent
	}
	c.schedule(r)
	return ev
}

// reopen makes a stopped clock active again from now, keeping its
// elapsed time, warnings and breach.
func (c *Clock) reopen(r Rule, now time.Time) {
	if c.State == StateMet {
		c.State = StateRunning
	}
	c.StoppedAt, c.Since = time.Time{}, clock.Normalize(now)
	c.schedule(r)
}

package sla

import (
	"slices"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
)

// Record is what the clocks of one record are brought in line with.
type Record struct {
	Kind  string
	ID    int64
	Attrs Attributes
	// Hold is the record's on-hold reason, "" when it is not on hold.
	Hold string
}

// slot groups clocks that replace one another: one agreement kind and
// target (an SLA response clock is replaced by another SLA response
// clock, never by an OLA or a resolution clock).
type slot struct {
	kind   Kind
	target Target
}

func slotOf(c *Clock) slot { return slot{c.Kind, c.Target} }

// Apply brings a record's clocks in line with the rules that match its
// attributes now, at now: it is how clocks start when the record is
// created and how they follow a change of priority, category, service or
// security flag. rules are the active definitions of the record's kind
// (with their calendars) by definition id; clocks are the record's
// clocks, each with its rule in rules (a clock whose definition was since
// deleted or deactivated is cancelled).
//
//   - A clock whose definition still matches is left alone.
//   - An active clock whose definition no longer matches is cancelled; a
//     matching definition of the same kind and target replaces it, with
//     the business time already elapsed, the warnings already raised, a
//     breach and a pause in progress carried over (keep_elapsed), or from
//     zero (restart), as the replacing definition says.
//   - A kind and target that already has a stopped clock (a response
//     already given) gets no new clock.
//
// It returns the clocks to store: changed ones (with their ids) and new
// ones (id 0).
func Apply(rec Record, rules map[int64]Rule, clocks []Clock, now time.Time) []Clock {
	now = clock.Normalize(now)
	var out []Clock
	covered := map[int64]bool{}
	stopped := map[slot]bool{}
	replaced := map[slot]Clock{}
	for _, c := range clocks {
		r, ok := rules[c.DefinitionID]
		switch {
		case c.State == StateCancelled:
			continue
		case !c.Active():
			stopped[slotOf(&c)] = true
			covered[c.DefinitionID] = true
		case ok && r.Def.Conditions.Match(rec.Attrs):
			covered[c.DefinitionID] = true
		default:
			if !ok { // definition gone: count its time on a 24×7 basis up to now
				r = Rule{Def: Definition{ID: c.DefinitionID}, Cal: alwaysOn}
			}
			prev := c
			prev.bank(r, now)
			if _, dup := replaced[slotOf(&c)]; !dup {
				replaced[slotOf(&c)] = prev
			}
			c.Cancel(r, now)
			out = append(out, c)
		}
	}
	for _, id := range sortedIDs(rules) {
		r := rules[id]
		if covered[id] || r.Def.RecordKind != rec.Kind || !r.Def.Active || !r.Def.Conditions.Match(rec.Attrs) {
			continue
		}
		sl := slot{r.Def.Kind, r.Def.Target}
		if stopped[sl] {
			continue
		}
		old, had := replaced[sl]
		if !had || r.Def.OnPriorityChange == Restart {
			out = append(out, Start(r, rec.Kind, rec.ID, rec.Hold, now))
			continue
		}
		out = append(out, carryOver(r, old, rec.Hold, now))
	}
	return out
}

// carryOver starts r's clock in place of old (banked up to now, not yet
// cancelled), keeping its start, elapsed business time, warnings raised,
// breach and a pause in progress.
func carryOver(r Rule, old Clock, hold string, now time.Time) Clock {
	c := Clock{RecordKind: old.RecordKind, RecordID: old.RecordID, DefinitionID: r.Def.ID, Name: r.Def.Name,
		Kind: r.Def.Kind, Target: r.Def.Target, Duration: r.Def.Duration,
		State: StateRunning, StartedAt: old.StartedAt, Since: now, Elapsed: old.Elapsed,
		PausedAt: old.PausedAt, PausedTotal: old.PausedTotal}
	if c.Paused() {
		c.Since, c.State = time.Time{}, StatePaused
	}
	if c.Elapsed >= c.Duration && old.State == StateBreached {
		c.State, c.BreachedAt = StateBreached, old.BreachedAt
	}
	c.Warned = min(old.Warned, highestReached(r.Def.Warnings, c.Elapsed, c.Duration))
	c.schedule(r)
	c.Hold(r, hold, now)
	return c
}

// highestReached is the highest of warnings (percentages, ascending) that
// elapsed has reached of target, 0 when none.
func highestReached(warnings []int, elapsed, target time.Duration) int {
	h := 0
	for _, w := range warnings {
		if elapsed >= target*time.Duration(w)/100 {
			h = w
		}
	}
	return h
}

// alwaysOn is the 24×7 calendar, for clocks whose schedule is gone.
var alwaysOn = MustCompile(Schedule{Name: "24x7", TimeZone: "UTC", Hours: AlwaysOn()})

// sortedIDs returns the rules' ids in ascending order, so clocks start in
// a fixed order.
func sortedIDs(rules map[int64]Rule) []int64 {
	ids := make([]int64, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

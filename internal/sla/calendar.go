package sla

import (
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
)

// maxDays bounds a walk through a calendar. A valid schedule has hours on
// some weekday and finitely many holidays, and targets are capped (see
// MaxTarget), so no walk comes near it; it only guards against a loop.
const maxDays = 50 * 366

// Calendar is a schedule compiled for arithmetic: its zone loaded and its
// holidays indexed. It is safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	week     Week
	holidays map[int]bool // yyyymmdd
}

// Compile loads the schedule's zone. Errors: the zone is unknown.
func Compile(s Schedule) (*Calendar, error) {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", s.Name, err)
	}
	c := &Calendar{loc: loc, week: s.Hours, holidays: map[int]bool{}}
	for _, h := range s.Holidays {
		d, err := time.Parse(time.DateOnly, h.Date)
		if err != nil {
			return nil, fmt.Errorf("schedule %q: holiday %w", s.Name, err)
		}
		c.holidays[dayKey(d.Date())] = true
	}
	return c, nil
}

// MustCompile is Compile for schedules known to be valid (tests, defaults).
func MustCompile(s Schedule) *Calendar {
	c, err := Compile(s)
	if err != nil {
		panic(err)
	}
	return c
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

func dayKey(y int, m time.Month, d int) int { return y*10000 + int(m)*100 + d }

// window is one business window as instants.
type window struct{ from, to time.Time }

// walk calls f with each business window that ends after start, in order,
// until f returns false. Windows are built from local dates and times in
// the calendar's zone, so their length is real elapsed time (a window
// across a DST change is an hour shorter or longer).
func (c *Calendar) walk(start time.Time, f func(window) bool) {
	y, m, d := start.In(c.loc).Date()
	for i := range maxDays {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, c.loc) // noon exists in every zone
		dy, dm, dd := day.Date()
		if c.holidays[dayKey(dy, dm, dd)] {
			continue
		}
		for _, sp := range c.week[day.Weekday()] {
			w := window{
				from: time.Date(dy, dm, dd, 0, sp.Start, 0, 0, c.loc),
				to:   time.Date(dy, dm, dd, 0, sp.End, 0, 0, c.loc),
			}
			if !w.to.After(start) || !w.to.After(w.from) {
				continue
			}
			if !f(w) {
				return
			}
		}
	}
}

// Add returns the instant at which d of business time has passed since
// start, in UTC. With d ≤ 0 it is start itself. The result is always inside
// the schedule's hours (at the latest, the end of a window).
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	start = clock.Normalize(start)
	if d <= 0 {
		return start
	}
	out := time.Time{}
	c.walk(start, func(w window) bool {
		if w.from.Before(start) {
			w.from = start
		}
		if avail := w.to.Sub(w.from); avail < d {
			d -= avail
			return true
		}
		out = clock.Normalize(w.from.Add(d))
		return false
	})
	if out.IsZero() { // unreachable for a valid schedule and target
		out = clock.Normalize(start.AddDate(50, 0, 0))
	}
	return out
}

// Between returns the business time from a to b (zero when b is not after
// a).
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var total time.Duration
	c.walk(a, func(w window) bool {
		if !w.from.Before(b) {
			return false
		}
		from, to := w.from, w.to
		if from.Before(a) {
			from = a
		}
		if to.After(b) {
			to = b
		}
		total += to.Sub(from)
		return true
	})
	return total
}

// InHours reports whether business time runs at t.
func (c *Calendar) InHours(t time.Time) bool {
	in := false
	c.walk(t, func(w window) bool {
		in = !w.from.After(t)
		return false
	})
	return in
}

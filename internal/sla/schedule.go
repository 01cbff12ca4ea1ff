package sla

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// minutesPerDay bounds a window's end: 24:00 closes a day.
const minutesPerDay = 24 * 60

// Span is one window of business hours on a day, in minutes after local
// midnight: [Start, End), End at most 24:00. It reads and writes as
// "09:00-17:30".
type Span struct{ Start, End int }

// String formats s as "HH:MM-HH:MM".
func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.Start/60, s.Start%60, s.End/60, s.End%60)
}

// ParseSpan reads "HH:MM-HH:MM".
func ParseSpan(text string) (Span, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(text), "-")
	if !ok {
		return Span{}, fmt.Errorf("%q is not a window like 09:00-17:00", text)
	}
	a, err := parseHHMM(from)
	if err != nil {
		return Span{}, err
	}
	b, err := parseHHMM(to)
	if err != nil {
		return Span{}, err
	}
	if a >= b {
		return Span{}, fmt.Errorf("window %q must end after it starts", text)
	}
	return Span{Start: a, End: b}, nil
}

func parseHHMM(s string) (int, error) {
	var h, m int
	if n, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &h, &m); err != nil || n != 2 || len(strings.TrimSpace(s)) != 5 {
		return 0, fmt.Errorf("%q is not a time like 09:30", s)
	}
	if h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day (00:00 to 24:00)", s)
	}
	return h*60 + m, nil
}

// MarshalText writes s as "HH:MM-HH:MM".
func (s Span) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "HH:MM-HH:MM".
func (s *Span) UnmarshalText(b []byte) error {
	v, err := ParseSpan(string(b))
	*s = v
	return err
}

// Week holds each weekday's windows, indexed by time.Weekday. Any subset
// of days may have hours. In JSON it is an object keyed by lower-case day
// name: {"monday": ["09:00-17:00"], "saturday": ["10:00-14:00"]}.
type Week [7][]Span

var dayNames = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// MarshalJSON writes the days that have hours, by name.
func (w Week) MarshalJSON() ([]byte, error) {
	m := map[string][]Span{}
	for d, spans := range w {
		if len(spans) > 0 {
			m[dayNames[d]] = spans
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads days by name; an unknown day is an error.
func (w *Week) UnmarshalJSON(b []byte) error {
	var m map[string][]Span
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*w = Week{}
	for name, spans := range m {
		d := slices.Index(dayNames[:], strings.ToLower(name))
		if d < 0 {
			return fmt.Errorf("%q is not a day of the week", name)
		}
		w[d] = spans
	}
	return nil
}

// WeekInput is a week as clients write it: windows as text by day name.
type WeekInput map[string][]string

// Week reads the input; Invalid naming "hours.<day>" for an unknown day
// or a window that is not "HH:MM-HH:MM".
func (in WeekInput) Week() (Week, error) {
	var w Week
	var fe errs.Fields
	for name, spans := range in {
		d := slices.Index(dayNames[:], strings.ToLower(name))
		if d < 0 {
			fe.Add("hours."+name, "is not a day of the week (monday to sunday)")
			continue
		}
		for i, text := range spans {
			sp, err := ParseSpan(text)
			if err != nil {
				fe.Add(fmt.Sprintf("hours.%s[%d]", name, i), "%v", err)
			}
			w[d] = append(w[d], sp)
		}
	}
	return w, fe.Err()
}

// ScheduleInput is a new schedule as clients write it.
type ScheduleInput struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	TimeZone    string    `json:"time_zone"`
	Hours       WeekInput `json:"hours"`
	Holidays    []Holiday `json:"holidays"`
}

// Schedule reads the input; Invalid naming the field of a bad window.
func (in ScheduleInput) Schedule() (Schedule, error) {
	w, err := in.Hours.Week()
	return Schedule{Name: in.Name, Description: in.Description, TimeZone: in.TimeZone, Hours: w, Holidays: in.Holidays}, err
}

// Holiday is a whole local day without business hours.
type Holiday struct {
	Date string `json:"date"` // YYYY-MM-DD in the schedule's zone
	Name string `json:"name"`
}

// Schedule is a business-hours calendar: which hours of which weekdays
// count, in which IANA time zone, less holidays. Admins edit schedules;
// definitions name the one they run on.
type Schedule struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	TimeZone    string    `json:"time_zone"`
	Hours       Week      `json:"hours"`
	Holidays    []Holiday `json:"holidays"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// AlwaysOn returns the hours of a 24×7 schedule.
func AlwaysOn() Week {
	var w Week
	for d := range w {
		w[d] = []Span{{Start: 0, End: minutesPerDay}}
	}
	return w
}

// WorkingWeek returns the same window on the given days.
func WorkingWeek(s Span, days ...time.Weekday) Week {
	var w Week
	for _, d := range days {
		w[d] = []Span{s}
	}
	return w
}

// Validate checks the schedule, sorts each day's windows and holidays, and
// returns field errors naming what is wrong.
func (s *Schedule) Validate() error {
	var fe errs.Fields
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" {
		fe.Add("name", "is required")
	} else if len(s.Name) > 100 {
		fe.Add("name", "must be at most 100 characters")
	}
	if len(s.Description) > 2000 {
		fe.Add("description", "must be at most 2,000 characters")
	}
	if s.TimeZone == "" {
		fe.Add("time_zone", "is required (an IANA zone such as Europe/Berlin or UTC)")
	} else if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "Local" {
		fe.Add("time_zone", "%q is not an IANA time zone", s.TimeZone)
	}
	any := false
	for d := range s.Hours {
		spans := s.Hours[d]
		slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
		for i, sp := range spans {
			if sp.Start < 0 || sp.End > minutesPerDay || sp.Start >= sp.End {
				fe.Add("hours."+dayNames[d], "window %s is not within one day", sp)
			}
			if i > 0 && spans[i-1].End > sp.Start {
				fe.Add("hours."+dayNames[d], "windows %s and %s overlap", spans[i-1], sp)
			}
		}
		any = any || len(spans) > 0
	}
	if !any {
		fe.Add("hours", "at least one day needs business hours")
	}
	seen := map[string]bool{}
	for i, h := range s.Holidays {
		if _, err := time.Parse(time.DateOnly, h.Date); err != nil {
			fe.Add(fmt.Sprintf("holidays[%d].date", i), "%q is not a date like 2026-12-25", h.Date)
		} else if seen[h.Date] {
			fe.Add(fmt.Sprintf("holidays[%d].date", i), "%s is listed twice", h.Date)
		}
		seen[h.Date] = true
		if len(h.Name) > 100 {
			fe.Add(fmt.Sprintf("holidays[%d].name", i), "must be at most 100 characters")
		}
	}
	if len(s.Holidays) > 2000 {
		fe.Add("holidays", "at most 2,000 holidays")
	}
	if s.Holidays == nil {
		s.Holidays = []Holiday{}
	}
	slices.SortFunc(s.Holidays, func(a, b Holiday) int { return strings.Compare(a.Date, b.Date) })
	return fe.Err()
}

package sla

import (
	"testing"
	"time"
)

func TestCalendarAdd(t *testing.T) {
	const berlin, ny = "Europe/Berlin", "America/New_York"
	office := WorkingWeek(nineToFive, weekdays...)
	split := Week{}
	split[time.Monday] = []Span{{9 * 60, 12 * 60}, {13 * 60, 17 * 60}}
	// osTicket #6739: a weekly schedule with any subset of days.
	monWedSat := WorkingWeek(Span{10 * 60, 14 * 60}, time.Monday, time.Wednesday, time.Saturday)
	tests := []struct {
		name     string
		zone     string
		week     Week
		holidays []string
		start    string // local
		add      time.Duration
		want     string // local
	}{
		{"inside a window", berlin, office, nil, "2026-11-30 10:00", 2 * time.Hour, "2026-11-30 12:00"},
		{"ends exactly at closing", berlin, office, nil, "2026-11-30 09:00", 8 * time.Hour, "2026-11-30 17:00"},
		{"runs over into the next day", berlin, office, nil, "2026-11-30 16:00", 2 * time.Hour, "2026-12-01 10:00"},
		{"starts before opening", berlin, office, nil, "2026-11-30 06:00", time.Hour, "2026-11-30 10:00"},
		{"starts after closing", berlin, office, nil, "2026-11-30 20:00", time.Hour, "2026-12-01 10:00"},
		{"friday evening to monday", berlin, office, nil, "2026-12-04 16:30", time.Hour, "2026-12-07 09:30"},
		{"weekend start", berlin, office, nil, "2026-12-05 11:00", 30 * time.Minute, "2026-12-07 09:30"},
		{"lunch break skipped", berlin, split, nil, "2026-11-30 11:00", 2 * time.Hour, "2026-11-30 14:00"},
		{"several weeks", berlin, office, nil, "2026-11-30 09:00", 80 * time.Hour, "2026-12-11 17:00"},
		{"subset of days: monday to wednesday", berlin, monWedSat, nil, "2026-11-30 13:00", 2 * time.Hour, "2026-12-02 11:00"},
		{"subset of days: wednesday to saturday", berlin, monWedSat, nil, "2026-12-02 13:00", 2 * time.Hour, "2026-12-05 11:00"},
		{"subset of days: saturday to monday", berlin, monWedSat, nil, "2026-12-05 13:00", 2 * time.Hour, "2026-12-07 11:00"},
		// Zammad #390: holidays move due times predictably, by whole days.
		{"holiday skipped", berlin, office, []string{"2026-12-25"}, "2026-12-24 15:00", 4 * time.Hour, "2026-12-28 11:00"},
		{"two holidays in a row", berlin, office, []string{"2026-12-24", "2026-12-25"}, "2026-12-23 16:00", 2 * time.Hour, "2026-12-28 10:00"},
		{"start on a holiday", berlin, office, []string{"2026-11-30"}, "2026-11-30 10:00", time.Hour, "2026-12-01 10:00"},
		// DST: windows are local hours; business time is real time inside them.
		{"24x7 across spring forward", berlin, AlwaysOn(), nil, "2026-03-28 12:00", 24 * time.Hour, "2026-03-29 13:00"},
		{"24x7 across fall back", berlin, AlwaysOn(), nil, "2026-10-24 12:00", 24 * time.Hour, "2026-10-25 11:00"},
		{"office hours across spring forward", berlin, office, nil, "2026-03-27 16:00", 2 * time.Hour, "2026-03-30 10:00"},
		{"office hours across fall back", ny, office, nil, "2026-10-30 16:00", 2 * time.Hour, "2026-11-02 10:00"},
		{"zero", berlin, office, nil, "2026-11-30 20:00", 0, "2026-11-30 20:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cal(t, tt.zone, tt.week, tt.holidays...)
			got := c.Add(at(t, tt.zone, tt.start), tt.add)
			if want := at(t, tt.zone, tt.want); !got.Equal(want) {
				t.Errorf("Add = %s, want %s", got.In(c.Location()), want.In(c.Location()))
			}
			if got.Location() != time.UTC {
				t.Errorf("Add returned %s, want UTC", got.Location())
			}
			if tt.add > 0 && !c.InHours(got.Add(-time.Nanosecond)) {
				t.Errorf("due %s is not inside business hours", got.In(c.Location()))
			}
			// Between is Add's inverse.
			if back := c.Between(at(t, tt.zone, tt.start), got); back != tt.add {
				t.Errorf("Between(start, Add(start, %s)) = %s", tt.add, back)
			}
		})
	}
}

func TestCalendarBetween(t *testing.T) {
	const berlin = "Europe/Berlin"
	office := WorkingWeek(nineToFive, weekdays...)
	tests := []struct {
		name     string
		week     Week
		holidays []string
		from, to string
		want     time.Duration
	}{
		{"same window", office, nil, "2026-11-30 10:00", "2026-11-30 11:30", 90 * time.Minute},
		{"overnight", office, nil, "2026-11-30 16:00", "2026-12-01 10:00", 2 * time.Hour},
		{"a whole weekend", office, nil, "2026-12-05 00:00", "2026-12-07 00:00", 0},
		{"a week", office, nil, "2026-11-30 00:00", "2026-12-07 00:00", 40 * time.Hour},
		{"a week with a holiday", office, []string{"2026-12-02"}, "2026-11-30 00:00", "2026-12-07 00:00", 32 * time.Hour},
		{"backwards", office, nil, "2026-11-30 11:00", "2026-11-30 10:00", 0},
		{"spring forward day is 23 hours", AlwaysOn(), nil, "2026-03-29 00:00", "2026-03-30 00:00", 23 * time.Hour},
		{"fall back day is 25 hours", AlwaysOn(), nil, "2026-10-25 00:00", "2026-10-26 00:00", 25 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cal(t, berlin, tt.week, tt.holidays...)
			if got := c.Between(at(t, berlin, tt.from), at(t, berlin, tt.to)); got != tt.want {
				t.Errorf("Between = %s, want %s", got, tt.want)
			}
		})
	}
}

// frappe/helpdesk #3776: due dates are computed in the schedule's zone,
// whatever zone the process runs in or the caller's time value carries.
func TestCalendarIgnoresViewerZone(t *testing.T) {
	c := cal(t, "America/New_York", WorkingWeek(nineToFive, weekdays...))
	start := at(t, "America/New_York", "2026-11-30 16:00")
	want := at(t, "America/New_York", "2026-12-01 11:00")
	saved := time.Local
	defer func() { time.Local = saved }()
	for _, viewer := range []string{"UTC", "Asia/Kolkata", "Pacific/Auckland", "America/Los_Angeles"} {
		loc, _ := time.LoadLocation(viewer)
		time.Local = loc
		if got := c.Add(start.In(loc), 3*time.Hour); !got.Equal(want) {
			t.Errorf("viewer in %s: due %s, want %s", viewer, got, want)
		}
	}
}

func TestScheduleValidate(t *testing.T) {
	tests := []struct {
		name  string
		s     Schedule
		field string
	}{
		{"ok", Schedule{Name: "x", TimeZone: "UTC", Hours: AlwaysOn()}, ""},
		{"no name", Schedule{TimeZone: "UTC", Hours: AlwaysOn()}, "name"},
		{"bad zone", Schedule{Name: "x", TimeZone: "Mars/Olympus", Hours: AlwaysOn()}, "time_zone"},
		{"Local is not a zone", Schedule{Name: "x", TimeZone: "Local", Hours: AlwaysOn()}, "time_zone"},
		{"no hours", Schedule{Name: "x", TimeZone: "UTC"}, "hours"},
		{"overlap", Schedule{Name: "x", TimeZone: "UTC", Hours: Week{1: {{9 * 60, 12 * 60}, {11 * 60, 13 * 60}}}}, "hours.monday"},
		{"bad holiday", Schedule{Name: "x", TimeZone: "UTC", Hours: AlwaysOn(), Holidays: []Holiday{{Date: "25.12.2026"}}}, "holidays[0].date"},
		{"twice", Schedule{Name: "x", TimeZone: "UTC", Hours: AlwaysOn(), Holidays: []Holiday{{Date: "2026-12-25"}, {Date: "2026-12-25"}}}, "holidays[1].date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if got := fieldOf(err); got != tt.field {
				t.Errorf("Validate() = %v, want a problem with %q", err, tt.field)
			}
		})
	}
}

func TestWeekJSON(t *testing.T) {
	var w Week
	if err := w.UnmarshalJSON([]byte(`{"monday":["09:00-12:00","13:00-17:00"],"Saturday":["10:00-24:00"]}`)); err != nil {
		t.Fatal(err)
	}
	b, err := w.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"monday":["09:00-12:00","13:00-17:00"],"saturday":["10:00-24:00"]}`; string(b) != want {
		t.Errorf("round trip = %s, want %s", b, want)
	}
	for _, bad := range []string{`{"funday":["09:00-10:00"]}`, `{"monday":["9-10"]}`, `{"monday":["10:00-09:00"]}`, `{"monday":["09:00-24:30"]}`} {
		if err := w.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

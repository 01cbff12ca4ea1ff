package sla

import (
	"github.com/rampart-itsm/rampart/internal/errs"
	"testing"
	"time"
)

var nineToFive = Span{Start: 9 * 60, End: 17 * 60}

// weekdays is Monday to Friday.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

func cal(t *testing.T, zone string, w Week, holidays ...string) *Calendar {
	t.Helper()
	s := Schedule{Name: "test", TimeZone: zone, Hours: w}
	for _, h := range holidays {
		s.Holidays = append(s.Holidays, Holiday{Date: h, Name: "holiday"})
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// at parses a local time "2006-01-02 15:04" in zone.
func at(t *testing.T, zone, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

func rule(id int64, c *Calendar, target Target, d time.Duration, mod ...func(*Definition)) Rule {
	def := Definition{ID: id, Name: "def", RecordKind: "incident", Kind: KindSLA, Target: target,
		Duration: d, Warnings: []int{50, 75, 90}, PauseOn: []string{"awaiting_caller"},
		OnPriorityChange: KeepElapsed, Active: true}
	for _, m := range mod {
		m(&def)
	}
	return Rule{Def: def, Cal: c}
}

// fieldOf returns the first field an error names, "" for nil.
func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	e, ok := errs.As(err)
	if !ok || len(e.Fields) == 0 {
		return "?" + err.Error()
	}
	return e.Fields[0].Field
}

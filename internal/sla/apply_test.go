package sla

import (
	"testing"
	"time"
)

func TestConditionsMatch(t *testing.T) {
	yes, no := true, false
	rec := Attributes{Priority: 1, Category: "malware", Services: []string{"SVC-1", "SVC-2"}, Security: true}
	tests := []struct {
		name string
		c    Conditions
		want bool
	}{
		{"empty matches all", Conditions{}, true},
		{"priority", Conditions{Priorities: []int{1, 2}}, true},
		{"other priority", Conditions{Priorities: []int{3}}, false},
		{"category", Conditions{Categories: []string{"malware"}}, true},
		{"other category", Conditions{Categories: []string{"network"}}, false},
		{"any one service", Conditions{Services: []string{"SVC-9", "SVC-2"}}, true},
		{"no service", Conditions{Services: []string{"SVC-9"}}, false},
		{"security", Conditions{Security: &yes}, true},
		{"not security", Conditions{Security: &no}, false},
		{"all conditions", Conditions{Priorities: []int{1}, Categories: []string{"malware"}, Services: []string{"SVC-1"}, Security: &yes}, true},
		{"one condition fails", Conditions{Priorities: []int{1}, Categories: []string{"phishing"}}, false},
	}
	for _, tt := range tests {
		if got := tt.c.Match(rec); got != tt.want {
			t.Errorf("%s: Match = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDefinitionValidate(t *testing.T) {
	ok := func() Definition {
		return Definition{Name: "P1 response", RecordKind: "incident", Kind: KindSLA, Target: TargetResponse, Duration: time.Hour}
	}
	tests := []struct {
		name  string
		mod   func(*Definition)
		field string
	}{
		{"ok", func(*Definition) {}, ""},
		{"name", func(d *Definition) { d.Name = " " }, "name"},
		{"record kind", func(d *Definition) { d.RecordKind = "ticket" }, "record_kind"},
		{"kind", func(d *Definition) { d.Kind = "xla" }, "kind"},
		{"target", func(d *Definition) { d.Target = "closure" }, "target"},
		{"duration too short", func(d *Definition) { d.Duration = time.Second }, "duration"},
		{"duration too long", func(d *Definition) { d.Duration = MaxTarget + time.Hour }, "duration"},
		{"on change", func(d *Definition) { d.OnPriorityChange = "forget" }, "on_priority_change"},
		{"priority", func(d *Definition) { d.Conditions.Priorities = []int{0} }, "conditions.priorities"},
		{"warning", func(d *Definition) { d.Warnings = []int{50, 100} }, "warnings"},
	}
	for _, tt := range tests {
		d := ok()
		tt.mod(&d)
		if got := fieldOf(d.Validate()); got != tt.field {
			t.Errorf("%s: problem with %q, want %q", tt.name, got, tt.field)
		}
	}
	d := ok()
	d.Warnings = []int{90, 50, 75, 50}
	if err := d.Validate(); err != nil || d.OnPriorityChange != KeepElapsed || len(d.Warnings) != 3 || d.Warnings[0] != 50 {
		t.Errorf("defaults not filled: %v %+v", err, d)
	}
}

// priorityRules are P1 and P3 response and resolution SLAs on a 24×7
// calendar, plus an OLA for every priority.
func priorityRules(t *testing.T, onChange OnChange) map[int64]Rule {
	c := cal(t, "UTC", AlwaysOn())
	prio := func(p ...int) func(*Definition) {
		return func(d *Definition) { d.Conditions.Priorities = p; d.OnPriorityChange = onChange }
	}
	return map[int64]Rule{
		1: rule(1, c, TargetResponse, 15*time.Minute, prio(1)),
		2: rule(2, c, TargetResolution, 4*time.Hour, prio(1)),
		3: rule(3, c, TargetResponse, 4*time.Hour, prio(3)),
		4: rule(4, c, TargetResolution, 24*time.Hour, prio(3)),
		5: rule(5, c, TargetResolution, 48*time.Hour, func(d *Definition) { d.Kind = KindOLA }),
		6: rule(6, c, TargetResolution, time.Hour, prio(1), func(d *Definition) { d.RecordKind = "vulnerability" }),
		7: rule(7, c, TargetResolution, time.Hour, prio(1), func(d *Definition) { d.Active = false }),
	}
}

// merge applies Apply's output to the stored clocks, as the store would.
func merge(stored, changed []Clock) []Clock {
	next := int64(100)
	for _, c := range stored {
		next = max(next, c.ID+1)
	}
	for _, c := range changed {
		if c.ID == 0 {
			c.ID = next
			next++
			stored = append(stored, c)
			continue
		}
		for i := range stored {
			if stored[i].ID == c.ID {
				stored[i] = c
			}
		}
	}
	return stored
}

func byDef(cs []Clock, def int64) *Clock {
	for i := range cs {
		if cs[i].DefinitionID == def {
			return &cs[i]
		}
	}
	return nil
}

func TestApplyStartsMatchingClocks(t *testing.T) {
	rules := priorityRules(t, KeepElapsed)
	now := at(t, "UTC", "2026-11-30 10:00")
	got := Apply(Record{Kind: "incident", ID: 1, Attrs: Attributes{Priority: 1}}, rules, nil, now)
	if len(got) != 3 || byDef(got, 1) == nil || byDef(got, 2) == nil || byDef(got, 5) == nil {
		t.Fatalf("P1 incident got clocks %+v, want definitions 1, 2 and 5", got)
	}
	if due := byDef(got, 1).DueAt; !due.Equal(now.Add(15 * time.Minute)) {
		t.Errorf("P1 response due %s", due)
	}
	// Applying again with nothing changed changes nothing.
	stored := merge(nil, got)
	if again := Apply(Record{Kind: "incident", ID: 1, Attrs: Attributes{Priority: 1}}, rules, stored, now.Add(time.Minute)); len(again) != 0 {
		t.Errorf("second Apply changed %+v", again)
	}
	// Created on hold: clocks start paused.
	held := Apply(Record{Kind: "incident", ID: 2, Attrs: Attributes{Priority: 3}, Hold: "awaiting_caller"}, rules, nil, now)
	for _, c := range held {
		if c.State != StatePaused || !c.DueAt.IsZero() {
			t.Errorf("clock created on hold: %s due %s", c.State, c.DueAt)
		}
	}
}

func TestApplyPriorityChange(t *testing.T) {
	created := at(t, "UTC", "2026-11-30 10:00")
	changed := created.Add(2 * time.Hour)
	tests := []struct {
		name       string
		onChange   OnChange
		hold       string // on hold since 11:00 with this reason
		wantState  State
		wantElapse time.Duration
		wantDue    time.Time
		wantPaused time.Time
	}{
		{"keep elapsed", KeepElapsed, "", StateRunning, 2 * time.Hour, changed.Add(2 * time.Hour), time.Time{}},
		{"restart", Restart, "", StateRunning, 0, changed.Add(4 * time.Hour), time.Time{}},
		// GLPI #15605: a pause in progress is kept when a rule replaces
		// the SLA, and the time on hold is not counted.
		{"keep elapsed while paused", KeepElapsed, "awaiting_caller", StatePaused, time.Hour, time.Time{}, created.Add(time.Hour)},
		{"restart while paused", Restart, "awaiting_caller", StatePaused, 0, time.Time{}, changed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := priorityRules(t, tt.onChange)
			rec := Record{Kind: "incident", ID: 1, Attrs: Attributes{Priority: 3}}
			stored := merge(nil, Apply(rec, rules, nil, created))
			if tt.hold != "" {
				rec.Hold = tt.hold
				for i := range stored {
					stored[i].Hold(rules[stored[i].DefinitionID], tt.hold, created.Add(time.Hour))
				}
			}
			rec.Attrs.Priority = 1
			stored = merge(stored, Apply(rec, rules, stored, changed))
			for _, old := range []int64{3, 4} {
				if c := byDef(stored, old); c.State != StateCancelled {
					t.Errorf("P3 clock %d is %s, want cancelled", old, c.State)
				}
			}
			if c := byDef(stored, 5); c.State != StateRunning && c.State != StatePaused {
				t.Errorf("OLA clock is %s, want it untouched", c.State)
			}
			c := byDef(stored, 2)
			if c == nil {
				t.Fatal("no P1 resolution clock")
			}
			if c.State != tt.wantState || c.ElapsedAt(rules[2].Cal, changed) != tt.wantElapse || !c.DueAt.Equal(tt.wantDue) || !c.PausedAt.Equal(tt.wantPaused) {
				t.Errorf("P1 resolution: %s, elapsed %s, due %s, paused at %s; want %s, %s, %s, %s",
					c.State, c.ElapsedAt(rules[2].Cal, changed), c.DueAt, c.PausedAt, tt.wantState, tt.wantElapse, tt.wantDue, tt.wantPaused)
			}
			if tt.onChange == KeepElapsed && !c.StartedAt.Equal(created) {
				t.Errorf("kept clock started %s, want %s", c.StartedAt, created)
			}
			if tt.hold != "" && tt.onChange == KeepElapsed { // resuming counts the whole pause, across the replacement
				c.Hold(rules[2], "", changed.Add(time.Hour))
				if want := 2 * time.Hour; c.PausedTotal != want {
					t.Errorf("paused total %s after resuming, want %s", c.PausedTotal, want)
				}
			}
		})
	}
}

// Zammad #5177: once the first response is given, neither a later update
// nor a priority change starts or moves a response clock.
func TestApplyKeepsFirstResponse(t *testing.T) {
	rules := priorityRules(t, KeepElapsed)
	created := at(t, "UTC", "2026-11-30 10:00")
	rec := Record{Kind: "incident", ID: 1, Attrs: Attributes{Priority: 3}}
	stored := merge(nil, Apply(rec, rules, nil, created))
	resp := byDef(stored, 3)
	resp.Stop(rules[3], created.Add(30*time.Minute))
	rec.Attrs.Priority = 1
	stored = merge(stored, Apply(rec, rules, stored, created.Add(time.Hour)))
	if c := byDef(stored, 1); c != nil {
		t.Errorf("a P1 response clock started after the response was given: %+v", c)
	}
	if c := byDef(stored, 3); c.State != StateMet || !c.StoppedAt.Equal(created.Add(30*time.Minute)) {
		t.Errorf("first response moved: %s at %s", c.State, c.StoppedAt)
	}
}

// A priority change to a shorter target with the elapsed time already
// past it breaches at the next poll, and warnings already passed are not
// raised one by one.
func TestApplyShorterTargetAlreadyPassed(t *testing.T) {
	rules := priorityRules(t, KeepElapsed)
	created := at(t, "UTC", "2026-11-30 10:00")
	rec := Record{Kind: "incident", ID: 1, Attrs: Attributes{Priority: 3}}
	stored := merge(nil, Apply(rec, rules, nil, created))
	rec.Attrs.Priority = 1
	now := created.Add(5 * time.Hour)
	stored = merge(stored, Apply(rec, rules, stored, now))
	c := byDef(stored, 2)
	if !c.NextAt.Equal(now) || !c.DueAt.Equal(now) {
		t.Fatalf("next %s due %s, want both %s", c.NextAt, c.DueAt, now)
	}
	ev := c.Fire(rules[2], now)
	if len(ev) != 1 || ev[0].Type != EventBreach || c.State != StateBreached {
		t.Errorf("events %v state %s, want one breach", ev, c.State)
	}
}

func TestApplyCancelsClocksOfRemovedDefinitions(t *testing.T) {
	rules := priorityRules(t, KeepElapsed)
	created := at(t, "UTC", "2026-11-30 10:00")
	rec := Record{Kind: "incident", ID: 1, Attrs: Attributes{Priority: 1}}
	stored := merge(nil, Apply(rec, rules, nil, created))
	delete(rules, 5)
	got := Apply(rec, rules, stored, created.Add(time.Hour))
	if len(got) != 1 || got[0].DefinitionID != 5 || got[0].State != StateCancelled || got[0].Elapsed != time.Hour {
		t.Errorf("got %+v, want the OLA clock cancelled after an hour", got)
	}
}

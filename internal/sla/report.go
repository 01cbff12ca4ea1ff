package sla

import "time"

// Report is a clock as the API shows it on its record.
type Report struct {
	Name   string `json:"name"`
	Kind   Kind   `json:"kind"`
	Target Target `json:"target"`
	// Duration is the business time allowed, e.g. "4h".
	Duration string `json:"duration"`
	// DueAt is null while the clock is paused.
	DueAt *time.Time `json:"due_at"`
	State State      `json:"state"`
	// Elapsed is the business time counted so far, e.g. "1h30m".
	Elapsed        string `json:"elapsed"`
	ElapsedSeconds int64  `json:"elapsed_seconds"`
}

// ReportAt describes c as of now. A running clock past its due time reads
// as breached even before the poller has raised the breach.
func (c *Clock) ReportAt(cal *Calendar, now time.Time) Report {
	el := c.ElapsedAt(cal, now)
	r := Report{Name: c.Name, Kind: c.Kind, Target: c.Target, Duration: DurationText(c.Duration),
		State: c.State, Elapsed: DurationText(el.Round(time.Second)), ElapsedSeconds: int64(el / time.Second)}
	if !c.DueAt.IsZero() {
		due := c.DueAt
		r.DueAt = &due
	}
	if c.Active() && c.State == StateRunning && !c.DueAt.IsZero() && !c.DueAt.After(now) {
		r.State = StateBreached
	}
	return r
}

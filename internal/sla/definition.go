package sla

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Kind tells an agreement with the customer (SLA) from one between teams
// (OLA).
type Kind string

// Kinds of agreement.
const (
	KindSLA Kind = "sla"
	KindOLA Kind = "ola"
)

// Target is what a clock measures.
type Target string

// Targets: time to first response, time to resolution.
const (
	TargetResponse   Target = "response"
	TargetResolution Target = "resolution"
)

// OnChange says what a definition's new clock does when it replaces
// another one because the record's attributes changed.
type OnChange string

// What a replacing clock does.
const (
	// KeepElapsed carries over the business time already elapsed, the
	// warnings already sent and a pause in progress.
	KeepElapsed OnChange = "keep_elapsed"
	// Restart starts from zero at the change.
	Restart OnChange = "restart"
)

// MaxTarget caps a definition's target: a year of business time.
const MaxTarget = 366 * 24 * time.Hour

// Conditions choose the records a definition applies to. An empty list (or
// a nil Security) matches anything; each non-empty condition must match.
type Conditions struct {
	Priorities []int    `json:"priorities,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Services   []string `json:"services,omitempty"` // any one of the record's services
	Security   *bool    `json:"security,omitempty"`
}

// Attributes are what conditions look at on a record.
type Attributes struct {
	Priority int
	Category string
	Services []string
	Security bool
}

// Match reports whether a record with attributes a meets every condition.
func (c Conditions) Match(a Attributes) bool {
	if len(c.Priorities) > 0 && !slices.Contains(c.Priorities, a.Priority) {
		return false
	}
	if len(c.Categories) > 0 && !slices.Contains(c.Categories, a.Category) {
		return false
	}
	if len(c.Services) > 0 && !slices.ContainsFunc(a.Services, func(s string) bool { return slices.Contains(c.Services, s) }) {
		return false
	}
	return c.Security == nil || *c.Security == a.Security
}

// Definition is one SLA or OLA target on one kind of record: the business
// time allowed, the schedule it counts on, which records it covers, which
// on-hold reasons pause it and when to warn. Admins edit definitions.
type Definition struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	RecordKind  string `json:"record_kind"` // "incident", later "vulnerability", "change"
	Kind        Kind   `json:"kind"`
	Target      Target `json:"target"`
	// Duration is the business time allowed.
	Duration   time.Duration `json:"-"`
	ScheduleID int64         `json:"-"`
	// Schedule names the schedule in the API.
	Schedule         string     `json:"schedule"`
	Conditions       Conditions `json:"conditions"`
	PauseOn          []string   `json:"pause_on"`
	Warnings         []int      `json:"warnings"`
	OnPriorityChange OnChange   `json:"on_priority_change"`
	Active           bool       `json:"active"`
	Version          int        `json:"version"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// Pauses reports whether being on hold for reason pauses d's clocks.
func (d Definition) Pauses(reason string) bool {
	return reason != "" && slices.Contains(d.PauseOn, reason)
}

// RecordKinds are the kinds of record a definition may name.
var RecordKinds = []string{"incident", "vulnerability", "change"}

// Validate checks d, fills defaults (warnings sorted, OnPriorityChange
// keep_elapsed) and returns field errors naming what is wrong.
func (d *Definition) Validate() error {
	var fe errs.Fields
	d.Name = strings.TrimSpace(d.Name)
	if d.Name == "" {
		fe.Add("name", "is required")
	} else if len(d.Name) > 100 {
		fe.Add("name", "must be at most 100 characters")
	}
	if len(d.Description) > 2000 {
		fe.Add("description", "must be at most 2,000 characters")
	}
	if !slices.Contains(RecordKinds, d.RecordKind) {
		fe.Add("record_kind", "must be one of %s", strings.Join(RecordKinds, ", "))
	}
	if d.Kind != KindSLA && d.Kind != KindOLA {
		fe.Add("kind", "must be sla or ola")
	}
	if d.Target != TargetResponse && d.Target != TargetResolution {
		fe.Add("target", "must be response or resolution")
	}
	if d.Duration < time.Minute || d.Duration > MaxTarget {
		fe.Add("duration", "must be between 1m and %s of business time", MaxTarget)
	}
	if d.OnPriorityChange == "" {
		d.OnPriorityChange = KeepElapsed
	}
	if d.OnPriorityChange != KeepElapsed && d.OnPriorityChange != Restart {
		fe.Add("on_priority_change", "must be keep_elapsed or restart")
	}
	for _, p := range d.Conditions.Priorities {
		if p < 1 || p > 5 {
			fe.Add("conditions.priorities", "priority %d is not between 1 and 5", p)
		}
	}
	slices.Sort(d.Warnings)
	d.Warnings = slices.Compact(d.Warnings)
	for _, w := range d.Warnings {
		if w < 1 || w > 99 {
			fe.Add("warnings", "%d is not a percentage between 1 and 99", w)
		}
	}
	if d.PauseOn == nil {
		d.PauseOn = []string{}
	}
	if d.Warnings == nil {
		d.Warnings = []int{}
	}
	if len(d.PauseOn) > 20 {
		fe.Add("pause_on", "at most 20 reasons")
	}
	return fe.Err()
}

// DurationText formats a business duration for people and the API:
// "4h", "30m", "2h30m", "72h".
func DurationText(d time.Duration) string {
	s := d.Round(time.Second).String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "0s"
	}
	return s
}

// ParseDuration reads a Go duration ("4h", "90m", "1h30m") or a number of
// days ("3d").
func ParseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err == nil && fmt.Sprint(n) == days {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	return time.ParseDuration(s)
}

// definitionJSON is Definition without its JSON methods.
type definitionJSON Definition

// MarshalJSON writes the definition with its duration as text ("4h").
func (d Definition) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		definitionJSON
		Duration string `json:"duration"`
	}{definitionJSON(d), DurationText(d.Duration)})
}

// DefinitionInput is a new definition as clients write it: the duration
// as text ("4h", "90m", "3d").
type DefinitionInput struct {
	Name             string     `json:"name"`
	Description      string     `json:"description"`
	RecordKind       string     `json:"record_kind"`
	Kind             Kind       `json:"kind"`
	Target           Target     `json:"target"`
	Duration         string     `json:"duration"`
	Schedule         string     `json:"schedule"`
	Conditions       Conditions `json:"conditions"`
	PauseOn          []string   `json:"pause_on"`
	Warnings         []int      `json:"warnings"`
	OnPriorityChange OnChange   `json:"on_priority_change"`
	Active           *bool      `json:"active"`
}

// Definition reads the input; Invalid naming "duration" when it is not
// a duration. A definition is active unless Active says otherwise.
func (in DefinitionInput) Definition() (Definition, error) {
	d := Definition{Name: in.Name, Description: in.Description, RecordKind: in.RecordKind, Kind: in.Kind, Target: in.Target,
		Schedule: in.Schedule, Conditions: in.Conditions, PauseOn: in.PauseOn, Warnings: in.Warnings,
		OnPriorityChange: in.OnPriorityChange, Active: in.Active == nil || *in.Active}
	var err error
	if d.Duration, err = parseDurationField(in.Duration); err != nil {
		return d, err
	}
	return d, nil
}

func parseDurationField(s string) (time.Duration, error) {
	d, err := ParseDuration(s)
	if err != nil {
		return 0, errs.Field("duration", "%q is not a duration like 4h, 90m or 3d", s)
	}
	return d, nil
}

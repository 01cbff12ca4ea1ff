package incident

import (
	"slices"
	"strings"
	"time"
)

// State is where an incident is in its life cycle.
type State string

const (
	StateNew        State = "new"
	StateInProgress State = "in_progress"
	StateOnHold     State = "on_hold"
	StateResolved   State = "resolved"
	StateClosed     State = "closed"
	StateCancelled  State = "cancelled"
)

// States lists every state in life-cycle order.
var States = []State{StateNew, StateInProgress, StateOnHold, StateResolved, StateClosed, StateCancelled}

// Transitions says which states an incident may move to from each state.
// Resolved → In Progress is a reopen (counted); Closed and Cancelled are
// final.
var Transitions = map[State][]State{
	StateNew:        {StateInProgress, StateOnHold, StateResolved, StateCancelled},
	StateInProgress: {StateOnHold, StateResolved, StateCancelled},
	StateOnHold:     {StateInProgress, StateResolved, StateCancelled},
	StateResolved:   {StateInProgress, StateClosed},
	StateClosed:     {},
	StateCancelled:  {},
}

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Open reports whether work on an incident in s is still to be done.
func (s State) Open() bool { return s == StateNew || s == StateInProgress || s == StateOnHold }

// Allows reports whether an incident in s may move to to.
func (s State) Allows(to State) bool { return slices.Contains(Transitions[s], to) }

// OnHoldReasons are why an incident waits; one is required on hold.
var OnHoldReasons = []string{"awaiting_caller", "awaiting_change", "awaiting_vendor", "awaiting_evidence"}

// ResolutionCodes say how an incident was resolved; one is required to
// resolve.
var ResolutionCodes = []string{"fixed", "workaround", "duplicate", "not_reproducible", "resolved_by_caller", "no_fix_available"}

// OperationalCategories classify ordinary incidents.
var OperationalCategories = []string{"hardware", "software", "network", "database", "access", "performance", "availability", "other"}

// SecurityCategories classify security incidents: choosing one makes an
// incident a security incident.
var SecurityCategories = []string{"phishing", "malware", "credential_compromise", "unauthorised_access", "data_exfiltration",
	"denial_of_service", "vulnerability_exploitation", "policy_violation", "insider_threat"}

// Categories lists every category, operational first.
func Categories() []string { return append(slices.Clone(OperationalCategories), SecurityCategories...) }

// IsSecurityCategory reports whether c is a security category.
func IsSecurityCategory(c string) bool { return slices.Contains(SecurityCategories, c) }

// ResponsePhases are the NIST SP 800-61 phases a security incident's
// response goes through.
var ResponsePhases = []string{"detection_and_analysis", "containment", "eradication", "recovery", "post_incident"}

// Key prefixes: security incidents have their own series.
const (
	KeyPrefix         = "INC"
	SecurityKeyPrefix = "SIR"
)

// Incident is an incident or, with Security set, a security incident.
type Incident struct {
	ID               int64  `json:"-"`
	Key              string `json:"key"` // INC-42 or SIR-7
	ShortDescription string `json:"short_description"`
	Description      string `json:"description"`
	Caller           string `json:"caller"` // username; "" when none
	Category         string `json:"category"`
	Subcategory      string `json:"subcategory"`
	Impact           int    `json:"impact"`   // 1 high .. 3 low
	Urgency          int    `json:"urgency"`  // 1 high .. 3 low
	Priority         int    `json:"priority"` // 1 critical .. 5 planning, from the matrix
	State            State  `json:"state"`
	OnHoldReason     string `json:"on_hold_reason"`
	ResolutionCode   string `json:"resolution_code"`
	ResolutionNotes  string `json:"resolution_notes"`
	AssignmentGroup  string `json:"assignment_group"` // team name
	Assignee         string `json:"assignee"`         // username
	// CIs are the keys of the affected CIs the viewer may see.
	CIs []string `json:"cis"`
	// Services are the keys of the business services that depend on the
	// affected CIs (impact analysis), those the viewer may see; ServicePaths
	// gives for each the path from an affected CI to it.
	Services     []string            `json:"services"`
	ServicePaths map[string][]string `json:"service_paths"`
	Parent       string              `json:"parent"` // key of the parent incident; "" when none
	Major        bool                `json:"major"`
	Security     bool                `json:"security"`
	// Security incidents only.
	AttackVector  string       `json:"attack_vector"`
	Techniques    []string     `json:"techniques"` // MITRE ATT&CK ids, e.g. T1566.001
	ResponsePhase string       `json:"response_phase"`
	Observables   []Observable `json:"observables"`
	// SLAs are the clocks running on the incident (filled by Clocks).
	SLAs              []SLA      `json:"slas"`
	ReassignmentCount int        `json:"reassignment_count"`
	ReopenCount       int        `json:"reopen_count"`
	Version           int64      `json:"version"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	FirstResponseAt   *time.Time `json:"first_response_at"`
	ResolvedAt        *time.Time `json:"resolved_at"`
	ClosedAt          *time.Time `json:"closed_at"`

	CallerID, GroupID, AssigneeID, ParentID int64 `json:"-"`
	// CIIDs are every affected CI (visible or not to the viewer); the
	// store writes them and Services are derived from them.
	CIIDs []int64 `json:"-"`
	// ServiceRefs are the derived business services with their paths.
	ServiceRefs []ServiceRef `json:"-"`
}

// ServiceRef is a business service an incident affects, by id, with the
// path (CI keys) from an affected CI to it.
type ServiceRef struct {
	ID   int64
	Path []string
}

// Observable is something seen in a security incident: an IP address,
// domain, URL, file hash, e-mail address or user account.
type Observable struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// SLA is one clock on an incident as the incident shows it.
type SLA struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`   // sla or ola
	Target string `json:"target"` // response or resolution
	// DueAt is when the target is breached at the current pace; nil while
	// paused.
	DueAt *time.Time `json:"due_at"`
	State string     `json:"state"` // running, paused, met, breached, cancelled
	// Elapsed is the business time counted so far, in seconds.
	Elapsed int64 `json:"elapsed"`
}

// keyPrefix returns the key series for an incident.
func keyPrefix(security bool) string {
	if security {
		return SecurityKeyPrefix
	}
	return KeyPrefix
}

// normalizeKey accepts keys in any case with surrounding space ("inc-12").
func normalizeKey(key string) string { return strings.ToUpper(strings.TrimSpace(key)) }

package incident

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// Tx is the unit of work the service runs in (bound by
// internal/store/incidentstore): an incident write, its audit entries and
// its SLA clocks commit or roll back together.
type Tx interface {
	uow.Unit
	Incidents() Store
}

// Transactor opens units of work: InTx for writes, View for a read-only
// snapshot, Join on a unit another practice holds (an alert opening an
// incident).
type Transactor interface {
	InTx(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	Join(u uow.Unit, fn func(Tx) error) error
}

// Views are the visibilities one read applies: which incidents, and which
// of their CIs and services (by the CMDB's rule), the reader may see.
type Views struct {
	Incidents auth.Visibility
	CIs       auth.Visibility
}

// Store is the incident practice's database access inside one unit of
// work. It holds no business rules. Every read takes the reader's Views and
// applies them in SQL; a read that does not says "Unscoped".
type Store interface {
	// FindIncidentByKey returns one visible incident with its CIs,
	// services, techniques and observables; NotFound when it does not
	// exist or v does not cover it.
	FindIncidentByKey(ctx context.Context, key string, v Views) (Incident, error)
	// FindIncidentsByIDUnscoped returns the incidents with the given ids,
	// whoever may see them (cascades such as resolving children).
	FindIncidentsByIDUnscoped(ctx context.Context, ids []int64) ([]Incident, error)
	// FindIncidents returns one page of visible incidents matching f, in
	// f.Sort's order, and how many match (capped, see paging.TotalCap).
	// f is validated, its Limit clamped.
	FindIncidents(ctx context.Context, f Filter, v Views) (Page, error)
	// ChildIDsUnscoped returns the ids of the open children of parent.
	ChildIDsUnscoped(ctx context.Context, parent int64) ([]int64, error)
	// InsertIncidents inserts new incidents (Key, Version and timestamps
	// set) with their CIs, services, techniques and observables, and sets
	// each ID. Conflict when a key is taken.
	InsertIncidents(ctx context.Context, incs []*Incident) error
	// UpdateIncident writes after over the stored row whose version is
	// still before.Version, and brings its CIs, services, techniques and
	// observables in line. Conflict when the row changed meanwhile.
	UpdateIncident(ctx context.Context, before, after *Incident) error

	// Matrix returns the stored priority matrix.
	Matrix(ctx context.Context) (Matrix, error)
	// SetMatrix stores m as the priority matrix.
	SetMatrix(ctx context.Context, m Matrix) error

	// UserIDs and TeamIDs resolve usernames and team names visible to v
	// (a user or team visibility); unknown or hidden names are absent.
	UserIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error)
	TeamIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error)
	// IsMember reports whether the user belongs to the team.
	IsMember(ctx context.Context, teamID, userID int64) (bool, error)
	// CIIDs resolves CI keys visible to v (a CI visibility) to ids;
	// unknown or hidden keys are absent.
	CIIDs(ctx context.Context, keys []string, v auth.Visibility) (map[string]int64, error)
	// IncidentIDs resolves incident keys visible to v to ids.
	IncidentIDs(ctx context.Context, keys []string, v auth.Visibility) (map[string]int64, error)

	// InsertNote stores a note (its ID set).
	InsertNote(ctx context.Context, n *Note) error
	// FindNotes returns an incident's notes oldest first; work notes
	// only with workNotes.
	FindNotes(ctx context.Context, incidentID int64, workNotes bool) ([]Note, error)

	// ResolvedBeforeUnscoped returns up to limit ids of incidents still
	// resolved that were resolved before t, oldest first.
	ResolvedBeforeUnscoped(ctx context.Context, before time.Time, limit int) ([]int64, error)
	// PurgeTombstones deletes tombstones written before t.
	PurgeTombstones(ctx context.Context, before time.Time) (int64, error)
	// Sightings finds where else each observable was seen: other
	// incidents v covers that record it, CIs v covers that carry it.
	Sightings(ctx context.Context, incidentID int64, obs []Observable, v Views) ([]Sighting, error)

	// InsertEvents stores timeline events.
	InsertEvents(ctx context.Context, evs []Event) error
	// FindEvents returns an incident's events oldest first.
	FindEvents(ctx context.Context, incidentID int64) ([]Event, error)

	// Shares lists who an incident is shared with.
	Shares(ctx context.Context, incidentID int64) ([]Share, error)
	// InsertShare shares an incident with a user or a team; Conflict when
	// it already is.
	InsertShare(ctx context.Context, s *Share) error
	// DeleteShare unshares; NotFound when it was not shared.
	DeleteShare(ctx context.Context, s Share) error
}

// Clocks is what the incident practice asks of SLA timekeeping. Each call
// runs in the unit of work of the change that causes it, so a clock never
// disagrees with the incident it times. The incident passed is as stored
// after the change. Start on creation; Respond when the first response is
// recorded; Pause when an incident goes on hold; Resume when it leaves
// hold or is reopened; Stop when it is resolved, closed or cancelled;
// Reprioritise when its priority (or what chooses its SLAs) changes. SLAs
// fills the clocks of incidents for display.
type Clocks interface {
	Start(ctx context.Context, u uow.Unit, inc *Incident) error
	Respond(ctx context.Context, u uow.Unit, inc *Incident) error
	Pause(ctx context.Context, u uow.Unit, inc *Incident) error
	Resume(ctx context.Context, u uow.Unit, inc *Incident) error
	Stop(ctx context.Context, u uow.Unit, inc *Incident) error
	Reprioritise(ctx context.Context, u uow.Unit, before, after *Incident) error
	SLAs(ctx context.Context, u uow.Unit, incs []*Incident) error
}

// NoClocks keeps no time: the default until an SLA engine is wired in.
type NoClocks struct{}

func (NoClocks) Start(context.Context, uow.Unit, *Incident) error                   { return nil }
func (NoClocks) Respond(context.Context, uow.Unit, *Incident) error                 { return nil }
func (NoClocks) Pause(context.Context, uow.Unit, *Incident) error                   { return nil }
func (NoClocks) Resume(context.Context, uow.Unit, *Incident) error                  { return nil }
func (NoClocks) Stop(context.Context, uow.Unit, *Incident) error                    { return nil }
func (NoClocks) Reprioritise(context.Context, uow.Unit, *Incident, *Incident) error { return nil }
func (NoClocks) SLAs(context.Context, uow.Unit, []*Incident) error                  { return nil }

// CMDB is what the incident practice asks of the CMDB: the business
// services that depend on affected CIs, read in the incident's unit of
// work. cmdb.Service implements it.
type CMDB interface {
	AffectedServices(ctx context.Context, u uow.Unit, ciIDs []int64) ([]cmdb.AffectedService, error)
}

// Note is a work note (staff only) or a comment (the caller sees it too)
// on an incident's timeline.
type Note struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"-"`
	Kind       string    `json:"kind"` // work_note or comment
	Body       string    `json:"body"`
	Author     string    `json:"author"`
	AuthorID   int64     `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
}

// Note kinds.
const (
	NoteWork    = "work_note"
	NoteComment = "comment"
)

// Event is something that happened to an incident, for its timeline.
type Event struct {
	IncidentID int64     `json:"-"`
	Kind       string    `json:"kind"` // state, assignment, parent, major
	From       string    `json:"from"`
	To         string    `json:"to"`
	Actor      string    `json:"actor"`
	At         time.Time `json:"at"`
}

// Event kinds.
const (
	EventState      = "state"
	EventAssignment = "assignment"
	EventParent     = "parent"
	EventMajor      = "major"
)

// Share says an incident is shared with one user or one team.
type Share struct {
	IncidentID int64     `json:"-"`
	User       string    `json:"user,omitempty"`
	Team       string    `json:"team,omitempty"`
	UserID     int64     `json:"-"`
	TeamID     int64     `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
}

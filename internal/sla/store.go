package sla

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// Tx is the unit of work the SLA practice runs in (bound by
// internal/store/slastore): configuration changes and their audit
// entries, clock writes and (through JobQueue) the events the poller
// raises commit together.
type Tx interface {
	uow.Unit
	SLA() Store
}

// JobQueue is the job queue joined to a unit of work the SLA practice
// holds, so an event commits with the clock that raised it.
type JobQueue interface {
	Join(u uow.Unit, fn func(jobs.Tx) error) error
}

// Transactor opens units of work, or joins one a caller holds (the
// incident practice starting clocks in the unit that creates an incident).
type Transactor interface {
	InTx(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	Join(u uow.Unit, fn func(Tx) error) error
}

// Store is the SLA tables inside one unit of work. It holds no rules.
// Configuration reads take the visibility of the principal they serve
// (auth.KindSLA); clock reads are Unscoped because a clock is reached
// through its record, whose practice has already decided who sees it.
type Store interface {
	// FindSchedules lists the schedules v covers by name, holidays
	// included.
	FindSchedules(ctx context.Context, v auth.Visibility) ([]Schedule, error)
	// FindSchedule returns one schedule by id; NotFound when there is
	// none v covers.
	FindSchedule(ctx context.Context, v auth.Visibility, id int64) (Schedule, error)
	// InsertSchedule stores s with its holidays and sets its id; Conflict
	// naming the field when the name is taken.
	InsertSchedule(ctx context.Context, s *Schedule) error
	// UpdateSchedule writes s over the row whose version is still
	// s.Version, replaces its holidays and moves s.Version on; Conflict
	// when it changed meanwhile or the name is taken.
	UpdateSchedule(ctx context.Context, s *Schedule) error

	// FindDefinitions lists the definitions v covers by name, of one
	// record kind or ("") all, with their schedule's name.
	FindDefinitions(ctx context.Context, v auth.Visibility, recordKind string) ([]Definition, error)
	// FindDefinition returns one definition; NotFound when there is none
	// v covers.
	FindDefinition(ctx context.Context, v auth.Visibility, id int64) (Definition, error)
	// InsertDefinition stores d and sets its id; Conflict when the name is
	// taken, Invalid when its schedule does not exist.
	InsertDefinition(ctx context.Context, d *Definition) error
	// UpdateDefinition writes d over the row whose version is still
	// d.Version and moves d.Version on; Conflict when it changed
	// meanwhile or the name is taken.
	UpdateDefinition(ctx context.Context, d *Definition) error

	// FindClocksUnscoped returns the clocks of the given records of one
	// kind, oldest first.
	FindClocksUnscoped(ctx context.Context, recordKind string, recordIDs []int64) ([]Clock, error)
	// SaveClocks inserts clocks with id 0 (setting their ids) and writes
	// the others over rows whose version is still Version, moving Version
	// on; Conflict when one changed meanwhile.
	SaveClocks(ctx context.Context, clocks []*Clock) error
	// SaveFired writes what the poller changes on clocks (state, warned,
	// next_at, breached_at) over rows whose version is still Version,
	// moving Version on; Conflict when one changed meanwhile.
	SaveFired(ctx context.Context, clocks []*Clock) error
	// ClockStats counts clocks by definition name, kind, target and state:
	// the active ones, and those stopped since the given time.
	ClockStats(ctx context.Context, stoppedSince time.Time) ([]ClockStat, error)
	// ClaimDueClocksUnscoped returns up to limit active clocks whose
	// next_at has come by now, earliest first. On PostgreSQL it locks
	// them and skips clocks another transaction holds.
	ClaimDueClocksUnscoped(ctx context.Context, now time.Time, limit int) ([]Clock, error)
}

// Package uow declares the unit of work as every practice sees it. It has
// no SQL: internal/store implements it, and each practice's Tx interface
// embeds Unit next to its own store, so a practice that composes with
// another (an alert opening an incident, a change asking for a policy
// decision) passes the Unit it holds and both write in one transaction.
package uow

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
)

// Unit is one open unit of work: everything written through it, its audit
// entries included, commits or rolls back together.
type Unit interface {
	// Now is the unit's timestamp, fixed when it began, so all rows
	// written together carry the same time.
	Now() time.Time
	// Audit returns the appender for audit entries, written with the
	// unit's other writes.
	Audit() audit.Appender
	// AfterCommit registers f to run once the unit has committed (waking
	// a worker, for example); it never runs after a rollback.
	AfterCommit(f func())
	// NextKeys reserves n consecutive numbers for human keys of one kind
	// ("CI", "IMP") and returns the first.
	NextKeys(ctx context.Context, kind string, n int) (int64, error)
}

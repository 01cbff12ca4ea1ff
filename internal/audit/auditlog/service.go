// Package auditlog is the read side of the audit log: find, export and
// verify, behind the audit:read permission. It is apart from package audit
// because auth appends audit records and this package needs auth's
// principals: one package holding both would import itself through auth.
package auditlog

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// Filter selects audit entries. Empty fields do not filter. Since is
// inclusive and Until exclusive, so consecutive windows never overlap.
type Filter struct {
	Kind   string    // record kind: ci, relation, user, team, token, import, job
	Key    string    // record key, exact
	Actor  string    // username, exact
	Action string    // create, update, delete, or another verb
	Since  time.Time // at >= Since
	Until  time.Time // at < Until
	Cursor string    // from the previous page's NextCursor (Find only)
	Limit  int       // page size (Find only): paging.DefaultLimit, at most paging.MaxLimit
}

// Page is one page of entries, newest first.
type Page struct {
	Items      []audit.Entry `json:"items"`
	Total      int           `json:"total"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// Store reads the log. The visibility argument is applied inside the SQL,
// so a principal without access reads nothing even if a caller forgot to
// check, and an auditor without clearance never a restricted entry.
type Store interface {
	audit.Source
	// FindEntries returns entries matching f newest first (by seq), one
	// page after f.Cursor, and the total number matching f.
	FindEntries(ctx context.Context, v auth.Visibility, f Filter) (Page, error)
	// ExportEntries streams every entry matching f oldest first.
	ExportEntries(ctx context.Context, v auth.Visibility, f Filter, fn func(audit.Entry) error) error
}

// Tx is the unit of work the audit service reads in; *store.Tx, whose
// core keeps the audit log, satisfies it.
type Tx interface {
	uow.Unit
	AuditReader() Store
}

// Transactor runs read-only units of work.
type Transactor interface {
	View(ctx context.Context, fn func(Tx) error) error
}

// Service reads, exports and verifies the audit log. Writing happens only
// through audit.Appender inside other services' units of work.
type Service struct{ t Transactor }

// NewService returns the audit service.
func NewService(t Transactor) *Service { return &Service{t: t} }

// Find returns one page of entries, newest first.
// Callers: principals with auth.AuditRead (admin, auditor).
// Errors: Unauthenticated, Forbidden, Invalid (bad cursor, negative limit,
// Until before Since).
func (s *Service) Find(ctx context.Context, p auth.Principal, f Filter) (Page, error) {
	if err := p.Require(auth.AuditRead); err != nil {
		return Page{}, err
	}
	if err := checkFilter(&f); err != nil {
		return Page{}, err
	}
	var page Page
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		page, err = tx.AuditReader().FindEntries(ctx, auth.VisibilityFor(p, auth.KindAudit), f)
		return err
	})
	return page, err
}

// Export calls fn for every entry matching f, oldest first, without a
// limit, reading from one snapshot so the export is consistent. f.Cursor
// and f.Limit are ignored. An error from fn stops the export and is
// returned as is.
// Callers: principals with auth.AuditRead. Errors: Unauthenticated,
// Forbidden, Invalid.
func (s *Service) Export(ctx context.Context, p auth.Principal, f Filter, fn func(audit.Entry) error) error {
	if err := p.Require(auth.AuditRead); err != nil {
		return err
	}
	if err := checkFilter(&f); err != nil {
		return err
	}
	return s.t.View(ctx, func(tx Tx) error {
		return tx.AuditReader().ExportEntries(ctx, auth.VisibilityFor(p, auth.KindAudit), f, fn)
	})
}

// Verify walks the whole chain and returns how many entries hold. A broken
// chain is reported as an *audit.Break naming the first bad entry.
// Callers: operators (rampart audit verify) and the API behind
// auth.AuditRead; the service itself does not check a principal because
// verification reveals no entry content.
func (s *Service) Verify(ctx context.Context) (int64, error) { return s.CheckAnchors(ctx, nil) }

// Anchor is a chain position recorded outside the database.
type Anchor = audit.Anchor

// Head returns the current anchor: the last entry's sequence and hash.
// Operators (and the daily verification) record it outside the database,
// for example in shipped logs, because a chain alone proves nothing
// against someone who rewrites the whole log and recomputes every hash.
func (s *Service) Head(ctx context.Context) (Anchor, error) {
	var a Anchor
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		a.Seq, a.Hash, err = tx.AuditReader().Head(ctx)
		return err
	})
	return a, err
}

// CheckAnchors verifies the chain holds and still passes through every
// anchor recorded earlier; a rewritten and re-hashed log fails here even
// though its chain is consistent. One read-only unit of work, so the head
// and every entry come from one snapshot and a writer committing meanwhile
// is not mistaken for tampering. Returns *audit.Break naming the entry.
func (s *Service) CheckAnchors(ctx context.Context, anchors []Anchor) (int64, error) {
	var n int64
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		n, err = audit.Verify(ctx, tx.AuditReader(), anchors...)
		return err
	})
	return n, err
}

func checkFilter(f *Filter) error {
	var fe errs.Fields
	f.Limit = paging.Limit(&fe, f.Limit)
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		fe.Add("until", "must not be before since")
	}
	return fe.Err()
}

// Package auditlog is the read side of the audit log: find, export and
// verify, behind the audit:read permission. It is apart from package audit
// because auth appends audit records and this package needs auth's
// principals: one package holding both would import itself through auth.
package auditlog

import (
	"context"
	"errors"
	"slices"
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
	Stream audit.Stream // general or security
	Kind   string       // record kind: ci, relation, user, team, token, import, job
	Key    string       // record key, exact
	Actor  string       // username, exact
	Action string       // create, update, delete, or another verb
	Via    string       // what made the entry, exact ("import IMP-7")
	Since  time.Time    // at >= Since
	Until  time.Time    // at < Until
	Cursor string       // from the previous page's NextCursor (Find only)
	Limit  int          // page size (Find only): paging.DefaultLimit, at most paging.MaxLimit
}

// Page is one page of entries, newest first.
type Page struct {
	Items      []audit.Entry `json:"items"`
	Total      int           `json:"total"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// Store reads the log. The visibility argument is applied inside the SQL,
// so a principal without access reads nothing even if a caller forgot to
// check, and an auditor without clearance neither the security stream nor
// a restricted entry.
type Store interface {
	audit.Source
	// FindEntries returns entries matching f newest first (in the order
	// written), one page after f.Cursor, and the number matching f.
	FindEntries(ctx context.Context, v auth.Visibility, f Filter) (Page, error)
	// ExportEntries returns up to limit entries matching f written after
	// the entry with id after (0: from the first), oldest first.
	ExportEntries(ctx context.Context, v auth.Visibility, f Filter, after int64, limit int) ([]audit.Entry, error)
	// Checkpoint returns where the last verification of stream got to
	// (the zero Anchor of the stream when none is recorded).
	Checkpoint(ctx context.Context, stream audit.Stream) (audit.Anchor, error)
	// SaveCheckpoint records that verification reached a; it never moves
	// a checkpoint back.
	SaveCheckpoint(ctx context.Context, a audit.Anchor) error
}

// Tx is the unit of work the audit service reads in; *store.Tx, whose
// core keeps the audit log, satisfies it.
type Tx interface {
	uow.Unit
	AuditReader() Store
}

// Transactor runs units of work: read-only ones for reading the log, a
// short write one for recording a verification's checkpoint.
type Transactor interface {
	View(ctx context.Context, fn func(Tx) error) error
	InTx(ctx context.Context, fn func(Tx) error) error
}

// Service reads, exports and verifies the audit log. Writing happens only
// through audit.Appender inside other services' units of work.
type Service struct{ t Transactor }

// NewService returns the audit service.
func NewService(t Transactor) *Service { return &Service{t: t} }

// Find returns one page of entries, newest first.
// Callers: principals with auth.AuditRead (admin, auditor, security
// auditor); the security stream and restricted entries only for those
// with auth.AuditReadRestricted.
// Errors: Unauthenticated, Forbidden, Invalid (bad cursor, negative limit,
// Until before Since, unknown stream).
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

// exportPage is how many entries an export reads per snapshot: no read
// transaction lasts as long as the export (on SQLite a long reader stops
// WAL checkpoints while writes pile up).
const exportPage = 1000

// Export calls fn for every entry matching f, oldest first, without a
// limit, a page at a time, each page from a snapshot of its own. f.Cursor
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
	v := auth.VisibilityFor(p, auth.KindAudit)
	for after := int64(0); ; {
		var page []audit.Entry
		err := s.t.View(ctx, func(tx Tx) error {
			var err error
			page, err = tx.AuditReader().ExportEntries(ctx, v, f, after, exportPage)
			return err
		})
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(page) < exportPage {
			return nil
		}
		after = page[len(page)-1].ID
	}
}

// StreamsFor lists the streams p may read, and so verify: the security
// stream only with auth.AuditReadRestricted.
func StreamsFor(p auth.Principal) []audit.Stream {
	if !p.Can(auth.AuditRead) {
		return nil
	}
	if p.Can(auth.AuditReadRestricted) {
		return slices.Clone(audit.Streams)
	}
	return []audit.Stream{audit.StreamGeneral}
}

// VerifyOptions says what a verification covers.
type VerifyOptions struct {
	// Full walks each stream from its first entry; otherwise verification
	// goes on from the last checkpoint (checking that entry still holds).
	Full bool
	// Anchors are chain positions recorded earlier, outside the database:
	// the walk must pass through each. A stream with an anchor at or
	// before its checkpoint is walked in full.
	Anchors []audit.Anchor
	// Streams to verify; nil: all.
	Streams []audit.Stream
}

// StreamResult is one stream's verification.
type StreamResult struct {
	Stream audit.Stream `json:"stream"`
	// OK is true when the stream's chain holds.
	OK bool `json:"ok"`
	// Entries is how many entries of the stream hold: its length when OK,
	// the entries before the break otherwise.
	Entries int64 `json:"entries"`
	// Checked is how many entries this verification read.
	Checked int64 `json:"checked"`
	// From is the checkpoint this verification went on from (0: a full
	// walk from the first entry).
	From int64 `json:"from"`
	// Head is the last entry that holds, as an anchor STREAM:SEQ:HASH to
	// record outside the database.
	Head audit.Anchor `json:"-"`
	// Anchor is Head as text.
	Anchor string `json:"anchor"`
	// BrokenAt and Reason name the first entry that does not hold.
	BrokenAt int64  `json:"broken_at,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// Verify checks each stream's chain, page by page (each page its own
// snapshot, its head read with it, so a writer committing meanwhile is
// not mistaken for tampering): every entry after the checkpoint (or every
// entry, with Full), the head, and each anchor. A stream that holds moves
// its checkpoint to its head. A broken stream is a result with OK false,
// not an error; errors are failures to read.
// Callers: operators (rampart audit verify, with database access, every
// stream), the daily verification, and the API behind auth.AuditRead,
// which passes the streams StreamsFor allows. Errors: Invalid (an anchor
// of a stream not verified).
func (s *Service) Verify(ctx context.Context, o VerifyOptions) ([]StreamResult, error) {
	streams := o.Streams
	if streams == nil {
		streams = audit.Streams
	}
	for _, a := range o.Anchors {
		if !slices.Contains(streams, a.Stream) {
			return nil, errs.Field("anchor", "no stream %q to verify", a.Stream)
		}
	}
	out := make([]StreamResult, 0, len(streams))
	for _, stream := range streams {
		r, err := s.verifyStream(ctx, stream, o)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// VerifyFull walks every stream from its first entry and returns how many
// entries hold across them, or a *audit.Break for the first broken
// stream: for tools and tests that want one answer.
func (s *Service) VerifyFull(ctx context.Context) (int64, error) {
	res, err := s.Verify(ctx, VerifyOptions{Full: true})
	if err != nil {
		return 0, err
	}
	var n int64
	for _, r := range res {
		if !r.OK {
			return n + r.Entries, &audit.Break{Stream: r.Stream, Seq: r.BrokenAt, Reason: r.Reason}
		}
		n += r.Entries
	}
	return n, nil
}

func (s *Service) verifyStream(ctx context.Context, stream audit.Stream, o VerifyOptions) (StreamResult, error) {
	var from audit.Anchor
	if !o.Full {
		err := s.t.View(ctx, func(tx Tx) error {
			var err error
			from, err = tx.AuditReader().Checkpoint(ctx, stream)
			return err
		})
		if err != nil {
			return StreamResult{}, err
		}
		for _, a := range o.Anchors {
			if a.Stream == stream && a.Seq <= from.Seq {
				from = audit.Anchor{Stream: stream}
			}
		}
	}
	c := audit.NewChain(stream, from, o.Anchors)
	var brk *audit.Break
	for done := false; !done; {
		err := s.t.View(ctx, func(tx Tx) error {
			var err error
			done, err = c.Page(ctx, tx.AuditReader(), audit.PageSize)
			return err
		})
		if errors.As(err, &brk) {
			break
		}
		if err != nil {
			return StreamResult{}, err
		}
	}
	r := StreamResult{Stream: stream, OK: brk == nil, Entries: c.Entries(), Checked: c.Checked(), From: c.From(), Head: c.Head()}
	r.Anchor = r.Head.String()
	if brk != nil {
		r.BrokenAt, r.Reason = brk.Seq, brk.Reason
		return r, nil
	}
	if r.Head.Seq > from.Seq {
		err := s.t.InTx(ctx, func(tx Tx) error { return tx.AuditReader().SaveCheckpoint(ctx, r.Head) })
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

// ParseAnchors reads anchors given as STREAM:SEQ:HASH (or SEQ:HASH for
// the general stream), naming field in the error.
func ParseAnchors(field string, in []string) ([]audit.Anchor, error) {
	out := make([]audit.Anchor, 0, len(in))
	var fe errs.Fields
	for _, s := range in {
		a, err := audit.ParseAnchor(s)
		if err != nil {
			fe.Add(field, "%s", err.Error())
			continue
		}
		out = append(out, a)
	}
	return out, fe.Err()
}

func checkFilter(f *Filter) error {
	var fe errs.Fields
	f.Limit = paging.Limit(&fe, f.Limit)
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		fe.Add("until", "must not be before since")
	}
	if f.Stream != "" && !f.Stream.Valid() {
		fe.Add("stream", "must be one of general, security")
	}
	return fe.Err()
}

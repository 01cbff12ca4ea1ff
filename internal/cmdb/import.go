package cmdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// Candidate is one discovered asset, as a parser read it from a source.
type Candidate struct {
	Row         int         `json:"row"`   // 1-based row (CSV data row, JSON array index+1, nmap host index+1)
	Label       string      `json:"label"` // how a user finds the row: "host 192.168.1.5", "row 12 (web-01)"
	Identifiers Identifiers `json:"identifiers"`
	// Fields is what the source says about the asset; nil fields are not
	// touched when the candidate updates an existing CI.
	Fields Update `json:"fields"`
	// Problems found while parsing: the row is rejected with these.
	Problems []errs.FieldError `json:"problems,omitempty"`
}

// ImportRequest is one import run.
type ImportRequest struct {
	Format   string // nmap, csv, json
	Filename string
	// Source hands the file's candidates to yield one at a time, in file
	// order, and returns yield's error as it is, or an error of its own
	// when the file cannot be read. Import calls it twice (once to check
	// the whole file, once to apply it), and it must hand over the same
	// candidates both times: read a spooled copy of an upload, not the
	// request body.
	Source func(yield func(Candidate) error) error
	// Candidates is the file already parsed, for small callers and tests;
	// used when Source is nil.
	Candidates []Candidate
	// Strict: any rejected row rejects the whole import; nothing is
	// applied or stored and Import returns an Invalid error.
	Strict bool
	// SourceName names where the file comes from ("nmap-dmz",
	// "vmware-export"): the fields the import sets are recorded as set by
	// it, and it may not overwrite a field held by a source ranked above
	// it (see Precedence). Default: the format.
	SourceName string
}

func (r ImportRequest) source() func(yield func(Candidate) error) error {
	if r.Source != nil {
		return r.Source
	}
	return func(yield func(Candidate) error) error {
		for _, c := range r.Candidates {
			if err := yield(c); err != nil {
				return err
			}
		}
		return nil
	}
}

// ImportReport is what an import did: counts of every outcome, and rows
// only where a row needs a person's attention (rejected rows, conflicts).
type ImportReport struct {
	ID       int64  `json:"-"`
	Key      string `json:"key"` // IMP-7; empty when a strict import was refused
	Format   string `json:"format"`
	Filename string `json:"filename"`
	Source   string `json:"source"` // the import source its fields are recorded as set by
	Actor    string `json:"actor"`
	// Status is running while rows are being applied, done when every row
	// was, failed when the import stopped part-way (Error says why), and
	// interrupted when the server running it stopped.
	Status string `json:"status"`
	// AppliedThrough is the last row the import got through: every row
	// up to it was applied (or rejected and listed), none after it. For a
	// done import it is the last row of the file.
	AppliedThrough int       `json:"applied_through"`
	Error          string    `json:"error,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Created        int       `json:"created"`
	Updated        int       `json:"updated"`
	Unchanged      int       `json:"unchanged"`
	Rejected       int       `json:"rejected"`
	// Kept counts the rows (created, updated or unchanged) that left some
	// field as it was because a source ranked above this import's holds it.
	Kept int `json:"kept"`
	// Detail is what a scanner report or threat feed import counts
	// beyond the counts above (vuln.ImportDetail); nil for discovery
	// imports.
	Detail json.RawMessage `json:"detail,omitempty"`
	// Rows is one page of the rows kept with the report, in row order:
	// every rejected row with its reasons (a conflict names the CIs the
	// row matched), and every row that kept a field, with the fields and
	// why. NextCursor continues it. Absent in lists.
	Rows       []ImportRow `json:"rows,omitempty"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// Import statuses.
const (
	ImportRunning     = "running"
	ImportDone        = "done"
	ImportFailed      = "failed"
	ImportInterrupted = "interrupted"
)

// importStale is how long a running import may go without applying a
// chunk before it is reported interrupted: its server stopped (a chunk
// takes well under a second).
const importStale = 10 * time.Minute

// Total is the number of rows the import got through.
func (r ImportReport) Total() int { return r.Created + r.Updated + r.Unchanged + r.Rejected }

// Row actions in an import report.
const (
	ActionCreated   = "created"
	ActionUpdated   = "updated"
	ActionUnchanged = "unchanged"
	ActionRejected  = "rejected"
)

// ImportRow is the outcome for one candidate.
type ImportRow struct {
	Row    int               `json:"row"`
	Label  string            `json:"label"`
	Action string            `json:"action"` // created, updated, unchanged, rejected
	CIKey  string            `json:"ci_key,omitempty"`
	Errors []errs.FieldError `json:"errors,omitempty"`
	// Conflict lists the CIs the row matched when it matched more than one.
	Conflict []string `json:"conflict,omitempty"`
	// Kept lists the fields the row offered a value for but did not set,
	// because a source ranked above the import's holds them, and why.
	Kept []KeptField `json:"kept,omitempty"`
}

// needsAttention says whether a report keeps the row: a rejected row, or
// one that kept a field someone ranked above the import holds.
func (r ImportRow) needsAttention() bool { return r.Action == ActionRejected || len(r.Kept) > 0 }

// Formats an import may name.
var ImportFormats = []string{"nmap", "csv", "json"}

// maxStrictErrors bounds the field errors a refused strict import returns,
// and maxRefusedRows the rejected rows its report lists (the counts cover
// them all): a file of 100,000 bad rows must not become an answer of
// hundreds of megabytes.
const (
	maxStrictErrors = 1000
	maxRefusedRows  = 1000
)

// Import reconciles the file's candidates with the CMDB: a candidate that
// matches no CI by any identifier creates one, one that matches exactly one
// CI updates the fields it gives (identifiers, tags and attributes are
// merged into what the CI has, never removed), and one that matches several
// CIs is rejected as a conflict naming them. Rows with problems are
// rejected and, unless Strict, the rest still applied. Requires
// auth.ImportRun.
//
// The file is read through once first, so a file that cannot be read
// (malformed, truncated) imports nothing; with Strict, that first pass
// also decides every row without writing (see checkImport), and any
// rejected row refuses the import. Then rows are applied in chunks, each
// its own transaction, of the size the store gives (Store.ChunkRows: 250
// rows on SQLite, whose one writer others wait for, 1,000 on PostgreSQL),
// so an import never holds SQLite's writer for long. It remains one import: one key (taken before
// the first chunk), one stored report, which each chunk brings up to date
// in its own transaction, so the report always says exactly how far the
// import got. If a chunk fails (the database fails, the request is
// cancelled, a concurrent write took an identifier, or, in Strict mode,
// someone changed the CMDB since the check so that a row no longer
// applies), the chunks before it stay applied, the report is closed as
// failed with the error and AppliedThrough, and Import returns the report
// with the error. Every created or updated CI gets an audit entry, and the
// import one more when it ends.
//
// Errors: Unauthenticated, Forbidden, Invalid (bad format, unreadable
// file; in Strict mode any rejected row: the report is returned alongside,
// unsaved, without a key), Conflict, Unavailable, or the error that
// stopped a failed import (the stored report is returned alongside).
func (s *Service) Import(ctx context.Context, p auth.Principal, req ImportRequest) (ImportReport, error) {
	if err := p.Require(auth.ImportRun); err != nil {
		return ImportReport{}, err
	}
	req.Format = strings.ToLower(strings.TrimSpace(req.Format))
	if !contains(ImportFormats, req.Format) {
		return ImportReport{}, errs.Field("format", "must be one of %s", strings.Join(ImportFormats, ", "))
	}
	req.SourceName = strings.ToLower(strings.TrimSpace(req.SourceName))
	if req.SourceName == "" {
		req.SourceName = req.Format
	}
	if msg := checkSourceName(req.SourceName); msg != "" {
		return ImportReport{}, errs.Field("source", "%s", msg)
	}
	src := req.source()
	rep := ImportReport{Format: req.Format, Filename: strings.TrimSpace(req.Filename), Source: req.SourceName,
		Actor: p.Actor(), Status: ImportRunning}
	var size int
	if err := s.t.View(ctx, func(tx Tx) error { size = tx.CMDB().ChunkRows(); return nil }); err != nil {
		return ImportReport{}, err
	}
	if req.Strict {
		refusal, err := s.checkImport(ctx, p, src, size, rep)
		if err != nil {
			return ImportReport{}, err
		}
		if refusal.Rejected > 0 {
			return refusal, strictError(refusal)
		}
	} else if err := src(func(Candidate) error { return nil }); err != nil {
		return ImportReport{}, err
	}
	err := s.t.InTx(ctx, func(tx Tx) error {
		n, err := tx.NextKeys(ctx, "IMP", 1)
		if err != nil {
			return err
		}
		rep.Key = "IMP-" + strconv.FormatInt(n, 10)
		rep.CreatedAt, rep.UpdatedAt = tx.Now(), tx.Now()
		return tx.CMDB().InsertImport(ctx, &rep)
	})
	if err != nil {
		return ImportReport{}, err
	}
	err = eachChunk(src, size, func(chunk []Candidate) error { return s.applyChunk(ctx, p, &rep, chunk, req.Strict) })
	return s.finishImport(ctx, p, rep, err)
}

// eachChunk reads src and hands its candidates to fn in chunks of size (the
// last may be smaller), reusing one slice: fn must not keep it.
func eachChunk(src func(func(Candidate) error) error, size int, fn func([]Candidate) error) error {
	chunk := make([]Candidate, 0, size)
	err := src(func(c Candidate) error {
		if chunk = append(chunk, c); len(chunk) < size {
			return nil
		}
		err := fn(chunk)
		chunk = chunk[:0]
		return err
	})
	if err == nil && len(chunk) > 0 {
		err = fn(chunk)
	}
	return err
}

// ImportVia is the via of the audit entries an import makes: the CI
// history shows "by import IMP-7".
func ImportVia(key string) string { return "import " + key }

// applyChunk reconciles and writes one chunk of candidates in a
// transaction of its own, with the report's counts, AppliedThrough and
// kept rows; rep is brought up to date only once that commits.
func (s *Service) applyChunk(ctx context.Context, p auth.Principal, rep *ImportReport, chunk []Candidate, strict bool) error {
	next := *rep
	err := s.t.InTxAlone(ctx, func(tx Tx) error {
		next = *rep
		rc := newReconciler(tx.CMDB(), p, rep.fieldSource(), len(chunk))
		if err := rc.prepare(ctx, chunk); err != nil {
			return err
		}
		rc.reconcile()
		if strict {
			for _, row := range rc.rows {
				if row.Action == ActionRejected {
					return errs.E(errs.Conflict, "row %d no longer applies (%s): the CMDB changed since the import was checked",
						row.Row, rowProblem(row))
				}
			}
		}
		if err := rc.apply(ctx, tx, p, ImportVia(rep.Key)); err != nil {
			return err
		}
		rc.fillKeys()
		var kept []ImportRow
		for _, row := range rc.rows {
			next.count(row)
			if row.needsAttention() {
				kept = append(kept, row)
			}
		}
		next.AppliedThrough = chunk[len(chunk)-1].Row
		next.UpdatedAt = tx.Now()
		return tx.CMDB().UpdateImport(ctx, &next, kept)
	})
	if err != nil {
		return err
	}
	*rep = next
	return nil
}

// finishImport closes the report: done, or failed with the error that
// stopped it, and audited either way. It runs even when ctx has ended (a
// client that went away), so a report is never left running by a live
// server.
func (s *Service) finishImport(ctx context.Context, p auth.Principal, rep ImportReport, cause error) (ImportReport, error) {
	rep.Status = ImportDone
	if cause != nil {
		rep.Status, rep.Error = ImportFailed, importErrorText(cause)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	err := s.t.InTx(ctx, func(tx Tx) error {
		rep.UpdatedAt = tx.Now()
		if err := tx.CMDB().UpdateImport(ctx, &rep, nil); err != nil {
			return err
		}
		summary := rep
		summary.Rows, summary.NextCursor = nil, ""
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionCreate, Kind: AuditKindImport, Key: rep.Key, After: summary})
	})
	if err == nil {
		err = s.t.View(ctx, func(tx Tx) error {
			var err error
			rep.Rows, rep.NextCursor, err = tx.CMDB().FindImportRows(ctx, rep.ID, "", paging.DefaultLimit)
			return err
		})
	}
	if cause != nil {
		return rep, cause
	}
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// finishTimeout bounds closing the report of an import whose request has
// ended.
const finishTimeout = 30 * time.Second

// importErrorText is what a failed import's report says stopped it: the
// message of an expected error, never the internals of an unexpected one
// (the server's log has those).
func importErrorText(err error) string {
	if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
		return e.Error()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "the request ended before the import did"
	}
	return "internal error; the server log has the details"
}

func rowProblem(row ImportRow) string {
	if len(row.Errors) == 0 {
		return "rejected"
	}
	return row.Errors[0].Field + ": " + row.Errors[0].Message
}

// fieldSource is who the fields this import sets are recorded as set by.
func (r *ImportReport) fieldSource() FieldSource {
	return FieldSource{Source: r.Source, By: r.Actor, Import: r.Key}
}

func (r *ImportReport) count(row ImportRow) {
	if len(row.Kept) > 0 {
		r.Kept++
	}
	switch row.Action {
	case ActionCreated:
		r.Created++
	case ActionUpdated:
		r.Updated++
	case ActionUnchanged:
		r.Unchanged++
	case ActionRejected:
		r.Rejected++
	}
}

func strictError(rep ImportReport) error {
	e := &errs.Error{Kind: errs.Invalid,
		Message: fmt.Sprintf("%d of %d rows rejected; strict import applied nothing", rep.Rejected, rep.Total())}
	for _, row := range rep.Rows {
		for _, f := range row.Errors {
			if len(e.Fields) < maxStrictErrors {
				e.Fields = append(e.Fields, errs.FieldError{Field: fmt.Sprintf("row %d: %s", row.Row, f.Field), Message: f.Message})
			}
		}
	}
	return e
}

// FindImports lists import reports newest first, without their rows.
// Requires auth.ImportRead (staff): a report names CIs across the whole
// CMDB.
// Errors: Unauthenticated, Forbidden, Invalid (cursor).
func (s *Service) FindImports(ctx context.Context, p auth.Principal, cursor string, limit int) ([]ImportReport, string, error) {
	if err := p.Require(auth.ImportRead); err != nil {
		return nil, "", err
	}
	var fe errs.Fields
	if limit = paging.Limit(&fe, limit); fe.Err() != nil {
		return nil, "", fe.Err()
	}
	var out []ImportReport
	var next string
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		out, next, err = tx.CMDB().FindImports(ctx, cursor, limit, auth.VisibilityFor(p, auth.KindImport))
		for i := range out {
			out[i].settle(tx.Now())
		}
		return err
	})
	if out == nil {
		out = []ImportReport{}
	}
	return out, next, err
}

// FindImport returns one import report with one page of its kept rows
// (rejected rows and conflicts, in row order), continuing from cursor.
// Same callers as FindImports. Errors: Unauthenticated, Forbidden,
// NotFound, Invalid (cursor, limit).
func (s *Service) FindImport(ctx context.Context, p auth.Principal, key, cursor string, limit int) (ImportReport, error) {
	if err := p.Require(auth.ImportRead); err != nil {
		return ImportReport{}, err
	}
	var fe errs.Fields
	if limit = paging.Limit(&fe, limit); fe.Err() != nil {
		return ImportReport{}, fe.Err()
	}
	var rep ImportReport
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		rep, err = tx.CMDB().FindImportByKey(ctx, normalizeKey(key), auth.VisibilityFor(p, auth.KindImport))
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.NotFound, "no import %s", normalizeKey(key))
		}
		if err != nil {
			return err
		}
		rep.settle(tx.Now())
		rep.Rows, rep.NextCursor, err = tx.CMDB().FindImportRows(ctx, rep.ID, cursor, limit)
		return err
	})
	return rep, err
}

// settle reports a running import that has not moved for importStale as
// interrupted: the server running it stopped before it could say so.
func (r *ImportReport) settle(now time.Time) {
	if r.Status == ImportRunning && now.Sub(r.UpdatedAt) > importStale {
		r.Status = ImportInterrupted
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

package cmdb

import (
	"context"
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
	Format     string // nmap, csv, json
	Filename   string
	Candidates []Candidate
	// Strict: any rejected row rejects the whole import; nothing is
	// applied or stored and Import returns an Invalid error.
	Strict bool
}

// ImportReport says what an import did with each row.
type ImportReport struct {
	Key       string      `json:"key"` // IMP-7; empty when a strict import was refused
	Format    string      `json:"format"`
	Filename  string      `json:"filename"`
	Actor     string      `json:"actor"`
	CreatedAt time.Time   `json:"created_at"`
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Rejected  int         `json:"rejected"`
	Rows      []ImportRow `json:"rows,omitempty"` // absent in lists (FindImports)
}

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
}

// Formats an import may name.
var ImportFormats = []string{"nmap", "csv", "json"}

// maxStrictErrors bounds the field errors a refused strict import returns;
// the report carries every row.
const maxStrictErrors = 1000

// Import reconciles the candidates with the CMDB in one transaction: a
// candidate that matches no CI by any identifier creates one, one that
// matches exactly one CI updates the fields it gives (identifiers, tags
// and attributes are merged into what the CI has, never removed), and one
// that matches several CIs is rejected as a conflict naming them. Rows with
// problems are rejected and, unless Strict, the rest still applied. The
// report is stored (FindImport) and audited with one entry per created or
// updated CI plus one for the import. Requires auth.ImportRun.
// Errors: Unauthenticated, Forbidden, Invalid (bad format; in Strict mode
// any rejected row: the report is returned alongside, unsaved, without a
// key), Conflict (a concurrent import took an identifier; retry).
func (s *Service) Import(ctx context.Context, p auth.Principal, req ImportRequest) (ImportReport, error) {
	if err := p.Require(auth.ImportRun); err != nil {
		return ImportReport{}, err
	}
	req.Format = strings.ToLower(strings.TrimSpace(req.Format))
	if !contains(ImportFormats, req.Format) {
		return ImportReport{}, errs.Field("format", "must be one of %s", strings.Join(ImportFormats, ", "))
	}
	var rep ImportReport
	refused := false
	err := s.t.InTx(ctx, func(tx Tx) error {
		rc := newReconciler(tx.CMDB(), p, len(req.Candidates))
		if err := rc.prepare(ctx, req.Candidates); err != nil {
			return err
		}
		rc.reconcile()
		rep = ImportReport{Format: req.Format, Filename: strings.TrimSpace(req.Filename), Actor: p.Actor(),
			CreatedAt: tx.Now(), Rows: rc.rows}
		rep.count()
		if req.Strict && rep.Rejected > 0 {
			rc.fillKeys()
			refused = true
			return strictError(rep)
		}
		if err := rc.apply(ctx, tx, p); err != nil {
			return err
		}
		rc.fillKeys()
		n, err := tx.NextKeys(ctx, "IMP", 1)
		if err != nil {
			return err
		}
		rep.Key = "IMP-" + strconv.FormatInt(n, 10)
		if err := tx.CMDB().InsertImport(ctx, &rep); err != nil {
			return err
		}
		summary := rep
		summary.Rows = nil // the audit entry records the outcome; the rows stay in the report
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionCreate, Kind: AuditKindImport, Key: rep.Key, After: summary})
	})
	switch {
	case refused:
		return rep, err
	case err != nil:
		return ImportReport{}, err
	}
	return rep, nil
}

// Total is the number of rows the import read.
func (r ImportReport) Total() int { return r.Created + r.Updated + r.Unchanged + r.Rejected }

func (r *ImportReport) count() {
	r.Created, r.Updated, r.Unchanged, r.Rejected = 0, 0, 0, 0
	for _, row := range r.Rows {
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
}

func strictError(rep ImportReport) error {
	e := &errs.Error{Kind: errs.Invalid,
		Message: fmt.Sprintf("%d of %d rows rejected; strict import applied nothing", rep.Rejected, len(rep.Rows))}
	for _, row := range rep.Rows {
		if row.Action != ActionRejected {
			continue
		}
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
		return err
	})
	if out == nil {
		out = []ImportReport{}
	}
	return out, next, err
}

// FindImport returns one import report with its rows. Same callers as
// FindImports. Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) FindImport(ctx context.Context, p auth.Principal, key string) (ImportReport, error) {
	if err := p.Require(auth.ImportRead); err != nil {
		return ImportReport{}, err
	}
	var rep ImportReport
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		rep, err = tx.CMDB().FindImportByKey(ctx, normalizeKey(key), auth.VisibilityFor(p, auth.KindImport))
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.NotFound, "no import %s", normalizeKey(key))
		}
		return err
	})
	return rep, err
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

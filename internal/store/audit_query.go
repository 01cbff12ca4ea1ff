package store

import (
	"context"
	"fmt"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
)

// AuditReader returns the audit log's query side for the audit service.
func (tx *Tx) AuditReader() auditlog.Store { return &AuditStore{tx: tx} }

var _ auditlog.Store = (*AuditStore)(nil)

// auditVisibility is what visibility means for the audit log: the
// security stream and restricted entries are restricted. It has no owner
// column: a visibility that covers less than all of it covers none.
var auditVisibility = Columns{Kind: auth.KindAudit, Restricted: "(stream = 'security' OR restricted)"}

// auditFilter turns a filter and a visibility into WHERE conditions.
func auditFilter(q *Query, v auth.Visibility, f auditlog.Filter) {
	q.And(Visible(q, v, auditVisibility))
	if f.Stream != "" {
		q.And("stream = " + q.Arg(string(f.Stream)))
	}
	if f.Via != "" {
		q.And("via = " + q.Arg(f.Via))
	}
	if f.Kind != "" {
		q.And("record_kind = " + q.Arg(f.Kind))
	}
	if f.Key != "" {
		q.And("record_key = " + q.Arg(f.Key))
	}
	if f.Actor != "" {
		q.And("actor = " + q.Arg(f.Actor))
	}
	if f.Action != "" {
		q.And("action = " + q.Arg(f.Action))
	}
	if !f.Since.IsZero() {
		q.And("at >= " + q.Arg(At(f.Since)))
	}
	if !f.Until.IsZero() {
		q.And("at < " + q.Arg(At(f.Until)))
	}
}

// FindEntries returns one page newest first (by id, the order written),
// resuming below the id in f.Cursor, and the number of entries matching f. f.Limit must
// already be within bounds (the service sees to it).
func (s *AuditStore) FindEntries(ctx context.Context, v auth.Visibility, f auditlog.Filter) (auditlog.Page, error) {
	var q Query
	auditFilter(&q, v, f)
	page := auditlog.Page{Items: []audit.Entry{}}
	if err := s.tx.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log`+q.Where(), q.Args()...).Scan(&page.Total); err != nil {
		return page, MapError(fmt.Errorf("count audit entries: %w", err))
	}
	if f.Cursor != "" {
		var after int64
		if err := DecodeCursor(f.Cursor, &after); err != nil {
			return page, err
		}
		q.And("id < " + q.Arg(after))
	}
	limit := q.Arg(f.Limit + 1) // one more tells whether a next page exists
	rows, err := s.tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_log`+q.Where()+` ORDER BY id DESC LIMIT `+limit, q.Args()...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAuditEntry(rows)
		if err != nil {
			return page, fmt.Errorf("read audit entry: %w", err)
		}
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return page, MapError(err)
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = EncodeCursor(page.Items[f.Limit-1].ID)
	}
	return page, nil
}

// ExportEntries returns up to limit entries matching f after id after,
// oldest first.
func (s *AuditStore) ExportEntries(ctx context.Context, v auth.Visibility, f auditlog.Filter, after int64, limit int) ([]audit.Entry, error) {
	var q Query
	auditFilter(&q, v, f)
	q.And("id > " + q.Arg(after))
	rows, err := s.tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_log`+q.Where()+` ORDER BY id LIMIT `+q.Arg(limit), q.Args()...)
	if err != nil {
		return nil, err
	}
	return Collect(rows, scanAuditEntry)
}

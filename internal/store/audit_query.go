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

// auditFilter turns a filter and a scope into WHERE conditions. The log has
// no owner column: a scope that is neither all nor none is treated as none,
// so a partial audit view can never appear by accident.
func auditFilter(q *query, scope auth.Scope, f auditlog.Filter) {
	if !scope.All {
		scope = auth.Scope{None: true}
	}
	q.and(scopePredicate(q, scope, ""))
	if f.Kind != "" {
		q.and("record_kind = " + q.arg(f.Kind))
	}
	if f.Key != "" {
		q.and("record_key = " + q.arg(f.Key))
	}
	if f.Actor != "" {
		q.and("actor = " + q.arg(f.Actor))
	}
	if f.Action != "" {
		q.and("action = " + q.arg(f.Action))
	}
	if !f.Since.IsZero() {
		q.and("at >= " + q.arg(At(f.Since)))
	}
	if !f.Until.IsZero() {
		q.and("at < " + q.arg(At(f.Until)))
	}
}

// FindEntries returns one page newest first by seq, resuming below the
// seq in f.Cursor, and the number of entries matching f. f.Limit must
// already be within bounds (the service sees to it).
func (s *AuditStore) FindEntries(ctx context.Context, scope auth.Scope, f auditlog.Filter) (auditlog.Page, error) {
	var q query
	auditFilter(&q, scope, f)
	page := auditlog.Page{Items: []audit.Entry{}}
	if err := s.tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_log`+q.whereClause(), q.args...).Scan(&page.Total); err != nil {
		return page, mapError(fmt.Errorf("count audit entries: %w", err))
	}
	if f.Cursor != "" {
		var after int64
		if err := decodeCursor(f.Cursor, &after); err != nil {
			return page, err
		}
		q.and("seq < " + q.arg(after))
	}
	limit := q.arg(f.Limit + 1) // one more tells whether a next page exists
	rows, err := s.tx.query(ctx, `SELECT `+auditColumns+` FROM audit_log`+q.whereClause()+` ORDER BY seq DESC LIMIT `+limit, q.args...)
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
		return page, mapError(err)
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = encodeCursor(page.Items[f.Limit-1].Seq)
	}
	return page, nil
}

// ExportEntries streams every entry matching f oldest first.
func (s *AuditStore) ExportEntries(ctx context.Context, scope auth.Scope, f auditlog.Filter, fn func(audit.Entry) error) error {
	var q query
	auditFilter(&q, scope, f)
	return s.stream(ctx, &q, fn)
}

// HashAt returns the stored hash of entry seq.
func (s *AuditStore) HashAt(ctx context.Context, seq int64) (string, error) {
	var hash string
	err := s.tx.queryRow(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, seq).Scan(&hash)
	return hash, mapError(err)
}

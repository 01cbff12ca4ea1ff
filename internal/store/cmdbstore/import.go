package cmdbstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/store"
)

// InsertImport stores a new report: counts in columns so lists need not
// read the rows, which go into import_rows as chunks are applied.
func (s *cmdbStore) InsertImport(ctx context.Context, r *cmdb.ImportReport) error {
	return store.MapError(s.tx.QueryRow(ctx, `INSERT INTO imports (key, format, filename, source, actor, status, applied_through, error,
			created, updated, unchanged, rejected, kept, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		r.Key, r.Format, r.Filename, r.Source, r.Actor, r.Status, r.AppliedThrough, r.Error,
		r.Created, r.Updated, r.Unchanged, r.Rejected, r.Kept, store.At(r.CreatedAt), store.At(r.UpdatedAt)).Scan(&r.ID))
}

// UpdateImport writes the report's progress and keeps rows with it.
func (s *cmdbStore) UpdateImport(ctx context.Context, r *cmdb.ImportReport, rows []cmdb.ImportRow) error {
	_, err := s.tx.Exec(ctx, `UPDATE imports SET status = $1, applied_through = $2, error = $3,
			created = $4, updated = $5, unchanged = $6, rejected = $7, kept = $8, updated_at = $9
		WHERE id = $10`,
		r.Status, r.AppliedThrough, r.Error, r.Created, r.Updated, r.Unchanged, r.Rejected, r.Kept, store.At(r.UpdatedAt), r.ID)
	if err != nil || len(rows) == 0 {
		return err
	}
	type encoded struct{ errors, conflict, kept string }
	enc := make([]encoded, len(rows))
	for i, row := range rows {
		e, err := json.Marshal(nonNil(row.Errors))
		if err != nil {
			return fmt.Errorf("import row %d: %w", row.Row, err)
		}
		c, err := json.Marshal(nonNil(row.Conflict))
		if err != nil {
			return fmt.Errorf("import row %d: %w", row.Row, err)
		}
		k, err := json.Marshal(nonNil(row.Kept))
		if err != nil {
			return fmt.Errorf("import row %d: %w", row.Row, err)
		}
		enc[i] = encoded{string(e), string(c), string(k)}
	}
	in := s.tx.NewInserter("import_rows", []string{"import_id", "row", "label", "action", "ci_key", "errors", "conflict", "kept"}, nil)
	defer in.Close()
	return in.Run(ctx, len(rows), func(i int, dst []any) []any {
		row := rows[i]
		return append(dst, r.ID, row.Row, row.Label, row.Action, row.CIKey, enc[i].errors, enc[i].conflict, enc[i].kept)
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

const importColumns = `id, key, format, filename, source, actor, status, applied_through, error, created, updated, unchanged, rejected, kept, created_at, updated_at, detail`

func scanImport(sc store.Scanner) (cmdb.ImportReport, error) {
	var r cmdb.ImportReport
	var detail string
	err := sc.Scan(&r.ID, &r.Key, &r.Format, &r.Filename, &r.Source, &r.Actor, &r.Status, &r.AppliedThrough, &r.Error,
		&r.Created, &r.Updated, &r.Unchanged, &r.Rejected, &r.Kept, store.ScanTime(&r.CreatedAt), store.ScanTime(&r.UpdatedAt), &detail)
	if detail != "" && detail != "{}" {
		r.Detail = json.RawMessage(detail)
	}
	return r, store.MapError(err)
}

// importVisibility is what visibility means for import reports: all or
// nothing (a report lists every CI its import touched).
var importVisibility = store.Columns{Kind: auth.KindImport}

// FindImports lists reports visible to v newest first; the cursor is the
// last id seen.
func (s *cmdbStore) FindImports(ctx context.Context, cursor string, limit int, v auth.Visibility) ([]cmdb.ImportReport, string, error) {
	var q store.Query
	q.And(store.Visible(&q, v, importVisibility))
	if cursor != "" {
		var after int64
		if err := store.DecodeCursor(cursor, &after); err != nil {
			return nil, "", err
		}
		q.And("id < " + q.Arg(after))
	}
	rows, err := s.tx.Query(ctx, `SELECT `+importColumns+` FROM imports`+q.Where()+
		` ORDER BY id DESC LIMIT `+strconv.Itoa(limit+1), q.Args()...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []cmdb.ImportReport
	for rows.Next() {
		r, err := scanImport(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", store.MapError(err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = store.EncodeCursor(out[limit-1].ID)
	}
	return out, next, nil
}

// FindImportByKey returns one report visible to v, without its rows.
func (s *cmdbStore) FindImportByKey(ctx context.Context, key string, v auth.Visibility) (cmdb.ImportReport, error) {
	var q store.Query
	q.And("key = " + q.Arg(key))
	q.And(store.Visible(&q, v, importVisibility))
	return scanImport(s.tx.QueryRow(ctx, `SELECT `+importColumns+` FROM imports`+q.Where(), q.Args()...))
}

// FindImportRows pages through an import's kept rows by row number; the
// cursor is the last row number seen.
func (s *cmdbStore) FindImportRows(ctx context.Context, importID int64, cursor string, limit int) ([]cmdb.ImportRow, string, error) {
	var q store.Query
	q.And("import_id = " + q.Arg(importID))
	if cursor != "" {
		var after int
		if err := store.DecodeCursor(cursor, &after); err != nil {
			return nil, "", err
		}
		q.And("row > " + q.Arg(after))
	}
	rows, err := s.tx.Query(ctx, `SELECT row, label, action, ci_key, errors, conflict, kept FROM import_rows`+q.Where()+
		` ORDER BY row LIMIT `+strconv.Itoa(limit+1), q.Args()...)
	if err != nil {
		return nil, "", err
	}
	out, err := store.Collect(rows, func(sc store.Scanner) (cmdb.ImportRow, error) {
		var r cmdb.ImportRow
		var errors, conflict, kept string
		if err := sc.Scan(&r.Row, &r.Label, &r.Action, &r.CIKey, &errors, &conflict, &kept); err != nil {
			return r, err
		}
		if err := json.Unmarshal([]byte(kept), &r.Kept); err != nil {
			return r, fmt.Errorf("import row %d kept: %w", r.Row, err)
		}
		if len(r.Kept) == 0 {
			r.Kept = nil
		}
		if err := json.Unmarshal([]byte(errors), &r.Errors); err != nil {
			return r, fmt.Errorf("import row %d errors: %w", r.Row, err)
		}
		if err := json.Unmarshal([]byte(conflict), &r.Conflict); err != nil {
			return r, fmt.Errorf("import row %d conflict: %w", r.Row, err)
		}
		if len(r.Errors) == 0 {
			r.Errors = nil
		}
		if len(r.Conflict) == 0 {
			r.Conflict = nil
		}
		return r, nil
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = store.EncodeCursor(out[limit-1].Row)
	}
	return out, next, nil
}

// ChunkRows is the engine's size for chunks of bulk work.
func (s *cmdbStore) ChunkRows() int { return s.tx.ChunkRows() }

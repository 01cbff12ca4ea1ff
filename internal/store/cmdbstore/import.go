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

// InsertImport stores an import report; its rows go into the report column
// as JSON, the counts into columns so lists need not parse it.
func (s *cmdbStore) InsertImport(ctx context.Context, r *cmdb.ImportReport) error {
	rows := r.Rows
	if rows == nil {
		rows = []cmdb.ImportRow{}
	}
	body, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("import report: %w", err)
	}
	_, err = s.tx.Exec(ctx, `INSERT INTO imports (key, format, filename, actor, created, updated, unchanged, rejected, report, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		r.Key, r.Format, r.Filename, r.Actor, r.Created, r.Updated, r.Unchanged, r.Rejected, string(body), store.At(r.CreatedAt))
	return err
}

const importColumns = `id, key, format, filename, actor, created, updated, unchanged, rejected, created_at`

func scanImport(sc store.Scanner, extra ...any) (cmdb.ImportReport, int64, error) {
	var r cmdb.ImportReport
	var id int64
	dst := append([]any{&id, &r.Key, &r.Format, &r.Filename, &r.Actor, &r.Created, &r.Updated, &r.Unchanged,
		&r.Rejected, store.ScanTime(&r.CreatedAt)}, extra...)
	err := sc.Scan(dst...)
	return r, id, store.MapError(err)
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
	var ids []int64
	for rows.Next() {
		r, id, err := scanImport(rows)
		if err != nil {
			return nil, "", err
		}
		out, ids = append(out, r), append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, "", store.MapError(err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = store.EncodeCursor(ids[limit-1])
	}
	return out, next, nil
}

// FindImportByKey returns one report visible to v with its rows.
func (s *cmdbStore) FindImportByKey(ctx context.Context, key string, v auth.Visibility) (cmdb.ImportReport, error) {
	var body string
	var q store.Query
	q.And("key = " + q.Arg(key))
	q.And(store.Visible(&q, v, importVisibility))
	r, _, err := scanImport(s.tx.QueryRow(ctx, `SELECT `+importColumns+`, report FROM imports`+q.Where(), q.Args()...), &body)
	if err != nil {
		return cmdb.ImportReport{}, err
	}
	if err := json.Unmarshal([]byte(body), &r.Rows); err != nil {
		return cmdb.ImportReport{}, fmt.Errorf("import %s report: %w", key, err)
	}
	return r, nil
}

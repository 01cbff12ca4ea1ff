// Package vulnstore is vulnerability management's SQL: scanned targets,
// findings, the local copies of the KEV and EPSS feeds, and the import
// reports of scanner and feed imports, on the unit of work of
// internal/store.
package vulnstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// Bind returns vulnerability management's view of the unit of work tx,
// for store.Bind(db, vulnstore.Bind).
func Bind(tx *store.Tx) vuln.Tx { return unit{tx} }

type unit struct{ *store.Tx }

// Vuln returns the store bound to this unit of work.
func (u unit) Vuln() vuln.Store { return &vulnStore{tx: u.Tx} }

type vulnStore struct{ tx *store.Tx }

var _ vuln.Store = (*vulnStore)(nil)

// ChunkRows is the engine's chunk size for bulk work.
func (s *vulnStore) ChunkRows() int { return s.tx.ChunkRows() }

// eachIn runs query (whose "%s" is where the IN list goes) for every
// batch of vals, with the batch bound after the leading args, and hands
// each row to fn.
func eachIn[T any](ctx context.Context, tx *store.Tx, query string, lead []any, vals []T, fn func(store.Scanner) error) error {
	return store.Batches(vals, tx.InBatch(), func(part []T) error {
		q := tx.ListQuery()
		for _, a := range lead {
			q.Arg(a)
		}
		list := store.InList(&q, part)
		rows, err := tx.QueryCached(ctx, fmt.Sprintf(query, list), q.Args()...)
		if err != nil {
			return store.MapError(err)
		}
		return store.EachRow(rows, fn)
	})
}

// FindTargetsUnscoped returns the stored targets with these keys.
func (s *vulnStore) FindTargetsUnscoped(ctx context.Context, keys []string) (map[string]vuln.TargetRow, error) {
	out := make(map[string]vuln.TargetRow, len(keys))
	err := eachIn(ctx, s.tx, `SELECT id, key, detail, COALESCE(ci_id, 0), updated_at FROM finding_targets WHERE key IN %s`, nil, keys,
		func(sc store.Scanner) error {
			var r vuln.TargetRow
			var detail string
			if err := sc.Scan(&r.ID, &r.Key, &detail, &r.CIID, store.ScanTime(&r.At)); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(detail), &r.Target); err != nil {
				return fmt.Errorf("target %s: %w", r.Key, err)
			}
			out[r.Key] = r
			return nil
		})
	return out, err
}

// InsertTargets stores new targets and sets their ids.
func (s *vulnStore) InsertTargets(ctx context.Context, ts []*vuln.TargetRow) error {
	if len(ts) == 0 {
		return nil
	}
	byKey := make(map[string]*vuln.TargetRow, len(ts))
	details := make([][]byte, len(ts))
	for i, t := range ts {
		byKey[t.Key] = t
		d, err := json.Marshal(t.Target)
		if err != nil {
			return fmt.Errorf("target %s: %w", t.Key, err)
		}
		details[i] = d
	}
	in := s.tx.NewInserter("finding_targets", []string{"key", "kind", "name", "detail", "ci_id", "created_at", "updated_at"},
		&store.IDSink{
			Returning: " RETURNING id, key",
			Scan: func(sc store.Scanner) error {
				var id int64
				var key string
				if err := sc.Scan(&id, &key); err != nil {
					return err
				}
				if t := byKey[key]; t != nil {
					t.ID = id
				}
				return nil
			},
			Set: func(i int, id int64) { ts[i].ID = id },
		})
	defer in.Close()
	return in.Run(ctx, len(ts), func(i int, dst []any) []any {
		t := ts[i]
		return append(dst, t.Key, string(t.Target.Kind), t.Target.Name, string(details[i]), nullID(t.CIID), store.At(t.At), store.At(t.At))
	})
}

// UpdateTargetCIs writes each target's CI.
func (s *vulnStore) UpdateTargetCIs(ctx context.Context, ts []*vuln.TargetRow) error {
	for _, t := range ts {
		if _, err := s.tx.Exec(ctx, `UPDATE finding_targets SET ci_id = $1, updated_at = $2 WHERE id = $3`,
			nullID(t.CIID), store.At(t.At), t.ID); err != nil {
			return err
		}
	}
	return nil
}

// RecordScans replaces the last scan of each target by each scanner.
func (s *vulnStore) RecordScans(ctx context.Context, scans []vuln.Scan) error {
	if len(scans) == 0 {
		return nil
	}
	st, err := s.tx.Prepare(ctx, `INSERT INTO finding_scans (target_id, scanner, import_id, scanned_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (target_id, scanner) DO UPDATE SET import_id = excluded.import_id, scanned_at = excluded.scanned_at`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, sc := range scans {
		if _, err := st.ExecContext(ctx, sc.TargetID, sc.Scanner, sc.ImportID, store.At(sc.At)); err != nil {
			return store.MapError(err)
		}
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

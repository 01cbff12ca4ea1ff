package cmdbstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/store"
)

// scratchSchema keeps a strict import check's CIs as JSON by id, and which
// CI holds each identifier.
const scratchSchema = `CREATE TABLE ci (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE holder (kind TEXT NOT NULL, value TEXT NOT NULL, ci_id INTEGER NOT NULL, PRIMARY KEY (kind, value)) WITHOUT ROWID;`

// scratchBatch is how many values one lookup carries, as Dialect.InBatch
// for SQLite.
const scratchBatch = 200

// OpenScratch opens a cmdb.Scratch on disk (store.OpenScratch), so a
// strict import's check of a file of any size costs disk, not memory. Use
// it with cmdb.Service.WithScratch.
func OpenScratch() (cmdb.Scratch, error) {
	s, err := store.OpenScratch(context.Background(), scratchSchema)
	if err != nil {
		return nil, err
	}
	return &scratch{s: s}, nil
}

type scratch struct{ s *store.Scratch }

// scratchCI is a CI as kept: its JSON leaves out the internal ids.
type scratchCI struct {
	CI                          *cmdb.CI
	ID, OwnerID, SupportGroupID int64
}

func (sc *scratch) Holders(ctx context.Context, ids []cmdb.IdentifierValue) (map[cmdb.IdentifierValue]int64, error) {
	out := map[cmdb.IdentifierValue]int64{}
	byKind := map[cmdb.IdentifierKind][]string{}
	for _, v := range ids {
		byKind[v.Kind] = append(byKind[v.Kind], v.Value)
	}
	for kind, values := range byKind {
		for start := 0; start < len(values); start += scratchBatch {
			batch := values[start:min(start+scratchBatch, len(values))]
			args := make([]any, 0, len(batch)+1)
			args = append(args, string(kind))
			for _, v := range batch {
				args = append(args, v)
			}
			rows, err := sc.s.DB.QueryContext(ctx, `SELECT value, ci_id FROM holder WHERE kind = ? AND value IN (`+
				placeholders(len(batch))+`)`, args...)
			if err != nil {
				return nil, fmt.Errorf("scratch holders: %w", err)
			}
			err = store.EachRow(rows, func(s store.Scanner) error {
				var value string
				var id int64
				if err := s.Scan(&value, &id); err != nil {
					return err
				}
				out[cmdb.IdentifierValue{Kind: kind, Value: value}] = id
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("scratch holders: %w", err)
			}
		}
	}
	return out, nil
}

func (sc *scratch) CIs(ctx context.Context, ids []int64) (map[int64]*cmdb.CI, error) {
	out := make(map[int64]*cmdb.CI, len(ids))
	for start := 0; start < len(ids); start += scratchBatch {
		batch := ids[start:min(start+scratchBatch, len(ids))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := sc.s.DB.QueryContext(ctx, `SELECT body FROM ci WHERE id IN (`+placeholders(len(batch))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("scratch CIs: %w", err)
		}
		err = store.EachRow(rows, func(s store.Scanner) error {
			var body []byte
			if err := s.Scan(&body); err != nil {
				return err
			}
			var k scratchCI
			if err := json.Unmarshal(body, &k); err != nil {
				return err
			}
			k.CI.ID, k.CI.OwnerID, k.CI.SupportGroupID = k.ID, k.OwnerID, k.SupportGroupID
			out[k.ID] = k.CI
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("scratch CIs: %w", err)
		}
	}
	return out, nil
}

func (sc *scratch) Put(ctx context.Context, cis []*cmdb.CI) (err error) {
	if len(cis) == 0 {
		return nil
	}
	tx, err := sc.s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("scratch put: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	putCI, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO ci (id, body) VALUES (?, ?)`)
	if err != nil {
		return fmt.Errorf("scratch put: %w", err)
	}
	putHolder, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO holder (kind, value, ci_id) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("scratch put: %w", err)
	}
	for _, ci := range cis {
		body, err := json.Marshal(scratchCI{CI: ci, ID: ci.ID, OwnerID: ci.OwnerID, SupportGroupID: ci.SupportGroupID})
		if err != nil {
			return fmt.Errorf("scratch put %s: %w", ci.Name, err)
		}
		if _, err := putCI.ExecContext(ctx, ci.ID, body); err != nil {
			return fmt.Errorf("scratch put: %w", err)
		}
		for _, v := range ci.Identifiers.Values() {
			if _, err := putHolder.ExecContext(ctx, string(v.Kind), v.Value, ci.ID); err != nil {
				return fmt.Errorf("scratch put: %w", err)
			}
		}
	}
	return tx.Commit()
}

func (sc *scratch) Close() error { return sc.s.Close() }

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

var _ cmdb.Scratch = (*scratch)(nil)

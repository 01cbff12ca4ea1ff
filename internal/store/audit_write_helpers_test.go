package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/store"
)

// A table of the tests' own stands for a domain record, so the audited
// write measured here does not depend on any practice's schema.
const benchTable = `CREATE TABLE bench_records (key TEXT PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)`

func createBenchTable(tb testing.TB, db *store.DB) {
	tb.Helper()
	if _, err := db.SQL().Exec(benchTable); err != nil {
		tb.Fatal(err)
	}
}

type benchRecord struct {
	Key  string `json:"key"`
	Body string `json:"body"`
}

// write is one audited unit of work: optionally a human key from the
// counter of kind, one record, and optionally its audit entry.
type write struct {
	keyKind string // "" = no counter: key is given
	audited bool
}

func (w write) do(ctx context.Context, db *store.DB, key string) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		if w.keyKind != "" {
			n, err := tx.NextKeys(ctx, w.keyKind, 1)
			if err != nil {
				return err
			}
			key = fmt.Sprintf("%s-%d", w.keyKind, n)
		}
		rec := benchRecord{Key: key, Body: "a configuration item of ordinary size, with a name, an owner and a few attributes"}
		if _, err := tx.Exec(ctx, `INSERT INTO bench_records (key, body, created_at) VALUES ($1, $2, $3)`, rec.Key, rec.Body, store.At(tx.Now())); err != nil {
			return err
		}
		if !w.audited {
			return nil
		}
		return tx.Audit().Append(audit.Record{Actor: "bench", Action: audit.ActionCreate, Kind: "bench", Key: rec.Key, After: rec})
	})
}

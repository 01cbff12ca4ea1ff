package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// benchBody is a small record: about the size of a stored raw alert.
var benchBody = strings.Repeat("x", 600)

// BenchmarkInsertCeiling is what the engine can write at best for a small
// record: 1,000 rows per transaction from one goroutine, either through
// one prepared one-row INSERT run for each row, or through the bulk
// inserter (multi-row VALUES). BenchmarkGroupCommit compares against it.
//
//	RAMPART_TEST_POSTGRES=postgres://... go test ./internal/store -run '^$' -bench 'InsertCeiling|GroupCommit' -benchtime 20000x
func BenchmarkInsertCeiling(b *testing.B) {
	const perTx = 1000
	for _, backend := range storetest.Backends(b) {
		for _, how := range []string{"prepared-one-row", "multi-row"} {
			b.Run(backend+"/"+how, func(b *testing.B) {
				db := storetest.Open(b, backend)
				createItemTable(b, db)
				ctx := context.Background()
				var next int64
				b.ResetTimer()
				for done := 0; done < b.N; done += perTx {
					n := min(perTx, b.N-done)
					err := db.InTxAlone(ctx, func(tx *store.Tx) error {
						if how == "multi-row" {
							in := tx.NewInserter("gc_item", []string{"id", "body"}, nil)
							defer in.Close()
							return in.Run(ctx, n, func(i int, dst []any) []any { return append(dst, next+int64(i), benchBody) })
						}
						st, err := tx.Prepare(ctx, `INSERT INTO gc_item (id, body) VALUES ($1, $2)`)
						if err != nil {
							return err
						}
						defer st.Close()
						for i := range n {
							if _, err := st.ExecContext(ctx, next+int64(i), benchBody); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
					next += int64(n)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// BenchmarkGroupCommit submits small records through a Group, each
// producer waiting for its answer (the commit) before sending the next,
// as an HTTP intake handler would. "batch-audit" adds the one audit entry
// per batch that machine intake records (counts and a hash over the raw
// records).
func BenchmarkGroupCommit(b *testing.B) {
	for _, backend := range storetest.Backends(b) {
		for _, v := range []struct {
			producers int
			audited   bool
			wait      time.Duration
			commit    int // committers (PostgreSQL)
		}{{1, false, 0, 0}, {8, false, 0, 0}, {64, false, 0, 0}, {256, false, 0, 0}, {64, true, 0, 0},
			{8, false, -1, 0}, {64, false, -1, 0}, {64, false, 5 * time.Millisecond, 0}, {64, false, 0, 1}, {64, false, 0, 4}, {256, false, 0, 4}} {
			if v.commit > 0 && backend == "sqlite" {
				continue
			}
			name := fmt.Sprintf("%s/producers=%d", backend, v.producers)
			if v.audited {
				name += "/batch-audit"
			}
			if v.wait != 0 {
				name += "/wait=" + max(0, v.wait).String()
			}
			if v.commit > 0 {
				name += fmt.Sprintf("/committers=%d", v.commit)
			}
			b.Run(name, func(b *testing.B) {
				db := storetest.Open(b, backend)
				createItemTable(b, db)
				var batches atomic.Int64
				apply := func(ctx context.Context, tx *store.Tx, items []item) ([]int64, error) {
					batches.Add(1)
					ids, err := insertBodies(ctx, tx, items)
					if err != nil || !v.audited {
						return ids, err
					}
					h := sha256.New()
					for _, it := range items {
						h.Write([]byte(it.Body))
					}
					return ids, tx.Audit().Append(audit.Record{Actor: "intake", Action: "ingest", Kind: "batch",
						Key: fmt.Sprintf("%d items %x", len(items), h.Sum(nil)[:8])})
				}
				grp := store.NewGroup(store.Bind(db, plainTx), apply, store.GroupOptions{MaxWait: v.wait, Committers: v.commit})
				defer grp.Close()
				var seq atomic.Int64
				b.ResetTimer()
				var wg sync.WaitGroup
				for range v.producers {
					wg.Go(func() {
						for {
							id := seq.Add(1)
							if id > int64(b.N) {
								return
							}
							if _, err := grp.Submit(context.Background(), item{ID: id, Body: benchBody}); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
				b.ReportMetric(float64(b.N)/float64(max(1, batches.Load())), "items/batch")
			})
		}
	}
}

// insertBodies writes a batch of records through the bulk inserter.
func insertBodies(ctx context.Context, tx *store.Tx, items []item) ([]int64, error) {
	in := tx.NewInserter("gc_item", []string{"id", "body"}, nil)
	defer in.Close()
	err := in.Run(ctx, len(items), func(i int, dst []any) []any { return append(dst, items[i].ID, items[i].Body) })
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids, err
}

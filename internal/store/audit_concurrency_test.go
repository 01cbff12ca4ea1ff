package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// Concurrent units of work each take a human key and append an audit
// entry. The two locks (the key counter row, the chain head row) must
// leave a chain that verifies and keys with neither gaps nor duplicates.
// On PostgreSQL the writers really overlap. The second case takes no key,
// so only the head lock orders the writers: without it two of them chain
// onto the same previous entry and collide on seq.
func TestConcurrentAuditedWritesKeepChainAndKeys(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    write
	}{
		{"key and audit", write{keyKind: "CONC", audited: true}},
		{"audit only", write{audited: true}},
	} {
		t.Run(tc.name, func(t *testing.T) { concurrentAuditedWrites(t, tc.w) })
	}
}

func concurrentAuditedWrites(t *testing.T, w write) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const writers, each = 8, 50
		createBenchTable(t, db)
		ctx := context.Background()
		var seq atomic.Int64
		var wg sync.WaitGroup
		errc := make(chan error, writers)
		for range writers {
			wg.Go(func() {
				for range each {
					if err := w.do(ctx, db, fmt.Sprintf("CONC-%d", seq.Add(1))); err != nil {
						errc <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		var entries int64
		var auditKeys []string
		err := db.View(ctx, func(tx *store.Tx) error {
			var err error
			if entries, err = audit.Verify(ctx, tx.AuditLog()); err != nil {
				return err
			}
			return tx.AuditLog().EachEntry(ctx, func(e audit.Entry) error { auditKeys = append(auditKeys, e.Key); return nil })
		})
		if err != nil {
			t.Fatalf("verify after concurrent writes: %v", err)
		}
		if entries != writers*each {
			t.Errorf("chain holds %d entries, want %d", entries, writers*each)
		}
		rows, err := db.SQL().Query(`SELECT key FROM bench_records`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var keys []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
		want := make([]string, writers*each)
		for i := range want {
			want[i] = fmt.Sprintf("CONC-%d", i+1)
		}
		slices.Sort(want)
		slices.Sort(keys)
		slices.Sort(auditKeys)
		if !slices.Equal(keys, want) || !slices.Equal(auditKeys, want) {
			t.Errorf("keys are not CONC-1..CONC-%d without gaps: %d records, %d audit entries", len(want), len(keys), len(auditKeys))
		}
	})
}

package store_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// BenchmarkAuditedWrite measures audited writes per second through the
// two serialisation points every audited write passes: the human key
// counter row (tx.NextKeys) and the audit chain head row (locked at
// commit). Each operation is one unit of work: a key, one record, one
// audit entry. Variants without the key or the audit entry show what each
// lock costs when writers run concurrently.
//
//	RAMPART_TEST_POSTGRES=postgres://... go test ./internal/store -run '^$' -bench AuditedWrite -benchtime 3s
func BenchmarkAuditedWrite(b *testing.B) {
	variants := []struct {
		name    string
		w       write
		writers int
	}{
		{"1writer/key+record+audit", write{keyKind: "BENCH", audited: true}, 1},
		{"8writers/key+record+audit", write{keyKind: "BENCH", audited: true}, 8},
		{"8writers/record+audit", write{audited: true}, 8},
		{"8writers/record", write{}, 8},
	}
	for _, backend := range storetest.Backends(b) {
		for _, v := range variants {
			b.Run(backend+"/"+v.name, func(b *testing.B) {
				db := storetest.Open(b, backend)
				createBenchTable(b, db)
				benchWrites(b, db, v.w, v.writers)
			})
		}
	}
}

func benchWrites(b *testing.B, db *store.DB, w write, writers int) {
	ctx := context.Background()
	var seq atomic.Int64
	next := func() string { return fmt.Sprintf("REC-%d", seq.Add(1)) }
	if writers == 1 {
		for b.Loop() {
			if err := w.do(ctx, db, next()); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		b.ResetTimer()
		// RunParallel starts parallelism × GOMAXPROCS goroutines.
		b.SetParallelism(max(1, (writers+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0)))
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := w.do(ctx, db, next()); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
	b.StopTimer()
	checkChain(b, db, w.audited, b.N)
}

// checkChain makes a benchmark fail if what it measured was not correct.
func checkChain(b *testing.B, db *store.DB, audited bool, n int) {
	b.Helper()
	if !audited {
		return
	}
	var total int64
	err := db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		total, err = audit.Verify(context.Background(), tx.AuditLog())
		return err
	})
	if err != nil {
		b.Fatalf("chain after benchmark: %v", err)
	}
	if total != int64(n) {
		b.Fatalf("chain holds %d entries after %d audited writes", total, n)
	}
}

package jobs_test

import (
	"context"
	"testing"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// BenchmarkRunner measures jobs processed per second by one runner with a
// handler that does nothing: the cost of claiming and recording outcomes.
// The jobs are enqueued before the timer starts.
//
//	RAMPART_TEST_POSTGRES=postgres://... go test ./internal/jobs -run '^$' -bench Runner -benchtime 2000x
func BenchmarkRunner(b *testing.B) {
	for _, backend := range storetest.Backends(b) {
		b.Run(backend, func(b *testing.B) {
			db := storetest.Open(b, backend)
			ctx := context.Background()
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for range b.N {
					if _, err := jobstore.Bind(tx).Jobs().Enqueue(ctx, jobs.NewJob{Kind: "noop"}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			r := jobs.NewRunner(store.Bind(db, jobstore.Bind), clock.Real{}, "bench")
			r.Handle("noop", func(context.Context, jobs.Job) error { return nil })
			b.ResetTimer()
			for done := 0; done < b.N; {
				n, err := r.RunOnce(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					b.Fatalf("runner found nothing after %d of %d jobs", done, b.N)
				}
				done += n
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}

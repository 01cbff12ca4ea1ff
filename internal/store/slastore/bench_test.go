package slastore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/sla"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/slastore"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// benchClocks is how many running clocks the poller benchmark keeps.
const benchClocks = 100_000

// BenchmarkPoll measures one poller pass over 100,000 running clocks
// (the target: under a second), with none, 1% and all of them
// due. Each due clock costs an UPDATE and raises one warning (a job row).
// The clocks are restored from a copy before every pass.
//
//	RAMPART_TEST_POSTGRES=postgres://... go test ./internal/store/slastore -run '^$' -bench Poll -benchtime 3x
func BenchmarkPoll(b *testing.B) {
	const spacing = 10 * time.Millisecond // between clock starts
	base := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	firstWarn := base.Add(2 * time.Hour) // 50% of the 4h P1 resolution target
	for _, backend := range storetest.Backends(b) {
		b.Run(backend, func(b *testing.B) {
			clk := clock.NewFake(base)
			db := storetest.OpenWithClock(b, backend, clk)
			seedClocks(b, db, base, spacing)
			for _, sc := range []struct {
				name string
				due  int
			}{{"none-due", 0}, {"1pct-due", benchClocks / 100}, {"all-due", benchClocks}} {
				b.Run(sc.name, func(b *testing.B) {
					restore := func() {
						restoreClocks(b, db)
						if backend == "sqlite" { // leave no restored rows in the WAL for the pass to checkpoint
							exec(b, db, `PRAGMA wal_checkpoint(TRUNCATE)`)
						}
					}
					svc := newService(db)
					now := firstWarn.Add(time.Duration(sc.due-1) * spacing)
					if sc.due == 0 {
						now = firstWarn.Add(-time.Second)
					}
					var res sla.PollResult
					for b.Loop() {
						b.StopTimer()
						restore()
						clk.Set(now)
						b.StartTimer()
						var err error
						if res, err = svc.Poll(context.Background()); err != nil {
							b.Fatal(err)
						}
					}
					if res.Warnings != sc.due {
						b.Fatalf("raised %d warnings, want %d", res.Warnings, sc.due)
					}
					b.ReportMetric(float64(res.Warnings), "events/pass")
					b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/pass")
				})
			}
		})
	}
}

// seedClocks stores benchClocks running P1 resolution clocks started
// spacing apart from base, and keeps a copy to restore them from.
func seedClocks(b *testing.B, db *store.DB, base time.Time, spacing time.Duration) {
	ctx := context.Background()
	rule := sla.Rule{Cal: sla.MustCompile(sla.Schedule{Name: "24x7", TimeZone: "UTC", Hours: sla.AlwaysOn()}),
		Def: sla.Definition{ID: 2, Name: "P1 resolution", Kind: sla.KindSLA, Target: sla.TargetResolution,
			Duration: 4 * time.Hour, Warnings: []int{50, 75, 90}}}
	bound := store.Bind(db, slastore.Bind)
	const chunk = 10_000
	for from := 0; from < benchClocks; from += chunk {
		clocks := make([]*sla.Clock, chunk)
		for i := range clocks {
			c := sla.Start(rule, "incident", int64(from+i+1), "", base.Add(time.Duration(from+i)*spacing))
			clocks[i] = &c
		}
		if err := bound.InTxAlone(ctx, func(tx sla.Tx) error { return tx.SLA().SaveClocks(ctx, clocks) }); err != nil {
			b.Fatal(err)
		}
	}
	exec(b, db, `CREATE TABLE sla_clocks_bench AS SELECT * FROM sla_clocks`)
}

// restoreClocks puts the seeded clocks back and drops the events.
func restoreClocks(b *testing.B, db *store.DB) {
	exec(b, db, `DELETE FROM sla_clocks`)
	exec(b, db, `INSERT INTO sla_clocks SELECT * FROM sla_clocks_bench`)
	exec(b, db, `DELETE FROM jobs`)
	exec(b, db, `ANALYZE`)
}

func exec(b *testing.B, db *store.DB, q string) {
	b.Helper()
	if _, err := db.SQL().ExecContext(context.Background(), q); err != nil {
		b.Fatal(fmt.Errorf("%s: %w", q, err))
	}
}

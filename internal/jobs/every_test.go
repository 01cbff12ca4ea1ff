package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// Replicas that all declare the same recurring job keep one instance of
// it, run it once per interval, and never pile up rows.
func TestEveryKeepsOneInstanceAcrossReplicas(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		const replicas = 4
		var runs atomic.Int32
		var rigs []*rig
		for i := range replicas {
			g := newRig(t, db, clk, fmt.Sprintf("replica-%d", i))
			g.runner.Handle("purge", func(context.Context, jobs.Job) error { runs.Add(1); return nil })
			g.runner.Every("purge", 10*time.Minute)
			rigs = append(rigs, g)
		}
		tick := func() int32 {
			t.Helper()
			before := runs.Load()
			var wg sync.WaitGroup
			for _, g := range rigs {
				wg.Go(func() {
					if _, err := g.runner.RunOnce(context.Background()); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			return runs.Load() - before
		}
		if n := tick(); n != 1 {
			t.Fatalf("first tick ran purge %d times, want 1", n)
		}
		clk.Advance(10*time.Minute - time.Microsecond)
		if n := tick(); n != 0 {
			t.Fatalf("ran %d times before the interval passed", n)
		}
		clk.Advance(time.Microsecond)
		if n := tick(); n != 1 {
			t.Fatalf("after the interval ran %d times, want 1", n)
		}
		all := rigs[0].all(t)
		if len(all) != 1 || all[0].Status != jobs.StatusQueued || !all[0].RunAt.Equal(clk.Now().Add(10*time.Minute)) || all[0].Attempts != 0 {
			t.Errorf("jobs table = %+v, want the one instance queued for the next interval", all)
		}
	})
}

// A recurring job that dies is kept for admins, and a fresh instance takes
// its place so the schedule goes on.
func TestEveryReplacesADeadInstance(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		fail := true
		g.runner.Handle("sync", func(context.Context, jobs.Job) error {
			if fail {
				return errors.New("upstream down")
			}
			return nil
		})
		g.runner.Every("sync", time.Hour)
		for range jobs.DefaultMaxAttempts {
			g.runOnce(t)
			clk.Advance(2 * time.Hour)
		}
		fail = false
		if n := g.runOnce(t); n != 1 {
			t.Fatalf("fresh instance not run: %d", n)
		}
		var statuses []jobs.Status
		for _, j := range g.all(t) {
			statuses = append(statuses, j.Status)
		}
		if fmt.Sprint(statuses) != "[queued dead]" {
			t.Errorf("statuses newest first = %v, want [queued dead]", statuses)
		}
	})
}

// Enqueue with a unique key admits one waiting job per key.
func TestUniqueKeyAdmitsOneWaitingJob(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		g.runner.Handle("reindex", func(context.Context, jobs.Job) error { return nil })
		first := g.enqueue(t, jobs.NewJob{Kind: "reindex", UniqueKey: "reindex:cis"})
		if again := g.enqueue(t, jobs.NewJob{Kind: "reindex", UniqueKey: "reindex:cis"}); first == 0 || again != 0 {
			t.Fatalf("ids = %d, %d; want the second refused (0)", first, again)
		}
		g.runOnce(t)
		if j := g.job(t, first); j.Status != jobs.StatusDone || j.UniqueKey != "" {
			t.Fatalf("done job = %+v, want its key released", j)
		}
		if next := g.enqueue(t, jobs.NewJob{Kind: "reindex", UniqueKey: "reindex:cis"}); next == 0 {
			t.Error("key not reusable after the job was done")
		}
	})
}

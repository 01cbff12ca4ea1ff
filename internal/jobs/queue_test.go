package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// A job stuck in its own queue (a webhook that does not answer) does not
// hold up jobs of another queue (an SLA check): each queue has its loop.
func TestSlowQueueDoesNotHoldUpAnother(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		webhook := jobs.Kind{Name: "notify.webhook", Queue: "webhooks"}
		sla := jobs.Kind{Name: "sla.check"}
		entered, release, checked := make(chan struct{}), make(chan struct{}), make(chan struct{})
		g.runner.HandleKind(webhook, func(context.Context, jobs.Job) error {
			close(entered)
			<-release
			return nil
		})
		g.runner.HandleKind(sla, func(context.Context, jobs.Job) error { close(checked); return nil })
		if got := g.runner.Queues(); len(got) != 2 || got[0] != jobs.DefaultQueue || got[1] != "webhooks" {
			t.Fatalf("queues = %v", got)
		}
		hook := g.enqueue(t, webhook.Job(nil))
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan error, 1)
		go func() { stopped <- g.runner.Run(ctx) }()
		defer func() {
			cancel()
			<-stopped
		}()
		defer close(release)
		wait(t, entered, "the webhook job to start")
		check := g.enqueue(t, sla.Job(nil))
		wait(t, checked, "the SLA check to run while the webhook is stuck")
		if j := g.job(t, hook); j.Status != jobs.StatusRunning || j.Queue != "webhooks" {
			t.Errorf("webhook job = %s in %q, want still running in its queue", j.Status, j.Queue)
		}
		if j := g.job(t, check); j.Queue != jobs.DefaultQueue {
			t.Errorf("SLA check queued in %q", j.Queue)
		}
	})
}

// wait fails the test when ch is not closed in a long while: a guard
// against hanging, not a measure of time.
func wait(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// countingTransactor counts write transactions.
type countingTransactor struct {
	jobs.Transactor
	writes atomic.Int64
}

func (c *countingTransactor) InTx(ctx context.Context, fn func(jobs.Tx) error) error {
	c.writes.Add(1)
	return c.Transactor.InTx(ctx, fn)
}

// An idle runner only reads: tick after tick with nothing due (a recurring
// job's instance waiting for its hour included), it opens no write
// transaction. Work that comes due is still done.
func TestIdleRunnerOpensNoWriteTransactions(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ct := &countingTransactor{Transactor: bind(db)}
		r := jobs.NewRunner(ct, clk, "idle")
		var runs atomic.Int32
		r.Handle("hourly", func(context.Context, jobs.Job) error { runs.Add(1); return nil })
		r.HandleKind(jobs.Kind{Name: "hook", Queue: "webhooks"}, func(context.Context, jobs.Job) error { runs.Add(1); return nil })
		r.Every("hourly", time.Hour)
		ctx := context.Background()
		if n, err := r.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("first pass processed %d, %v: want the recurring instance scheduled and run", n, err)
		}
		before := ct.writes.Load()
		const ticks = 20
		for range ticks {
			clk.Advance(r.PollInterval / 10)
			if n, err := r.RunOnce(ctx); err != nil || n != 0 {
				t.Fatalf("idle pass processed %d, %v", n, err)
			}
		}
		if w := ct.writes.Load() - before; w != 0 {
			t.Fatalf("%d write transactions over %d idle passes of both queues, want 0", w, ticks)
		}
		clk.Advance(time.Hour)
		if n, err := r.RunOnce(ctx); err != nil || n != 1 || runs.Load() != 2 {
			t.Fatalf("after the hour processed %d (ran %d), %v: want the recurring job again", n, runs.Load(), err)
		}
		newRig(t, db, clk, "other").enqueue(t, jobs.Kind{Name: "hook", Queue: "webhooks"}.Job(nil))
		if n, err := r.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("enqueued job: processed %d, %v", n, err)
		}
	})
}

// Finished jobs are purged once their retention has passed, done and dead
// each after their own, in batches; queued jobs are never purged.
func TestPurgeKeepsFinishedJobsForTheirRetention(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		g.runner.Retention = jobs.Retention{Done: 7 * 24 * time.Hour, Dead: 30 * 24 * time.Hour, Batch: 2}
		g.runner.Handle("ok", func(context.Context, jobs.Job) error { return nil })
		g.runner.Handle("fail", func(context.Context, jobs.Job) error { return errors.New("no") })
		g.runner.BatchSize = 20
		for range 5 {
			g.enqueue(t, jobs.NewJob{Kind: "ok"})
		}
		for range 3 {
			g.enqueue(t, jobs.NewJob{Kind: "fail", MaxAttempts: 1})
		}
		g.runOnce(t)
		g.enqueue(t, jobs.NewJob{Kind: "ok", RunAt: clk.Now().Add(365 * 24 * time.Hour)})
		count := func() map[jobs.Status]int {
			m := map[jobs.Status]int{}
			for _, j := range g.all(t) {
				m[j.Status]++
			}
			return m
		}
		purge := func() int {
			t.Helper()
			n, err := g.runner.Purge(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, step := range []struct {
			advance          time.Duration
			purged           int
			done, dead, left int
		}{
			{7 * 24 * time.Hour, 0, 5, 3, 1}, // exactly the retention: kept
			{time.Second, 5, 0, 3, 1},
			{23 * 24 * time.Hour, 3, 0, 0, 1},
		} {
			clk.Advance(step.advance)
			if n := purge(); n != step.purged {
				t.Errorf("purged %d, want %d", n, step.purged)
			}
			if c := count(); c[jobs.StatusDone] != step.done || c[jobs.StatusDead] != step.dead || c[jobs.StatusQueued] != step.left {
				t.Errorf("after purge: %v, want done %d dead %d queued %d", c, step.done, step.dead, step.left)
			}
		}
	})
}

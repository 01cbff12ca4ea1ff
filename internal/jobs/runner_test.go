package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

type mailPayload struct {
	To string `json:"to"`
}

func TestEnqueueCommitsWithItsUnitOfWork(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		var got []string
		g.runner.Handle("mail", func(_ context.Context, j jobs.Job) error {
			var p mailPayload
			if err := j.Decode(&p); err != nil {
				return err
			}
			got = append(got, p.To)
			return nil
		})
		boom := errors.New("domain write failed")
		err := db.InTx(context.Background(), func(tx *store.Tx) error {
			if _, err := jobstore.Bind(tx).Jobs().Enqueue(context.Background(), jobs.NewJob{Kind: "mail", Payload: mailPayload{"lost@example.com"}}); err != nil {
				return err
			}
			if err := tx.Audit().Append(audit.Record{Actor: "ann", Action: audit.ActionCreate, Kind: "ci", Key: "CI-1"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v", err)
		}
		if js := g.all(t); len(js) != 0 {
			t.Fatalf("rolled-back job was stored: %+v", js)
		}
		id := g.enqueue(t, jobs.NewJob{Kind: "mail", Payload: mailPayload{"ops@example.com"}})
		j := g.job(t, id)
		if j.Status != jobs.StatusQueued || j.Queue != jobs.DefaultQueue || j.MaxAttempts != jobs.DefaultMaxAttempts ||
			!j.RunAt.Equal(clk.Now()) || string(j.Payload) != `{"to":"ops@example.com"}` {
			t.Errorf("stored job = %+v", j)
		}
		if n := g.runOnce(t); n != 1 || len(got) != 1 || got[0] != "ops@example.com" {
			t.Fatalf("processed %d, handled %v", n, got)
		}
		if j := g.job(t, id); j.Status != jobs.StatusDone || j.Attempts != 1 || j.LockedBy != "" {
			t.Errorf("after run: %+v", j)
		}
		if n := g.runOnce(t); n != 0 {
			t.Errorf("done job ran again: %d", n)
		}
	})
}

func TestEnqueueRejectsBadJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tests := []struct {
			name, field string
			j           jobs.NewJob
		}{
			{"no kind", "kind", jobs.NewJob{}},
			{"negative attempts", "max_attempts", jobs.NewJob{Kind: "x", MaxAttempts: -1}},
			{"payload", "payload", jobs.NewJob{Kind: "x", Payload: func() {}}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := db.InTx(context.Background(), func(tx *store.Tx) error {
					_, err := jobstore.Bind(tx).Jobs().Enqueue(context.Background(), tc.j)
					return err
				})
				e, ok := errs.As(err)
				if !ok || e.Kind != errs.Invalid || e.Fields[0].Field != tc.field {
					t.Errorf("err = %v, want invalid %s", err, tc.field)
				}
			})
		}
	})
}

func TestRunAtInTheFutureWaits(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		g.runner.Handle("later", func(context.Context, jobs.Job) error { return nil })
		g.enqueue(t, jobs.NewJob{Kind: "later", RunAt: clk.Now().Add(time.Hour)})
		if n := g.runOnce(t); n != 0 {
			t.Fatalf("ran %d jobs an hour early", n)
		}
		clk.Advance(time.Hour)
		if n := g.runOnce(t); n != 1 {
			t.Fatalf("ran %d jobs when due", n)
		}
	})
}

// Retries back off exponentially: base·2^attempts with equal jitter
// (half fixed, half scaled by the jitter, fixed at 0.5 here).
func TestFailedJobRetriesWithBackoff(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		failures := 2
		g.runner.Handle("flaky", func(context.Context, jobs.Job) error {
			if failures > 0 {
				failures--
				return errors.New("smtp: connection refused")
			}
			return nil
		})
		id := g.enqueue(t, jobs.NewJob{Kind: "flaky"})
		// attempt 1 fails: 10s·2^1 = 20s → 10s + 0.5·10s = 15s
		// attempt 2 fails: 10s·2^2 = 40s → 20s + 0.5·20s = 30s
		for attempt, wait := range []time.Duration{15 * time.Second, 30 * time.Second} {
			failedAt := clk.Now()
			if n := g.runOnce(t); n != 1 {
				t.Fatalf("attempt %d: processed %d", attempt+1, n)
			}
			j := g.job(t, id)
			if j.Status != jobs.StatusQueued || j.Attempts != attempt+1 || !j.RunAt.Equal(failedAt.Add(wait)) ||
				j.LastError != "smtp: connection refused" || j.LockedBy != "" || !j.LockedUntil.IsZero() {
				t.Fatalf("after attempt %d: %+v, want queued until +%s", attempt+1, j, wait)
			}
			clk.Advance(wait - time.Microsecond)
			if n := g.runOnce(t); n != 0 {
				t.Fatalf("retried %s early", time.Microsecond)
			}
			clk.Advance(time.Microsecond)
		}
		if n := g.runOnce(t); n != 1 {
			t.Fatal("third attempt did not run")
		}
		if j := g.job(t, id); j.Status != jobs.StatusDone || j.Attempts != 3 {
			t.Errorf("after success: %+v", j)
		}
		if warns := g.logs.at(slogWarn); len(warns) != 2 {
			t.Errorf("retries logged at WARN: %v", warns)
		}
		if got := g.counters(t, "rampart_jobs_processed_total"); got != `{kind="flaky",outcome="done"} 1; {kind="flaky",outcome="retry"} 2` {
			t.Errorf("processed counters: %s", got)
		}
	})
}

func TestBackoffIsCapped(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		g.runner.BackoffMax = time.Minute
		g.runner.Jitter = func() float64 { return 0 }
		g.runner.Handle("down", func(context.Context, jobs.Job) error { return errors.New("down") })
		id := g.enqueue(t, jobs.NewJob{Kind: "down", MaxAttempts: 30})
		for range 12 { // 10s·2^12 would be 11 h
			g.runOnce(t)
			clk.Advance(time.Minute)
		}
		failedAt := clk.Now().Add(-time.Minute)
		if j := g.job(t, id); j.Attempts != 12 || !j.RunAt.Equal(failedAt.Add(30*time.Second)) {
			t.Errorf("after 12 attempts: attempts %d, run_at %s, want %s (half the 1m cap at jitter 0)", j.Attempts, j.RunAt, failedAt.Add(30*time.Second))
		}
	})
}

func TestJobGoesDeadAfterMaxAttempts(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		g.runner.Handle("webhook", func(context.Context, jobs.Job) error { return errors.New("HTTP 500 from receiver") })
		id := g.enqueue(t, jobs.NewJob{Kind: "webhook", MaxAttempts: 3})
		for attempt := 1; attempt <= 3; attempt++ {
			if n := g.runOnce(t); n != 1 {
				t.Fatalf("attempt %d: processed %d", attempt, n)
			}
			clk.Advance(time.Hour) // past any backoff
		}
		j := g.job(t, id)
		if j.Status != jobs.StatusDead || j.Attempts != 3 || j.LastError != "HTTP 500 from receiver" {
			t.Fatalf("after 3 failures: %+v", j)
		}
		if n := g.runOnce(t); n != 0 {
			t.Fatalf("dead job ran again")
		}
		if errors := g.logs.at(slogError); len(errors) != 1 || !strings.Contains(errors[0], "dead") {
			t.Errorf("logged at ERROR: %v", errors)
		}
		if got := g.counters(t, "rampart_jobs_dead_total"); got != `{kind="webhook"} 1` {
			t.Errorf("dead counter: %s", got)
		}
		if got := g.counters(t, "rampart_jobs_processed_total"); got != `{kind="webhook",outcome="dead"} 1; {kind="webhook",outcome="retry"} 2` {
			t.Errorf("processed counters: %s", got)
		}
		dead, err := jobs.NewService(bind(db)).FindJobs(context.Background(), admin, "dead", 0)
		if err != nil || len(dead) != 1 || dead[0].ID != id {
			t.Errorf("admin's dead list = %+v, %v", dead, err)
		}
	})
}

// A runner that dies holding a claim leaves a lease that expires; then
// another runner claims the job again, and the dead runner's late report
// changes nothing.
func TestExpiredLeaseIsClaimedAgain(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "survivor")
		ran := 0
		g.runner.Handle("report", func(context.Context, jobs.Job) error { ran++; return nil })
		id := g.enqueue(t, jobs.NewJob{Kind: "report"})
		var crashed []jobs.Job
		err := db.InTx(context.Background(), func(tx *store.Tx) error {
			var err error
			crashed, err = jobstore.Bind(tx).Jobs().Claim(context.Background(), jobs.Claim{Queue: jobs.DefaultQueue, Worker: "crashed", Now: clk.Now(), Lease: g.runner.Lease, Limit: 10})
			return err
		})
		if err != nil || len(crashed) != 1 || crashed[0].LockedBy != "crashed" || !crashed[0].LockedUntil.Equal(clk.Now().Add(g.runner.Lease)) {
			t.Fatalf("claim = %+v, %v", crashed, err)
		}
		if n := g.runOnce(t); n != 0 {
			t.Fatal("job claimed while its lease holds")
		}
		clk.Advance(g.runner.Lease - time.Microsecond)
		if n := g.runOnce(t); n != 0 {
			t.Fatal("job claimed before its lease expired")
		}
		clk.Advance(time.Microsecond)
		if n := g.runOnce(t); n != 1 || ran != 1 {
			t.Fatalf("after lease expiry: processed %d, ran %d", n, ran)
		}
		if j := g.job(t, id); j.Status != jobs.StatusDone || j.Attempts != 2 {
			t.Errorf("job = %+v, want done after 2 attempts", j)
		}
		err = db.InTx(context.Background(), func(tx *store.Tx) error {
			held, err := jobstore.Bind(tx).Jobs().Release(context.Background(), jobs.Release{ID: id, Worker: "crashed", Attempt: 1, Attempts: 1,
				Status: jobs.StatusDead, Error: "late", Now: clk.Now(), RunAt: clk.Now()})
			if held {
				t.Error("the crashed runner's late release was applied")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if j := g.job(t, id); j.Status != jobs.StatusDone {
			t.Errorf("late release changed the job: %+v", j)
		}
	})
}

func TestHandlerFailuresOfEveryShape(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	tests := []struct {
		name    string
		kind    string
		handler jobs.Handler
		wantErr string
	}{
		{"panic", "panics", func(context.Context, jobs.Job) error { panic("nil map write") }, "handler panicked: nil map write"},
		{"respects timeout", "slow", func(ctx context.Context, _ jobs.Job) error { <-ctx.Done(); return ctx.Err() }, "did not finish within 1ms"},
		{"ignores timeout", "stuck", func(context.Context, jobs.Job) error { <-release; return nil }, "did not finish within 1ms"},
		{"unknown kind", "nobody-handles-this", nil, `no handler is registered for job kind "nobody-handles-this"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
				g := newRig(t, db, clk, "w1")
				g.runner.Timeout = time.Millisecond
				if tc.handler != nil {
					g.runner.Handle(tc.kind, tc.handler)
				}
				id := g.enqueue(t, jobs.NewJob{Kind: tc.kind, MaxAttempts: 2})
				n, err := g.runner.RunOnce(context.Background())
				if err != nil || n != 1 {
					t.Fatalf("RunOnce = %d, %v", n, err)
				}
				j := g.job(t, id)
				if j.Status != jobs.StatusQueued || j.Attempts != 1 || !strings.Contains(j.LastError, tc.wantErr) {
					t.Fatalf("job = %+v, want queued for retry with %q", j, tc.wantErr)
				}
			})
		})
	}
}

func TestLeaseMustExceedTimeout(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		g.runner.Lease = g.runner.Timeout
		if _, err := g.runner.RunOnce(context.Background()); !errs.Is(err, errs.Invalid) {
			t.Errorf("RunOnce = %v, want invalid", err)
		}
	})
}

// Runners racing for the same jobs never both run one: SKIP LOCKED on
// PostgreSQL, the single writer on SQLite.
func TestConcurrentRunnersNeverShareAJob(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		const total, runners = 200, 8
		var runs [total + 1]atomic.Int32
		ids := map[int64]bool{}
		err := db.InTx(context.Background(), func(tx *store.Tx) error {
			for i := range total {
				id, err := jobstore.Bind(tx).Jobs().Enqueue(context.Background(), jobs.NewJob{Kind: "count", Payload: i})
				if err != nil {
					return err
				}
				ids[id] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var processed atomic.Int64
		var wg sync.WaitGroup
		errc := make(chan error, runners)
		for w := range runners {
			g := newRig(t, db, clk, fmt.Sprintf("replica-%d", w))
			g.runner.BatchSize = 5
			g.runner.Handle("count", func(_ context.Context, j jobs.Job) error {
				var i int
				if err := j.Decode(&i); err != nil {
					return err
				}
				runs[i+1].Add(1)
				return nil
			})
			wg.Go(func() {
				for {
					n, err := g.runner.RunOnce(context.Background())
					if err != nil {
						errc <- err
						return
					}
					if n == 0 {
						return
					}
					processed.Add(int64(n))
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		if processed.Load() != total {
			t.Errorf("processed %d, want %d", processed.Load(), total)
		}
		for i := 1; i <= total; i++ {
			if n := runs[i].Load(); n != 1 {
				t.Errorf("job %d ran %d times", i-1, n)
			}
		}
		for _, j := range newRig(t, db, clk, "check").all(t) {
			if j.Status != jobs.StatusDone || j.Attempts != 1 {
				t.Errorf("job %d: %s after %d attempts", j.ID, j.Status, j.Attempts)
			}
		}
	})
}

// Run starts work enqueued in this process at once, without waiting for
// its poll interval, and returns when its context ends.
func TestRunWakesOnCommit(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		g.runner.PollInterval = time.Hour
		done := make(chan string, 1)
		g.runner.Handle("ping", func(_ context.Context, j jobs.Job) error {
			var s string
			done <- fmt.Sprint(j.Decode(&s), s)
			return nil
		})
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan error)
		go func() { stopped <- g.runner.Run(ctx) }()
		g.enqueue(t, jobs.NewJob{Kind: "ping", Payload: "hello"})
		select {
		case got := <-done:
			if got != "<nil>hello" {
				t.Errorf("handler got %q", got)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("Run did not pick up the committed job")
		}
		cancel()
		select {
		case err := <-stopped:
			if err != nil {
				t.Errorf("Run = %v, want nil on shutdown", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("Run did not stop")
		}
	})
}

package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Handler does one job. Returning an error, panicking or running past the
// runner's Timeout fails the attempt. Handlers must be idempotent: a job
// whose runner died after the work but before recording it runs again.
type Handler func(ctx context.Context, j Job) error

// Runner claims and runs jobs, one loop per queue: a queue whose jobs are
// slow (webhooks) never holds up another (SLA checks). Set its exported
// fields before the first RunOnce or Run; they are read without locks
// afterwards.
type Runner struct {
	// BatchSize is how many jobs of one queue a pass claims and runs in
	// parallel.
	BatchSize int
	// Timeout bounds one attempt; the handler's context ends then, and a
	// handler that ignores its context is abandoned and the attempt failed.
	Timeout time.Duration
	// Lease is how long a claim holds. It must exceed Timeout, so a live
	// runner's job is never claimed a second time; a dead runner's jobs are
	// claimed again once it passes.
	Lease time.Duration
	// PollInterval is the longest an idle queue loop waits before it looks
	// for due work again. It sleeps until the next job is due when that is
	// sooner, and wakes at once when a job is enqueued: in this process
	// through a commit hook, in other processes through Listen. Looking
	// is a read; an idle runner opens no write transaction.
	PollInterval time.Duration
	// BackoffBase and BackoffMax shape retry delays: base·2^attempts,
	// capped at max, with jitter.
	BackoffBase, BackoffMax time.Duration
	// Jitter returns a number in [0, 1); tests set a fixed one. It must be
	// safe for concurrent use.
	Jitter func() float64
	// Logger receives dead jobs at ERROR and retries at WARN.
	Logger *slog.Logger
	// Listen, when set, runs while Run does, calling wake whenever another
	// process commits a job (store.DB.Listen on PostgreSQL's NOTIFY). It
	// returns nil when ctx ends and an error when its session fails; Run
	// then wakes the loops (a notification may have been lost) and calls
	// it again after a pause.
	Listen func(ctx context.Context, wake func()) error
	// Retention is how long finished jobs are kept (see Purge).
	Retention Retention

	t       Transactor
	clk     clock.Clock
	worker  string
	metrics *metrics

	mu       sync.RWMutex
	handlers map[string]Handler
	queueOf  map[string]string // kind -> queue
	every    map[string]time.Duration
}

// Retention says how long finished jobs stay for admins to inspect.
type Retention struct {
	Done, Dead time.Duration
	// Batch is how many rows one purge transaction deletes (0: the
	// default), so purging a backlog never holds SQLite's writer for long.
	Batch int
}

// DefaultRetention keeps done jobs a week and dead ones a month (long
// enough for an admin back from leave to see why something failed).
// 1,000 rows a transaction: a few milliseconds of the writer.
var DefaultRetention = Retention{Done: 7 * 24 * time.Hour, Dead: 30 * 24 * time.Hour, Batch: 1000}

// minIdleWait is the shortest wait of a queue loop that found nothing to
// claim.
const minIdleWait = 50 * time.Millisecond

// listenRetry is how long Run waits before listening again after the
// session failed (the database restarted).
const listenRetry = 5 * time.Second

// NewRunner returns a runner that records its claims as worker (host and
// process, so an admin can tell replicas apart) and reads time from clk.
func NewRunner(t Transactor, clk clock.Clock, worker string) *Runner {
	return &Runner{
		BatchSize:    8,
		Timeout:      time.Minute,
		Lease:        5 * time.Minute,
		PollInterval: 30 * time.Second,
		BackoffBase:  5 * time.Second,
		BackoffMax:   time.Hour,
		Jitter:       rand.Float64,
		Logger:       slog.Default(),
		Retention:    DefaultRetention,
		t:            t,
		clk:          clk,
		worker:       worker,
		metrics:      newMetrics(),
		handlers:     map[string]Handler{},
		queueOf:      map[string]string{},
		every:        map[string]time.Duration{},
	}
}

// Handle registers h for jobs of kind, in the default queue. Jobs of a
// kind no handler is registered for fail with an error naming the kind,
// so a typo or a replica running older code shows up as dead jobs, not
// silence.
func (r *Runner) Handle(kind string, h Handler) { r.HandleKind(Kind{Name: kind}, h) }

// HandleKind registers h for jobs of k, run by k's queue loop.
func (r *Runner) HandleKind(k Kind, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[k.Name] = h
	r.queueOf[k.Name] = k.queue()
}

// Every makes kind a recurring job: one instance is kept queued, across
// all replicas, and after each successful run the next is due interval
// later. The instance is derived from the jobs table (a unique key per
// kind), not from a timer in this process, so replicas do not multiply it
// and a restart does not lose it. A handler must be registered for kind;
// the instance goes to the handler's queue.
func (r *Runner) Every(kind string, interval time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.every[kind] = interval
}

// Instrument registers the runner's counters (rampart_jobs_processed_total,
// rampart_jobs_dead_total) on reg. Call it before running.
func (r *Runner) Instrument(reg prometheus.Registerer) error { return r.metrics.register(reg) }

// recurringKey is the unique key that keeps one instance of a recurring kind.
func recurringKey(kind string) string { return "every:" + kind }

// Queues lists the queues the registered kinds declare, the default queue
// always among them, sorted.
func (r *Runner) Queues() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	qs := []string{DefaultQueue}
	for _, q := range r.queueOf {
		if !slices.Contains(qs, q) {
			qs = append(qs, q)
		}
	}
	slices.Sort(qs)
	return qs
}

func (r *Runner) queueOfKind(kind string) string {
	if q, ok := r.queueOf[kind]; ok {
		return q
	}
	return DefaultQueue
}

// RunOnce runs one pass of every queue at once (see RunQueueOnce) and
// returns how many jobs they processed together.
func (r *Runner) RunOnce(ctx context.Context) (int, error) {
	qs := r.Queues()
	ns := make([]int, len(qs))
	errList := make([]error, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Go(func() { ns[i], _, errList[i] = r.pass(ctx, q) })
	}
	wg.Wait()
	total := 0
	for _, n := range ns {
		total += n
	}
	return total, errors.Join(errList...)
}

// RunQueueOnce makes sure every recurring job of queue has its instance,
// claims one batch of queue's due jobs, runs them in parallel, records
// each outcome, and returns how many it processed. When nothing is due it
// only reads. Handler failures are outcomes, not errors; the error
// reports a database problem.
func (r *Runner) RunQueueOnce(ctx context.Context, queue string) (int, error) {
	n, _, err := r.pass(ctx, queue)
	return n, err
}

// pass is RunQueueOnce; when it processed nothing it also returns when
// the queue's next job is due (zero: none is waiting).
func (r *Runner) pass(ctx context.Context, queue string) (int, time.Time, error) {
	if r.Lease <= r.Timeout {
		return 0, time.Time{}, errs.E(errs.Invalid, "job lease (%s) must exceed the job timeout (%s)", r.Lease, r.Timeout)
	}
	if err := r.scheduleRecurring(ctx, queue); err != nil {
		return 0, time.Time{}, err
	}
	var next time.Time
	err := r.t.View(ctx, func(tx Tx) error {
		var err error
		next, err = tx.Jobs().NextDue(ctx, queue)
		return err
	})
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("look for due jobs: %w", err)
	}
	if now := r.clk.Now(); next.IsZero() || next.After(now) {
		return 0, next, nil
	}
	var claimed []Job
	err = r.t.InTx(ctx, func(tx Tx) error {
		var err error
		claimed, err = tx.Jobs().Claim(ctx, Claim{Queue: queue, Worker: r.worker, Now: r.clk.Now(), Lease: r.Lease, Limit: r.BatchSize})
		return err
	})
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("claim jobs: %w", err)
	}
	errc := make(chan error, len(claimed))
	var wg sync.WaitGroup
	for _, j := range claimed {
		wg.Go(func() { errc <- r.process(ctx, j) })
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			return len(claimed), time.Time{}, err
		}
	}
	return len(claimed), time.Time{}, nil
}

// scheduleRecurring inserts the instance of each recurring kind of queue
// that has none queued or running. It reads first: once the instances
// exist, as they almost always do, it writes nothing.
func (r *Runner) scheduleRecurring(ctx context.Context, queue string) error {
	r.mu.RLock()
	var keys []string
	kindOf := map[string]string{}
	for k := range r.every {
		if r.queueOfKind(k) == queue {
			keys = append(keys, recurringKey(k))
			kindOf[recurringKey(k)] = k
		}
	}
	r.mu.RUnlock()
	if len(keys) == 0 {
		return nil
	}
	var held []string
	if err := r.t.View(ctx, func(tx Tx) error {
		var err error
		held, err = tx.Jobs().HeldKeys(ctx, keys)
		return err
	}); err != nil {
		return fmt.Errorf("schedule recurring jobs: %w", err)
	}
	keys = slices.DeleteFunc(keys, func(k string) bool { return slices.Contains(held, k) })
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys) // a fixed order: replicas take index locks in the same order
	now := r.clk.Now()
	return r.t.InTx(ctx, func(tx Tx) error {
		for _, key := range keys {
			k := kindOf[key]
			if _, err := tx.Jobs().Enqueue(ctx, NewJob{Queue: queue, Kind: k, RunAt: now, UniqueKey: key}); err != nil {
				return fmt.Errorf("schedule recurring %s: %w", k, err)
			}
		}
		return nil
	})
}

// Run processes jobs until ctx ends, then returns nil: one loop per queue
// (see PollInterval for when each looks for work), and Listen if set.
func (r *Runner) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	if r.Listen != nil {
		wg.Go(func() { r.listen(ctx) })
	}
	for _, q := range r.Queues() {
		wg.Go(func() { r.loop(ctx, q) })
	}
	wg.Wait()
	return nil
}

// listen keeps Listen running until ctx ends.
func (r *Runner) listen(ctx context.Context) {
	for {
		err := r.Listen(ctx, Notify)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			r.Logger.Warn("job runner cannot listen for jobs from other replicas; polling until it can", "error", err)
		}
		Notify()
		select {
		case <-ctx.Done():
			return
		case <-time.After(listenRetry):
		}
	}
}

// loop runs passes of one queue: back to back while they find work, then
// waiting until the next job is due, the poll interval passes, or a
// commit enqueues a job.
func (r *Runner) loop(ctx context.Context, queue string) {
	for {
		wake := enqueued.wait() // taken before the pass so no commit is missed
		n, next, err := r.pass(ctx, queue)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			r.Logger.Error("job runner", "worker", r.worker, "queue", queue, "error", err)
		}
		if err == nil && n > 0 {
			continue
		}
		wait := r.PollInterval
		if !next.IsZero() {
			// A job due now that the claim did not get (another replica
			// holds its row for a moment) is looked at again shortly, not
			// in a busy loop.
			wait = min(wait, max(minIdleWait, next.Sub(r.clk.Now())))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		case <-wake:
			timer.Stop()
		}
	}
}

// Purge deletes finished jobs older than the retention, done and dead
// ones each after their own period, a batch per transaction, and returns
// how many it deleted. The app runs it as a recurring job.
func (r *Runner) Purge(ctx context.Context) (int, error) {
	ret := r.Retention
	batch := ret.Batch
	if batch <= 0 {
		batch = DefaultRetention.Batch
	}
	total := 0
	now := r.clk.Now()
	for _, p := range []struct {
		status Status
		keep   time.Duration
	}{{StatusDone, ret.Done}, {StatusDead, ret.Dead}} {
		if p.keep <= 0 {
			continue // kept forever
		}
		for {
			var n int
			err := r.t.InTx(ctx, func(tx Tx) error {
				var err error
				n, err = tx.Jobs().Purge(ctx, p.status, now.Add(-p.keep), batch)
				return err
			})
			if err != nil {
				return total, fmt.Errorf("purge %s jobs: %w", p.status, err)
			}
			total += n
			if n < batch {
				break
			}
		}
	}
	return total, nil
}

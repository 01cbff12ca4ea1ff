package jobs

import (
	"context"
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

// Runner claims and runs jobs. Set its exported fields before the first
// RunOnce or Run; they are read without locks afterwards.
type Runner struct {
	// Queue is the queue this runner works; recurring jobs go there too.
	Queue string
	// BatchSize is how many jobs one RunOnce claims and runs in parallel.
	BatchSize int
	// Timeout bounds one attempt; the handler's context ends then, and a
	// handler that ignores its context is abandoned and the attempt failed.
	Timeout time.Duration
	// Lease is how long a claim holds. It must exceed Timeout, so a live
	// runner's job is never claimed a second time; a dead runner's jobs are
	// claimed again once it passes.
	Lease time.Duration
	// PollInterval is how often Run looks for due work when not woken.
	PollInterval time.Duration
	// BackoffBase and BackoffMax shape retry delays: base·2^attempts,
	// capped at max, with jitter.
	BackoffBase, BackoffMax time.Duration
	// Jitter returns a number in [0, 1); tests set a fixed one. It must be
	// safe for concurrent use.
	Jitter func() float64
	// Logger receives dead jobs at ERROR and retries at WARN.
	Logger *slog.Logger

	t       Transactor
	clk     clock.Clock
	worker  string
	metrics *metrics

	mu       sync.RWMutex
	handlers map[string]Handler
	every    map[string]time.Duration
}

// NewRunner returns a runner that records its claims as worker (host and
// process, so an admin can tell replicas apart) and reads time from clk.
func NewRunner(t Transactor, clk clock.Clock, worker string) *Runner {
	return &Runner{
		Queue:        DefaultQueue,
		BatchSize:    8,
		Timeout:      time.Minute,
		Lease:        5 * time.Minute,
		PollInterval: time.Second,
		BackoffBase:  5 * time.Second,
		BackoffMax:   time.Hour,
		Jitter:       rand.Float64,
		Logger:       slog.Default(),
		t:            t,
		clk:          clk,
		worker:       worker,
		metrics:      newMetrics(),
		handlers:     map[string]Handler{},
		every:        map[string]time.Duration{},
	}
}

// Handle registers h for jobs of kind. Jobs of a kind no handler is
// registered for fail with an error naming the kind, so a typo or a
// replica running older code shows up as dead jobs, not silence.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[kind] = h
}

// Every makes kind a recurring job: one instance is kept queued, across
// all replicas, and after each successful run the next is due interval
// later. The instance is derived from the jobs table (a unique key per
// kind), not from a timer in this process, so replicas do not multiply it
// and a restart does not lose it. A handler must be registered for kind.
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

// RunOnce makes sure every recurring job has its instance, claims one batch
// of due jobs, runs them in parallel, records each outcome, and returns how
// many it processed. Handler failures are outcomes, not errors; the error
// reports a database problem.
func (r *Runner) RunOnce(ctx context.Context) (int, error) {
	if r.Lease <= r.Timeout {
		return 0, errs.E(errs.Invalid, "job lease (%s) must exceed the job timeout (%s)", r.Lease, r.Timeout)
	}
	if err := r.scheduleRecurring(ctx); err != nil {
		return 0, err
	}
	var claimed []Job
	err := r.t.InTx(ctx, func(tx Tx) error {
		var err error
		claimed, err = tx.Jobs().Claim(ctx, Claim{Queue: r.Queue, Worker: r.worker, Now: r.clk.Now(), Lease: r.Lease, Limit: r.BatchSize})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("claim jobs: %w", err)
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
			return len(claimed), err
		}
	}
	return len(claimed), nil
}

// scheduleRecurring inserts the instance of each recurring kind that has
// none queued or running; the unique key turns the others into no-ops.
func (r *Runner) scheduleRecurring(ctx context.Context) error {
	r.mu.RLock()
	kinds := make([]string, 0, len(r.every))
	for k := range r.every {
		kinds = append(kinds, k)
	}
	r.mu.RUnlock()
	if len(kinds) == 0 {
		return nil
	}
	slices.Sort(kinds) // a fixed order: replicas take index locks in the same order
	now := r.clk.Now()
	return r.t.InTx(ctx, func(tx Tx) error {
		for _, k := range kinds {
			if _, err := tx.Jobs().Enqueue(ctx, NewJob{Queue: r.Queue, Kind: k, RunAt: now, UniqueKey: recurringKey(k)}); err != nil {
				return fmt.Errorf("schedule recurring %s: %w", k, err)
			}
		}
		return nil
	})
}

// Run processes jobs until ctx ends, then returns nil. It runs batches
// back to back while they come full, and otherwise waits for the poll
// interval or a commit in this process that enqueued a job.
func (r *Runner) Run(ctx context.Context) error {
	for {
		wake := enqueued.wait() // taken before the claim so no commit is missed
		n, err := r.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			r.Logger.Error("job runner", "worker", r.worker, "error", err)
		}
		if err == nil && n == r.BatchSize {
			continue
		}
		timer := time.NewTimer(r.PollInterval)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		case <-wake:
			timer.Stop()
		}
	}
}

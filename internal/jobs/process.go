package jobs

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
	"unicode/utf8"
)

// maxErrorLen bounds last_error: enough for a message and the top of a
// panic's stack, not a whole log.
const maxErrorLen = 4000

// recordTimeout bounds writing an outcome once the run's context ended
// (shutdown): the outcome is still recorded rather than left to the lease.
const recordTimeout = 10 * time.Second

// process runs one claimed job and records the outcome.
func (r *Runner) process(ctx context.Context, j Job) error {
	runErr := r.execute(ctx, j)
	rel := Release{ID: j.ID, Worker: r.worker, Attempt: j.Attempts, Attempts: j.Attempts, Now: r.clk.Now()}
	outcome := outcomeDone
	r.mu.RLock()
	interval, recurring := r.every[j.Kind]
	r.mu.RUnlock()
	recurring = recurring && j.UniqueKey == recurringKey(j.Kind)
	switch {
	case runErr == nil && recurring:
		// The same row becomes the next run: one instance, ever.
		rel.Status, rel.RunAt, rel.Attempts = StatusQueued, rel.Now.Add(interval), 0
	case runErr == nil:
		rel.Status, rel.RunAt = StatusDone, rel.Now
	case j.Attempts >= j.MaxAttempts:
		outcome = outcomeDead
		rel.Status, rel.RunAt, rel.Error = StatusDead, rel.Now, truncate(runErr.Error())
	default:
		outcome = outcomeRetry
		delay := backoff(r.BackoffBase, r.BackoffMax, j.Attempts, r.Jitter())
		rel.Status, rel.RunAt, rel.Error = StatusQueued, rel.Now.Add(delay), truncate(runErr.Error())
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	var held bool
	err := r.t.InTx(wctx, func(tx Tx) error {
		var err error
		held, err = tx.Jobs().Release(wctx, rel)
		return err
	})
	if err != nil {
		return fmt.Errorf("record job %d outcome: %w", j.ID, err)
	}
	if !held {
		r.Logger.Warn("job claim lost before its outcome was recorded; another runner owns it now",
			"job", j.ID, "kind", j.Kind, "worker", r.worker, "attempt", j.Attempts)
		return nil
	}
	r.metrics.processed.WithLabelValues(j.Kind, outcome).Inc()
	switch outcome {
	case outcomeDead:
		r.metrics.dead.WithLabelValues(j.Kind).Inc()
		r.Logger.Error("job failed its last attempt and is dead; an admin can retry it",
			"job", j.ID, "kind", j.Kind, "attempts", j.Attempts, "error", runErr)
	case outcomeRetry:
		r.Logger.Warn("job failed; will retry", "job", j.ID, "kind", j.Kind,
			"attempt", j.Attempts, "max_attempts", j.MaxAttempts, "retry_at", rel.RunAt, "error", runErr)
	}
	return nil
}

// execute runs j's handler under the runner's timeout. A panic becomes an
// error carrying the stack; a handler still running at the timeout is
// abandoned (its goroutine ends when it returns) so one stuck job never
// stalls the runner.
func (r *Runner) execute(ctx context.Context, j Job) error {
	r.mu.RLock()
	h := r.handlers[j.Kind]
	r.mu.RUnlock()
	if h == nil {
		return fmt.Errorf("no handler is registered for job kind %q", j.Kind)
	}
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	done := make(chan error, 1) // buffered: an abandoned handler must not block forever
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("handler panicked: %v\n%s", p, debug.Stack())
			}
		}()
		done <- h(ctx, j)
	}()
	select {
	case err := <-done:
		return r.handlerResult(ctx, err)
	case <-ctx.Done():
		select {
		case err := <-done: // finished just as time ran out: its result stands
			return r.handlerResult(ctx, err)
		default:
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("handler did not finish within %s", r.Timeout)
		}
		return fmt.Errorf("interrupted: %w", ctx.Err())
	}
}

// handlerResult names the timeout when a handler gave up because its
// context's deadline passed, so last_error says why.
func (r *Runner) handlerResult(ctx context.Context, err error) error {
	if err != nil && errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		return fmt.Errorf("handler did not finish within %s: %w", r.Timeout, err)
	}
	return err
}

func truncate(s string) string {
	if len(s) <= maxErrorLen {
		return s
	}
	cut := maxErrorLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut-- // PostgreSQL refuses text that is not valid UTF-8
	}
	return s[:cut] + "…"
}

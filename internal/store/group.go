package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Group commits many callers' small writes in one transaction: machine
// intake (alerts arriving from many senders at once) that one transaction
// per item would cap at the rate the disk confirms commits.
//
// Callers Submit one item each and wait. One committer takes the items
// queued so far (up to MaxItems), writes them all through apply in one unit
// of work and commits; each caller is answered only after that commit, with
// its own result. While a batch commits the next one queues, so batches
// grow with load by themselves: one producer gets one item per transaction
// and no added wait, many get large batches.
//
// One bad item does not fail the others: apply runs on the whole batch
// under a savepoint, and when it fails the batch is undone and applied
// again item by item, each under its own savepoint, so only the failing
// items' callers get an error (theirs). Checking items before Submit keeps
// that slow path for what only the database can find.
//
// The queue is bounded: when MaxQueued items wait, Submit fails at once
// with an errs.Overloaded error carrying RetryAfter (HTTP 503 with a
// Retry-After header) instead of letting memory and latency grow.
//
// On SQLite a batch is a unit of its own (InTxAlone): small writes of other
// practices never wait inside it. On PostgreSQL it is one transaction.
type Group[U, T, R any] struct {
	b     Bound[U]
	apply func(ctx context.Context, u U, items []T) ([]R, error)
	opt   GroupOptions

	mu     sync.Mutex
	queue  []*groupItem[T, R]
	closed bool
	wake   chan struct{}  // one pending wake-up for a committer
	stop   chan struct{}  // closed by Close
	done   sync.WaitGroup // the committers
}

// GroupOptions bound a Group's batches and queue. Zero fields take the
// defaults below.
type GroupOptions struct {
	// MaxItems is the most items one transaction takes.
	MaxItems int
	// MaxWait is how long a batch that is not yet full waits for more
	// items before it starts, when the previous batch held more than one
	// item (callers are arriving together). A lone caller never waits.
	// Negative: never wait.
	MaxWait time.Duration
	// MaxQueued is how many items may wait for a batch; beyond it Submit
	// refuses with errs.Overloaded.
	MaxQueued int
	// RetryAfter is what a refused caller is told to wait.
	RetryAfter time.Duration
	// Committers is how many batches may be written at once. SQLite has
	// one writer, so it takes one there whatever is set.
	Committers int
}

// Defaults, measured with BenchmarkGroupCommit and BenchmarkInsertCeiling
// (bench_group_test.go) on a 2-core machine shared with other work; the
// figures are in the README's table.
//
// MaxItems: 1,000 records of 600 bytes take about 11 ms to insert on
// SQLite through the bulk inserter (ceiling about 87,000 rows/s; 45,000
// with a prepared one-row INSERT), the longest a batch holds the one
// writer; batches that large only form with hundreds of callers waiting.
//
// MaxWait: without a wait, batches alternate between two halves of the
// callers (while one half's batch commits, the other half queues), so 64
// callers commit 32 at a time. Waiting up to 1 ms once batches hold more
// than one item lets the answered half come back and join: 64 callers
// measured 14,100 → 16,700 records/s on SQLite and 2,300 → 4,400 on
// PostgreSQL; 5 ms was slower than none. A lone caller never waits.
//
// Committers (PostgreSQL): with two, one batch is written while the other
// waits for its commit; 64 callers measured 2,100 records/s with one
// committer, 3,200 with two and 1,800 with four (smaller batches).
//
// MaxQueued: 10,000 queued records drain in under a second on SQLite and
// in a few seconds on PostgreSQL, so a refused caller is told to retry
// after a second rather than queue behind them.
const (
	DefaultGroupMaxItems   = 1000
	DefaultGroupMaxWait    = time.Millisecond
	DefaultGroupMaxQueued  = 10000
	DefaultGroupRetryAfter = time.Second
	DefaultGroupCommitters = 2
)

type groupItem[T, R any] struct {
	ctx  context.Context
	item T
	res  R
	err  error
	done chan struct{}
}

// NewGroup starts a group committing items through apply, which writes a
// batch in the unit of work u and returns one result per item, in order.
// apply may run more than once for an item (batch, then alone) but its
// writes commit once. Close stops the group.
func NewGroup[U, T, R any](b Bound[U], apply func(ctx context.Context, u U, items []T) ([]R, error), opt GroupOptions) *Group[U, T, R] {
	if opt.MaxItems <= 0 {
		opt.MaxItems = DefaultGroupMaxItems
	}
	if opt.MaxQueued <= 0 {
		opt.MaxQueued = DefaultGroupMaxQueued
	}
	if opt.RetryAfter <= 0 {
		opt.RetryAfter = DefaultGroupRetryAfter
	}
	if opt.MaxWait == 0 {
		opt.MaxWait = DefaultGroupMaxWait
	}
	if opt.Committers <= 0 {
		opt.Committers = DefaultGroupCommitters
	}
	if b.db.Dialect.OneWriter {
		opt.Committers = 1
	}
	g := &Group[U, T, R]{b: b, apply: apply, opt: opt, wake: make(chan struct{}, 1), stop: make(chan struct{})}
	for range opt.Committers {
		g.done.Go(g.run)
	}
	return g
}

// Submit queues item for the next batch and waits until the batch has
// committed. It returns the item's result, the item's own error, or the
// batch's commit error. Errors: Overloaded when the queue is full,
// Unavailable once the group is closed, and ctx's error when ctx ends
// first; an item already in a batch by then may still commit (intake is
// at least once: senders retry, and intake deduplicates).
func (g *Group[U, T, R]) Submit(ctx context.Context, item T) (R, error) {
	it := &groupItem[T, R]{ctx: ctx, item: item, done: make(chan struct{})}
	var zero R
	g.mu.Lock()
	switch {
	case g.closed:
		g.mu.Unlock()
		return zero, errs.E(errs.Unavailable, "shutting down: no more writes are taken")
	case len(g.queue) >= g.opt.MaxQueued:
		g.mu.Unlock()
		return zero, errs.Busy(g.opt.RetryAfter, "too many writes are waiting (%d); try again later", g.opt.MaxQueued)
	}
	g.queue = append(g.queue, it)
	g.mu.Unlock()
	g.signal()
	select {
	case <-it.done:
		return it.res, it.err
	case <-ctx.Done():
		g.mu.Lock()
		if i := slices.Index(g.queue, it); i >= 0 {
			g.queue = slices.Delete(g.queue, i, i+1)
		}
		g.mu.Unlock()
		return zero, ctx.Err()
	}
}

// Queued reports how many items wait for a batch (a gauge for metrics).
func (g *Group[U, T, R]) Queued() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}

// Close refuses new items, commits those already queued and returns once
// the last batch has been answered.
func (g *Group[U, T, R]) Close() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.stop)
	}
	g.mu.Unlock()
	g.done.Wait()
}

func (g *Group[U, T, R]) signal() {
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

// run is a committer: one batch at a time, while anything is queued.
func (g *Group[U, T, R]) run() {
	last := 0 // size of this committer's previous batch
	for {
		batch, closed := g.take(last)
		if len(batch) > 0 {
			last = len(batch)
			g.commit(batch)
			continue
		}
		if closed {
			return
		}
		select {
		case <-g.wake:
		case <-g.stop:
		}
	}
}

// take removes the next batch from the queue, after waiting up to MaxWait
// for it to fill, and drops items whose caller has gone.
func (g *Group[U, T, R]) take(last int) ([]*groupItem[T, R], bool) {
	if g.opt.MaxWait > 0 && last > 1 {
		g.linger()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	n := min(len(g.queue), g.opt.MaxItems)
	batch := make([]*groupItem[T, R], 0, n)
	for _, it := range g.queue[:n] {
		if it.ctx.Err() == nil {
			batch = append(batch, it)
		}
	}
	clear(g.queue[:n])
	g.queue = g.queue[n:]
	if len(g.queue) > 0 {
		g.signal() // another committer may start the next batch meanwhile
	}
	return batch, g.closed
}

// linger waits until a batch is full, MaxWait has passed since something
// was queued, or the group closes.
func (g *Group[U, T, R]) linger() {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		g.mu.Lock()
		n, closed := len(g.queue), g.closed
		g.mu.Unlock()
		if n == 0 || n >= g.opt.MaxItems || closed {
			return
		}
		if timer == nil {
			timer = time.NewTimer(g.opt.MaxWait)
		}
		select {
		case <-timer.C:
			return
		case <-g.stop:
			return
		case <-g.wake:
		}
	}
}

// commit writes one batch and answers its callers.
func (g *Group[U, T, R]) commit(batch []*groupItem[T, R]) {
	items := make([]T, len(batch))
	for i, it := range batch {
		items[i] = it.item
	}
	results := make([]R, len(batch))
	itemErrs := make([]error, len(batch))
	err := g.write(items, results, itemErrs)
	for i, it := range batch {
		switch {
		case itemErrs[i] != nil:
			it.err = itemErrs[i]
		case err != nil:
			it.err = err
		default:
			it.res = results[i]
		}
		close(it.done)
	}
}

// write runs the batch's unit of work: the whole batch at once, or item
// by item when that fails. A panic in apply fails the batch, not the
// process.
func (g *Group[U, T, R]) write(items []T, results []R, itemErrs []error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("group commit: apply panicked: %v", p)
		}
	}()
	ctx := context.Background() // the batch is everyone's: no caller's context ends it
	return g.b.db.InTxAlone(ctx, func(tx *Tx) error {
		u := g.b.bind(tx)
		applied, err := tx.savepoint(ctx, func() error { return g.applyTo(ctx, u, items, results) })
		if err == nil || !applied {
			return err
		}
		clear(results)
		for i := range items {
			applied, err := tx.savepoint(ctx, func() error { return g.applyTo(ctx, u, items[i:i+1], results[i:i+1]) })
			if !applied {
				return err
			}
			itemErrs[i] = err
		}
		return nil
	})
}

func (g *Group[U, T, R]) applyTo(ctx context.Context, u U, items []T, results []R) error {
	rs, err := g.apply(ctx, u, items)
	if err != nil {
		return err
	}
	if len(rs) != len(items) {
		return fmt.Errorf("group commit: apply returned %d results for %d items", len(rs), len(items))
	}
	copy(results, rs)
	return nil
}

// savepoint runs fn under a savepoint. When fn fails, what it wrote is
// undone, its audit entries, AfterCommit hooks and notifications dropped, and the unit
// goes on: fn's error comes back with applied true. applied is false when
// the savepoint itself failed, and the unit of work cannot go on.
func (tx *Tx) savepoint(ctx context.Context, fn func() error) (applied bool, err error) {
	if _, err := tx.Exec(ctx, "SAVEPOINT part"); err != nil {
		return false, fmt.Errorf("begin savepoint: %w", err)
	}
	audits, hooks, notes := len(tx.audit.pending), len(tx.after), len(tx.notify)
	ferr := fn()
	if ferr == nil {
		if _, err := tx.Exec(ctx, "RELEASE part"); err != nil {
			return false, fmt.Errorf("release savepoint: %w", err)
		}
		return true, nil
	}
	tx.audit.pending, tx.after, tx.notify = tx.audit.pending[:audits], tx.after[:hooks], tx.notify[:notes]
	if _, err := tx.Exec(ctx, "ROLLBACK TO part"); err != nil {
		return false, errors.Join(ferr, fmt.Errorf("roll back to savepoint: %w", err))
	}
	if _, err := tx.Exec(ctx, "RELEASE part"); err != nil {
		return false, errors.Join(ferr, fmt.Errorf("release savepoint: %w", err))
	}
	return true, ferr
}

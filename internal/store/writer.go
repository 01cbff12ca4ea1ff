package store

import (
	"container/list"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
)

// writer is SQLite's one writer, handed to units of work in the order they
// asked for it, and shared by consecutive units so that one commit serves
// several of them (group commit).
//
// Order: database/sql gives a freed connection to a random waiter, not the
// longest-waiting one, so with one write connection a writer could wait
// behind any number of later arrivals. Here the pool's one connection is
// only ever asked for by the unit at the head of a FIFO queue.
//
// Group commit: with synchronous=FULL every commit waits for the disk, and
// that wait, not the SQL, bounds small audited writes (about 1,000 a second
// with 8 writers, one transaction each). When a unit ends and another is
// waiting, the ending unit hands the still-open transaction to the next
// one instead of committing; the last unit of the group commits for all,
// and each caller is answered only after that commit. Each unit runs under
// its own savepoint, so a unit that fails is rolled back alone and the
// group goes on. A group is closed to newcomers after maxGroupUnits units
// or once it has been open maxGroupAge, so no caller waits long for later
// arrivals; units that declare themselves bulk (InTxAlone) never share a
// transaction, so a chunk of an import never delays a small write's
// answer.
type writer struct {
	pool  *sql.DB
	clk   clock.Clock
	stmts stmtCache

	mu    sync.Mutex
	held  bool      // a unit holds the writer (or is committing its group)
	queue []*waiter // units waiting for the writer, oldest first
}

// Group limits. With 8 writers (BenchmarkAuditedWrite: key, record and
// audit entry per unit, 2-core machine) a group holds up to 8 units and
// the commit's wait for the disk is shared by all of them, which lifts
// audited writes from about 1,000 to about 5,000 a second (README). The
// limits matter when many more writers queue: they bound how long the
// first unit of a group waits for its answer. A small audited unit takes
// about 0.15 ms, so 64 of them about 10 ms; the age limit closes a group
// early when its units are slower than that.
const (
	maxGroupUnits = 64
	maxGroupAge   = 10 * time.Millisecond
)

type waiter struct {
	alone bool
	// ready receives the open group to join, or nil: begin a new one.
	ready chan *group
}

// group is one transaction shared by consecutive units.
type group struct {
	tx    *sql.Tx
	began time.Time
	alone bool
	units int // units that joined
	kept  int // units whose work stays (released their savepoint)
	// broken is set when a unit's failure ended the transaction itself
	// (SQLite rolls the whole transaction back on some errors, such as
	// an interrupted statement or a full disk): nothing more may run in
	// it, and every unit of the group fails.
	broken error
	done   chan struct{} // closed once err holds the outcome
	err    error
}

func newWriter(pool *sql.DB, clk clock.Clock) *writer {
	return &writer{pool: pool, clk: clk, stmts: stmtCache{pool: pool}}
}

// acquire waits for the writer. It returns the open group to join, or nil
// when the caller is to begin a new transaction.
func (w *writer) acquire(ctx context.Context, alone bool) (*group, error) {
	w.mu.Lock()
	if !w.held {
		w.held = true
		w.mu.Unlock()
		return nil, nil
	}
	wt := &waiter{alone: alone, ready: make(chan *group, 1)}
	w.queue = append(w.queue, wt)
	w.mu.Unlock()
	select {
	case g := <-wt.ready:
		return g, nil
	case <-ctx.Done():
		w.mu.Lock()
		if i := slices.Index(w.queue, wt); i >= 0 {
			w.queue = slices.Delete(w.queue, i, i+1)
			w.mu.Unlock()
			return nil, ctx.Err()
		}
		w.mu.Unlock()
		// The writer was handed over just as ctx ended: pass it on.
		w.pass(<-wt.ready)
		return nil, ctx.Err()
	}
}

// pass is called by the unit holding the writer when it is over: it hands
// the open group to the next waiter when that one may join, or else ends
// the group (commit, or rollback when broken or empty) and hands the
// writer on.
func (w *writer) pass(g *group) {
	w.mu.Lock()
	if g != nil && len(w.queue) > 0 && w.joinable(g, w.queue[0]) {
		next := w.pop()
		w.mu.Unlock()
		next.ready <- g
		return
	}
	w.mu.Unlock()
	if g != nil {
		g.end()
		w.stmts.sweep()
	}
	w.mu.Lock()
	if len(w.queue) == 0 {
		w.held = false
		w.mu.Unlock()
		return
	}
	next := w.pop()
	w.mu.Unlock()
	next.ready <- nil
}

func (w *writer) pop() *waiter {
	next := w.queue[0]
	w.queue[0] = nil
	w.queue = w.queue[1:]
	return next
}

func (w *writer) joinable(g *group, next *waiter) bool {
	return g.broken == nil && !g.alone && !next.alone && g.units < maxGroupUnits && w.clk.Now().Sub(g.began) < maxGroupAge
}

// waiting reports how many units wait for the writer (for tests).
func (w *writer) waiting() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.queue)
}

// end commits the group's transaction and records the outcome for every
// unit waiting on it.
func (g *group) end() {
	switch {
	case g.broken != nil:
		_ = g.tx.Rollback()
		g.err = g.broken
	case g.kept == 0:
		_ = g.tx.Rollback()
	default:
		if err := g.tx.Commit(); err != nil {
			g.err = MapError(fmt.Errorf("commit: %w", err))
		}
	}
	close(g.done)
}

// inTx runs fn as one unit of a group-committed transaction; see writer.
func (w *writer) inTx(ctx context.Context, db *DB, alone bool, fn func(*Tx) error) (err error) {
	g, err := w.acquire(ctx, alone)
	if err != nil {
		return err
	}
	if g == nil {
		// Not the caller's context: database/sql rolls a transaction back
		// when the context it began with ends, and other units' work may
		// be in this one by then.
		sqlTx, err := w.pool.BeginTx(context.WithoutCancel(ctx), nil)
		if err != nil {
			w.pass(nil)
			return MapError(fmt.Errorf("begin transaction: %w", err))
		}
		g = &group{tx: sqlTx, began: w.clk.Now(), alone: alone, done: make(chan struct{})}
	}
	g.units++
	tx := &Tx{db: db, tx: g.tx, d: db.Dialect, now: db.clock.Now(), audit: &auditBuffer{}, shared: true}
	if err := ctx.Err(); err != nil {
		w.pass(g)
		return err
	}
	if _, err := tx.Exec(ctx, "SAVEPOINT unit"); err != nil {
		g.broken = MapError(fmt.Errorf("begin unit of work: %w", err))
		w.pass(g)
		return g.broken
	}
	kept := false
	defer func() {
		tx.done = true
		tx.closeStmts()
		p := recover()
		if !kept {
			g.undo(tx)
		}
		w.pass(g)
		if p != nil {
			panic(p)
		}
		if !kept {
			return
		}
		<-g.done
		if g.err != nil {
			err = g.err
			return
		}
		for _, f := range tx.after {
			f()
		}
	}()
	if err = tx.body(ctx, fn); err != nil {
		return err
	}
	if _, err = tx.Exec(context.WithoutCancel(ctx), "RELEASE unit"); err != nil {
		// The savepoint is gone: the transaction ended under this unit.
		g.broken = MapError(fmt.Errorf("end unit of work: %w", err))
		return g.broken
	}
	kept = true
	g.kept++
	return nil
}

// undo rolls back the work of tx, the unit that opened the current
// savepoint.
func (g *group) undo(tx *Tx) {
	if g.broken != nil {
		return
	}
	ctx := context.Background()
	if _, err := tx.Exec(ctx, "ROLLBACK TO unit"); err != nil {
		g.broken = MapError(fmt.Errorf("roll back unit of work: %w", err))
		return
	}
	if _, err := tx.Exec(ctx, "RELEASE unit"); err != nil {
		g.broken = MapError(fmt.Errorf("roll back unit of work: %w", err))
	}
}

// stmtCache keeps statements prepared on SQLite's write connection from
// one unit of work to the next. Preparing is parsing, and for the small
// statements every unit runs (key counter, audit head, savepoints, one-row
// inserts) it costs more than running them: a fifth of an audited write.
// PostgreSQL needs none: pgx keeps a statement cache per connection.
//
// Statements are evicted least recently used first, and closed only once
// the transaction in which they were evicted has ended, since a unit may
// still be reading rows from one.
type stmtCache struct {
	pool    *sql.DB
	mu      sync.Mutex
	byText  map[string]*list.Element // of *cachedStmt
	lru     list.List                // most recently used first
	retired []*sql.Stmt
}

// stmtCacheSize bounds the statements kept. Rampart's fixed write
// statements number a few dozen; generated ones (IN lists of every
// length, bulk inserts) come and go.
const stmtCacheSize = 256

type cachedStmt struct {
	text string
	st   *sql.Stmt
}

// get returns the statement for text, preparing it on the pool if needed.
// The writer's pool has a second connection for this: the first is in the
// unit's transaction, and a statement prepared on one connection is
// prepared again, once, on the other when first used there.
func (c *stmtCache) get(ctx context.Context, text string) (*sql.Stmt, error) {
	c.mu.Lock()
	if e, ok := c.byText[text]; ok {
		c.lru.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*cachedStmt).st, nil
	}
	c.mu.Unlock()
	st, err := c.pool.PrepareContext(ctx, text)
	if err != nil {
		return nil, MapError(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byText == nil {
		c.byText = map[string]*list.Element{}
	}
	c.byText[text] = c.lru.PushFront(&cachedStmt{text: text, st: st})
	for c.lru.Len() > stmtCacheSize {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.byText, old.text)
		c.retired = append(c.retired, old.st)
	}
	return st, nil
}

// sweep closes evicted statements; the writer calls it between
// transactions.
func (c *stmtCache) sweep() {
	c.mu.Lock()
	retired := c.retired
	c.retired = nil
	c.mu.Unlock()
	for _, st := range retired {
		st.Close()
	}
}

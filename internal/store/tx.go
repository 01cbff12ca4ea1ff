package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/uow"
)

// Tx is one unit of work. Every practice store bound to it (see Bind) runs
// on the same database transaction, and the transaction's time is fixed
// when it begins, so all rows written together carry the same timestamp.
type Tx struct {
	db       *DB
	tx       *sql.Tx
	d        Dialect
	now      time.Time
	readOnly bool
	done     bool // fn has returned: the transaction is committed or rolled back
	audit    *auditBuffer
	after    []func()
	notify   []string             // channels to notify at commit (see Notify)
	stmts    map[string]*sql.Stmt // see QueryCached
	// shared: an SQLite write transaction that several units may share
	// (see writer). Its statements run to the end once started: SQLite
	// answers an interrupted write by rolling back the whole transaction,
	// other units' work included. A unit whose context ends still stops
	// at its next statement.
	shared bool
}

var _ uow.Unit = (*Tx)(nil)

// InTx runs fn in a write transaction. If fn returns an error or panics the
// transaction rolls back and nothing it wrote, audit entries included,
// remains. Pending audit entries are chained and written last, just before
// commit, so the chain lock is held as briefly as possible.
//
// On SQLite, units run one at a time in the order they called InTx, and
// consecutive units may share one transaction and its commit (see
// writer); fn's writes are still committed or rolled back as one, and
// InTx returns only after the commit.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) (err error) {
	if db.writer != nil {
		return db.writer.inTx(ctx, db, false, fn)
	}
	return db.run(ctx, db.write, false, fn)
}

// InTxAlone is InTx for a chunk of bulk work: on SQLite its transaction is
// never shared with other units, so theirs are not answered late because
// they committed together with a long one. Elsewhere it is InTx.
func (db *DB) InTxAlone(ctx context.Context, fn func(*Tx) error) error {
	if db.writer != nil {
		return db.writer.inTx(ctx, db, true, fn)
	}
	return db.run(ctx, db.write, false, fn)
}

// View runs fn in a read-only transaction: one consistent snapshot for a
// list and its count.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(*Tx) error) (err error) {
	opts := &sql.TxOptions{}
	if readOnly && db.Dialect.Name == "postgres" {
		// REPEATABLE READ gives the whole read one snapshot, so a page and
		// its total (or a long export) agree. SQLite read transactions
		// already see one snapshot under WAL.
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return MapError(fmt.Errorf("begin transaction: %w", err))
	}
	tx := &Tx{db: db, tx: sqlTx, d: db.Dialect, now: db.clock.Now(), readOnly: readOnly, audit: &auditBuffer{}}
	defer func() {
		tx.done = true
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = tx.body(ctx, fn); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return MapError(fmt.Errorf("commit: %w", err))
	}
	for _, f := range tx.after {
		f()
	}
	return nil
}

// body runs a unit of work's callback and writes what it left pending
// (the audit entries), everything but the commit.
func (tx *Tx) body(ctx context.Context, fn func(*Tx) error) error {
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.flushNotify(ctx); err != nil {
		return err
	}
	return tx.flushAudit(ctx)
}

// stmtCtx is the context a statement of this unit runs under: ctx, except
// in a shared transaction (see Tx.shared), where an ended ctx stops the
// unit before a statement starts instead of interrupting one midway.
func (tx *Tx) stmtCtx(ctx context.Context) (context.Context, error) {
	if !tx.shared {
		return ctx, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

// Now is the transaction's timestamp.
func (tx *Tx) Now() time.Time { return tx.now }

// ReadOnly reports whether this unit of work came from View: stores refuse
// writes that the engine would otherwise reject later with a less clear
// error.
func (tx *Tx) ReadOnly() bool { return tx.readOnly }

// Dialect returns the engine's SQL fragments and batch sizes.
func (tx *Tx) Dialect() Dialect { return tx.d }

// AfterCommit registers f to run once the transaction has committed, for
// side effects such as waking a worker; it never runs after a rollback.
func (tx *Tx) AfterCommit(f func()) { tx.after = append(tx.after, f) }

// Exec runs a statement on the transaction; driver errors come back as
// errs kinds (see MapError).
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx, err := tx.stmtCtx(ctx)
	if err != nil {
		return nil, err
	}
	if tx.shared {
		st, err := tx.cached(ctx, query)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		res, err := st.ExecContext(ctx, args...)
		return res, MapError(err)
	}
	res, err := tx.tx.ExecContext(ctx, query, args...)
	return res, MapError(err)
}

// Query runs a query on the transaction; driver errors come back as errs
// kinds.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx, err := tx.stmtCtx(ctx)
	if err != nil {
		return nil, err
	}
	if tx.shared {
		st, err := tx.cached(ctx, query)
		if err != nil {
			return nil, err
		}
		rows, err := st.QueryContext(ctx, args...)
		return rows, MapError(err)
	}
	rows, err := tx.tx.QueryContext(ctx, query, args...)
	return rows, MapError(err)
}

// QueryRow runs a query expected to return at most one row. Its Scan
// returns the driver's error: pass it through MapError (sql.ErrNoRows
// becomes NotFound).
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if tx.shared {
		// An ended ctx is noticed by the next statement that returns an
		// error; a single-row read is not worth interrupting.
		ctx = context.WithoutCancel(ctx)
		if st, err := tx.cached(ctx, query); err == nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return tx.tx.QueryRowContext(ctx, query, args...)
}

// Prepare returns a statement bound to the transaction, for loops that run
// the same statement many times (the fastest bulk path on SQLite). It
// closes with the transaction at the latest. On SQLite's writer it comes
// from the statements kept across units of work (stmtCache).
func (tx *Tx) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	ctx, err := tx.stmtCtx(ctx)
	if err != nil {
		return nil, err
	}
	if tx.shared {
		return tx.cached(ctx, query)
	}
	st, err := tx.tx.PrepareContext(ctx, query)
	return st, MapError(err)
}

// QueryCached runs a query through a statement prepared once per unit of
// work: batched lookups repeat the same text many times, and parsing a
// statement with hundreds of parameters costs more than running it.
// Statements prepared on a transaction close with it.
func (tx *Tx) QueryCached(ctx context.Context, text string, args ...any) (*sql.Rows, error) {
	st := tx.stmts[text]
	if st == nil {
		var err error
		if st, err = tx.Prepare(ctx, text); err != nil {
			return nil, err
		}
		if tx.stmts == nil {
			tx.stmts = map[string]*sql.Stmt{}
		}
		tx.stmts[text] = st
	}
	ctx, err := tx.stmtCtx(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	return rows, MapError(err)
}

// cached returns a statement for query bound to this transaction, from
// the writer's statements kept across units (stmtCache). The transaction
// closes it when it ends; closing it earlier leaves the kept one open.
func (tx *Tx) cached(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := tx.db.writer.stmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return tx.tx.StmtContext(ctx, st), nil
}

// closeStmts closes what QueryCached prepared. A transaction closes its
// statements when it ends; a unit in a shared one ends earlier.
func (tx *Tx) closeStmts() {
	for _, st := range tx.stmts {
		st.Close()
	}
	tx.stmts = nil
}

// NextKeys reserves n consecutive numbers for human keys of one kind
// (CI-314) and returns the first. The counter row is the serialisation point
// for keys of that kind: PostgreSQL holds its row lock until commit, SQLite
// has one writer anyway. Reserving a block per transaction keeps a bulk
// import to one lock acquisition.
func (tx *Tx) NextKeys(ctx context.Context, kind string, n int) (int64, error) {
	var last int64
	err := tx.QueryRow(ctx, `INSERT INTO counters (kind, last_value) VALUES ($1, $2)
		ON CONFLICT (kind) DO UPDATE SET last_value = counters.last_value + excluded.last_value
		RETURNING last_value`, kind, n).Scan(&last)
	if err != nil {
		return 0, MapError(fmt.Errorf("reserve %s keys: %w", kind, err))
	}
	return last - int64(n) + 1, nil
}

// SelectIDs runs a query whose rows are single integer ids.
func (tx *Tx) SelectIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return Collect(rows, func(sc Scanner) (id int64, err error) { return id, sc.Scan(&id) })
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Tx is one unit of work. Every domain store it hands out runs on the same
// database transaction, and the transaction's time is fixed when it begins,
// so all rows written together carry the same timestamp.
type Tx struct {
	tx       *sql.Tx
	d        Dialect
	now      time.Time
	readOnly bool
	audit    *auditBuffer
	after    []func()
}

// InTx runs fn in a write transaction. If fn returns an error or panics the
// transaction rolls back and nothing it wrote, audit entries included,
// remains. Pending audit entries are chained and written last, just before
// commit, so the chain lock is held as briefly as possible.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) (err error) {
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
		return mapError(fmt.Errorf("begin transaction: %w", err))
	}
	tx := &Tx{tx: sqlTx, d: db.Dialect, now: db.clock.Now(), readOnly: readOnly, audit: &auditBuffer{}}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.flushAudit(ctx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return mapError(fmt.Errorf("commit: %w", err))
	}
	for _, f := range tx.after {
		f()
	}
	return nil
}

// Now is the transaction's timestamp.
func (tx *Tx) Now() time.Time { return tx.now }

// AfterCommit registers f to run once the transaction has committed, for
// side effects such as waking a worker; it never runs after a rollback.
func (tx *Tx) AfterCommit(f func()) { tx.after = append(tx.after, f) }

// exec, query and queryRow run SQL on the transaction and turn driver
// errors into errs kinds.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, query, args...)
	return res, mapError(err)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(ctx, query, args...)
	return rows, mapError(err)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, query, args...)
}

// prepare returns a statement bound to the transaction, for loops that run
// the same insert many times (the fastest bulk path on SQLite).
func (tx *Tx) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := tx.tx.PrepareContext(ctx, query)
	return st, mapError(err)
}

// NextKeys reserves n consecutive numbers for human keys of one kind
// (CI-314) and returns the first. The counter row is the serialisation point
// for keys of that kind: PostgreSQL holds its row lock until commit, SQLite
// has one writer anyway. Reserving a block per transaction keeps a bulk
// import to one lock acquisition.
func (tx *Tx) NextKeys(ctx context.Context, kind string, n int) (int64, error) {
	var last int64
	err := tx.queryRow(ctx, `INSERT INTO counters (kind, last_value) VALUES ($1, $2)
		ON CONFLICT (kind) DO UPDATE SET last_value = counters.last_value + excluded.last_value
		RETURNING last_value`, kind, n).Scan(&last)
	if err != nil {
		return 0, mapError(fmt.Errorf("reserve %s keys: %w", kind, err))
	}
	return last - int64(n) + 1, nil
}

// selectIDs runs a query whose rows are single integer ids.
func (tx *Tx) selectIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, mapError(err)
		}
		ids = append(ids, id)
	}
	return ids, mapError(rows.Err())
}

package store

import "context"

// Bound adapts DB to a practice's own transaction interface, so a domain
// package declares the stores it needs (cmdb.Tx, auth.Tx) without
// importing this package. *Tx satisfies each of those interfaces.
type Bound[T any] struct {
	db   *DB
	bind func(*Tx) T
}

// Bind returns a transactor that hands fn the unit of work as T.
func Bind[T any](db *DB, bind func(*Tx) T) Bound[T] { return Bound[T]{db: db, bind: bind} }

// InTx runs fn in a write transaction.
func (b Bound[T]) InTx(ctx context.Context, fn func(T) error) error {
	return b.db.InTx(ctx, func(tx *Tx) error { return fn(b.bind(tx)) })
}

// View runs fn in a read-only transaction.
func (b Bound[T]) View(ctx context.Context, fn func(T) error) error {
	return b.db.View(ctx, func(tx *Tx) error { return fn(b.bind(tx)) })
}

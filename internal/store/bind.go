package store

import (
	"context"
	"errors"

	"github.com/rampart-itsm/rampart/internal/uow"
)

// Bound adapts DB to a practice's own transaction interface, so a domain
// package declares what its unit of work offers (cmdb.Tx, auth.Tx) without
// importing this package. The practice's store package supplies bind:
//
//	store.Bind(db, cmdbstore.Bind)
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

// InTxAlone runs fn in a write transaction never shared with other units
// (see DB.InTxAlone).
func (b Bound[T]) InTxAlone(ctx context.Context, fn func(T) error) error {
	return b.db.InTxAlone(ctx, func(tx *Tx) error { return fn(b.bind(tx)) })
}

// View runs fn in a read-only transaction.
func (b Bound[T]) View(ctx context.Context, fn func(T) error) error {
	return b.db.View(ctx, func(tx *Tx) error { return fn(b.bind(tx)) })
}

// Join runs fn on the transaction u belongs to, as T: no new transaction,
// no commit. What fn writes commits or rolls back with the rest of u, and
// its audit entries join u's. This is how practices compose: an alert's
// unit of work opens an incident through the incident practice's store in
// the same transaction.
//
// u must be a unit of work of this database that is still open, as handed
// out by InTx or View on any Bound of it; anything else is an error and fn
// does not run. A unit from View stays read-only: writes through T fail
// there as they would in View. An error from fn is returned as it is; the
// caller decides whether u rolls back.
func (b Bound[T]) Join(u uow.Unit, fn func(T) error) error {
	tx, ok := u.(interface{ storeTx() *Tx })
	if !ok {
		return errors.New("join: not a unit of work of the store")
	}
	t := tx.storeTx()
	switch {
	case t.db != b.db:
		return errors.New("join: the unit of work belongs to another database")
	case t.done:
		return errors.New("join: the unit of work has already ended")
	}
	return fn(b.bind(t))
}

// storeTx lets Join find the *Tx inside a practice's binding, which
// embeds it.
func (tx *Tx) storeTx() *Tx { return tx }

package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Notify asks that processes listening on channel (Listen) be woken once
// this unit of work commits: on PostgreSQL through NOTIFY, sent just
// before commit, once per channel however often it was asked, and never
// for a unit that rolls back (a failed savepoint drops its requests too).
// SQLite has nothing to send across processes; in-process wake-ups are
// AfterCommit hooks.
func (tx *Tx) Notify(channel string) {
	if tx.d.Notify && !slices.Contains(tx.notify, channel) {
		tx.notify = append(tx.notify, channel)
	}
}

// flushNotify sends the unit's notifications; PostgreSQL delivers them at
// commit.
func (tx *Tx) flushNotify(ctx context.Context) error {
	for _, ch := range tx.notify {
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, ch); err != nil {
			return fmt.Errorf("notify %s: %w", ch, err)
		}
	}
	tx.notify = nil
	return nil
}

// Listen calls wake each time a unit of work that called Notify(channel)
// commits, in any process, until ctx ends (then it returns nil) or the
// session fails (then it returns why; call it again after a pause, since
// notifications sent meanwhile are lost). It calls wake once as soon as
// it listens, for what committed before. On PostgreSQL it holds one
// connection of the pool for as long as it runs; on SQLite there is
// nothing to listen to and it only waits for ctx.
func (db *DB) Listen(ctx context.Context, channel string, wake func()) error {
	if !db.Dialect.Notify {
		<-ctx.Done()
		return nil
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return listenErr(ctx, err)
	}
	defer conn.Close()
	return listenErr(ctx, conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("listen: unexpected driver connection %T", dc)
		}
		pc := c.Conn()
		// The connection listens until it is closed: never hand it back
		// to the pool (ErrBadConn discards it).
		if _, err := pc.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
			return errors.Join(driver.ErrBadConn, err)
		}
		wake()
		for {
			if _, err := pc.WaitForNotification(ctx); err != nil {
				return errors.Join(driver.ErrBadConn, err)
			}
			wake()
		}
	}))
}

// listenErr is nil when the session ended because ctx did.
func listenErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return nil
}

package slastore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/sla"
	"github.com/rampart-itsm/rampart/internal/store"
)

const clockColumns = `id, record_kind, record_id, definition_id, name, kind, target, duration_us, state, started_at, resumed_at,
	elapsed_us, paused_at, paused_total_us, due_at, warned, next_at, breached_at, stopped_at, version`

func scanClock(sc store.Scanner) (sla.Clock, error) {
	var c sla.Clock
	var dur, el, paused int64
	err := sc.Scan(&c.ID, &c.RecordKind, &c.RecordID, &c.DefinitionID, &c.Name, &c.Kind, &c.Target, &dur, &c.State,
		store.ScanTime(&c.StartedAt), store.ScanTime(&c.Since), &el, store.ScanTime(&c.PausedAt), &paused,
		store.ScanTime(&c.DueAt), &c.Warned, store.ScanTime(&c.NextAt), store.ScanTime(&c.BreachedAt),
		store.ScanTime(&c.StoppedAt), &c.Version)
	c.Duration, c.Elapsed, c.PausedTotal = us(dur), us(el), us(paused)
	return c, err
}

func us(n int64) time.Duration   { return time.Duration(n) * time.Microsecond }
func toUS(d time.Duration) int64 { return int64(d / time.Microsecond) }
func readClocks(rows *sql.Rows, err error) ([]sla.Clock, error) {
	if err != nil {
		return nil, err
	}
	out, err := store.Collect(rows, scanClock)
	return out, store.MapError(err)
}

// FindClocksUnscoped returns the clocks of the given records, oldest
// first.
func (s *slaStore) FindClocksUnscoped(ctx context.Context, recordKind string, ids []int64) ([]sla.Clock, error) {
	var out []sla.Clock
	err := store.Batches(ids, s.tx.IDBatch(), func(batch []int64) error {
		q := s.tx.ListQuery()
		q.And("record_kind = " + q.Arg(recordKind))
		q.And(s.tx.IDIn(&q, "record_id", batch))
		got, err := readClocks(s.tx.QueryIDs(ctx, `SELECT `+clockColumns+` FROM sla_clocks`+q.Where()+` ORDER BY id`, q.Args()...))
		out = append(out, got...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find SLA clocks: %w", err)
	}
	return out, nil
}

// ClaimDueClocksUnscoped reads clocks due by now through the partial
// index on next_at. On PostgreSQL the rows are locked and rows another
// poller holds are skipped, so two pollers never raise the same event
// (one replica runs the poll job at a time anyway; this is the second
// line). SQLite has one writer.
func (s *slaStore) ClaimDueClocksUnscoped(ctx context.Context, now time.Time, limit int) ([]sla.Clock, error) {
	out, err := readClocks(s.tx.Query(ctx, `SELECT `+clockColumns+` FROM sla_clocks
		WHERE next_at IS NOT NULL AND next_at <= $1 ORDER BY next_at, id LIMIT $2`+s.tx.Dialect().SkipLocked,
		store.At(now), limit))
	if err != nil {
		return nil, fmt.Errorf("claim due SLA clocks: %w", err)
	}
	return out, nil
}

// SaveClocks inserts new clocks and writes changed ones, each through one
// statement prepared for the batch (the fastest path on SQLite; a round
// trip per clock on PostgreSQL, see BenchmarkPoll).
func (s *slaStore) SaveClocks(ctx context.Context, clocks []*sla.Clock) error {
	var ins, upd *sql.Stmt
	for _, c := range clocks {
		args := []any{c.Name, string(c.Kind), string(c.Target), toUS(c.Duration), string(c.State), store.At(c.StartedAt),
			store.At(c.Since), toUS(c.Elapsed), store.At(c.PausedAt), toUS(c.PausedTotal), store.At(c.DueAt), c.Warned,
			store.At(c.NextAt), store.At(c.BreachedAt), store.At(c.StoppedAt)}
		var err error
		if c.ID == 0 {
			if ins == nil {
				if ins, err = s.tx.Prepare(ctx, `INSERT INTO sla_clocks (name, kind, target, duration_us, state, started_at, resumed_at,
						elapsed_us, paused_at, paused_total_us, due_at, warned, next_at, breached_at, stopped_at,
						record_kind, record_id, definition_id, version)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1) RETURNING id`); err != nil {
					return fmt.Errorf("prepare SLA clock insert: %w", err)
				}
			}
			c.Version = 1
			if err := ins.QueryRowContext(ctx, append(args, c.RecordKind, c.RecordID, c.DefinitionID)...).Scan(&c.ID); err != nil {
				return store.MapError(fmt.Errorf("insert SLA clock %q: %w", c.Name, err))
			}
			continue
		}
		if upd == nil {
			if upd, err = s.tx.Prepare(ctx, `UPDATE sla_clocks SET name = $1, kind = $2, target = $3, duration_us = $4, state = $5,
					started_at = $6, resumed_at = $7, elapsed_us = $8, paused_at = $9, paused_total_us = $10, due_at = $11,
					warned = $12, next_at = $13, breached_at = $14, stopped_at = $15, version = version + 1
				WHERE id = $16 AND version = $17`); err != nil {
				return fmt.Errorf("prepare SLA clock update: %w", err)
			}
		}
		res, err := upd.ExecContext(ctx, append(args, c.ID, c.Version)...)
		if err := changedOne(res, err, c); err != nil {
			return err
		}
	}
	return nil
}

// SaveFired writes the columns the poller changes, through one statement
// prepared for the batch: narrower than SaveClocks, so the indexes on
// due_at and the record are left alone.
func (s *slaStore) SaveFired(ctx context.Context, clocks []*sla.Clock) error {
	if len(clocks) == 0 {
		return nil
	}
	st, err := s.tx.Prepare(ctx, `UPDATE sla_clocks SET state = $1, warned = $2, next_at = $3, breached_at = $4, version = version + 1
		WHERE id = $5 AND version = $6`)
	if err != nil {
		return fmt.Errorf("prepare SLA clock update: %w", err)
	}
	for _, c := range clocks {
		res, err := st.ExecContext(ctx, string(c.State), c.Warned, store.At(c.NextAt), store.At(c.BreachedAt), c.ID, c.Version)
		if err := changedOne(res, err, c); err != nil {
			return err
		}
	}
	return nil
}

// changedOne checks that a clock's conditional update changed its row and
// moves its version on.
func changedOne(res sql.Result, err error, c *sla.Clock) error {
	if err != nil {
		return store.MapError(fmt.Errorf("update SLA clock %d: %w", c.ID, err))
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errs.E(errs.Conflict, "SLA clock %d changed meanwhile", c.ID)
	}
	c.Version++
	return nil
}

// ClockStats counts active clocks (through the partial index on due_at
// over stopped_at IS NULL) and those stopped since a time (through the
// index on stopped_at), by definition and state.
func (s *slaStore) ClockStats(ctx context.Context, since time.Time) ([]sla.ClockStat, error) {
	rows, err := s.tx.Query(ctx, `SELECT name, kind, target, state, stopped, COUNT(*), COALESCE(SUM(elapsed_us), 0) FROM (
			SELECT name, kind, target, state, 0 AS stopped, elapsed_us FROM sla_clocks WHERE stopped_at IS NULL
			UNION ALL
			SELECT name, kind, target, state, 1 AS stopped, elapsed_us FROM sla_clocks WHERE stopped_at >= $1) c
		GROUP BY name, kind, target, state, stopped ORDER BY name, state, stopped`, store.At(since))
	if err != nil {
		return nil, fmt.Errorf("SLA clock stats: %w", err)
	}
	out, err := store.Collect(rows, func(sc store.Scanner) (sla.ClockStat, error) {
		var st sla.ClockStat
		var el, stopped int64
		err := sc.Scan(&st.Name, &st.Kind, &st.Target, &st.State, &stopped, &st.Count, &el)
		st.Elapsed, st.Stopped = us(el), stopped == 1
		return st, err
	})
	return out, store.MapError(err)
}

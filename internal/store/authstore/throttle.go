package authstore

import (
	"context"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
)

// FindThrottlesUnscoped returns the stored state of each of keys that has
// one.
func (s *authStore) FindThrottlesUnscoped(ctx context.Context, keys []string) ([]auth.Throttle, error) {
	var q store.Query
	q.And("key IN " + store.InList(&q, keys))
	return s.throttles(ctx, q.Where(), q.Args()...)
}

// FindLocksUnscoped returns the keys starting with prefix locked after now.
func (s *authStore) FindLocksUnscoped(ctx context.Context, prefix string, now time.Time) ([]auth.Throttle, error) {
	return s.throttles(ctx, ` WHERE locked AND blocked_until > $1 AND key LIKE $2 ORDER BY key`, store.At(now), store.LikePrefix(prefix))
}

func (s *authStore) throttles(ctx context.Context, where string, args ...any) ([]auth.Throttle, error) {
	rows, err := s.tx.Query(ctx, `SELECT key, failures, last_failure_at, blocked_until, locked FROM sign_in_throttle`+where, args...)
	if err != nil {
		return nil, fmt.Errorf("find throttles: %w", err)
	}
	defer rows.Close()
	var out []auth.Throttle
	for rows.Next() {
		var t auth.Throttle
		if err := rows.Scan(&t.Key, &t.Failures, store.ScanTime(&t.LastFailureAt), store.ScanTime(&t.BlockedUntil), &t.Locked); err != nil {
			return nil, store.MapError(err)
		}
		out = append(out, t)
	}
	return out, store.MapError(rows.Err())
}

// RecordFailure counts one failure against key at now, starting the count
// again when the last failure was before forgetBefore, and returns the
// count. One upsert, so concurrent failures on several replicas each count.
func (s *authStore) RecordFailure(ctx context.Context, key string, now, forgetBefore time.Time) (int, error) {
	var n int
	err := s.tx.QueryRow(ctx, `INSERT INTO sign_in_throttle (key, failures, last_failure_at) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN sign_in_throttle.last_failure_at < $3 THEN 1 ELSE sign_in_throttle.failures + 1 END,
			last_failure_at = excluded.last_failure_at
		RETURNING failures`, key, store.At(now), store.At(forgetBefore)).Scan(&n)
	if err != nil {
		return 0, store.MapError(fmt.Errorf("record failure: %w", err))
	}
	return n, nil
}

// BlockThrottle blocks key until the given time; locked marks a lock.
func (s *authStore) BlockThrottle(ctx context.Context, key string, until time.Time, locked bool) error {
	_, err := s.tx.Exec(ctx, `UPDATE sign_in_throttle SET blocked_until = $1, locked = $2 WHERE key = $3`, store.At(until), locked, key)
	if err != nil {
		return fmt.Errorf("block throttle: %w", err)
	}
	return nil
}

// ClearThrottle forgets key's failures and block; it reports whether the
// key was blocked after now.
func (s *authStore) ClearThrottle(ctx context.Context, key string, now time.Time) (bool, error) {
	var blocked bool
	err := s.tx.QueryRow(ctx, `DELETE FROM sign_in_throttle WHERE key = $1 RETURNING blocked_until IS NOT NULL AND blocked_until > $2`,
		key, store.At(now)).Scan(&blocked)
	switch err = store.MapError(err); {
	case err == nil:
		return blocked, nil
	case errs.Is(err, errs.NotFound):
		return false, nil
	}
	return false, fmt.Errorf("clear throttle: %w", err)
}

// DeleteStaleThrottles removes the rows of keys neither blocked after now
// nor counting failures after forgetBefore.
func (s *authStore) DeleteStaleThrottles(ctx context.Context, now, forgetBefore time.Time) (int64, error) {
	res, err := s.tx.Exec(ctx, `DELETE FROM sign_in_throttle WHERE last_failure_at < $1 AND (blocked_until IS NULL OR blocked_until <= $2)`,
		store.At(forgetBefore), store.At(now))
	if err != nil {
		return 0, fmt.Errorf("purge throttles: %w", err)
	}
	return affected(res), nil
}

package authstore

import (
	"context"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/store"
)

// InsertSession stores a session under the hash of its id.
func (s *authStore) InsertSession(ctx context.Context, ss auth.StoredSession) error {
	_, err := s.tx.Exec(ctx, `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		ss.IDHash, ss.UserID, ss.CSRFToken, store.At(ss.CreatedAt), store.At(ss.ExpiresAt), store.At(ss.LastSeenAt))
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// FindSessionUnscoped returns the session stored under idHash.
func (s *authStore) FindSessionUnscoped(ctx context.Context, idHash string) (auth.StoredSession, error) {
	ss := auth.StoredSession{IDHash: idHash}
	err := s.tx.QueryRow(ctx, `SELECT user_id, csrf_token, created_at, expires_at, last_seen_at FROM sessions WHERE id_hash = $1`, idHash).
		Scan(&ss.UserID, &ss.CSRFToken, store.ScanTime(&ss.CreatedAt), store.ScanTime(&ss.ExpiresAt), store.ScanTime(&ss.LastSeenAt))
	if err != nil {
		return auth.StoredSession{}, store.MapError(err)
	}
	return ss, nil
}

// TouchSession slides a session's expiry unless its last activity is
// already after notBefore. The condition is in the UPDATE so concurrent
// requests of one browser (or several replicas) write it once.
func (s *authStore) TouchSession(ctx context.Context, idHash string, seen, expires, notBefore time.Time) (bool, error) {
	res, err := s.tx.Exec(ctx, `UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3 AND last_seen_at <= $4`,
		store.At(seen), store.At(expires), idHash, store.At(notBefore))
	if err != nil {
		return false, fmt.Errorf("touch session: %w", err)
	}
	return affected(res) > 0, nil
}

// DeleteSession removes a session; a missing one is not an error.
func (s *authStore) DeleteSession(ctx context.Context, idHash string) error {
	_, err := s.tx.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
	return err
}

// DeleteUserSessions removes every session of a user.
func (s *authStore) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := s.tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// DeleteExpiredSessions removes sessions whose expiry is not after now.
func (s *authStore) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, store.At(now))
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	return affected(res), nil
}

// DeleteOtherSessions removes every session of a user but the one whose
// hash is keep.
func (s *authStore) DeleteOtherSessions(ctx context.Context, userID int64, keep string) error {
	_, err := s.tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2`, userID, keep)
	return err
}

package auth

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// badLogin is the one message for an unknown user and a wrong password, so
// the answer does not tell which usernames exist.
const badLogin = "invalid username or password"

// Login checks a username and password and opens a session. It returns the
// session id for the browser's cookie (only its hash is stored) and the
// session. Anyone may call it. Errors: Unauthenticated "invalid username or
// password" for an unknown user or a wrong password (both take about the
// time of one password check), Unauthenticated for a disabled account.
func (s *Service) Login(ctx context.Context, username, password string) (sessionID string, sess Session, err error) {
	username = NormalizeUsername(username)
	var acct Account
	err = s.tx.View(ctx, func(tx Tx) (err error) {
		acct, err = tx.Auth().FindAccountUnscoped(ctx, username)
		return err
	})
	switch {
	case errs.Is(err, errs.NotFound):
		CheckMissingUser(password)
		s.loginFailures.Add(1)
		return "", Session{}, errs.E(errs.Unauthenticated, badLogin)
	case err != nil:
		return "", Session{}, err
	}
	if !CheckPassword(acct.PasswordHash, password) {
		s.loginFailures.Add(1)
		return "", Session{}, errs.E(errs.Unauthenticated, badLogin)
	}
	if acct.Disabled {
		s.loginFailures.Add(1)
		return "", Session{}, errs.E(errs.Unauthenticated, "this account is disabled; ask an administrator")
	}
	now := s.now()
	id := RandomSecret(32)
	row := StoredSession{IDHash: HashToken(id), UserID: acct.ID, CSRFToken: RandomSecret(32),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: sessionExpiry(now, now)}
	if err := s.tx.InTx(ctx, func(tx Tx) error { return tx.Auth().InsertSession(ctx, row) }); err != nil {
		return "", Session{}, err
	}
	return id, Session{UserID: acct.ID, CSRFToken: row.CSRFToken, ExpiresAt: row.ExpiresAt}, nil
}

// sessionExpiry is when a session created at created and last used at
// seen ends: after SessionIdleTimeout without use, and SessionMaxAge after
// sign-in at the latest.
func sessionExpiry(created, seen time.Time) time.Time {
	idle, absolute := seen.Add(SessionIdleTimeout), created.Add(SessionMaxAge)
	if idle.Before(absolute) {
		return idle
	}
	return absolute
}

// SessionPrincipal resolves a session cookie to the signed-in user's
// principal (roles and teams as stored now, so a role change applies at
// the next request). It slides the idle expiry, writing at most once a
// minute. Errors: Unauthenticated for an unknown or expired session or a
// disabled account.
func (s *Service) SessionPrincipal(ctx context.Context, sessionID string) (Principal, Session, error) {
	expired := errs.E(errs.Unauthenticated, "your session has ended; sign in again")
	if sessionID == "" {
		return Principal{}, Session{}, expired
	}
	now := s.now()
	hash := HashToken(sessionID)
	var row StoredSession
	var acct Account
	err := s.tx.View(ctx, func(tx Tx) (err error) {
		if row, err = tx.Auth().FindSessionUnscoped(ctx, hash); err != nil {
			return err
		}
		acct, err = tx.Auth().FindAccountByIDUnscoped(ctx, row.UserID)
		return err
	})
	switch {
	case errs.Is(err, errs.NotFound):
		return Principal{}, Session{}, expired
	case err != nil:
		return Principal{}, Session{}, err
	case !now.Before(row.ExpiresAt):
		return Principal{}, Session{}, expired
	case acct.Disabled:
		return Principal{}, Session{}, errs.E(errs.Unauthenticated, "this account is disabled; ask an administrator")
	}
	if now.Sub(row.LastSeenAt) >= touchInterval {
		next := sessionExpiry(row.CreatedAt, now)
		err := s.tx.InTx(ctx, func(tx Tx) error {
			_, err := tx.Auth().TouchSession(ctx, hash, now, next, now.Add(-touchInterval))
			return err
		})
		if err != nil {
			return Principal{}, Session{}, err
		}
		row.ExpiresAt = next
	}
	return acct.Principal(), Session{UserID: acct.ID, CSRFToken: row.CSRFToken, ExpiresAt: row.ExpiresAt}, nil
}

// Logout ends a session. Anyone holding the session id may call it; an
// unknown id is not an error, so signing out twice is harmless.
func (s *Service) Logout(ctx context.Context, sessionID string) error {
	if sessionID == "" {
		return nil
	}
	return s.tx.InTx(ctx, func(tx Tx) error { return tx.Auth().DeleteSession(ctx, HashToken(sessionID)) })
}

// PurgeSessions deletes expired sessions and returns how many. Expired
// sessions are already refused; this only reclaims their rows. Called by
// a recurring background job.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	var n int64
	now := s.now()
	err := s.tx.InTx(ctx, func(tx Tx) (err error) {
		n, err = tx.Auth().DeleteExpiredSessions(ctx, now)
		return err
	})
	return n, err
}

package auth

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// badLogin is the one message for an unknown user and a wrong password, so
// the answer does not tell which usernames exist.
const badLogin = "invalid username or password"

// Login checks a username and password and opens a session. It returns the
// session id for the browser's cookie (only its hash is stored) and the
// session. Anyone may call it; the client address in ctx (WithClientAddr)
// is throttled along with the account. Errors: TooMany (with RetryAfter)
// while the account or the address waits after failed attempts or is
// locked, checked before any password is hashed; Unavailable (with
// RetryAfter) when too many passwords are being checked at once;
// Unauthenticated "invalid username or password" for an unknown user or a
// wrong password (both take about the time of one password check),
// Unauthenticated for a disabled account. Every outcome but the refusals
// before the check is an audit entry.
func (s *Service) Login(ctx context.Context, username, password string) (sessionID string, sess Session, err error) {
	username = clip(NormalizeUsername(username), maxUsernameBytes)
	keys := throttleKeys(ctx, username)
	var acct Account
	var throttles []Throttle
	err = s.tx.View(ctx, func(tx Tx) (err error) {
		if throttles, err = tx.Auth().FindThrottlesUnscoped(ctx, keys); err != nil {
			return err
		}
		acct, err = tx.Auth().FindAccountUnscoped(ctx, username)
		return err
	})
	known := err == nil
	if err != nil && !errs.Is(err, errs.NotFound) {
		return "", Session{}, err
	}
	if err := s.refuseThrottled(throttles); err != nil {
		return "", Session{}, err
	}
	ok, err := s.checkPassword(ctx, acct.PasswordHash, password)
	if err != nil {
		return "", Session{}, err
	}
	if !ok || !known {
		s.loginFailures.Add(1)
		if err := s.passwordFailed(ctx, keys, username, signInRecord(ctx, "login_failed", username, "invalid credentials")); err != nil {
			return "", Session{}, err
		}
		return "", Session{}, errs.E(errs.Unauthenticated, badLogin)
	}
	if acct.Disabled {
		s.loginFailures.Add(1)
		if err := s.tx.InTx(ctx, func(tx Tx) error {
			return tx.Audit().Append(signInRecord(ctx, "login_refused", username, "the account is disabled"))
		}); err != nil {
			return "", Session{}, err
		}
		return "", Session{}, errs.E(errs.Unauthenticated, "this account is disabled; ask an administrator")
	}
	now := s.now()
	id := RandomSecret(32)
	row := StoredSession{IDHash: HashToken(id), UserID: acct.ID, CSRFToken: RandomSecret(32),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: sessionExpiry(now, now)}
	if err := s.tx.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Auth().ClearThrottle(ctx, accountKey(username), now); err != nil {
			return err
		}
		if err := tx.Auth().InsertSession(ctx, row); err != nil {
			return err
		}
		return tx.Audit().Append(signInRecord(ctx, "login", username, ""))
	}); err != nil {
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
	p := acct.Principal()
	p.MustChangePassword, p.session = acct.MustChangePassword, hash
	return p, Session{UserID: acct.ID, CSRFToken: row.CSRFToken, ExpiresAt: row.ExpiresAt}, nil
}

// Logout ends a session and records it in the audit log. Anyone holding
// the session id may call it; an unknown id is not an error, so signing
// out twice is harmless.
func (s *Service) Logout(ctx context.Context, sessionID string) error {
	if sessionID == "" {
		return nil
	}
	hash := HashToken(sessionID)
	return s.tx.InTx(ctx, func(tx Tx) error {
		row, err := tx.Auth().FindSessionUnscoped(ctx, hash)
		switch {
		case errs.Is(err, errs.NotFound):
			return nil
		case err != nil:
			return err
		}
		acct, err := tx.Auth().FindAccountByIDUnscoped(ctx, row.UserID)
		if err != nil {
			return notFound(err, "no such user")
		}
		if err := tx.Auth().DeleteSession(ctx, hash); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: acct.Username, Action: "logout", Kind: auditUser, Key: acct.Username,
			After: clientDetail(ctx, "")})
	})
}

// PurgeSessions deletes expired sessions and returns how many, and the
// sign-in throttle rows that no longer block or count. Expired sessions
// are already refused; this only reclaims their rows. Called by
// a recurring background job.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	var n int64
	now := s.now()
	err := s.tx.InTx(ctx, func(tx Tx) (err error) {
		if n, err = tx.Auth().DeleteExpiredSessions(ctx, now); err != nil {
			return err
		}
		_, err = tx.Auth().DeleteStaleThrottles(ctx, now, now.Add(-ThrottleWindow))
		return err
	})
	return n, err
}

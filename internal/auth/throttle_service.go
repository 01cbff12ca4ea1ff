package auth

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Audit kind of a throttled client address (a lock on one).
const auditClientAddress = "client_address"

// refuseThrottled returns TooMany, with the time left, when one of the
// throttle states blocks an attempt now.
func (s *Service) refuseThrottled(ts []Throttle) error {
	wait := blockedFor(ts, s.now())
	if wait <= 0 {
		return nil
	}
	for _, t := range ts {
		if t.Locked && t.BlockedUntil.After(s.now()) {
			return errs.Retry(errs.TooMany, wait, "too many failed attempts: locked for %s; an administrator can unlock the account", roundUp(wait))
		}
	}
	return errs.Retry(errs.TooMany, wait, "too many failed attempts: wait %s before trying again", roundUp(wait))
}

// roundUp shows a wait in whole seconds.
func roundUp(d time.Duration) time.Duration {
	return ((d + time.Second - 1) / time.Second) * time.Second
}

// passwordFailed counts a failed password check for username against
// keys, blocks or locks the keys the policy says, and writes the audit
// entries (entry, then one "lock" per new lock), in one unit of work.
func (s *Service) passwordFailed(ctx context.Context, keys []string, username string, entry audit.Record) error {
	now := s.now()
	return s.tx.InTx(ctx, func(tx Tx) error {
		if err := tx.Audit().Append(entry); err != nil {
			return err
		}
		for _, key := range keys {
			n, err := tx.Auth().RecordFailure(ctx, key, now, now.Add(-ThrottleWindow))
			if err != nil {
				return err
			}
			block, locked := policyOf(key).after(n)
			if block <= 0 {
				continue
			}
			until := now.Add(block)
			if err := tx.Auth().BlockThrottle(ctx, key, until, locked); err != nil {
				return err
			}
			if !locked || n != policyOf(key).LockAt {
				continue // the lock was recorded when it began
			}
			kind, name := auditUser, username
			if key != accountKey(username) {
				kind, name = auditClientAddress, key[len(addressKeyPrefix):]
			}
			if err := tx.Audit().Append(audit.Record{Actor: System.Actor(), Action: "lock", Kind: kind, Key: name,
				After: lockDetail{LockedUntil: until, Failures: n}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// lockDetail is the audit detail of a lock.
type lockDetail struct {
	LockedUntil time.Time `json:"locked_until"`
	Failures    int       `json:"failures"`
}

// signInDetail is the audit detail of a sign-in event: where it came from
// and, for a refusal, why. Never the password tried.
type signInDetail struct {
	ClientAddress string `json:"client_address,omitempty"`
	Reason        string `json:"reason,omitempty"`
}

func clientDetail(ctx context.Context, reason string) any {
	d := signInDetail{ClientAddress: ClientAddr(ctx), Reason: reason}
	if d == (signInDetail{}) {
		return nil
	}
	return d
}

// signInRecord is the audit entry of a sign-in attempt on username. A
// successful one is the user's own act; a failed one is anonymous, since
// whoever tried did not prove who they are.
func signInRecord(ctx context.Context, action, username, reason string) audit.Record {
	actor := username
	if action != "login" {
		actor = "anonymous"
	}
	return audit.Record{Actor: actor, Action: action, Kind: auditUser, Key: username, After: clientDetail(ctx, reason)}
}

// Unlock lifts the sign-in lock or delay on a user's account at once (the
// throttle of client addresses stays). Needs auth.UserManage. Unlocking an
// account that is not locked does nothing and writes no audit entry.
// Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) Unlock(ctx context.Context, p Principal, username string) error {
	if err := p.Require(UserManage); err != nil {
		return err
	}
	username = NormalizeUsername(username)
	now := s.now()
	return s.tx.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Auth().FindAccountUnscoped(ctx, username); err != nil {
			return notFound(err, "no user named %q", username)
		}
		was, err := tx.Auth().ClearThrottle(ctx, accountKey(username), now)
		if err != nil || !was {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: "unlock", Kind: auditUser, Key: username})
	})
}

// AccountLocks returns the accounts locked now, by username, with the time
// each lock ends, for the Users page. Needs auth.UserManage.
func (s *Service) AccountLocks(ctx context.Context, p Principal) (map[string]time.Time, error) {
	if err := p.Require(UserManage); err != nil {
		return nil, err
	}
	var ts []Throttle
	err := s.tx.View(ctx, func(tx Tx) (err error) {
		ts, err = tx.Auth().FindLocksUnscoped(ctx, accountKeyPrefix, s.now())
		return err
	})
	out := map[string]time.Time{}
	for _, t := range ts {
		out[t.Key[len(accountKeyPrefix):]] = t.BlockedUntil
	}
	return out, err
}

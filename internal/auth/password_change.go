package auth

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// ChangePassword changes the caller's own password, clears
// must_change_password and ends the caller's other sessions (the one it
// came with stays signed in). Any signed-in user may call it. A wrong
// current password is a failed password check: it is throttled like a
// sign-in, against the account and the client address in ctx. Errors:
// Unauthenticated, TooMany (with RetryAfter), Unavailable (too many
// password checks at once), Invalid (old_password does not match;
// new_password breaks the policy or equals the old one).
func (s *Service) ChangePassword(ctx context.Context, p Principal, oldPassword, newPassword string) error {
	if p.UserID == 0 {
		return errs.E(errs.Unauthenticated, "sign in first")
	}
	keys := throttleKeys(ctx, p.Username)
	var acct Account
	var throttles []Throttle
	if err := s.tx.View(ctx, func(tx Tx) (err error) {
		if throttles, err = tx.Auth().FindThrottlesUnscoped(ctx, keys); err != nil {
			return err
		}
		acct, err = tx.Auth().FindAccountByIDUnscoped(ctx, p.UserID)
		return err
	}); err != nil {
		return notFound(err, "your account no longer exists")
	}
	if err := s.refuseThrottled(throttles); err != nil {
		return err
	}
	var fe errs.Fields
	checkPassword(&fe, "new_password", acct.Username, newPassword)
	if newPassword == oldPassword {
		fe.Add("new_password", "must differ from the current password")
	}
	ok, err := s.checkPassword(ctx, acct.PasswordHash, oldPassword)
	switch {
	case err != nil:
		return err
	case !ok:
		s.loginFailures.Add(1)
		if err := s.passwordFailed(ctx, keys, acct.Username, audit.Record{Actor: p.Actor(),
			Action: "change_password_failed", Kind: auditUser, Key: acct.Username, After: clientDetail(ctx, "wrong current credentials")}); err != nil {
			return err
		}
		return errs.Field("old_password", "does not match your current password")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, newPassword)
	if err != nil {
		return err
	}
	now := s.now()
	return s.tx.InTx(ctx, func(tx Tx) error {
		if err := tx.Auth().SetPassword(ctx, acct.ID, hash, false); err != nil {
			return err
		}
		if _, err := tx.Auth().ClearThrottle(ctx, accountKey(acct.Username), now); err != nil {
			return err
		}
		if err := tx.Auth().DeleteOtherSessions(ctx, acct.ID, p.session); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: "change_password", Kind: auditUser, Key: acct.Username,
			After: clientDetail(ctx, "")})
	})
}

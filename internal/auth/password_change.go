package auth

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// ChangePassword changes the caller's own password and clears
// must_change_password. Any signed-in user may call it. Errors:
// Unauthenticated, Invalid (old_password does not match; new_password
// breaks the policy or equals the old one).
func (s *Service) ChangePassword(ctx context.Context, p Principal, oldPassword, newPassword string) error {
	if p.UserID == 0 {
		return errs.E(errs.Unauthenticated, "sign in first")
	}
	var acct Account
	if err := s.tx.View(ctx, func(tx Tx) (err error) {
		acct, err = tx.Auth().FindAccountByIDUnscoped(ctx, p.UserID)
		return err
	}); err != nil {
		return notFound(err, "your account no longer exists")
	}
	if !CheckPassword(acct.PasswordHash, oldPassword) {
		s.loginFailures.Add(1)
		return errs.Field("old_password", "does not match your current password")
	}
	var fe errs.Fields
	checkPassword(&fe, "new_password", acct.Username, newPassword)
	if newPassword == oldPassword {
		fe.Add("new_password", "must differ from the current password")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(newPassword)
	if err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(tx Tx) error {
		if err := tx.Auth().SetPassword(ctx, acct.ID, hash, false); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: "change_password", Kind: auditUser, Key: acct.Username})
	})
}

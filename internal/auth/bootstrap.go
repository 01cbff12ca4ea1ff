package auth

import (
	"context"
	"fmt"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// BootstrapUsername is the first administrator's username.
const BootstrapUsername = "admin"

// Bootstrap creates the first administrator, "admin", when no user exists
// yet, with a random one-time password the caller prints once; the user
// must change it at first sign-in. There is never a fixed default password.
// Called by the server at start. Several replicas may start at once: the
// unique username lets exactly one create the account, the others get
// created=false. Errors are Unavailable or Internal.
func (s *Service) Bootstrap(ctx context.Context) (adminPassword string, created bool, err error) {
	var n int
	if err := s.tx.View(ctx, func(tx Tx) (err error) {
		n, err = tx.Auth().CountUsersUnscoped(ctx)
		return err
	}); err != nil {
		return "", false, fmt.Errorf("bootstrap: count users: %w", err)
	}
	if n > 0 {
		return "", false, nil
	}
	// Hashed before the write transaction: argon2id takes tens of
	// milliseconds that the database lock should not wait for.
	password := RandomSecret(18)
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return "", false, err
	}
	err = s.tx.InTx(ctx, func(tx Tx) error {
		n, err := tx.Auth().CountUsersUnscoped(ctx)
		if err != nil || n > 0 {
			return err
		}
		u, err := tx.Auth().InsertUser(ctx, User{Username: BootstrapUsername, DisplayName: "Administrator",
			Roles: []Role{RoleAdmin}, MustChangePassword: true}, hash)
		if err != nil {
			return err
		}
		created = true
		return tx.Audit().Append(audit.Record{Actor: System.Actor(), Action: audit.ActionCreate, Kind: auditUser, Key: u.Username, After: u})
	})
	switch {
	case errs.Is(err, errs.Conflict):
		return "", false, nil // another replica created it at the same moment
	case err != nil:
		return "", false, fmt.Errorf("bootstrap: %w", err)
	case !created:
		return "", false, nil
	}
	return password, true, nil
}

package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// CreateUser adds a user. Needs auth.UserManage. Rules: username of lower-
// case letters, digits and . _ @ - (input is lower-cased); at least one
// role; teams must exist; password at least MinPasswordLength characters
// and not the username. Errors: Unauthenticated, Forbidden, Invalid with
// field errors, Conflict when the username is taken.
func (s *Service) CreateUser(ctx context.Context, p Principal, nu NewUser) (User, error) {
	if err := p.Require(UserManage); err != nil {
		return User{}, err
	}
	var fe errs.Fields
	u := User{Username: NormalizeUsername(nu.Username), DisplayName: strings.TrimSpace(nu.DisplayName), Email: strings.TrimSpace(nu.Email),
		MustChangePassword: nu.OneTimePassword}
	checkUsername(&fe, u.Username)
	checkText(&fe, "display_name", u.DisplayName, 200)
	checkEmail(&fe, "email", u.Email)
	checkPassword(&fe, "password", u.Username, nu.Password)
	u.Roles = normalizeRoles(&fe, nu.Roles)
	u.Teams = normalizeNames(nu.Teams, noFold)
	if err := fe.Err(); err != nil {
		return User{}, err
	}
	hash, err := s.hashPassword(ctx, nu.Password) // before the transaction: it is slow on purpose
	if err != nil {
		return User{}, err
	}
	var created User
	err = s.tx.InTx(ctx, func(tx Tx) (err error) {
		if created, err = tx.Auth().InsertUser(ctx, u, hash); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionCreate, Kind: auditUser, Key: created.Username, After: created})
	})
	return created, taken(err, "username", "a user named %q already exists", u.Username)
}

// UpdateUser changes a user. Needs auth.UserManage. A password set here is
// a reset: the user must change it at next sign-in (unless it is the
// caller's own) and their sessions end. Disabling a user ends their
// sessions and refuses their tokens. Errors: Unauthenticated, Forbidden,
// NotFound, Invalid, Conflict (the change would leave no enabled admin,
// or would disable the caller).
func (s *Service) UpdateUser(ctx context.Context, p Principal, username string, uu UserUpdate) (User, error) {
	if err := p.Require(UserManage); err != nil {
		return User{}, err
	}
	username = NormalizeUsername(username)
	var fe errs.Fields
	if uu.DisplayName != nil {
		checkText(&fe, "display_name", strings.TrimSpace(*uu.DisplayName), 200)
	}
	if uu.Email != nil {
		checkEmail(&fe, "email", strings.TrimSpace(*uu.Email))
	}
	var roles []Role
	if uu.Roles != nil {
		roles = normalizeRoles(&fe, *uu.Roles)
	}
	hash := ""
	if uu.Password != nil {
		checkPassword(&fe, "password", username, *uu.Password)
	}
	if err := fe.Err(); err != nil {
		return User{}, err
	}
	if uu.Password != nil {
		var err error
		if hash, err = s.hashPassword(ctx, *uu.Password); err != nil {
			return User{}, err
		}
	}
	var updated User
	err := s.tx.InTx(ctx, func(tx Tx) error {
		acct, err := tx.Auth().FindAccountUnscoped(ctx, username)
		if err != nil {
			return notFound(err, "no user named %q", username)
		}
		self := !p.System && acct.ID == p.UserID
		before, after := acct.User, acct.User
		if uu.DisplayName != nil {
			after.DisplayName = strings.TrimSpace(*uu.DisplayName)
		}
		if uu.Email != nil {
			after.Email = strings.TrimSpace(*uu.Email)
		}
		if uu.Roles != nil {
			after.Roles = roles
		}
		if uu.Teams != nil {
			after.Teams = normalizeNames(*uu.Teams, noFold)
		}
		if uu.Disabled != nil {
			if *uu.Disabled && self && !before.Disabled {
				return errs.E(errs.Conflict, "you cannot disable your own account")
			}
			after.Disabled = *uu.Disabled
		}
		if hash != "" {
			after.MustChangePassword = !self || uu.oneTime
		}
		if err := keepAnAdmin(ctx, tx, before, after); err != nil {
			return err
		}
		if updated, err = tx.Auth().UpdateUser(ctx, after); err != nil {
			return err
		}
		if err := s.revokeCredentials(ctx, tx, p, before, after, hash != "", self); err != nil {
			return err
		}
		if err := tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionUpdate, Kind: auditUser, Key: username, Before: before, After: updated}); err != nil {
			return err
		}
		if hash == "" {
			return nil
		}
		if err := tx.Auth().SetPassword(ctx, acct.ID, hash, after.MustChangePassword); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: "reset_password", Kind: auditUser, Key: username})
	})
	return updated, err
}

// ResetPassword gives a user a new random one-time password and returns it
// for the caller to hand over; it is shown nowhere else. It is a reset like
// a password set through UpdateUser: the user must choose a new password at
// next sign-in (even when resetting your own) and every session of theirs
// ends. Needs auth.UserManage. Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) ResetPassword(ctx context.Context, p Principal, username string) (string, error) {
	password := RandomSecret(18)
	if _, err := s.UpdateUser(ctx, p, username, UserUpdate{Password: &password, oneTime: true}); err != nil {
		return "", err
	}
	return password, nil
}

// revokeCredentials ends what a change to a user's account should end. A
// password reset (set by someone else, or a one-time password) and
// disabling are what an administrator does to a compromised account: every
// session ends and every API token is revoked for good (enabling the
// account again revives none). Setting your own password ends your other
// sessions.
func (s *Service) revokeCredentials(ctx context.Context, tx Tx, p Principal, before, after User, newPassword, self bool) error {
	reset := newPassword && after.MustChangePassword
	disabled := after.Disabled && !before.Disabled
	switch {
	case reset || disabled:
		if err := tx.Auth().DeleteUserSessions(ctx, after.ID); err != nil {
			return err
		}
		reason := "password reset"
		if disabled {
			reason = "account disabled"
		}
		return s.revokeAllTokens(ctx, tx, p, after.ID, reason)
	case newPassword && self:
		return tx.Auth().DeleteOtherSessions(ctx, after.ID, p.session)
	}
	return nil
}

// keepAnAdmin refuses a change that takes the last enabled administrator
// away (by role removal, disabling or, with after.Disabled, deletion), so
// nobody is left who can manage users.
func keepAnAdmin(ctx context.Context, tx Tx, before, after User) error {
	wasAdmin := slices.Contains(before.Roles, RoleAdmin) && !before.Disabled
	isAdmin := slices.Contains(after.Roles, RoleAdmin) && !after.Disabled
	if !wasAdmin || isAdmin {
		return nil
	}
	ids, err := tx.Auth().LockEnabledAdminsUnscoped(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if id != before.ID {
			return nil
		}
	}
	return errs.E(errs.Conflict, "%s is the last enabled administrator; make someone else an administrator first", before.Username)
}

// DeleteUser removes a user with their sessions, tokens and team
// memberships; CIs they owned become unowned. Needs auth.UserManage.
// Errors: Unauthenticated, Forbidden, NotFound, Conflict (deleting
// yourself, or the last enabled admin).
func (s *Service) DeleteUser(ctx context.Context, p Principal, username string) error {
	if err := p.Require(UserManage); err != nil {
		return err
	}
	username = NormalizeUsername(username)
	return s.tx.InTx(ctx, func(tx Tx) error {
		acct, err := tx.Auth().FindAccountUnscoped(ctx, username)
		if err != nil {
			return notFound(err, "no user named %q", username)
		}
		if !p.System && acct.ID == p.UserID {
			return errs.E(errs.Conflict, "you cannot delete your own account")
		}
		gone := acct.User
		gone.Disabled = true
		if err := keepAnAdmin(ctx, tx, acct.User, gone); err != nil {
			return err
		}
		if err := tx.Auth().DeleteUser(ctx, acct.ID); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionDelete, Kind: auditUser, Key: username, Before: acct.User})
	})
}

func noFold(s string) string { return s }

// taken turns a Conflict from the unique index on a name into one that
// names the field, whatever the database engine said; other errors pass.
func taken(err error, field, format string, args ...any) error {
	if !errs.Is(err, errs.Conflict) {
		return err
	}
	return &errs.Error{Kind: errs.Conflict, Message: fmt.Sprintf(format, args...),
		Fields: []errs.FieldError{{Field: field, Message: "already in use"}}, Err: err}
}

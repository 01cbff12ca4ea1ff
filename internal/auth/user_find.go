package auth

import (
	"context"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// FindUsers lists users ordered by username, one page at a time. What the
// caller sees is auth.VisibilityFor(p, KindUser): staff see everybody, a requester only
// themselves (in the items and in the total). Errors: Unauthenticated,
// Forbidden, Invalid (role, cursor).
func (s *Service) FindUsers(ctx context.Context, p Principal, f UserFilter) (UserPage, error) {
	if err := p.Require(UserRead); err != nil {
		return UserPage{}, err
	}
	var fe errs.Fields
	f.Limit = paging.Limit(&fe, f.Limit)
	f.Query = strings.TrimSpace(f.Query)
	f.Team = strings.TrimSpace(f.Team)
	if f.Role != "" && !f.Role.Valid() {
		fe.Add("role", "unknown role %q (known: %s)", f.Role, roleList())
	}
	if err := fe.Err(); err != nil {
		return UserPage{}, err
	}
	var page UserPage
	err := s.tx.View(ctx, func(tx Tx) (err error) {
		page, err = tx.Auth().FindUsers(ctx, VisibilityFor(p, KindUser), f)
		return err
	})
	return page, err
}

// FindUserByName returns one user. A user outside the caller's
// auth.VisibilityFor(p, KindUser) is reported as NotFound, exactly like a missing one.
// Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) FindUserByName(ctx context.Context, p Principal, username string) (User, error) {
	if err := p.Require(UserRead); err != nil {
		return User{}, err
	}
	username = NormalizeUsername(username)
	var u User
	err := s.tx.View(ctx, func(tx Tx) (err error) {
		u, err = tx.Auth().FindUser(ctx, VisibilityFor(p, KindUser), username)
		return notFound(err, "no user named %q", username)
	})
	return u, err
}

package auth

import (
	"context"
	"slices"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Principal is who is acting: a signed-in user, a token holder, or the
// system itself (migrations, demo data, background runners).
type Principal struct {
	UserID   int64
	Username string
	Roles    []Role
	TeamIDs  []int64
	System   bool
	// Scopes are those of the API token the principal came with; nil for
	// a browser session and the system, which no scope limits.
	Scopes []TokenScope
	// MustChangePassword: the principal signed in with a temporary
	// password (a session) and may do nothing but choose a new one, sign
	// out and read what that page needs (see RequirePasswordChosen).
	MustChangePassword bool
	// session is the hash of the session the principal came with; "" for
	// tokens and the system.
	session string
}

// System is the principal for work Rampart does on its own behalf.
var System = Principal{Username: "system", Roles: []Role{RoleAdmin}, System: true}

// Has reports whether the principal holds role r.
func (p Principal) Has(r Role) bool { return slices.Contains(p.Roles, r) }

// Can reports whether the principal may take action a.
func (p Principal) Can(a Action) bool {
	for _, r := range grants[a] {
		if p.Has(r) {
			return true
		}
	}
	return false
}

// Allows reports whether the principal's credential may make a call that
// needs scope need (ScopeRead for a read, ScopeFull for a write): true
// without token scopes, else when one of them allows it.
func (p Principal) Allows(need TokenScope) bool {
	if p.Scopes == nil {
		return true
	}
	return slices.ContainsFunc(p.Scopes, func(s TokenScope) bool { return s.Allows(need) })
}

// Require returns a Forbidden error unless the principal may take action a.
func (p Principal) Require(a Action) error {
	if p.UserID == 0 && !p.System {
		return errs.E(errs.Unauthenticated, "sign in first")
	}
	if !p.Can(a) {
		return errs.E(errs.Forbidden, "your roles do not allow %s", a)
	}
	return nil
}

// RequirePasswordChosen refuses, with Forbidden, a principal that must
// change a temporary password first. Adapters call it for every route but
// the few a user needs to change it; services that issue credentials call
// it too.
func (p Principal) RequirePasswordChosen() error {
	if p.MustChangePassword {
		return errs.E(errs.Forbidden, "you signed in with a temporary password: choose your own first (Change password)")
	}
	return nil
}

// Actor is the name written into audit entries.
func (p Principal) Actor() string { return p.Username }

type ctxKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal in ctx; the zero Principal (no roles,
// not signed in) when there is none, so a missing principal is denied.
func FromContext(ctx context.Context) Principal {
	p, _ := ctx.Value(ctxKey{}).(Principal)
	return p
}

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

package auth

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// TokenPrincipal resolves an API token to the principal of the user it
// acts as. It records the token's last use, writing at most once a minute.
// Errors: Unauthenticated for an unknown, revoked or expired token and for
// a disabled user.
func (s *Service) TokenPrincipal(ctx context.Context, token string) (Principal, error) {
	bad := errs.E(errs.Unauthenticated, "the API token is unknown, revoked or expired")
	if token == "" {
		return Principal{}, bad
	}
	now := s.now()
	var t StoredToken
	var acct Account
	err := s.tx.View(ctx, func(tx Tx) (err error) {
		if t, err = tx.Auth().FindTokenByHashUnscoped(ctx, HashToken(token)); err != nil {
			return err
		}
		acct, err = tx.Auth().FindAccountByIDUnscoped(ctx, t.UserID)
		return err
	})
	switch {
	case errs.Is(err, errs.NotFound):
		return Principal{}, bad
	case err != nil:
		return Principal{}, err
	case !t.Active(now):
		return Principal{}, bad
	case acct.Disabled:
		return Principal{}, errs.E(errs.Unauthenticated, "the account this token belongs to is disabled")
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchInterval {
		if err := s.tx.InTx(ctx, func(tx Tx) error {
			return tx.Auth().TouchToken(ctx, t.ID, now, now.Add(-touchInterval))
		}); err != nil {
			return Principal{}, err
		}
	}
	p := acct.Principal()
	p.Scopes = t.Scopes
	return p, nil
}

// ownTarget returns the normalised username a token call is about ("" means
// the caller's own) and checks the caller may act on it: users act on their
// own tokens, auth.TokenManage on anyone's. Errors: Unauthenticated,
// Forbidden, Invalid.
func ownTarget(p Principal, username string) (string, error) {
	if err := signedIn(p); err != nil {
		return "", err
	}
	username = NormalizeUsername(username)
	if username == "" {
		if p.System {
			return "", errs.Field("username", "is required")
		}
		username = p.Username
	}
	if p.System || username != p.Username {
		if err := p.Require(TokenManage); err != nil {
			return "", err
		}
	}
	return username, nil
}

// Token lifetimes: every token expires.
const (
	// DefaultTokenLifetime is a new token's life when none is asked for.
	DefaultTokenLifetime = 90 * 24 * time.Hour
	// MaxTokenLifetime is the longest life a token may be given.
	MaxTokenLifetime = 365 * 24 * time.Hour
)

// CreateToken issues an API token for username ("" for the caller) with
// the given scopes (none: ScopeFull) and returns it; it is shown this
// once, only its hash is kept. Users may create their own tokens;
// auth.TokenManage creates them for anyone. A caller whose own token is
// limited by scopes, or who signed in with a temporary password, cannot
// issue tokens. expiresAt nil means DefaultTokenLifetime from now; it may
// be at most MaxTokenLifetime away. Errors: Unauthenticated, Forbidden,
// Invalid (name, expiry, scopes, disabled user), NotFound (no such user).
func (s *Service) CreateToken(ctx context.Context, p Principal, username, name string, expiresAt *time.Time, scopes ...TokenScope) (string, Token, error) {
	username, err := ownTarget(p, username)
	if err != nil {
		return "", Token{}, err
	}
	if err := p.RequirePasswordChosen(); err != nil {
		return "", Token{}, err
	}
	if !p.Allows(ScopeFull) {
		return "", Token{}, errs.E(errs.Forbidden, "a token limited to %s cannot issue tokens", scopeNames(p.Scopes))
	}
	var fe errs.Fields
	scopes, err = normalizeScopes(scopes)
	if err != nil {
		return "", Token{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		fe.Add("name", "is required")
	}
	checkText(&fe, "name", name, 100)
	now := s.now()
	at := now.Add(DefaultTokenLifetime)
	if expiresAt != nil {
		at = clock.Normalize(*expiresAt)
	}
	switch {
	case !at.After(now):
		fe.Add("expires_at", "must be in the future")
	case at.After(now.Add(MaxTokenLifetime)):
		fe.Add("expires_at", "must be at most %d days away", MaxTokenLifetime/(24*time.Hour))
	}
	expiresAt = &at
	if err := fe.Err(); err != nil {
		return "", Token{}, err
	}
	raw, hash := NewToken()
	var t StoredToken
	err = s.tx.InTx(ctx, func(tx Tx) error {
		acct, err := tx.Auth().FindAccountUnscoped(ctx, username)
		if err != nil {
			return notFound(err, "no user named %q", username)
		}
		if acct.Disabled {
			return errs.Field("username", "the account is disabled")
		}
		if t, err = tx.Auth().InsertToken(ctx, acct.ID, name, hash, expiresAt, scopes); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionCreate, Kind: auditToken,
			Key: strconv.FormatInt(t.ID, 10), After: t.Token})
	})
	if err != nil {
		return "", Token{}, err
	}
	return raw, t.Token, nil
}

// FindTokens lists the tokens of username ("" for the caller), newest
// first, revoked and expired ones included. Users see their own;
// auth.TokenManage sees anyone's. Errors: Unauthenticated, Forbidden,
// NotFound.
func (s *Service) FindTokens(ctx context.Context, p Principal, username string) ([]Token, error) {
	username, err := ownTarget(p, username)
	if err != nil {
		return nil, err
	}
	var out []Token
	err = s.tx.View(ctx, func(tx Tx) error {
		acct, err := tx.Auth().FindAccountUnscoped(ctx, username)
		if err != nil {
			return notFound(err, "no user named %q", username)
		}
		out, err = tx.Auth().FindTokens(ctx, VisibilityFor(p, KindToken), acct.ID)
		return err
	})
	return out, err
}

// RevokeToken revokes a token at once; revoking a revoked token does
// nothing. Users revoke their own; auth.TokenManage revokes anyone's.
// Another user's token is NotFound to everyone else, like a missing one.
// Errors: Unauthenticated, NotFound.
func (s *Service) RevokeToken(ctx context.Context, p Principal, id int64) error {
	if err := signedIn(p); err != nil {
		return err
	}
	now := s.now()
	return s.tx.InTx(ctx, func(tx Tx) error {
		t, err := tx.Auth().FindTokenByID(ctx, VisibilityFor(p, KindToken), id)
		if err != nil {
			return notFound(err, "no API token %d", id)
		}
		if t.RevokedAt != nil {
			return nil
		}
		if err := tx.Auth().RevokeToken(ctx, id, now); err != nil {
			return err
		}
		after := t.Token
		after.RevokedAt = &now
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: "revoke", Kind: auditToken,
			Key: strconv.FormatInt(id, 10), Before: t.Token, After: after})
	})
}

// FindAllTokens lists every user's tokens, newest first, limit of them
// (paging.Clamp) with ids below before (0: from the newest), revoked and
// expired ones included. Needs auth.TokenManage. Errors: Unauthenticated,
// Forbidden.
func (s *Service) FindAllTokens(ctx context.Context, p Principal, before int64, limit int) ([]Token, error) {
	if err := p.Require(TokenManage); err != nil {
		return nil, err
	}
	var out []Token
	err := s.tx.View(ctx, func(tx Tx) (err error) {
		out, err = tx.Auth().FindAllTokens(ctx, VisibilityFor(p, KindToken), before, ClampLimit(limit))
		return err
	})
	return out, err
}

// revokeAllTokens revokes every live token of a user, each with its own
// audit entry naming why, in the caller's unit of work.
func (s *Service) revokeAllTokens(ctx context.Context, tx Tx, p Principal, userID int64, reason string) error {
	ids, err := tx.Auth().RevokeUserTokens(ctx, userID, s.now())
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: "revoke", Kind: auditToken,
			Key: strconv.FormatInt(id, 10), After: revokeDetail{Reason: reason}}); err != nil {
			return err
		}
	}
	return nil
}

// revokeDetail is the audit detail of a token revoked with its user's
// credentials.
type revokeDetail struct {
	Reason string `json:"reason"`
}

// notFound gives a NotFound error a message naming what was looked for;
// other errors pass unchanged.
func notFound(err error, format string, args ...any) error {
	if errs.Is(err, errs.NotFound) {
		return errs.E(errs.NotFound, format, args...)
	}
	return err
}

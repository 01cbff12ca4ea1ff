package auth

import (
	"slices"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Token is an API token as its owner and administrators see it. The token
// itself is shown once, when created; only its hash is stored.
type Token struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
	// Scopes limit what the token may be used for (see TokenScope).
	Scopes     []TokenScope `json:"scopes"`
	CreatedAt  time.Time    `json:"created_at"`
	ExpiresAt  *time.Time   `json:"expires_at,omitempty"`
	LastUsedAt *time.Time   `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time   `json:"revoked_at,omitempty"`
}

// Active reports whether the token may still be used at now.
func (t Token) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// TokenScope says what an API token may be used for, within what its
// user's roles allow. A token carries one or more scopes; a signed-in
// browser session is not limited by any.
type TokenScope string

const (
	// ScopeFull: everything the token's user may do.
	ScopeFull TokenScope = "full"
	// ScopeRead: reading only; every write is refused with 403.
	ScopeRead TokenScope = "read"
	// ScopeMetrics: GET /metrics only, for a Prometheus scraper, so the
	// credential it holds reads no records at all.
	ScopeMetrics TokenScope = "metrics"
)

// TokenScopes lists the scopes a token may be created with. A scope
// limited to one ingest source (ingest:NAME) joins them with ingestion.
var TokenScopes = []TokenScope{ScopeFull, ScopeRead, ScopeMetrics}

// Valid reports whether s is a known scope.
func (s TokenScope) Valid() bool { return slices.Contains(TokenScopes, s) }

// Allows reports whether a credential with scope s may make a call that
// needs scope need: full allows everything, read allows reads (metrics
// included), any other scope only itself.
func (s TokenScope) Allows(need TokenScope) bool {
	switch s {
	case ScopeFull:
		return true
	case ScopeRead:
		return need == ScopeRead || need == ScopeMetrics
	}
	return s == need
}

// ParseTokenScopes reads a comma- or space-separated scope list as typed
// ("read", "read, metrics"); empty means full. It returns the scopes
// sorted and without duplicates, and an Invalid error naming field
// "scopes" for an unknown one.
func ParseTokenScopes(s string) ([]TokenScope, error) {
	var in []TokenScope
	for _, f := range strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == ' ' }) {
		in = append(in, TokenScope(strings.ToLower(f)))
	}
	return normalizeScopes(in)
}

// normalizeScopes checks scopes and returns them sorted without
// duplicates; none means full, and full makes any other scope redundant.
func normalizeScopes(scopes []TokenScope) ([]TokenScope, error) {
	var fe errs.Fields
	out := []TokenScope{}
	for _, s := range scopes {
		switch {
		case !s.Valid():
			fe.Add("scopes", "unknown scope %q (known: %s)", s, scopeList())
		case !slices.Contains(out, s):
			out = append(out, s)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 || slices.Contains(out, ScopeFull) {
		return []TokenScope{ScopeFull}, nil
	}
	slices.Sort(out)
	return out, nil
}

// scopeNames joins scopes for a message.
func scopeNames(scopes []TokenScope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, ", ")
}

func scopeList() string { return scopeNames(TokenScopes) }

// Package httpauth identifies who sends an HTTP request, for both the JSON
// API and the web UI: an API token in the Authorization header, or a
// session cookie set at login. Cookie-authenticated writes must also carry
// the session's CSRF token; token-authenticated ones need not, because a
// browser never attaches a bearer token on its own.
package httpauth

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// SessionCookie is the name of the web session cookie.
const SessionCookie = "rampart_session"

// CSRFField is the form field and CSRFHeader the header that carry the
// CSRF token.
const (
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
)

// Authenticator resolves credentials; *auth.Service implements it.
type Authenticator interface {
	SessionPrincipal(ctx context.Context, sessionID string) (auth.Principal, auth.Session, error)
	TokenPrincipal(ctx context.Context, token string) (auth.Principal, error)
}

// Identity is what Identify learned about a request.
type Identity struct {
	Principal auth.Principal
	Session   *auth.Session // nil unless the request came with a valid session cookie
	SessionID string
}

// Identify reads the request's credentials. No credentials at all give the
// zero Principal and no error (handlers then deny); credentials that are
// present but wrong give an Unauthenticated error.
func Identify(ctx context.Context, a Authenticator, r *http.Request) (Identity, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return Identity{}, errs.E(errs.Unauthenticated, "the Authorization header must be \"Bearer <token>\"")
		}
		p, err := a.TokenPrincipal(ctx, strings.TrimSpace(token))
		return Identity{Principal: p}, err
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return Identity{}, nil
	}
	p, sess, err := a.SessionPrincipal(ctx, c.Value)
	if err != nil {
		return Identity{}, err
	}
	return Identity{Principal: p, Session: &sess, SessionID: c.Value}, nil
}

// Safe reports whether the method cannot change state.
func Safe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// CheckCSRF verifies a cookie-authenticated state-changing request carries
// its session's CSRF token, in the header or (for forms) the form field.
// Call it after Identify; requests without a session pass (they either used
// a bearer token or will be denied as anonymous).
func CheckCSRF(r *http.Request, id Identity) error { return checkCSRF(r, id, true) }

// CheckCSRFHeader is CheckCSRF for JSON APIs: the token must come in the
// header, because reading a form field would consume the request body.
func CheckCSRFHeader(r *http.Request, id Identity) error { return checkCSRF(r, id, false) }

func checkCSRF(r *http.Request, id Identity, formField bool) error {
	if id.Session == nil || Safe(r.Method) {
		return nil
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" && formField {
		got = r.PostFormValue(CSRFField)
	}
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(id.Session.CSRFToken)) != 1 {
		return errs.E(errs.Forbidden, "missing or wrong CSRF token (send it in the %s header); reload the page and try again", CSRFHeader)
	}
	return nil
}

// SetSessionCookie gives the browser its session id.
func SetSessionCookie(w http.ResponseWriter, id string, expires time.Time, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: id, Path: "/", Expires: expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// RequireScope refuses, with 403, a call that the token scopes of the
// caller's credential do not allow (see auth.TokenScope): a read-only
// token that tries to write, a metrics token anywhere but /metrics.
func RequireScope(p auth.Principal, need auth.TokenScope) error {
	if p.Allows(need) {
		return nil
	}
	names := make([]string, len(p.Scopes))
	for i, s := range p.Scopes {
		names[i] = string(s)
	}
	return errs.E(errs.Forbidden, "this API token is limited to %s and cannot be used here (needs %s)", strings.Join(names, ", "), need)
}

// ScopeFor is the token scope a request needs by its method: reading for
// GET, HEAD and OPTIONS, full for anything that may change state.
func ScopeFor(method string) auth.TokenScope {
	if Safe(method) {
		return auth.ScopeRead
	}
	return auth.ScopeFull
}

package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/httpauth"
)

// Body limits: forms are small; an uploaded discovery file may be large
// (an nmap scan of a /16 runs to tens of megabytes).
const (
	maxFormBytes   = 1 << 20
	maxUploadBytes = 64 << 20
	// uploadMemory is how much of a multipart body is held in memory;
	// the rest spills to a temporary file, which an import then reads
	// twice (check, apply): an upload never costs memory for its size.
	uploadMemory = 256 << 10
)

// request is what a page handler knows about who is asking.
type request struct {
	P         auth.Principal
	Session   *auth.Session
	SessionID string
	// User is the signed-in user's directory entry (zero for API tokens
	// without a readable directory entry).
	User auth.User
}

// handlerFunc is a page handler: it returns an error instead of writing
// one, and the error page is chosen from the error's kind.
type handlerFunc func(w http.ResponseWriter, r *http.Request, rq *request) error

// securityHeaders sets the headers every UI response carries. The policy
// allows only this origin's own script, style and images, so neither an
// injected inline script nor an inline style runs.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panicking handler into the 500 page instead of a
// dropped connection, and logs the stack.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("web: panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.renderError(w, r, nil, errs.E(errs.Internal, "panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// public serves a page that needs no sign-in; rq.P is the zero principal
// when nobody is signed in.
func (s *server) public(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := &request{}
		if id, err := httpauth.Identify(r.Context(), s.Auth, r); err == nil {
			rq.P, rq.Session, rq.SessionID = id.Principal, id.Session, id.SessionID
		}
		if r.Method == http.MethodPost {
			if err := parseBody(w, r); err != nil {
				s.renderError(w, r, rq, err)
				return
			}
		}
		if err := checkRequestText(r); err != nil {
			s.renderError(w, r, rq, err)
			return
		}
		if err := h(w, r, rq); err != nil {
			s.renderError(w, r, rq, err)
		}
	})
}

// page serves a page for signed-in users: anonymous visitors are sent to
// the sign-in form and come back afterwards; POSTs must carry the CSRF
// token; a user who signed in with a temporary password is sent to change
// it first unless the page is one of the few that allow it (temporary).
func (s *server) page(h handlerFunc, temporary bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := httpauth.Identify(r.Context(), s.Auth, r)
		if errs.Is(err, errs.Unauthenticated) {
			httpauth.ClearSessionCookie(w, s.secure(r))
			err, id = nil, httpauth.Identity{}
		}
		if err != nil {
			s.renderError(w, r, nil, err)
			return
		}
		if id.Principal.UserID == 0 && !id.Principal.System {
			redirectToLogin(w, r)
			return
		}
		rq := &request{P: id.Principal, Session: id.Session, SessionID: id.SessionID}
		if err := httpauth.RequireScope(rq.P, httpauth.ScopeFor(r.Method)); err != nil {
			s.renderError(w, r, rq, err)
			return
		}
		if id.Session != nil {
			// The server slides the session's expiry on use; the cookie
			// must follow, or an active user is signed out at the first
			// expiry set at sign-in.
			httpauth.SetSessionCookie(w, id.SessionID, id.Session.ExpiresAt, s.secure(r))
		}
		if r.Method == http.MethodPost {
			s.allowUpload(w, r)
			if err := parseBody(w, r); err != nil {
				s.renderError(w, r, rq, err)
				return
			}
			if err := httpauth.CheckCSRF(r, id); err != nil {
				s.renderError(w, r, rq, err)
				return
			}
		}
		if err := checkRequestText(r); err != nil {
			s.renderError(w, r, rq, err)
			return
		}
		// The directory entry gives the header its display name and says
		// whether a password change is due. A principal that may not read
		// its own entry still gets its pages.
		if u, err := s.Auth.FindUserByName(r.Context(), rq.P, rq.P.Username); err == nil {
			rq.User = u
		} else if !errs.Is(err, errs.Forbidden) && !errs.Is(err, errs.NotFound) {
			s.renderError(w, r, rq, err)
			return
		}
		if (rq.P.MustChangePassword || rq.User.MustChangePassword) && !temporary {
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return
		}
		if err := h(w, r, rq); err != nil {
			s.renderError(w, r, rq, err)
		}
	})
}

// allowUpload gives a signed-in user's file upload (a multipart form)
// UploadTimeout to arrive instead of the server's read timeout, which is
// sized for forms: a discovery file of tens of megabytes on a slow link
// takes minutes. Anonymous requests never get here.
func (s *server) allowUpload(w http.ResponseWriter, r *http.Request) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" && s.UploadTimeout > 0 {
		// A connection deadline is wall-clock time, whatever clock the
		// application runs on.
		_ = http.NewResponseController(w).SetReadDeadline(clock.Real{}.Now().Add(s.UploadTimeout))
	}
}

// parseBody reads a POST body within its size limit, so the CSRF check and
// handlers see the form, and an oversized upload is reported as such rather
// than as a missing CSRF token.
func parseBody(w http.ResponseWriter, r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
		err = r.ParseMultipartForm(uploadMemory)
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return errs.E(errs.TooLarge, "the upload is larger than %d MiB", tooBig.Limit>>20)
	case err != nil:
		return errs.E(errs.Invalid, "the form could not be read; reload the page and try again")
	}
	return nil
}

// redirectToLogin sends an anonymous visitor to the sign-in form, keeping
// the page they asked for when it was a plain GET.
func redirectToLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns next when it is a path on this site, else fallback, so
// the sign-in form cannot be used to send users to another site.
func localPath(next, fallback string) string {
	if next == "" || next[0] != '/' || len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fallback
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return fallback
		}
	}
	return next
}

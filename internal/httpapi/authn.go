package httpapi

import (
	"net/http"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/httpauth"
)

// handle wraps one route: body limit, identification, CSRF, the text of
// path keys and query parameters, the body's media type, then the
// handler; its error becomes the problem response.
func (a *api) handle(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec, ok := w.(*recorder)
		if !ok {
			rec = &recorder{ResponseWriter: w}
		}
		if err := a.serve(rt, rec, r); err != nil {
			a.fail(rec, r, err)
		}
	})
}

func (a *api) serve(rt route, w http.ResponseWriter, r *http.Request) error {
	limit := int64(maxJSONBody)
	if rt.upload {
		limit = maxUploadBody
	}
	if rt.maxBody > 0 {
		limit = rt.maxBody
	}
	// The server's own writer, so an oversized body also closes the
	// connection instead of reading the rest.
	inner := w
	if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); ok {
		inner = u.Unwrap()
	}
	r.Body = http.MaxBytesReader(inner, r.Body, limit)
	if !rt.public {
		p, err := a.identify(r)
		if err != nil {
			return err
		}
		if err := httpauth.RequireScope(p, rt.scope()); err != nil {
			return err
		}
		if !rt.temporary {
			if err := p.RequirePasswordChosen(); err != nil {
				return err
			}
		}
		infoOf(r.Context()).user = p.Username
		r = r.WithContext(auth.WithPrincipal(r.Context(), p))
		if rt.upload && a.d.UploadTimeout > 0 {
			// A discovery file of tens of megabytes on a slow link takes
			// longer than the server's read timeout, which is sized for
			// JSON; only callers who identified themselves get longer.
			// The deadline is wall-clock time, whatever the API's clock.
			_ = http.NewResponseController(w).SetReadDeadline(clock.Real{}.Now().Add(a.d.UploadTimeout))
		}
	}
	if err := checkRequestText(r, rt); err != nil {
		return err
	}
	if rt.jsonBody() {
		if err := checkContentType(r); err != nil {
			return err
		}
	}
	return rt.h(w, r)
}

// identify returns the caller, or 401 when there are no or bad credentials
// and 403 when a cookie session sends an unsafe request without its CSRF
// token. The API reads that token from the X-CSRF-Token header only: a form
// field would mean parsing (and consuming) the body before the handler.
func (a *api) identify(r *http.Request) (auth.Principal, error) {
	id, err := httpauth.Identify(r.Context(), a.d.Auth, r)
	if err != nil {
		return auth.Principal{}, err
	}
	p := id.Principal
	if p.UserID == 0 && !p.System {
		return p, errs.E(errs.Unauthenticated, "this endpoint needs an API token (Authorization: Bearer TOKEN) or a signed-in session")
	}
	if err := httpauth.CheckCSRFHeader(r, id); err != nil {
		return p, err
	}
	return p, nil
}

// principal is the caller of an authenticated route.
func principal(r *http.Request) auth.Principal { return auth.FromContext(r.Context()) }

package web

import (
	"net/http"
	"strconv"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/httpauth"
)

// errForbiddenOrigin answers a state-changing request sent from another site.
var errForbiddenOrigin = errs.E(errs.Forbidden, "this form was sent from another site; open Rampart directly and try again")

// errorView is the friendly error page.
type errorView struct {
	layout
	Status  int
	Heading string
	Message string
	Fields  []errs.FieldError
	Ref     string // log reference for internal errors
}

// errorPages gives each kind its status, heading and, where the service's
// message is not meant for users, a fixed explanation.
var errorPages = map[errs.Kind]struct {
	status  int
	heading string
	message string // "" = show the error's own message
}{
	errs.Invalid:     {http.StatusUnprocessableEntity, "That did not work", ""},
	errs.NotFound:    {http.StatusNotFound, "Not found", "The page or record does not exist, or your roles do not let you see it."},
	errs.Forbidden:   {http.StatusForbidden, "Not allowed", ""},
	errs.Conflict:    {http.StatusConflict, "Conflict", ""},
	errs.TooLarge:    {http.StatusRequestEntityTooLarge, "Too large", ""},
	errs.Unavailable: {http.StatusServiceUnavailable, "Temporarily unavailable", "Rampart cannot reach its database right now. Try again in a moment."},
	errs.TooMany:     {http.StatusTooManyRequests, "Too many attempts", ""},
	errs.Internal:    {http.StatusInternalServerError, "Something went wrong", "The error was logged. Try again, and tell your administrator the reference below if it keeps happening."},
}

// renderError shows the error page for err's kind. Internal errors are
// logged with a reference and never shown; an expired sign-in goes back to
// the sign-in form.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	kind := errs.KindOf(err)
	if kind == errs.Unauthenticated {
		httpauth.ClearSessionCookie(w, s.secure(r))
		redirectToLogin(w, r)
		return
	}
	p, ok := errorPages[kind]
	if !ok {
		p = errorPages[errs.Internal]
		kind = errs.Internal
	}
	if secs, ok := errs.RetryAfterSeconds(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		if kind == errs.Unavailable {
			p.message = "" // the service says why: too many sign-ins at once, not the database
		}
	}
	v := errorView{layout: s.frame(r, rq, p.heading, ""), Status: p.status, Heading: p.heading, Message: p.message}
	if e, ok := errs.As(err); ok && v.Message == "" {
		v.Message, v.Fields = e.Message, e.Fields
	}
	if kind == errs.Internal {
		v.Ref = auth.RandomSecret(6)
		s.log.Error("web: request failed", "ref", v.Ref, "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if rerr := s.render(w, p.status, "error", v); rerr != nil {
		s.log.Error("web: render error page", "err", rerr)
		http.Error(w, http.StatusText(p.status), p.status)
	}
}

// retryAnswer prepares the answer to an error that says when to try again
// (TooMany, Unavailable) on a form page: it sets Retry-After and returns
// the status and the message to show on the form.
func retryAnswer(w http.ResponseWriter, err error) (int, string) {
	e, _ := errs.As(err)
	status := http.StatusTooManyRequests
	if e.Kind == errs.Unavailable {
		status = http.StatusServiceUnavailable
	}
	if secs, ok := errs.RetryAfterSeconds(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	return status, e.Message + "."
}

// notFound answers any path no page serves.
func (s *server) notFound(w http.ResponseWriter, r *http.Request, rq *request) error {
	return errs.E(errs.NotFound, "no such page")
}

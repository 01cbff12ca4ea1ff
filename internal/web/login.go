package web

import (
	"net/http"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/httpauth"
)

// loginView is the sign-in form.
type loginView struct {
	layout
	Username string
	Next     string
	Error    string
}

// loginForm shows the sign-in form; a signed-in user goes straight on.
func (s *server) loginForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	next := localPath(r.URL.Query().Get("next"), "/cis")
	if rq.Session != nil {
		return redirect(w, r, next, "")
	}
	return s.render(w, http.StatusOK, "login", loginView{layout: s.frame(r, nil, "Sign in", ""), Next: next})
}

// login checks the credentials, starts a session and returns the user to
// the page they first asked for (only ever a path on this site). Every
// failure shows the same message, so the form does not reveal which
// usernames exist.
func (s *server) login(w http.ResponseWriter, r *http.Request, rq *request) error {
	username, next := r.PostFormValue("username"), localPath(r.PostFormValue("next"), "/cis")
	sid, sess, err := s.Auth.Login(r.Context(), username, r.PostFormValue("password"))
	v := loginView{layout: s.frame(r, nil, "Sign in", ""), Username: username, Next: next}
	switch {
	case errs.Is(err, errs.Unauthenticated) || errs.Is(err, errs.Invalid) || errs.Is(err, errs.Forbidden):
		v.Error = "Invalid username or password."
		return s.render(w, http.StatusUnauthorized, "login", v)
	case errs.Is(err, errs.TooMany) || errs.Is(err, errs.Unavailable):
		// Throttled, or too many sign-ins at once: the form again, with
		// the wait, so the user knows when to retry.
		status, msg := retryAnswer(w, err)
		v.Error = msg
		return s.render(w, status, "login", v)
	}
	if err != nil {
		return err
	}
	httpauth.SetSessionCookie(w, sid, sess.ExpiresAt, s.secure(r))
	return redirect(w, r, next, "")
}

// logout ends the session on the server as well as in the browser.
func (s *server) logout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.SessionID != "" {
		if err := s.Auth.Logout(r.Context(), rq.SessionID); err != nil && !errs.Is(err, errs.Unauthenticated) {
			return err
		}
	}
	httpauth.ClearSessionCookie(w, s.secure(r))
	return redirect(w, r, "/login", "")
}

// home sends the start page to the CMDB, the page most people work from.
func (s *server) home(w http.ResponseWriter, r *http.Request, rq *request) error {
	return redirect(w, r, "/cis", "")
}

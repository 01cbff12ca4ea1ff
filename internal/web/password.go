package web

import (
	"net/http"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// passwordView is the change-password form.
type passwordView struct {
	layout
	Required bool // the user must change it before doing anything else
	Errors   fieldErrors
	Error    string // throttled: when to try again
}

// passwordForm shows the change-password form.
func (s *server) passwordForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	v := passwordView{layout: s.frame(r, rq, "Change password", ""), Required: rq.User.MustChangePassword}
	return s.render(w, http.StatusOK, "password", v)
}

// changePassword checks the confirmation, then asks the directory to
// change the password (it checks the old one and the password rules).
func (s *server) changePassword(w http.ResponseWriter, r *http.Request, rq *request) error {
	old, nw, confirm := r.PostFormValue("old_password"), r.PostFormValue("new_password"), r.PostFormValue("confirm_password")
	v := passwordView{layout: s.frame(r, rq, "Change password", ""), Required: rq.User.MustChangePassword}
	var err error
	if nw != confirm {
		err = errs.Field("confirm_password", "does not match the new password")
	} else {
		err = s.Auth.ChangePassword(r.Context(), rq.P, old, nw)
	}
	switch {
	case err == nil:
		return redirect(w, r, "/cis", "password")
	case errs.Is(err, errs.TooMany) || errs.Is(err, errs.Unavailable):
		status, msg := retryAnswer(w, err)
		v.Error = msg
		return s.render(w, status, "password", v)
	case errs.Is(err, errs.Unauthenticated) || errs.Is(err, errs.Forbidden):
		// A wrong current password; not a reason to sign the user out.
		v.Errors = fieldErrors{"old_password": {"is not your current password"}}
	case errs.Is(err, errs.Invalid):
		v.Errors = mapFieldErrors(err, passwordFields)
	default:
		return err
	}
	return s.render(w, http.StatusUnprocessableEntity, "password", v)
}

// passwordFields maps the directory's field names to the form's.
var passwordFields = map[string]string{
	"old_password": "old_password", "old": "old_password", "current_password": "old_password",
	"password": "new_password", "new_password": "new_password", "new": "new_password",
	"confirm_password": "confirm_password",
}

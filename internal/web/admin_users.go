package web

import (
	"net/http"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// userListView is the user administration list.
type userListView struct {
	layout
	Query string
	Users []auth.User
	// Locked maps the usernames locked after failed sign-ins to when
	// their lock ends, as shown.
	Locked   map[string]string
	Total    int
	Capped   bool // more than paging.TotalCap match
	NextURL  string
	PrevURL  string
	FirstURL string
}

// userFormView is the create or edit form of one user.
type userFormView struct {
	layout
	Edit   bool
	Form   userForm
	Roles  []auth.Role
	Teams  []string
	Errors fieldErrors
}

// userForm is the user form as typed.
type userForm struct {
	Username, DisplayName, Email, Password string
	Roles                                  []string
	Teams                                  []string
	Disabled, MustChangePassword           bool
}

var userFields = map[string]string{"username": "username", "display_name": "display_name", "email": "email",
	"password": "password", "roles": "roles", "teams": "teams"}

// requireAdmin lets only user managers through: the directory is readable
// by all staff, but these pages exist to change it.
func requireAdmin(rq *request) error { return rq.P.Require(auth.UserManage) }

// userList lists users, searchable by name.
func (s *server) userList(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireAdmin(rq); err != nil {
		return err
	}
	q := r.URL.Query()
	pg := paging.FromQuery(q, nil)
	page, err := s.Auth.FindUsers(r.Context(), rq.P, auth.UserFilter{Query: strings.TrimSpace(q.Get("q")), Cursor: pg.Cursor, Limit: pg.Limit})
	if err != nil {
		return err
	}
	locked, err := s.Auth.AccountLocks(r.Context(), rq.P)
	if err != nil {
		return err
	}
	v := userListView{layout: s.frame(r, rq, "Users", "users"), Query: q.Get("q"), Users: page.Items, Locked: map[string]string{},
		Total: page.Total, Capped: page.TotalCapped}
	for name, until := range locked {
		v.Locked[name] = until.UTC().Format("15:04 UTC")
	}
	v.FirstURL, v.PrevURL, v.NextURL = pageLinks("/admin/users", q, page.NextCursor)
	return s.render(w, http.StatusOK, "user_list", v)
}

func (s *server) userFormView(r *http.Request, rq *request, edit bool, f userForm, fe fieldErrors) userFormView {
	title := "New user"
	if edit {
		title = "User " + f.Username
	}
	return userFormView{layout: s.frame(r, rq, title, "users"), Edit: edit, Form: f, Roles: auth.AllRoles,
		Teams: s.teamNames(r, rq), Errors: fe}
}

func readUserForm(r *http.Request) userForm {
	return userForm{
		Username: strings.TrimSpace(r.PostFormValue("username")), DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Email: strings.TrimSpace(r.PostFormValue("email")), Password: r.PostFormValue("password"),
		Roles: r.PostForm["roles"], Teams: r.PostForm["teams"], Disabled: r.PostFormValue("disabled") != "",
	}
}

func roles(names []string) []auth.Role {
	out := make([]auth.Role, len(names))
	for i, n := range names {
		out[i] = auth.Role(n)
	}
	return out
}

// userNew shows an empty user form.
func (s *server) userNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireAdmin(rq); err != nil {
		return err
	}
	f := userForm{Roles: []string{string(auth.RoleAgent)}}
	return s.render(w, http.StatusOK, "user_form", s.userFormView(r, rq, false, f, nil))
}

// userCreate creates a user with an initial password.
func (s *server) userCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := readUserForm(r)
	_, err := s.Auth.CreateUser(r.Context(), rq.P, auth.NewUser{Username: f.Username, DisplayName: f.DisplayName,
		Email: f.Email, Password: f.Password, Roles: roles(f.Roles), Teams: f.Teams})
	if err == nil {
		return redirect(w, r, "/admin/users", "created")
	}
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
		return err
	}
	f.Password = ""
	return s.render(w, http.StatusUnprocessableEntity, "user_form", s.userFormView(r, rq, false, f, mapFieldErrors(err, userFields)))
}

// userEdit shows one user's form.
func (s *server) userEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireAdmin(rq); err != nil {
		return err
	}
	u, err := s.Auth.FindUserByName(r.Context(), rq.P, r.PathValue("name"))
	if err != nil {
		return err
	}
	f := userForm{Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Teams: u.Teams,
		Disabled: u.Disabled, MustChangePassword: u.MustChangePassword}
	for _, role := range u.Roles {
		f.Roles = append(f.Roles, string(role))
	}
	return s.render(w, http.StatusOK, "user_form", s.userFormView(r, rq, true, f, nil))
}

// userUpdate saves roles, teams and details; a typed password replaces the
// current one.
func (s *server) userUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := readUserForm(r)
	f.Username = r.PathValue("name")
	rs, teams := roles(f.Roles), f.Teams
	if teams == nil {
		teams = []string{}
	}
	u := auth.UserUpdate{DisplayName: &f.DisplayName, Email: &f.Email, Roles: &rs, Teams: &teams, Disabled: &f.Disabled}
	if f.Password != "" {
		u.Password = &f.Password
	}
	_, err := s.Auth.UpdateUser(r.Context(), rq.P, f.Username, u)
	if err == nil {
		return redirect(w, r, "/admin/users", "updated")
	}
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
		return err
	}
	f.Password = ""
	return s.render(w, http.StatusUnprocessableEntity, "user_form", s.userFormView(r, rq, true, f, mapFieldErrors(err, userFields)))
}

// userDisable disables (or, with enable=1, re-enables) a user; a disabled
// user can no longer sign in or use tokens.
// userUnlock lifts a user's sign-in lock.
func (s *server) userUnlock(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.Auth.Unlock(r.Context(), rq.P, r.PathValue("name")); err != nil {
		return err
	}
	return redirect(w, r, "/admin/users", "unlocked")
}

func (s *server) userDisable(w http.ResponseWriter, r *http.Request, rq *request) error {
	disabled := r.PostFormValue("enable") == ""
	if _, err := s.Auth.UpdateUser(r.Context(), rq.P, r.PathValue("name"), auth.UserUpdate{Disabled: &disabled}); err != nil {
		return err
	}
	if disabled {
		return redirect(w, r, "/admin/users", "disabled")
	}
	return redirect(w, r, "/admin/users", "enabled")
}

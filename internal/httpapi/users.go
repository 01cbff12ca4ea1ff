package httpapi

import (
	"net/http"
	"net/url"

	"github.com/rampart-itsm/rampart/internal/auth"
)

var userFilterParams = append([]param{
	{name: "q", typ: "string", desc: "search: any part of the username or display name, any case"},
	{name: "role", typ: "string", enum: roleNames(), desc: "only users holding this role"},
	{name: "team", typ: "string", desc: "only members of this team (exact name)"},
	{name: "updated_since", typ: "string", format: "date-time", desc: "only users changed at or after this RFC 3339 time, for incremental sync"},
}, pageParams...)

func roleNames() []string {
	names := make([]string, len(auth.AllRoles))
	for i, r := range auth.AllRoles {
		names[i] = string(r)
	}
	return names
}

// getMe: GET /api/v1/me, the caller's own record.
func (a *api) getMe(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	u, err := a.d.Auth.FindUserByName(r.Context(), p, p.Username)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// listUsers: GET /api/v1/users; requesters see (and count) only themselves.
func (a *api) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	pg := q.page()
	f := auth.UserFilter{
		Query:        q.str("q"),
		Role:         auth.Role(q.oneOf("role", roleNames()...)),
		Team:         q.str("team"),
		UpdatedSince: q.time("updated_since"),
		Cursor:       pg.Cursor,
		Limit:        pg.Limit,
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := a.d.Auth.FindUsers(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	if page.Items == nil {
		page.Items = []auth.User{}
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// userInput is the body of POST /api/v1/users.
type userInput struct {
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name"`
	Email       string      `json:"email"`
	Password    string      `json:"password"`
	Roles       []auth.Role `json:"roles"`
	Teams       []string    `json:"teams"`
}

// createUser: POST /api/v1/users (admins).
func (a *api) createUser(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := a.d.Auth.CreateUser(r.Context(), principal(r), auth.NewUser{
		Username: in.Username, DisplayName: in.DisplayName, Email: in.Email,
		Password: in.Password, Roles: in.Roles, Teams: in.Teams,
	})
	if err != nil {
		return err
	}
	created(w, "/api/v1/users/"+url.PathEscape(u.Username), u)
	return nil
}

// getUser: GET /api/v1/users/{username}; another user is 404 to requesters.
func (a *api) getUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.d.Auth.FindUserByName(r.Context(), principal(r), r.PathValue("username"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// userPatch is the body of PATCH /api/v1/users/{username}; absent or null
// fields stay as they are.
type userPatch struct {
	DisplayName *string      `json:"display_name"`
	Email       *string      `json:"email"`
	Password    *string      `json:"password"`
	Roles       *[]auth.Role `json:"roles"`
	Teams       *[]string    `json:"teams"`
	Disabled    *bool        `json:"disabled"`
}

// patchUser: PATCH /api/v1/users/{username}.
func (a *api) patchUser(w http.ResponseWriter, r *http.Request) error {
	var in userPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := a.d.Auth.UpdateUser(r.Context(), principal(r), r.PathValue("username"), auth.UserUpdate{
		DisplayName: in.DisplayName, Email: in.Email, Password: in.Password,
		Roles: in.Roles, Teams: in.Teams, Disabled: in.Disabled,
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// passwordReset is the answer of POST /api/v1/users/{username}/password-reset.
type passwordReset struct {
	Username           string `json:"username"`
	Password           string `json:"password"`
	MustChangePassword bool   `json:"must_change_password"`
}

// resetPassword: POST /api/v1/users/{username}/password-reset (admins).
// The one-time password is in this answer only (writeJSON forbids caching).
func (a *api) resetPassword(w http.ResponseWriter, r *http.Request) error {
	name := auth.NormalizeUsername(r.PathValue("username"))
	pw, err := a.d.Auth.ResetPassword(r.Context(), principal(r), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, passwordReset{Username: name, Password: pw, MustChangePassword: true})
	return nil
}

// deleteUser: DELETE /api/v1/users/{username}.
func (a *api) deleteUser(w http.ResponseWriter, r *http.Request) error {
	if err := a.d.Auth.DeleteUser(r.Context(), principal(r), r.PathValue("username")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// unlockUser: POST /api/v1/users/{username}/unlock (admins) lifts the
// account's sign-in lock.
func (a *api) unlockUser(w http.ResponseWriter, r *http.Request) error {
	if err := a.d.Auth.Unlock(r.Context(), principal(r), r.PathValue("username")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// passwordChange is the body of POST /api/v1/me/password.
type passwordChange struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// changeOwnPassword: POST /api/v1/me/password.
func (a *api) changeOwnPassword(w http.ResponseWriter, r *http.Request) error {
	var in passwordChange
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := a.d.Auth.ChangePassword(r.Context(), principal(r), in.OldPassword, in.NewPassword); err != nil {
		return err
	}
	noContent(w)
	return nil
}

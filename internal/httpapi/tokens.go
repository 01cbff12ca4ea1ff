package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// listTokens: GET /api/v1/tokens[?user=NAME]. Without user, the caller's
// own; another user's need auth.TokenManage (the service decides).
func (a *api) listTokens(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	user := params(r).str("user")
	if user == "" {
		user = p.Username
	}
	toks, err := a.d.Auth.FindTokens(r.Context(), p, user)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf(toks))
	return nil
}

// tokenInput is the body of POST /api/v1/tokens.
type tokenInput struct {
	Name      string     `json:"name"`
	User      string     `json:"user"` // default: the caller
	ExpiresAt *time.Time `json:"expires_at"`
	// Scopes limit the token (auth.TokenScope); none means full.
	Scopes []auth.TokenScope `json:"scopes"`
}

// newToken is the answer to POST /api/v1/tokens: the token record plus the
// secret, which is shown this once and stored only as a hash.
type newToken struct {
	auth.Token
	Secret string `json:"token"`
}

// createToken: POST /api/v1/tokens.
func (a *api) createToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := principal(r)
	if in.User == "" {
		in.User = p.Username
	}
	secret, t, err := a.d.Auth.CreateToken(r.Context(), p, in.User, in.Name, in.ExpiresAt, in.Scopes...)
	if err != nil {
		return err
	}
	created(w, "/api/v1/tokens/"+strconv.FormatInt(t.ID, 10), newToken{Token: t, Secret: secret})
	return nil
}

// deleteToken: DELETE /api/v1/tokens/{id} revokes the token.
func (a *api) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.d.Auth.RevokeToken(r.Context(), principal(r), id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// tokenListView lists API tokens: the viewer's own (/account/tokens) or
// everyone's (/admin/tokens, for token managers).
type tokenListView struct {
	layout
	All     bool // everyone's tokens, with their users
	Tokens  []tokenRow
	NextURL string
}

// tokenRow is one token as the list shows it.
type tokenRow struct {
	auth.Token
	Status string // active, expired or revoked
}

func tokenRows(toks []auth.Token, s *server) []tokenRow {
	now := s.Clock.Now()
	rows := make([]tokenRow, len(toks))
	for i, t := range toks {
		rows[i] = tokenRow{Token: t, Status: "active"}
		switch {
		case t.RevokedAt != nil:
			rows[i].Status = "revoked"
		case !t.Active(now):
			rows[i].Status = "expired"
		}
	}
	return rows
}

// myTokens lists the viewer's own API tokens with their last use.
func (s *server) myTokens(w http.ResponseWriter, r *http.Request, rq *request) error {
	toks, err := s.Auth.FindTokens(r.Context(), rq.P, rq.P.Username)
	if err != nil {
		return err
	}
	v := tokenListView{layout: s.frame(r, rq, "Your API tokens", "tokens"), Tokens: tokenRows(toks, s)}
	return s.render(w, http.StatusOK, "token_list", v)
}

// allTokens lists every user's API tokens, newest first, a page at a
// time (?before= the last id shown).
func (s *server) allTokens(w http.ResponseWriter, r *http.Request, rq *request) error {
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		var err error
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before < 1 {
			return errs.Field("before", "must be a token id")
		}
	}
	toks, err := s.Auth.FindAllTokens(r.Context(), rq.P, before, paging.DefaultLimit)
	if err != nil {
		return err
	}
	v := tokenListView{layout: s.frame(r, rq, "API tokens", "tokens"), All: true, Tokens: tokenRows(toks, s)}
	if len(toks) == paging.DefaultLimit {
		v.NextURL = "/admin/tokens?before=" + strconv.FormatInt(toks[len(toks)-1].ID, 10)
	}
	return s.render(w, http.StatusOK, "token_list", v)
}

// tokenRevoke revokes a token and returns to the list it was revoked from.
// The service decides whose tokens the viewer may revoke.
func (s *server) tokenRevoke(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "no such token")
	}
	if err := s.Auth.RevokeToken(r.Context(), rq.P, id); err != nil {
		return err
	}
	back := "/account/tokens"
	if strings.HasPrefix(r.URL.Path, "/admin/") {
		back = "/admin/tokens"
	}
	return redirect(w, r, back, "revoked")
}

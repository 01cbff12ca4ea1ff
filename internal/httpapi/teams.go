package httpapi

import (
	"net/http"
	"net/url"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// listTeams: GET /api/v1/teams.
func (a *api) listTeams(w http.ResponseWriter, r *http.Request) error {
	teams, err := a.d.Auth.FindTeams(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf(teams))
	return nil
}

// teamInput is the body of POST /api/v1/teams.
type teamInput struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Email       string   `json:"email"`
	Members     []string `json:"members"`
}

// createTeam: POST /api/v1/teams (admins).
func (a *api) createTeam(w http.ResponseWriter, r *http.Request) error {
	var in teamInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := a.d.Auth.CreateTeam(r.Context(), principal(r), auth.Team{
		Name: in.Name, Description: in.Description, Email: in.Email, Members: in.Members,
	})
	if err != nil {
		return err
	}
	created(w, "/api/v1/teams/"+url.PathEscape(t.Name), t)
	return nil
}

// getTeam: GET /api/v1/teams/{name}.
func (a *api) getTeam(w http.ResponseWriter, r *http.Request) error {
	t, err := a.d.Auth.FindTeamByName(r.Context(), principal(r), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// teamPatch is the body of PATCH /api/v1/teams/{name}.
type teamPatch struct {
	Description *string   `json:"description"`
	Email       *string   `json:"email"`
	Members     *[]string `json:"members"`
}

// patchTeam: PATCH /api/v1/teams/{name}.
func (a *api) patchTeam(w http.ResponseWriter, r *http.Request) error {
	var in teamPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := a.d.Auth.UpdateTeam(r.Context(), principal(r), r.PathValue("name"), auth.TeamUpdate{
		Description: in.Description, Email: in.Email, Members: in.Members,
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// deleteTeam: DELETE /api/v1/teams/{name}.
func (a *api) deleteTeam(w http.ResponseWriter, r *http.Request) error {
	if err := a.d.Auth.DeleteTeam(r.Context(), principal(r), r.PathValue("name")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

package web

import (
	"net/http"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// teamListView lists the teams (assignment groups).
type teamListView struct {
	layout
	Teams []auth.Team
}

// teamFormView is the create or edit form of one team.
type teamFormView struct {
	layout
	Edit   bool
	Form   teamForm
	Errors fieldErrors
}

// teamForm is the team form as typed; members one username per line.
type teamForm struct {
	Name, Description, Email, Members string
}

var teamFields = map[string]string{"name": "name", "description": "description", "email": "email", "members": "members"}

// teamList lists every team with its members.
func (s *server) teamList(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireAdmin(rq); err != nil {
		return err
	}
	teams, err := s.Auth.FindTeams(r.Context(), rq.P)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "team_list", teamListView{layout: s.frame(r, rq, "Teams", "teams"), Teams: teams})
}

func (s *server) teamFormView(r *http.Request, rq *request, edit bool, f teamForm, fe fieldErrors) teamFormView {
	title := "New team"
	if edit {
		title = "Team " + f.Name
	}
	return teamFormView{layout: s.frame(r, rq, title, "teams"), Edit: edit, Form: f, Errors: fe}
}

func readTeamForm(r *http.Request) teamForm {
	return teamForm{Name: strings.TrimSpace(r.PostFormValue("name")), Description: strings.TrimSpace(r.PostFormValue("description")),
		Email: strings.TrimSpace(r.PostFormValue("email")), Members: r.PostFormValue("members")}
}

// teamNew shows an empty team form.
func (s *server) teamNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireAdmin(rq); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "team_form", s.teamFormView(r, rq, false, teamForm{}, nil))
}

// teamCreate creates a team with its first members.
func (s *server) teamCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := readTeamForm(r)
	_, err := s.Auth.CreateTeam(r.Context(), rq.P, auth.Team{Name: f.Name, Description: f.Description, Email: f.Email, Members: splitList(f.Members)})
	if err == nil {
		return redirect(w, r, "/admin/teams", "created")
	}
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
		return err
	}
	return s.render(w, http.StatusUnprocessableEntity, "team_form", s.teamFormView(r, rq, false, f, mapFieldErrors(err, teamFields)))
}

// teamEdit shows one team's form.
func (s *server) teamEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := requireAdmin(rq); err != nil {
		return err
	}
	t, err := s.Auth.FindTeamByName(r.Context(), rq.P, r.PathValue("name"))
	if err != nil {
		return err
	}
	f := teamForm{Name: t.Name, Description: t.Description, Email: t.Email, Members: strings.Join(t.Members, "\n")}
	return s.render(w, http.StatusOK, "team_form", s.teamFormView(r, rq, true, f, nil))
}

// teamUpdate saves a team's details and replaces its member list.
func (s *server) teamUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := readTeamForm(r)
	f.Name = r.PathValue("name")
	members := splitList(f.Members)
	_, err := s.Auth.UpdateTeam(r.Context(), rq.P, f.Name, auth.TeamUpdate{Description: &f.Description, Email: &f.Email, Members: &members})
	if err == nil {
		return redirect(w, r, "/admin/teams", "updated")
	}
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
		return err
	}
	return s.render(w, http.StatusUnprocessableEntity, "team_form", s.teamFormView(r, rq, true, f, mapFieldErrors(err, teamFields)))
}

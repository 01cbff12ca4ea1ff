package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/incident"
)

// incidentForm is the form to raise an incident, as typed.
type incidentForm struct {
	ShortDescription, Description, Category, Caller, Group, Assignee, CIs string
	Impact, Urgency                                                       int
	Security                                                              bool
}

// incidentFormView is the page to raise an incident: the desk's form, or
// the portal's simpler one for requesters.
type incidentFormView struct {
	layout
	Form       incidentForm
	Errors     fieldErrors
	Staff      bool
	Categories []string
	Teams      []string
}

// incidentFields maps the service's field names to the form's.
var incidentFields = map[string]string{"short_description": "short_description", "description": "description",
	"category": "category", "caller": "caller", "assignment_group": "assignment_group", "assignee": "assignee",
	"cis": "cis", "impact": "impact", "urgency": "urgency", "security": "category", "state": "state",
	"on_hold_reason": "on_hold_reason", "resolution_code": "resolution_code", "resolution_notes": "resolution_notes",
	"body": "body", "kind": "body"}

func (s *server) incidentFormView(r *http.Request, rq *request, f incidentForm, fe fieldErrors) incidentFormView {
	staff := rq.P.Can(auth.IncidentWrite)
	v := incidentFormView{layout: s.frame(r, rq, "Report an incident", "incidents"), Form: f, Errors: fe, Staff: staff,
		Categories: incident.OperationalCategories}
	if staff {
		v.Title = "New incident"
		v.Categories = incident.Categories()
		v.Teams = s.teamNames(r, rq)
	}
	return v
}

// incidentNew shows an empty form.
func (s *server) incidentNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.P.Require(auth.IncidentReport); err != nil {
		return err
	}
	f := incidentForm{Impact: incident.DefaultImpact, Urgency: incident.DefaultUrgency}
	return s.render(w, http.StatusOK, "incident_form", s.incidentFormView(r, rq, f, nil))
}

// incidentCreate raises the incident the form describes.
func (s *server) incidentCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	atoi := func(name string) int { n, _ := strconv.Atoi(r.PostFormValue(name)); return n }
	f := incidentForm{ShortDescription: r.PostFormValue("short_description"), Description: r.PostFormValue("description"),
		Category: r.PostFormValue("category"), Caller: r.PostFormValue("caller"), Group: r.PostFormValue("assignment_group"),
		Assignee: r.PostFormValue("assignee"), CIs: r.PostFormValue("cis"), Impact: atoi("impact"), Urgency: atoi("urgency"),
		Security: r.PostFormValue("security") == "on"}
	inc, err := s.Incidents.CreateIncident(r.Context(), rq.P, incident.Incident{ShortDescription: f.ShortDescription,
		Description: f.Description, Category: f.Category, Caller: f.Caller, AssignmentGroup: f.Group, Assignee: f.Assignee,
		CIs: splitList(f.CIs), Impact: f.Impact, Urgency: f.Urgency, Security: f.Security})
	if err == nil {
		return redirect(w, r, "/incidents/"+inc.Key, "created")
	}
	if !errs.Is(err, errs.Invalid) {
		return err
	}
	return s.render(w, http.StatusUnprocessableEntity, "incident_form", s.incidentFormView(r, rq, f, mapFieldErrors(err, incidentFields)))
}

// incidentUpdate applies one of the incident page's forms: a state change
// (state with its reason or resolution), the assignment, or impact and
// urgency. Only the fields the form posted change.
func (s *server) incidentUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	key := r.PathValue("key")
	var u incident.Update
	str := func(name string) *string {
		if _, ok := r.PostForm[name]; !ok {
			return nil
		}
		v := strings.TrimSpace(r.PostFormValue(name))
		return &v
	}
	num := func(name string) *int {
		if p := str(name); p != nil {
			n, _ := strconv.Atoi(*p)
			return &n
		}
		return nil
	}
	if st := str("state"); st != nil {
		state := incident.State(*st)
		u.State = &state
	}
	u.OnHoldReason, u.ResolutionCode, u.ResolutionNotes = str("on_hold_reason"), str("resolution_code"), str("resolution_notes")
	u.AssignmentGroup, u.Assignee = str("assignment_group"), str("assignee")
	u.Impact, u.Urgency = num("impact"), num("urgency")
	if v := str("version"); v != nil {
		n, _ := strconv.ParseInt(*v, 10, 64)
		u.Version = &n
	}
	_, err := s.Incidents.UpdateIncident(r.Context(), rq.P, key, u)
	if err == nil {
		return redirect(w, r, "/incidents/"+key, "updated")
	}
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
		return err
	}
	return s.incidentShowFailed(w, r, rq, key, err)
}

// incidentNote adds a work note or comment from the incident page.
func (s *server) incidentNote(w http.ResponseWriter, r *http.Request, rq *request) error {
	key := r.PathValue("key")
	kind := r.PostFormValue("kind")
	if kind == "" {
		kind = incident.NoteComment
	}
	_, err := s.Incidents.AddNote(r.Context(), rq.P, key, kind, r.PostFormValue("body"))
	if err == nil {
		return redirect(w, r, "/incidents/"+key+"#timeline", "note-added")
	}
	if !errs.Is(err, errs.Invalid) {
		return err
	}
	return s.incidentShowFailed(w, r, rq, key, err)
}

// incidentShowFailed shows the incident page again with what was refused.
func (s *server) incidentShowFailed(w http.ResponseWriter, r *http.Request, rq *request, key string, err error) error {
	v, verr := s.incidentShowView(r, rq, key)
	if verr != nil {
		return verr
	}
	v.Errors = mapFieldErrors(err, incidentFields)
	if e, ok := errs.As(err); ok && errs.Is(err, errs.Conflict) {
		v.Errors = fieldErrors{"": {e.Message}}
	}
	return s.render(w, http.StatusUnprocessableEntity, "incident_show", v)
}

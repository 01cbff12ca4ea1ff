package web

import (
	"net/http"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/incident"
)

// incidentShowView is an incident's page: its fields, the buttons for the
// states it may move to, its timeline and the CMDB context of what it
// affects.
type incidentShowView struct {
	layout
	Inc      incident.Incident
	Next     []incident.State // states the life cycle allows from here
	Timeline []incident.TimelineEntry
	// CIs and Services are the CMDB's summaries of the affected CIs and
	// of the business services that depend on them.
	CIs      []cmdb.CISummary
	Services []serviceContext
	Errors   fieldErrors
	Staff    bool
	Teams    []string
	Reasons  []string
	Codes    []string
}

// serviceContext is a business service an incident affects and the path
// from an affected CI to it.
type serviceContext struct {
	Key  string
	Path []string
}

// incidentShow shows one incident the viewer may see (not found otherwise).
func (s *server) incidentShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.incidentShowView(r, rq, r.PathValue("key"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "incident_show", v)
}

func (s *server) incidentShowView(r *http.Request, rq *request, key string) (incidentShowView, error) {
	inc, err := s.Incidents.FindIncidentByKey(r.Context(), rq.P, key)
	if err != nil {
		return incidentShowView{}, err
	}
	tl, err := s.Incidents.Timeline(r.Context(), rq.P, inc.Key)
	if err != nil {
		return incidentShowView{}, err
	}
	staff := rq.P.Can(auth.IncidentWrite)
	v := incidentShowView{layout: s.frame(r, rq, inc.Key+" "+inc.ShortDescription, "incidents"), Inc: inc,
		Timeline: tl, Staff: staff, Reasons: incident.OnHoldReasons, Codes: incident.ResolutionCodes}
	if staff {
		v.Next = incident.Transitions[inc.State]
		v.Teams = s.teamNames(r, rq)
	}
	// The CMDB context: each affected CI as the viewer may see it.
	for _, k := range inc.CIs {
		ci, err := s.CMDB.FindCIByKey(r.Context(), rq.P, k)
		if err != nil {
			continue // hidden from this viewer
		}
		v.CIs = append(v.CIs, ci.Summary())
	}
	for _, k := range inc.Services {
		v.Services = append(v.Services, serviceContext{Key: k, Path: inc.ServicePaths[k]})
	}
	return v, nil
}

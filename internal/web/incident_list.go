package web

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// queueViews are the agent queue's tabs: each a filter on the list.
var queueViews = []struct{ Name, Label string }{
	{"mine", "My work"}, {"groups", "My groups"}, {"unassigned", "Unassigned"}, {"all", "All"},
}

// incidentFilterForm is the queue's filter as typed, echoed back. It
// reads the filters of GET /api/v1/incidents under the same names, plus
// view (the tab).
type incidentFilterForm struct {
	View, Q, State, Category, Group, Assignee string
	Priority                                  int
}

// incidentListView is the agent queue, or a requester's own incidents.
type incidentListView struct {
	layout
	Filter     incidentFilterForm
	Views      []struct{ Name, Label string }
	ViewURLs   map[string]string
	Sort       string
	SortURLs   map[string]string
	States     []string
	Categories []string
	Items      []incident.Incident
	Total      int
	Capped     bool
	Staff      bool // the desk's queue rather than a requester's list
	NextURL    string
	PrevURL    string
	FirstURL   string
}

// readIncidentFilter reads the queue's filter from the URL; a value the
// service cannot take is reported rather than ignored.
func readIncidentFilter(q url.Values, p auth.Principal) (incidentFilterForm, incident.Filter, error) {
	get := func(name string) string { return strings.TrimSpace(q.Get(name)) }
	ff := incidentFilterForm{View: get("view"), Q: get("q"), State: get("state"), Category: get("category"),
		Group: get("assignment_group"), Assignee: get("assignee")}
	var fe errs.Fields
	if s := get("priority"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			fe.Add("priority", "must be a whole number from 1 to 5")
		}
		ff.Priority = n
	}
	pg := paging.FromQuery(q, nil)
	f := incident.Filter{Query: ff.Q, State: ff.State, Category: ff.Category, AssignmentGroup: ff.Group,
		Assignee: ff.Assignee, Priority: ff.Priority, Sort: get("sort"), Cursor: pg.Cursor, Limit: pg.Limit}
	switch ff.View {
	case "", "all":
	case "mine":
		f.Assignee = p.Username
	case "groups":
		f.MyGroups = true
	case "unassigned":
		f.Unassigned = true
	default:
		fe.Add("view", "must be mine, groups, unassigned or all")
	}
	if err := fe.Err(); err != nil {
		e, _ := errs.As(err)
		e.Message = "this list's address has filters that cannot apply"
		return ff, f, e
	}
	return ff, f, nil
}

// incidentList shows the queue: one page of the incidents the viewer may
// see, filtered and sorted as the URL says.
func (s *server) incidentList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	staff := rq.P.Can(auth.IncidentWrite)
	if !q.Has("view") && !q.Has("state") && staff {
		// The desk starts on its open work.
		q.Set("state", "open")
	}
	ff, f, err := readIncidentFilter(q, rq.P)
	if err != nil {
		return err
	}
	page, err := s.Incidents.FindIncidents(r.Context(), rq.P, f)
	if err != nil {
		return err
	}
	title := "Incidents"
	if !staff {
		title = "My incidents"
	}
	v := incidentListView{layout: s.frame(r, rq, title, "incidents"), Filter: ff, Views: queueViews,
		Sort: cmp.Or(f.Sort, "-created"), States: incident.StateFilters(), Categories: incident.Categories(),
		Items: page.Items, Total: page.Total, Capped: page.TotalCapped, Staff: staff,
		ViewURLs: map[string]string{}, SortURLs: map[string]string{}}
	for _, vw := range queueViews {
		u := carry(q, "cursor", "trail", "view")
		u.Set("view", vw.Name)
		v.ViewURLs[vw.Name] = "/incidents?" + u.Encode()
	}
	for _, srt := range []string{"-created", "priority", "-updated"} {
		u := carry(q, "cursor", "trail", "sort")
		u.Set("sort", srt)
		v.SortURLs[srt] = "/incidents?" + u.Encode()
	}
	v.FirstURL, v.PrevURL, v.NextURL = pageLinks("/incidents", q, page.NextCursor)
	return s.render(w, http.StatusOK, "incident_list", v)
}

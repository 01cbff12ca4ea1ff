package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// Environments offered in filters and forms; a CI may carry any other.
var environments = []string{"production", "staging", "development", "test", "dr"}

// ciFilterForm is the list's filter form as typed, echoed back into it.
type ciFilterForm struct {
	Q, Kind, Environment, SupportGroup, Tag, Exposed string
	MinCriticality                                   int
}

// ciListView is the CMDB list page.
type ciListView struct {
	layout
	Filter       ciFilterForm
	Kinds        []cmdb.Kind
	Environments []string
	Teams        []string
	Items        []cmdb.CI
	Total        int
	Filtered     bool
	NextURL      string
	PrevURL      string
	FirstURL     string
}

// ciList shows one page of the CIs the viewer may see, filtered. It makes
// exactly one CMDB query (items and total in one snapshot).
func (s *server) ciList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	ff := ciFilterForm{
		Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Environment: q.Get("environment"),
		SupportGroup: q.Get("support_group"), Tag: strings.TrimSpace(q.Get("tag")), Exposed: q.Get("exposed"),
	}
	ff.MinCriticality, _ = strconv.Atoi(q.Get("min_criticality"))
	pg := paging.FromQuery(q, nil)
	f := cmdb.Filter{Query: ff.Q, Kind: cmdb.Kind(ff.Kind), Environment: ff.Environment, SupportGroup: ff.SupportGroup,
		Tag: ff.Tag, MinCriticality: ff.MinCriticality, Cursor: pg.Cursor, Limit: pg.Limit}
	switch ff.Exposed {
	case "yes":
		f.InternetExposed = ptr(true)
	case "no":
		f.InternetExposed = ptr(false)
	}
	page, err := s.CMDB.FindCIs(r.Context(), rq.P, f)
	if err != nil {
		return err
	}
	v := ciListView{
		layout: s.frame(r, rq, "CMDB", "cmdb"), Filter: ff, Kinds: cmdb.Kinds, Environments: environments,
		Teams: s.teamNames(r, rq), Items: page.Items, Total: page.Total,
		Filtered: ff != (ciFilterForm{}),
	}
	v.FirstURL, v.PrevURL, v.NextURL = pageLinks("/cis", q, page.NextCursor)
	return s.render(w, http.StatusOK, "ci_list", v)
}

// teamNames lists team names for pickers; an empty list (the viewer may
// not read teams) turns the pickers into plain text boxes.
func (s *server) teamNames(r *http.Request, rq *request) []string {
	teams, err := s.Auth.FindTeams(r.Context(), rq.P)
	if err != nil {
		return nil
	}
	names := make([]string, len(teams))
	for i, t := range teams {
		names[i] = t.Name
	}
	return names
}

func ptr[T any](v T) *T { return &v }

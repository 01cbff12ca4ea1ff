package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// ciPageSize is the one page size of the CMDB list. With keyset paging the
// cost of a page does not grow with the size of the CMDB.
const ciPageSize = 50

// maxTrail bounds how many earlier pages "Previous" can walk back through.
const maxTrail = 20

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
	f := cmdb.Filter{Query: ff.Q, Kind: cmdb.Kind(ff.Kind), Environment: ff.Environment, SupportGroup: ff.SupportGroup,
		Tag: ff.Tag, MinCriticality: ff.MinCriticality, Cursor: q.Get("cursor"), Limit: ciPageSize}
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

// pageLinks builds first/previous/next links for keyset paging. The
// cursors of earlier pages ride along in "trail" (separated by "~", which
// never occurs in a cursor), so Previous works without offsets.
func pageLinks(base string, q url.Values, next string) (first, prev, nextURL string) {
	cursor := q.Get("cursor")
	var trail []string
	if cursor != "" {
		trail = strings.Split(q.Get("trail"), "~")
	}
	link := func(c string, t []string) string {
		v := url.Values{}
		for k, vals := range q {
			if k != "cursor" && k != "trail" && k != "done" && len(vals) > 0 && vals[0] != "" {
				v.Set(k, vals[0])
			}
		}
		if c != "" {
			v.Set("cursor", c)
			v.Set("trail", strings.Join(t, "~"))
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	if cursor != "" {
		first = link("", nil)
		prev = link(trail[len(trail)-1], trail[:len(trail)-1])
	}
	if next != "" {
		t := append(trail, cursor)
		if len(t) > maxTrail {
			t = t[len(t)-maxTrail:]
		}
		nextURL = link(next, t)
	}
	return first, prev, nextURL
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

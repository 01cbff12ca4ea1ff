package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// Environments offered in filters and forms; a CI may carry any other.
var environments = []string{"production", "staging", "development", "test", "dr"}

// pageSizes are the page sizes the list offers; ?limit= takes any other
// up to paging.MaxLimit.
var pageSizes = []int{25, 50, 100, 200, 500}

// ciFilterForm is the list's filter form as typed, echoed back into it.
// It reads every filter the API's GET /api/v1/cis knows, under the same
// names, so a URL works in both; "exposed=yes|no" is the form's own
// spelling of internet_exposed.
type ciFilterForm struct {
	Q, Kind, Environment, Owner, SupportGroup, Tag, Lifecycle, Exposed, UpdatedSince string
	MinCriticality                                                                   int
}

// ciListView is the CMDB list page.
type ciListView struct {
	layout
	Filter       ciFilterForm
	Sort         string
	Limit        int
	PageSizes    []int
	Kinds        []cmdb.Kind
	Environments []string
	Lifecycles   []string
	Teams        []string
	Items        []cmdb.CI
	Total        int
	TotalCapped  bool // more than paging.TotalCap match
	Filtered     bool
	ExportURL    string
	NextURL      string
	PrevURL      string
	FirstURL     string
	// Columns are the sortable column headings, with the link that sorts
	// by each.
	Columns map[string]sortLink
}

// sortLink is one sortable column heading: the link that sorts by it (or
// reverses it) and, for the current order, which way it runs.
type sortLink struct {
	URL  string
	Aria string // "ascending", "descending" or "" when the list is not sorted by it
}

// readCIFilter reads the list's filter from the URL. A value the CMDB
// cannot take (an unknown kind, a sort that does not exist, a malformed
// date) is reported, not ignored, so the page never shows an unfiltered
// list under a filtered URL.
func readCIFilter(q url.Values) (ciFilterForm, cmdb.Filter, error) {
	var fe errs.Fields
	get := func(name string) string { return strings.TrimSpace(q.Get(name)) }
	ff := ciFilterForm{
		Q: get("q"), Kind: get("kind"), Environment: get("environment"), Owner: get("owner"),
		SupportGroup: get("support_group"), Tag: get("tag"), Lifecycle: get("lifecycle_status"),
		Exposed: get("exposed"), UpdatedSince: get("updated_since"),
	}
	if s := get("min_criticality"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			fe.Add("min_criticality", "must be a whole number from 1 to 5")
		}
		ff.MinCriticality = n
	}
	switch get("internet_exposed") {
	case "true":
		ff.Exposed = "yes"
	case "false":
		ff.Exposed = "no"
	case "":
	default:
		fe.Add("internet_exposed", "must be true or false")
	}
	pg := paging.FromQuery(q, nil)
	f := cmdb.Filter{Query: ff.Q, Kind: cmdb.Kind(ff.Kind), Environment: ff.Environment, Owner: ff.Owner,
		SupportGroup: ff.SupportGroup, Tag: ff.Tag, LifecycleStatus: ff.Lifecycle, MinCriticality: ff.MinCriticality,
		Sort: get("sort"), Cursor: pg.Cursor, Limit: pg.Limit}
	switch ff.Exposed {
	case "yes":
		f.InternetExposed = ptr(true)
	case "no":
		f.InternetExposed = ptr(false)
	case "":
	default:
		fe.Add("exposed", "must be yes or no")
	}
	if ff.UpdatedSince != "" {
		t, err := time.Parse(time.RFC3339Nano, ff.UpdatedSince)
		if err != nil {
			fe.Add("updated_since", "must be a time such as 2026-03-01T09:00:00Z")
		}
		f.UpdatedSince = t.UTC()
	}
	if err := fe.Err(); err != nil {
		e, _ := errs.As(err)
		e.Message = "this list's address has filters the CMDB cannot apply"
		return ff, f, e
	}
	return ff, f, nil
}

// ciList shows one page of the CIs the viewer may see, filtered and
// sorted as the URL says. It makes exactly one CMDB query (items and total
// in one snapshot).
func (s *server) ciList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	ff, f, err := readCIFilter(q)
	if err != nil {
		return err
	}
	page, err := s.CMDB.FindCIs(r.Context(), rq.P, f)
	if err != nil {
		return err
	}
	v := ciListView{
		layout: s.frame(r, rq, "CMDB", "cmdb"), Filter: ff, Sort: cmp.Or(f.Sort, "name"), Limit: paging.Clamp(f.Limit),
		PageSizes: pageSizes, Kinds: cmdb.Kinds, Environments: environments, Lifecycles: cmdb.LifecycleStatuses,
		Teams: s.teamNames(r, rq), Items: page.Items, Total: page.Total, TotalCapped: page.TotalCapped, Filtered: ff != (ciFilterForm{}),
		ExportURL: withoutPaging("/cis/export.csv", q),
	}
	if !slices.Contains(v.PageSizes, v.Limit) {
		v.PageSizes = append(slices.Clone(pageSizes), v.Limit)
		slices.Sort(v.PageSizes)
	}
	v.Columns = sortLinks(q, v.Sort)
	v.FirstURL, v.PrevURL, v.NextURL = pageLinks("/cis", q, page.NextCursor)
	return s.render(w, http.StatusOK, "ci_list", v)
}

// sortLinks builds the heading link of each sortable column: sorted by
// another column, it sorts ascending (newest first for updated); sorted
// by this one, it reverses. Paging restarts, the filters stay.
func sortLinks(q url.Values, current string) map[string]sortLink {
	out := map[string]sortLink{}
	for _, col := range []string{"name", "kind", "criticality", "environment", "updated"} {
		next, aria := col, ""
		if col == "updated" {
			next = "-updated"
		}
		switch current {
		case col:
			next, aria = "-"+col, "ascending"
		case "-" + col:
			next, aria = col, "descending"
		}
		v := carry(q, "cursor", "trail", "sort")
		if next != "name" {
			v.Set("sort", next)
		}
		u := "/cis"
		if len(v) > 0 {
			u += "?" + v.Encode()
		}
		out[col] = sortLink{URL: u, Aria: aria}
	}
	return out
}

// withoutPaging is base with q's parameters except those of paging.
func withoutPaging(base string, q url.Values) string {
	v := carry(q, "cursor", "trail", "limit")
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
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

package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// Impact depth choices: deep enough for real service chains, bounded so a
// picture stays readable and a query stays cheap.
const (
	defaultImpactDepth = 5
	maxImpactDepth     = 10
)

// impactView is the impact page: the picture and the table of affected CIs.
type impactView struct {
	layout
	Impact    cmdb.Impact
	Direction string
	Depth     int
	Depths    []int
	Graph     graph
}

// impact shows what fails if a CI fails (downstream) or what it is built on
// (upstream), to the chosen depth. Without a direction the CI's kind
// chooses (cmdb.DefaultDirection): a business service opens upstream.
// ?expand=N (repeatable) draws row N in full instead of "+N more".
func (s *server) impact(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	dir := cmdb.Direction(q.Get("direction"))
	if dir != cmdb.Upstream && dir != cmdb.Downstream {
		dir = ""
	}
	depth, err := strconv.Atoi(q.Get("depth"))
	if err != nil || depth < 1 || depth > maxImpactDepth {
		depth = defaultImpactDepth
	}
	var expanded []int
	for _, v := range q["expand"] {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= depth && !slices.Contains(expanded, n) {
			expanded = append(expanded, n)
		}
	}
	imp, err := s.CMDB.Impact(r.Context(), rq.P, r.PathValue("key"), dir, depth)
	if err != nil {
		return err
	}
	opt := drawOptions{Expanded: map[int]bool{}}
	for _, n := range expanded {
		opt.Expanded[n] = true
	}
	g := layoutGraph(imp, opt)
	for i := range g.More {
		m := &g.More[i]
		m.Href = "#impact-table"
		if m.Expandable {
			m.Href = impactURL(imp.Root.Key, imp.Direction, depth, append(slices.Clone(expanded), m.Rank))
			m.Title += "; show them"
		} else {
			m.Title += "; the table lists them"
		}
	}
	v := impactView{layout: s.frame(r, rq, "Impact of "+imp.Root.Key, "cmdb"), Impact: imp, Direction: string(imp.Direction),
		Depth: depth, Graph: g}
	for d := 1; d <= maxImpactDepth; d++ {
		v.Depths = append(v.Depths, d)
	}
	return s.render(w, http.StatusOK, "impact", v)
}

// impactURL is the impact page of key with these choices.
func impactURL(key string, dir cmdb.Direction, depth int, expand []int) string {
	q := url.Values{"direction": {string(dir)}, "depth": {strconv.Itoa(depth)}}
	slices.Sort(expand)
	for _, n := range expand {
		q.Add("expand", strconv.Itoa(n))
	}
	return "/cis/" + url.PathEscape(key) + "/impact?" + q.Encode()
}

package web

import (
	"net/http"
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
// (upstream), to the chosen depth.
func (s *server) impact(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	dir := cmdb.Direction(q.Get("direction"))
	if dir != "upstream" {
		dir = "downstream"
	}
	depth, err := strconv.Atoi(q.Get("depth"))
	if err != nil || depth < 1 || depth > maxImpactDepth {
		depth = defaultImpactDepth
	}
	imp, err := s.CMDB.Impact(r.Context(), rq.P, r.PathValue("key"), dir, depth)
	if err != nil {
		return err
	}
	v := impactView{layout: s.frame(r, rq, "Impact of "+imp.Root.Key, "cmdb"), Impact: imp, Direction: string(dir),
		Depth: depth, Graph: layoutGraph(imp)}
	for d := 1; d <= maxImpactDepth; d++ {
		v.Depths = append(v.Depths, d)
	}
	return s.render(w, http.StatusOK, "impact", v)
}

package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/rampart-itsm/rampart/internal/vuln"
)

// vulnDashboardView is the vulnerability dashboard: active findings by
// priority, overdue, KEV exposure, mean time to remediate and the trend
// of findings opened and fixed per day, drawn here as SVG (no script).
type vulnDashboardView struct {
	layout
	D     vuln.Dashboard
	MTTR  string
	Chart trendChart
}

// trendChart is the trend as bars: per day one bar of findings opened and
// one of findings fixed, scaled to the largest day.
type trendChart struct {
	Width, Height int
	Max           int
	Bars          []trendBar
}

type trendBar struct {
	Day                  string
	Opened, Fixed        int
	X, W                 int
	OpenedY, OpenedH     int
	FixedX, FixedY, FixH int
}

const chartW, chartH, chartPad = 720, 160, 20

func newTrendChart(days []vuln.DayCount) trendChart {
	c := trendChart{Width: chartW, Height: chartH + chartPad}
	for _, d := range days {
		c.Max = max(c.Max, d.Opened, d.Fixed)
	}
	if len(days) == 0 {
		return c
	}
	slot := chartW / len(days)
	scale := func(n int) int {
		if c.Max == 0 {
			return 0
		}
		return n * chartH / c.Max
	}
	for i, d := range days {
		w := max(slot/2-1, 1)
		oh, fh := scale(d.Opened), scale(d.Fixed)
		c.Bars = append(c.Bars, trendBar{Day: d.Day.Format(time.DateOnly), Opened: d.Opened, Fixed: d.Fixed,
			X: i * slot, W: w, OpenedY: chartH - oh, OpenedH: oh, FixedX: i*slot + w + 1, FixedY: chartH - fh, FixH: fh})
	}
	return c
}

// vulnDashboard: GET /vulnerabilities.
func (s *server) vulnDashboard(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := s.Vuln.Dashboard(r.Context(), rq.P)
	if err != nil {
		return err
	}
	v := vulnDashboardView{layout: s.frame(r, rq, "Vulnerabilities", "vulns"), D: d, Chart: newTrendChart(d.Trend), MTTR: "–"}
	if d.Fixed > 0 {
		v.MTTR = fmt.Sprintf("%.1f days", d.MTTR.Hours()/24)
	}
	return s.render(w, http.StatusOK, "vuln_dashboard", v)
}

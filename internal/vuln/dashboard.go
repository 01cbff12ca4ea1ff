package vuln

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// Dashboard is the state of vulnerability management at a glance.
type Dashboard struct {
	// ByPriority counts active findings (open, in remediation, reopened)
	// per priority, P1 first, with how many are overdue and in KEV.
	ByPriority []PriorityCount `json:"by_priority"`
	Active     int             `json:"active"`
	Overdue    int             `json:"overdue"`
	KEV        int             `json:"kev"`
	// MTTR is the mean time from first seen to fixed of the findings
	// fixed in the last TrendDays days (Fixed of them); 0 when none.
	MTTR  time.Duration `json:"mttr"`
	Fixed int           `json:"fixed"`
	// Trend counts, per UTC day of the last TrendDays days (oldest
	// first), the findings first seen and fixed that day.
	Trend []DayCount `json:"trend"`
}

// PriorityCount is one priority's active findings.
type PriorityCount struct {
	Priority Priority `json:"priority"`
	Active   int      `json:"active"`
	Overdue  int      `json:"overdue"`
	KEV      int      `json:"kev"`
}

// DayCount is one day of the trend.
type DayCount struct {
	Day    time.Time `json:"day"`
	Opened int       `json:"opened"`
	Fixed  int       `json:"fixed"`
}

// TrendDays is how far back the dashboard's trend and MTTR look.
const TrendDays = 30

// Dashboard gathers the dashboard's figures. Requires auth.FindingRead.
// Errors: Unauthenticated, Forbidden.
func (s *Service) Dashboard(ctx context.Context, p auth.Principal) (Dashboard, error) {
	if err := p.Require(auth.FindingRead); err != nil {
		return Dashboard{}, err
	}
	var d Dashboard
	err := s.t.View(ctx, func(tx Tx) error {
		st, now := tx.Vuln(), tx.Now()
		v := auth.VisibilityFor(p, auth.KindFinding)
		counts, err := st.CountActive(ctx, now, v)
		if err != nil {
			return err
		}
		for _, pr := range Priorities {
			c := counts[pr]
			c.Priority = pr
			d.ByPriority = append(d.ByPriority, c)
			d.Active += c.Active
			d.Overdue += c.Overdue
			d.KEV += c.KEV
		}
		today := now.UTC().Truncate(24 * time.Hour)
		since := today.AddDate(0, 0, -(TrendDays - 1))
		index := map[time.Time]int{}
		for i := range TrendDays {
			day := since.AddDate(0, 0, i)
			index[day] = i
			d.Trend = append(d.Trend, DayCount{Day: day})
		}
		var total time.Duration
		return st.EachSince(ctx, since, v, func(first time.Time, fixed *time.Time) {
			if i, ok := index[first.UTC().Truncate(24*time.Hour)]; ok {
				d.Trend[i].Opened++
			}
			if fixed == nil {
				return
			}
			if i, ok := index[fixed.UTC().Truncate(24*time.Hour)]; ok {
				d.Trend[i].Fixed++
				d.Fixed++
				total += fixed.Sub(first)
				d.MTTR = total / time.Duration(d.Fixed)
			}
		})
	})
	return d, err
}

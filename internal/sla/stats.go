package sla

import (
	"context"
	"time"
)

// StatsWindow is how far back Stats looks at stopped clocks.
const StatsWindow = 30 * 24 * time.Hour

// ClockStat counts the clocks of one definition in one state. Counts and
// sums only: no record is named, so metrics built from them carry nothing
// restricted.
type ClockStat struct {
	Name    string
	Kind    Kind
	Target  Target
	State   State
	Stopped bool // the clocks stopped (their record resolved or cancelled)
	Count   int64
	Elapsed time.Duration // business time summed over the clocks
}

// Stats counts active clocks and those stopped in the last StatsWindow,
// for metrics: attainment is met / (met + breached) per definition, and
// the mean business time to respond (MTTA) and to resolve (MTTR) is the
// elapsed time of stopped response and resolution clocks over their
// count. For system use (the metrics endpoint, which has its own
// permission). Errors: those of the store.
func (s *Service) Stats(ctx context.Context) ([]ClockStat, error) {
	var out []ClockStat
	err := s.t.View(ctx, func(tx Tx) (err error) {
		out, err = tx.SLA().ClockStats(ctx, tx.Now().Add(-StatsWindow))
		return err
	})
	return out, err
}

package jobs

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes counted per processed attempt.
const (
	outcomeDone  = "done"
	outcomeRetry = "retry"
	outcomeDead  = "dead"
)

type metrics struct {
	processed *prometheus.CounterVec
	dead      *prometheus.CounterVec
}

func newMetrics() *metrics {
	return &metrics{
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rampart_jobs_processed_total",
			Help: "Job attempts finished, by kind and outcome (done, retry, dead).",
		}, []string{"kind", "outcome"}),
		dead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rampart_jobs_dead_total",
			Help: "Jobs that failed their last attempt and wait for an admin (dead letter).",
		}, []string{"kind"}),
	}
}

// register adds the counters to reg. A second runner in the same process
// shares the counters the first registered, so totals are per process.
func (m *metrics) register(reg prometheus.Registerer) error {
	for _, c := range []**prometheus.CounterVec{&m.processed, &m.dead} {
		err := reg.Register(*c)
		var are prometheus.AlreadyRegisteredError
		switch {
		case errors.As(err, &are):
			existing, ok := are.ExistingCollector.(*prometheus.CounterVec)
			if !ok {
				return err
			}
			*c = existing
		case err != nil:
			return err
		}
	}
	return nil
}

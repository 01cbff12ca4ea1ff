package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/sla"
)

// slaPollEvery is how often the SLA poller looks for due clocks. Events
// carry the instant a threshold was crossed, so a later pass raises the
// same event, only later.
const slaPollEvery = 30 * time.Second

// registerSLA runs the SLA poller as a recurring job (one instance across
// replicas) and takes the warnings and breaches it raises. Until a
// notification practice consumes sla.events jobs, they are counted and
// logged by id: a security record's event must not carry its text.
func (a *App) registerSLA() {
	events := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rampart_sla_events_total",
		Help: "SLA warnings and breaches raised, by type (warning, breach).",
	}, []string{"type"})
	a.Registry.MustRegister(events, newSLACollector(a))
	a.Runner.Handle(sla.JobPoll, func(ctx context.Context, _ jobs.Job) error {
		res, err := a.SLA.Poll(ctx)
		if err == nil && res.Clocks > 0 {
			a.Logger.Info("SLA poll", "clocks", res.Clocks, "warnings", res.Warnings, "breaches", res.Breaches)
		}
		return err
	})
	a.Runner.Handle(sla.JobEvents, func(_ context.Context, j jobs.Job) error {
		var p sla.EventsJob
		if err := j.Decode(&p); err != nil {
			return err
		}
		for _, e := range p.Events {
			events.WithLabelValues(string(e.Type)).Inc()
			a.Logger.Info("SLA "+string(e.Type), "record_kind", e.RecordKind, "record_id", e.RecordID,
				"clock_id", e.ClockID, "percent", e.Percent, "at", e.At)
		}
		return nil
	})
	a.Runner.Every(sla.JobPoll, slaPollEvery)
}

// slaCollector reads SLA figures at scrape time: counts and business-time
// means by definition, never a record. Attainment is met / (met +
// breached) over clocks active or stopped in the last 30 days; MTTA and
// MTTR are the mean business time of stopped response and resolution
// clocks over the same window.
type slaCollector struct {
	a                           *App
	clocks, attainment, meanDur *prometheus.Desc
}

func newSLACollector(a *App) *slaCollector {
	return &slaCollector{a: a,
		clocks: prometheus.NewDesc("rampart_sla_clocks", "SLA clocks active or stopped in the last 30 days, by definition and state.",
			[]string{"definition", "kind", "target", "state"}, nil),
		attainment: prometheus.NewDesc("rampart_sla_attainment_ratio", "Share of SLA clocks met among those met or breached in the last 30 days, by definition.",
			[]string{"definition", "kind", "target"}, nil),
		meanDur: prometheus.NewDesc("rampart_sla_mean_business_seconds", "Mean business time to respond (target=response: MTTA) and to resolve (target=resolution: MTTR), over clocks stopped in the last 30 days.",
			[]string{"kind", "target"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *slaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.clocks
	ch <- c.attainment
	ch <- c.meanDur
}

// Collect implements prometheus.Collector.
func (c *slaCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stats, err := c.a.SLA.Stats(ctx)
	if err != nil {
		c.a.Logger.Error("SLA metrics", "error", err)
		return
	}
	type def struct{ name, kind, target string }
	type mean struct{ kind, target string }
	counts := map[def]map[sla.State]int64{}
	sums, ns := map[mean]time.Duration{}, map[mean]int64{}
	byState := map[[4]string]int64{}
	for _, s := range stats {
		d := def{s.Name, string(s.Kind), string(s.Target)}
		byState[[4]string{d.name, d.kind, d.target, string(s.State)}] += s.Count
		if counts[d] == nil {
			counts[d] = map[sla.State]int64{}
		}
		counts[d][s.State] += s.Count
		if s.Stopped && (s.State == sla.StateMet || s.State == sla.StateBreached) {
			m := mean{d.kind, d.target}
			sums[m] += s.Elapsed
			ns[m] += s.Count
		}
	}
	for k, n := range byState {
		ch <- prometheus.MustNewConstMetric(c.clocks, prometheus.GaugeValue, float64(n), k[0], k[1], k[2], k[3])
	}
	for d, st := range counts {
		if done := st[sla.StateMet] + st[sla.StateBreached]; done > 0 {
			ch <- prometheus.MustNewConstMetric(c.attainment, prometheus.GaugeValue, float64(st[sla.StateMet])/float64(done), d.name, d.kind, d.target)
		}
	}
	for m, n := range ns {
		ch <- prometheus.MustNewConstMetric(c.meanDur, prometheus.GaugeValue, sums[m].Seconds()/float64(n), m.kind, m.target)
	}
}

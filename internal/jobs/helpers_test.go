package jobs_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
)

var (
	admin     = auth.Principal{UserID: 1, Username: "root", Roles: []auth.Role{auth.RoleAdmin}}
	auditor   = auth.Principal{UserID: 2, Username: "alice", Roles: []auth.Role{auth.RoleAuditor}}
	agent     = auth.Principal{UserID: 3, Username: "bob", Roles: []auth.Role{auth.RoleAgent}}
	requester = auth.Principal{UserID: 4, Username: "carol", Roles: []auth.Role{auth.RoleRequester}}
)

func bind(db *store.DB) jobs.Transactor {
	return store.Bind(db, jobstore.Bind)
}

// logSink keeps log records so tests can see what was logged at ERROR.
type logSink struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (s *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (s *logSink) Handle(_ context.Context, r slog.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, r)
	return nil
}
func (s *logSink) WithAttrs([]slog.Attr) slog.Handler { return s }
func (s *logSink) WithGroup(string) slog.Handler      { return s }

func (s *logSink) at(level slog.Level) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.recs {
		if r.Level == level {
			out = append(out, r.Message)
		}
	}
	return out
}

// rig is a runner on a test database with a fake clock, fixed jitter,
// captured logs and its own metrics registry.
type rig struct {
	db     *store.DB
	clk    *clock.Fake
	runner *jobs.Runner
	logs   *logSink
	reg    *prometheus.Registry
}

func newRig(t *testing.T, db *store.DB, clk *clock.Fake, worker string) *rig {
	t.Helper()
	r := jobs.NewRunner(bind(db), clk, worker)
	r.Jitter = func() float64 { return 0.5 }
	r.BackoffBase, r.BackoffMax = 10*time.Second, time.Hour
	logs := &logSink{}
	r.Logger = slog.New(logs)
	reg := prometheus.NewRegistry()
	if err := r.Instrument(reg); err != nil {
		t.Fatal(err)
	}
	return &rig{db: db, clk: clk, runner: r, logs: logs, reg: reg}
}

func (g *rig) enqueue(t *testing.T, j jobs.NewJob) int64 {
	t.Helper()
	var id int64
	err := g.db.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		id, err = jobstore.Bind(tx).Jobs().Enqueue(context.Background(), j)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (g *rig) runOnce(t *testing.T) int {
	t.Helper()
	n, err := g.runner.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (g *rig) job(t *testing.T, id int64) jobs.Job {
	t.Helper()
	var j jobs.Job
	err := g.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		j, err = jobstore.Bind(tx).Jobs().FindJob(context.Background(), auth.Unrestricted("test"), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func (g *rig) all(t *testing.T) []jobs.Job {
	t.Helper()
	var out []jobs.Job
	err := g.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		out, err = jobstore.Bind(tx).Jobs().FindJobs(context.Background(), auth.Unrestricted("test"), "", 500)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const (
	slogWarn  = slog.LevelWarn
	slogError = slog.LevelError
)

// counters renders every series of one counter family in the runner's
// registry as `{label="value",...} N; ...`, in the registry's order.
func (g *rig) counters(t *testing.T, name string) string {
	t.Helper()
	families, err := g.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			out = append(out, fmt.Sprintf("{%s} %g", strings.Join(labels, ","), m.GetCounter().GetValue()))
		}
	}
	return strings.Join(out, "; ")
}

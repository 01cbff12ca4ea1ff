// Package app is the composition root: it opens the database, runs the
// migrations, builds every practice's service and the HTTP handler, and
// starts the background runner. Nothing else constructs services.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/httpauth"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
)

// Config says where the data lives and how to run.
type Config struct {
	// Target is a postgres:// DSN or the path of the SQLite database file.
	Target string
	Clock  clock.Clock
	Logger *slog.Logger
	// Transport says when a request came over HTTPS (Secure cookies, HSTS).
	Transport httpauth.Transport
	// UploadTimeout is how long a signed-in user may take to send an
	// uploaded file; 0 leaves the server's read timeout in charge.
	UploadTimeout time.Duration
	// MetricsPublic serves /metrics without credentials, for a scraper on
	// a trusted network; otherwise it needs auth.MetricsRead.
	MetricsPublic bool
	// HashSlots bounds concurrent password hashing (64 MiB each); 0 sizes
	// it from available memory (HashSlots()).
	HashSlots int
	// Worker names this process in job leases; defaults to host and pid.
	Worker string
}

// App is a running Rampart: its database, services and background runner.
type App struct {
	services.Services
	DB       *store.DB
	Runner   *jobs.Runner
	Registry *prometheus.Registry
	Logger   *slog.Logger
	Clock    clock.Clock
	cfg      Config
}

// Open opens the database, applies pending migrations (safe when several
// replicas start at once) and builds the services.
func Open(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Worker == "" {
		host, _ := os.Hostname()
		cfg.Worker = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	db, err := store.Open(ctx, cfg.Target, cfg.Clock)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return build(db, cfg), nil
}

func build(db *store.DB, cfg Config) *App {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a := &App{
		Services: services.New(db, cfg.Clock),
		DB:       db,
		Runner:   jobs.NewRunner(store.Bind(db, jobstore.Bind), cfg.Clock, cfg.Worker),
		Registry: reg,
		Logger:   cfg.Logger,
		Clock:    cfg.Clock,
		cfg:      cfg,
	}
	if err := a.Runner.Instrument(reg); err != nil {
		panic(err) // a fresh registry cannot already hold these metrics
	}
	slots := cfg.HashSlots
	if slots <= 0 {
		slots = HashSlots()
	}
	a.Auth.LimitHashing(slots, auth.HashWait)
	a.registerJobs()
	return a
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Package app is the composition root: it opens the database, runs the
// migrations, builds every practice's service and the HTTP handler, and
// starts the background runner. Nothing else constructs services.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
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
	// Provision says what Open may create when the database is missing.
	Provision Provision
	// JobRetention is how long finished jobs are kept; zero takes
	// jobs.DefaultRetention.
	JobRetention jobs.Retention
}

// Provision says what Open may create. Only serve creates a database from
// nothing; migrate creates the schema in a database that exists; every
// other operator verb refuses a database without Rampart's schema, so a
// mistyped --data or --db never answers from an empty database.
type Provision int

const (
	// CreateMissing creates the SQLite data directory and file, and the
	// schema (serve; tests).
	CreateMissing Provision = iota
	// CreateSchema needs the database to exist (an SQLite data directory,
	// a PostgreSQL database) and creates or upgrades its schema (migrate,
	// demo).
	CreateSchema
	// ExistingOnly needs a database that already holds Rampart's schema;
	// pending migrations are still applied (audit verify, token create).
	ExistingOnly
)

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
	if err := checkTarget(cfg.Target, cfg.Provision); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, cfg.Target, cfg.Clock)
	if err != nil {
		return nil, err
	}
	if cfg.Provision == ExistingOnly {
		ok, err := db.HasSchema(ctx)
		if err == nil && !ok {
			err = fmt.Errorf("%s holds no Rampart database (no schema): check --data/--db, or create one with rampart migrate", describeTarget(cfg.Target))
		}
		if err != nil {
			db.Close()
			return nil, err
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return build(db, cfg), nil
}

// checkTarget refuses, before anything is opened (opening an SQLite file
// creates it), a data directory or database file that p does not allow
// Open to create.
func checkTarget(target string, p Provision) error {
	if p == CreateMissing || store.IsPostgres(target) {
		return nil
	}
	dir := filepath.Dir(target)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("data directory %s does not exist: check --data (rampart serve creates it)", dir)
	}
	if p == ExistingOnly {
		if _, err := os.Stat(target); err != nil {
			return fmt.Errorf("no Rampart database in %s: check --data, or create one with rampart migrate", dir)
		}
	}
	return nil
}

// describeTarget names a database for a message without its password.
func describeTarget(target string) string {
	if !store.IsPostgres(target) {
		return target
	}
	if u, err := url.Parse(target); err == nil {
		return u.Redacted()
	}
	return "the PostgreSQL database"
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
	if cfg.JobRetention != (jobs.Retention{}) {
		a.Runner.Retention = cfg.JobRetention
	}
	// Jobs committed by other replicas wake this one's runner at once
	// (PostgreSQL NOTIFY); on SQLite Listen only waits.
	a.Runner.Listen = func(ctx context.Context, wake func()) error { return db.Listen(ctx, jobs.Channel, wake) }
	if err := a.Runner.Instrument(reg); err != nil {
		panic(err) // a fresh registry cannot already hold these metrics
	}
	slots := cfg.HashSlots
	if slots <= 0 {
		slots = HashSlots()
	}
	a.Auth.LimitHashing(slots, auth.HashWait)
	a.registerJobs()
	a.registerSLA()
	return a
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

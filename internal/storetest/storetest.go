// Package storetest opens real, migrated, empty databases for tests: an
// SQLite file under t.TempDir(), and a PostgreSQL database cloned from a
// migrated template when RAMPART_TEST_POSTGRES names a server. Contract
// suites call Each so the same test runs on both engines.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
)

// PostgresEnv names the PostgreSQL server tests use, as a postgres:// URL
// whose database may be any existing one (tests create their own).
const PostgresEnv = "RAMPART_TEST_POSTGRES"

// Backends lists the engines tests run on here: sqlite always, postgres
// when PostgresEnv is set. In CI a missing PostgresEnv fails the test
// rather than skipping, so both engines are always proven there.
func Backends(t testing.TB) []string {
	b := []string{"sqlite"}
	if os.Getenv(PostgresEnv) != "" {
		b = append(b, "postgres")
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: CI must run the PostgreSQL tests", PostgresEnv)
	}
	return b
}

// Each runs fn as a subtest on every backend, each with a fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, b := range Backends(t) {
		t.Run(b, func(t *testing.T) { fn(t, Open(t, b)) })
	}
}

// EachWithClock is Each with a fake clock the test can move.
func EachWithClock(t *testing.T, fn func(t *testing.T, db *store.DB, clk *clock.Fake)) {
	t.Helper()
	for _, b := range Backends(t) {
		t.Run(b, func(t *testing.T) {
			clk := clock.NewFake(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
			fn(t, OpenWithClock(t, b, clk), clk)
		})
	}
}

// Open returns a fresh migrated database on backend ("sqlite" or "postgres").
func Open(t testing.TB, backend string) *store.DB { return OpenWithClock(t, backend, clock.Real{}) }

// OpenWithClock is Open with a given clock.
func OpenWithClock(t testing.TB, backend string, clk clock.Clock) *store.DB {
	t.Helper()
	target := Target(t, backend)
	db, err := store.Open(context.Background(), target, clk)
	if err != nil {
		t.Fatalf("open %s: %v", backend, err)
	}
	t.Cleanup(func() { db.Close() })
	if backend == "sqlite" {
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	return db
}

// Target returns a DSN or path for a fresh, empty-but-migrated database
// (for PostgreSQL) or a fresh file path (for SQLite, not yet migrated).
func Target(t testing.TB, backend string) string {
	t.Helper()
	switch backend {
	case "sqlite":
		return filepath.Join(t.TempDir(), "rampart.db")
	case "postgres":
		return clonePostgres(t)
	}
	t.Fatalf("unknown backend %q", backend)
	return ""
}

var (
	templateOnce sync.Once
	templateErr  error
	cloneSeq     atomic.Int64
)

// templateLock serialises template creation across test processes (go test
// runs packages in parallel).
const templateLock = 7_261_002

// templateName changes whenever a migration changes, so one migrated
// template serves every test package and run until then.
func templateName() string { return "rampart_tpl_" + store.SchemaFingerprint() }

// Empty returns a fresh database of backend with no migration applied: a
// new SQLite file path, or an empty PostgreSQL database (dropped when the
// test ends). For tests of migrating itself.
func Empty(t testing.TB, backend string) string {
	t.Helper()
	if backend == "postgres" {
		return EmptyPostgres(t)
	}
	return Target(t, backend)
}

// EmptyPostgres creates an empty, unmigrated PostgreSQL database and
// returns its DSN; it is dropped when the test ends.
func EmptyPostgres(t testing.TB) string {
	t.Helper()
	return createDatabase(t, "")
}

func clonePostgres(t testing.TB) string {
	t.Helper()
	templateOnce.Do(func() { templateErr = ensureTemplate() })
	if templateErr != nil {
		t.Fatalf("postgres template: %v", templateErr)
	}
	return createDatabase(t, templateName())
}

func createDatabase(t testing.TB, template string) string {
	t.Helper()
	admin := adminDB(t)
	name := fmt.Sprintf("rampart_t_%d_%d", os.Getpid(), cloneSeq.Add(1))
	q := `CREATE DATABASE ` + name
	if template != "" {
		q += ` TEMPLATE ` + template
	}
	if _, err := admin.Exec(q); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	return withDatabase(os.Getenv(PostgresEnv), name)
}

func ensureTemplate() error {
	ctx := context.Background()
	base := os.Getenv(PostgresEnv)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		return err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, templateLock) //nolint:errcheck
	var n int
	name := templateName()
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+building); err != nil {
		return err
	}
	db, err := store.Open(ctx, withDatabase(base, building), clock.Real{})
	if err != nil {
		return err
	}
	_, err = db.Migrate(ctx)
	db.Close()
	if err != nil {
		return err
	}
	// Renamed only once complete, so a crash mid-way never leaves a
	// half-migrated template under the real name.
	_, err = conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name)
	return err
}

func adminDB(t testing.TB) *sql.DB {
	t.Helper()
	admin, err := sql.Open("pgx", os.Getenv(PostgresEnv))
	if err != nil {
		t.Fatalf("connect to postgres: %v", err)
	}
	return admin
}

func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + strings.TrimPrefix(name, "/")
	return u.String()
}

// OpenExisting opens a database at target without creating or migrating it.
func OpenExisting(t testing.TB, target string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), target, clock.Real{})
	if err != nil {
		t.Fatalf("open %s: %v", target, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

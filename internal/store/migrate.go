package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

//go:embed migrations
var migrationFiles embed.FS

// migrationLockID is the PostgreSQL advisory lock that lets several
// replicas start at once: the first migrates, the others wait and then find
// nothing left to do.
const migrationLockID = 7_261_001

type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + db.Dialect.Name
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := migrationFiles.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrate applies every embedded migration not yet applied, each in its own
// transaction, and returns how many it applied.
//
// On SQLite, several processes opening a brand-new file at once can be told
// "database is locked" without waiting (switching the file to WAL takes an
// exclusive lock that the busy handler does not always cover), so a busy
// answer is retried a few times; the migrations themselves are idempotent.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	var n int
	err := retryBusy(ctx, func() (err error) {
		n, err = db.migrate(ctx, 0)
		return err
	})
	return n, err
}

// HasSchema reports whether the database holds Rampart's schema: at least
// one applied migration.
func (db *DB) HasSchema(ctx context.Context) (bool, error) {
	var n int
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if db.Dialect.Name == "postgres" {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`
	}
	if err := db.read.QueryRowContext(ctx, q).Scan(&n); err != nil || n == 0 {
		return false, MapError(err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		return false, MapError(err)
	}
	return n > 0, nil
}

// retryBusy runs fn again, a few times and with growing pauses, while it
// fails because another process holds the SQLite file's lock.
func retryBusy(ctx context.Context, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || attempt == 5 || !errs.Is(MapError(err), errs.Unavailable) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		}
	}
}

// migrate applies pending migrations up to version upTo (0: all).
func (db *DB) migrate(ctx context.Context, upTo int) (int, error) {
	ms, err := db.migrations()
	if err != nil {
		return 0, fmt.Errorf("read migrations: %w", err)
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if db.Dialect.Name == "postgres" {
		// Session-level lock on this one connection; released on Close
		// even if we crash mid-way, because the connection dies with us.
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockID); err != nil {
			return 0, fmt.Errorf("take migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockID) //nolint:errcheck
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := 0
	for _, m := range ms {
		if upTo > 0 && m.version > upTo {
			break
		}
		done, err := db.applyMigration(ctx, conn, m)
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if done {
			applied++
			slog.Info("applied migration", "name", m.name, "dialect", db.Dialect.Name)
		}
	}
	return applied, nil
}

// foreignKeysOff, as a migration's first line, runs it with SQLite's
// foreign keys off, as SQLite's own recipe for rebuilding a table that
// others reference requires: with them on, dropping the old table deletes
// its rows first and cascades into every table that references it. The
// pragma cannot change inside a transaction, so it is set on the
// connection around it, and every reference is checked before commit.
const foreignKeysOff = "-- rampart:foreign-keys-off"

func (db *DB) applyMigration(ctx context.Context, conn *sql.Conn, m migration) (bool, error) {
	fkOff := db.Dialect.Name == "sqlite" && strings.HasPrefix(m.sql, foreignKeysOff+"\n")
	if fkOff {
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return false, err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`) //nolint:errcheck
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback() //nolint:errcheck
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if fkOff {
		if err := checkForeignKeys(ctx, tx); err != nil {
			return false, err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, At(db.clock.Now())); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// checkForeignKeys fails when any row references a row that does not
// exist, naming the first.
func checkForeignKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("row %d of %s refers to a missing row of %s", rowid.Int64, table, parent)
	}
	return rows.Err()
}

// SchemaFingerprint is a short hash of the embedded PostgreSQL migrations;
// tests name their migrated template database after it so one template
// serves every test package until a migration changes.
func SchemaFingerprint() string {
	h := fnvHash()
	_ = fs.WalkDir(migrationFiles, "migrations/postgres", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := migrationFiles.ReadFile(path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return fmt.Sprintf("%016x", h.Sum64())
}

func fnvHash() interface {
	Write([]byte) (int, error)
	Sum64() uint64
} {
	return fnv.New64a()
}

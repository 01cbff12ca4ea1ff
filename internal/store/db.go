package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/rampart-itsm/rampart/internal/clock"
)

// DB is an open Rampart database.
type DB struct {
	Dialect Dialect
	// write runs every write transaction. On SQLite, which admits one
	// writer, queueing writers in Go is cheaper than letting them spin on
	// busy_timeout; the queue is writer's, not the pool's, because
	// database/sql hands a freed connection to a random waiter, so a
	// writer could be passed over again and again.
	write *sql.DB
	// writer serves SQLite's write transactions first come, first served,
	// and lets consecutive ones share a commit; nil on PostgreSQL.
	writer *writer
	// read serves read-only work. On SQLite it is a separate pool so
	// readers never wait behind the writer (WAL); on PostgreSQL it is the
	// same pool as write.
	read  *sql.DB
	clock clock.Clock
}

// IsPostgres reports whether target names a PostgreSQL database.
func IsPostgres(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// Open opens a PostgreSQL database (target is a postgres:// URL) or an
// SQLite database file (target is a path), without migrating it.
func Open(ctx context.Context, target string, clk clock.Clock) (*DB, error) {
	if clk == nil {
		clk = clock.Real{}
	}
	if IsPostgres(target) {
		return openPostgres(ctx, target, clk)
	}
	return openSQLite(ctx, target, clk)
}

func openPostgres(ctx context.Context, dsn string, clk clock.Clock) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	pool.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return &DB{Dialect: postgresDialect, write: pool, read: pool, clock: clk}, nil
}

// sqlitePragmas are set per connection through the DSN, because a PRAGMA
// executed on a pool reaches only one of its connections. busy_timeout comes
// first so the journal_mode switch itself waits for other processes.
// synchronous=FULL: an acknowledged write (a stored raw alert, an audit
// entry) must survive power loss, not only a crash of the process.
// temp_store=MEMORY keeps statement journals off disk: otherwise every
// multi-row statement pays a write call per page it touches.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)"

func openSQLite(ctx context.Context, path string, clk clock.Clock) (*DB, error) {
	if path == "" || path == ":memory:" {
		return nil, errors.New("sqlite needs a file path: each pooled connection to :memory: would see its own empty database")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	// _txlock=immediate takes the write lock at BEGIN, so a transaction
	// that reads and then writes can never fail with SQLITE_BUSY_SNAPSHOT
	// (which busy_timeout does not cure) when another process wrote between.
	write, err := sql.Open("sqlite", u+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// Two connections, yet one writer: writer lets one transaction run at
	// a time. The second connection is there to prepare the statements the
	// writer keeps (stmtCache) while the first is inside a transaction.
	write.SetMaxOpenConns(2)
	read, err := sql.Open("sqlite", u+"?"+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	if err := retryBusy(ctx, func() error { return write.PingContext(ctx) }); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return &DB{Dialect: sqliteDialect, write: write, writer: newWriter(write, clk), read: read, clock: clk}, nil
}

// Clock returns the clock the database stamps records with.
func (db *DB) Clock() clock.Clock { return db.clock }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Close closes both pools.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// SQL returns the write pool, for tests and tools that inspect the schema.
func (db *DB) SQL() *sql.DB { return db.write }

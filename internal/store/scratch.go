package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
)

// Scratch is a throwaway SQLite database in a temporary file (under
// $TMPDIR), for work that must not hold its data in memory, such as a
// strict import's check of a large file. It is not Rampart's database: it
// has no migrations and no durability (no journal, no sync), and Close
// deletes it.
type Scratch struct {
	DB   *sql.DB
	path string
}

// scratchPragmas: nothing in a scratch database must survive a crash, so
// neither a journal nor syncs are paid for; its page cache is kept small,
// since memory is what it exists to save.
const scratchPragmas = "_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-4096)&_pragma=temp_store(FILE)"

// OpenScratch creates a scratch database and runs schema (statements
// separated by semicolons are fine) in it.
func OpenScratch(ctx context.Context, schema string) (*Scratch, error) {
	f, err := os.CreateTemp("", "rampart-scratch-*.db")
	if err != nil {
		return nil, fmt.Errorf("create scratch database: %w", err)
	}
	path := f.Name()
	f.Close()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+scratchPragmas)
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("open scratch database: %w", err)
	}
	// One connection: one user, and every connection would have its own
	// page cache.
	db.SetMaxOpenConns(1)
	s := &Scratch{DB: db, path: path}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		s.Close()
		return nil, fmt.Errorf("scratch schema: %w", err)
	}
	return s, nil
}

// Close closes and deletes the scratch database.
func (s *Scratch) Close() error {
	return errors.Join(s.DB.Close(), os.Remove(s.path))
}

package store

import "context"

// WaitingWriters reports how many units of work wait for SQLite's writer;
// 0 on PostgreSQL, which has none.
func (db *DB) WaitingWriters() int {
	if db.writer == nil {
		return 0
	}
	return db.writer.waiting()
}

// MigrateUpTo applies pending migrations up to version upTo, so a test can
// fill a database as an older release left it and then migrate the rest.
func (db *DB) MigrateUpTo(ctx context.Context, upTo int) (int, error) { return db.migrate(ctx, upTo) }

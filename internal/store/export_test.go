package store

// WaitingWriters reports how many units of work wait for SQLite's writer;
// 0 on PostgreSQL, which has none.
func (db *DB) WaitingWriters() int {
	if db.writer == nil {
		return 0
	}
	return db.writer.waiting()
}

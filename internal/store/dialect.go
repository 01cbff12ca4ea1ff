package store

import "strconv"

// Dialect holds the SQL fragments that differ between the two engines.
// Store methods use these fields; they never switch on the driver.
type Dialect struct {
	Name string
	// ForUpdate locks the selected rows on PostgreSQL. SQLite has one
	// writer, and its write transactions start IMMEDIATE, so it needs none.
	ForUpdate string
	// SkipLocked lets concurrent job claimers on PostgreSQL pass over rows
	// another replica holds.
	SkipLocked string
	// BulkParams is about how many parameters one multi-row INSERT
	// carries; rows per statement = BulkParams / columns. SQLite used to be
	// fastest at a few rows per statement, because binding a $N parameter
	// walks the names of all of them; with anonymous parameters binding is
	// linear, and a 100,000-row CSV import on a 2-core machine measured
	// 16,100 CIs/s at 256, 16,700 at 512 and 16,550 at 1024. PostgreSQL
	// pays a round trip per statement (6,000 rows/s at one row, 45,000 at
	// 64 rows of 17 columns).
	BulkParams int
	// InBatch is how many values one IN (...) list carries in batched
	// lookups. On SQLite lists of 1,000 measured no faster than 200;
	// PostgreSQL pays a round trip per statement instead, and binds id
	// lists as one array (see IDArray).
	InBatch int
	// Anonymous says generated statements whose parameters are bound in
	// order may write each as a bare "?". The SQLite driver looks up the
	// name of every parameter each time it binds, and SQLite finds a
	// numbered name ($N) by walking a list of all of them: a statement
	// with k parameters pays k*k/2 steps per run, which made multi-row
	// inserts and long IN lists slow. A bare "?" has no name, so binding
	// it is one step.
	Anonymous bool
	// OneWriter says one unit of work writes at a time (SQLite: one write
	// connection, transactions begin IMMEDIATE), so a bulk insert may
	// choose the ids of new rows itself, MAX(id)+1 onwards, as the engine
	// would, and write many rows per statement. Otherwise it would need
	// their ids back one statement per row (LastInsertId) or through
	// RETURNING, which on SQLite buffers its output and needs a statement
	// journal.
	OneWriter bool
	// IDArray says a list of ids can be bound as one array parameter,
	// "col = ANY($1)" (PostgreSQL). One statement text then serves every
	// batch size, so the driver's per-connection statement cache reuses
	// its plan, and a batch costs one parameter rather than thousands.
	IDArray bool
	// FTS5 says substring search goes through an FTS5 table with the
	// trigram tokenizer beside the searched table ("<table>_search ...
	// MATCH"), as on SQLite. Otherwise (PostgreSQL) it is LIKE '%term%' on
	// the column itself, which a pg_trgm GIN index serves.
	FTS5 bool
	// ChunkRows is how many rows of bulk work (an import) one transaction
	// takes. On SQLite a chunk holds the one writer, so it bounds how long
	// any other write waits behind bulk work: with a 100,000-row CSV import
	// running on a loaded 2-core machine, single CI creates measured p99
	// 227-270 ms at 1,000 rows a chunk, 173-204 ms at 500 and 83-104 ms at
	// 250, while the import took 9.2-10.7 s, 8.1-9.8 s and 10.4-10.7 s:
	// small chunks cost little there. PostgreSQL writers do not queue
	// behind a chunk (only creates of the same kind wait, for its key
	// counter row), and each chunk costs round trips and a commit: a
	// 20,000-row import measured 3,020 CIs/s at 1,000 rows a chunk and
	// 1,823 at 250.
	ChunkRows int
	// Notify says committed units can wake other processes (PostgreSQL
	// LISTEN/NOTIFY; see Tx.Notify and DB.Listen).
	Notify bool
}

// param returns the text of the n-th (1-based) parameter of a generated
// statement whose parameters appear in order, each once.
func (d Dialect) param(n int) string {
	if d.Anonymous {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}

var (
	sqliteDialect   = Dialect{Name: "sqlite", Anonymous: true, OneWriter: true, FTS5: true, BulkParams: 512, InBatch: 200, ChunkRows: 250}
	postgresDialect = Dialect{Name: "postgres", IDArray: true, ForUpdate: " FOR UPDATE", SkipLocked: " FOR UPDATE SKIP LOCKED", BulkParams: 1024, InBatch: 1000, ChunkRows: 1000, Notify: true}
)

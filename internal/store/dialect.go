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
	// CaseInsensitiveLike is the operator for a case-insensitive match.
	CaseInsensitiveLike string
	// MaxParams is how many bind parameters one statement may carry.
	MaxParams int
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
	sqliteDialect   = Dialect{Name: "sqlite", Anonymous: true, OneWriter: true, CaseInsensitiveLike: "LIKE", MaxParams: 32000}
	postgresDialect = Dialect{Name: "postgres", IDArray: true, ForUpdate: " FOR UPDATE", SkipLocked: " FOR UPDATE SKIP LOCKED", CaseInsensitiveLike: "ILIKE", MaxParams: 65000}
)

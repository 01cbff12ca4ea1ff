package store

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
}

var (
	sqliteDialect   = Dialect{Name: "sqlite", CaseInsensitiveLike: "LIKE", MaxParams: 32000}
	postgresDialect = Dialect{Name: "postgres", ForUpdate: " FOR UPDATE", SkipLocked: " FOR UPDATE SKIP LOCKED", CaseInsensitiveLike: "ILIKE", MaxParams: 65000}
)

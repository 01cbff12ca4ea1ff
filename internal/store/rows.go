package store

import "database/sql"

// Scanner is one row to scan: *sql.Row or *sql.Rows. Row scan functions
// take it, so one function serves a single-row lookup and a list.
type Scanner interface{ Scan(dest ...any) error }

// EachRow calls fn for every row of rows, stopping at the first error,
// and closes rows. Errors come back as errs kinds (see MapError).
func EachRow(rows *sql.Rows, fn func(Scanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return MapError(err)
		}
	}
	return MapError(rows.Err())
}

// Collect scans every row of rows with scan and closes rows.
func Collect[T any](rows *sql.Rows, scan func(Scanner) (T, error)) ([]T, error) {
	var out []T
	err := EachRow(rows, func(sc Scanner) error {
		v, err := scan(sc)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

package store

import "context"

// BenchExec runs one statement in the unit of work. It exists for the
// store's own tests and benchmarks, which write rows of a table of their
// own next to audit entries and keys; it is compiled only into tests.
func (tx *Tx) BenchExec(ctx context.Context, q string, args ...any) error {
	_, err := tx.exec(ctx, q, args...)
	return err
}

package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// bulkParams is about how many parameters one multi-row INSERT carries on
// each engine; rows per statement = bulkParams / columns. Measured on a
// 2-core machine: pure-Go SQLite inserts a 17-column row fastest one per
// statement, prepared once and run per row (94,000 rows/s; 64 rows per
// statement only 31,000: binding many parameters costs more than the
// statement overhead saved), while a 4-column identifier row gains about
// 15% at 8 per statement. PostgreSQL pays a round trip per statement
// (6,000 rows/s at one row, 45,000 at 64 rows of 17 columns).
var bulkParams = map[string]int{"sqlite": 32, "postgres": 1024}

// inBatchRows is how many values one IN (...) list carries in batched
// lookups. SQLite looks each $N parameter up in a list when it parses and
// when it binds, so a statement's cost grows with the square of its
// parameters: it gets smaller lists. PostgreSQL pays a round trip per
// statement instead.
var inBatchRows = map[string]int{"sqlite": 200, "postgres": 1000}

func (tx *Tx) inBatch() int {
	if n := inBatchRows[tx.d.Name]; n > 0 {
		return n
	}
	return 100
}

// queryCached runs a query through a statement prepared once per store
// (so once per unit of work): batched lookups repeat the same text many
// times, and parsing a statement with hundreds of parameters costs more
// than running it. Statements prepared on a transaction close with it.
func (s *cmdbStore) queryCached(ctx context.Context, text string, args ...any) (*sql.Rows, error) {
	st := s.stmts[text]
	if st == nil {
		var err error
		if st, err = s.tx.prepare(ctx, text); err != nil {
			return nil, err
		}
		if s.stmts == nil {
			s.stmts = map[string]*sql.Stmt{}
		}
		s.stmts[text] = st
	}
	rows, err := st.QueryContext(ctx, args...)
	return rows, mapError(err)
}

// lastInsertID says the driver reports the id of a one-row INSERT through
// sql.Result (SQLite does; pgx does not). Using it on SQLite instead of
// RETURNING matters: a RETURNING statement costs about three times a plain
// one-row INSERT there (it buffers its output and needs a statement
// journal), the difference between meeting the import rate or not.
var lastInsertID = map[string]bool{"sqlite": true}

// inserter writes many rows into one table with as few statements as the
// engine likes (see bulkParams), reusing one prepared statement for every
// full batch.
type inserter struct {
	tx      *Tx
	head    string // INSERT INTO t (a, b) VALUES
	cols    int
	perStmt int
	ids     *idSink
	full    *sql.Stmt
}

// idSink says how an inserter hands back the ids of new rows: set(i, id)
// when the driver reports one row's id, or, for multi-row statements, a
// RETURNING clause whose rows scan matches to the rows inserted (by a
// natural key: PostgreSQL does not promise VALUES order).
type idSink struct {
	returning string
	scan      func(*sql.Rows) error
	set       func(i int, id int64)
}

// newInserter returns an inserter; ids is nil when no ids are needed.
func (tx *Tx) newInserter(table string, cols []string, ids *idSink) *inserter {
	per := max(1, bulkParams[tx.d.Name]/len(cols))
	if ids != nil && lastInsertID[tx.d.Name] {
		per = 1 // one row per statement, its id from sql.Result
	}
	return &inserter{tx: tx, head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		cols: len(cols), perStmt: per, ids: ids}
}

// byResult reports whether ids come from sql.Result.LastInsertId.
func (in *inserter) byResult() bool {
	return in.ids != nil && in.perStmt == 1 && lastInsertID[in.tx.d.Name]
}

func (in *inserter) statement(rows int) string {
	var b strings.Builder
	b.WriteString(in.head)
	p := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 0; c < in.cols; c++ {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	if in.ids != nil && !in.byResult() {
		b.WriteString(in.ids.returning)
	}
	return b.String()
}

// run inserts n rows. row appends row i's values to dst and returns it.
func (in *inserter) run(ctx context.Context, n int, row func(i int, dst []any) []any) error {
	args := make([]any, 0, in.perStmt*in.cols)
	for start := 0; start < n; start += in.perStmt {
		end := min(start+in.perStmt, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		var st *sql.Stmt
		if end-start == in.perStmt {
			if in.full == nil {
				var err error
				if in.full, err = in.tx.prepare(ctx, in.statement(in.perStmt)); err != nil {
					return err
				}
			}
			st = in.full
		} else {
			var err error
			if st, err = in.tx.prepare(ctx, in.statement(end-start)); err != nil {
				return err
			}
			defer st.Close()
		}
		switch {
		case in.ids == nil:
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return mapError(err)
			}
		case in.byResult():
			res, err := st.ExecContext(ctx, args...)
			if err != nil {
				return mapError(err)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return mapError(err)
			}
			in.ids.set(start, id)
		default:
			if err := scanAll(ctx, st, args, in.ids.scan); err != nil {
				return err
			}
		}
	}
	return nil
}

func scanAll(ctx context.Context, st *sql.Stmt, args []any, scan func(*sql.Rows) error) error {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return mapError(rows.Err())
}

func (in *inserter) close() {
	if in.full != nil {
		in.full.Close()
	}
}

// inList binds vals as parameters of q and returns "($1, $2, ...)".
func inList[T any](q *query, vals []T) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(q.arg(v))
	}
	b.WriteByte(')')
	return b.String()
}

// batches calls fn with consecutive slices of at most n elements.
func batches[T any](s []T, n int, fn func([]T) error) error {
	for len(s) > 0 {
		k := min(n, len(s))
		if err := fn(s[:k]); err != nil {
			return err
		}
		s = s[k:]
	}
	return nil
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

package store

import (
	"context"
	"database/sql"
	"strings"
)

// inBatch is how many values one IN (...) list carries.
func (tx *Tx) inBatch() int { return tx.d.InBatch }

// idArrayBatch is how many ids one "= ANY($1)" lookup carries: enough for
// the widest impact walk in one statement.
const idArrayBatch = 10000

// idBatch is how many ids one idIn lookup carries.
func (tx *Tx) idBatch() int {
	if tx.d.IDArray {
		return idArrayBatch
	}
	return tx.inBatch()
}

// idIn binds ids and returns the condition "col is one of them":
// "col = ANY($n)" where the dialect binds arrays, else "col IN ($n, ...)".
func (tx *Tx) idIn(q *query, col string, ids []int64) string {
	if tx.d.IDArray {
		return col + " = ANY(" + q.arg(ids) + ")"
	}
	return col + " IN " + inList(q, ids)
}

// queryIDs runs a query built with idIn. An array lookup's text is the
// same for every batch, so it goes through the driver, whose statement
// cache keeps it prepared on the connection across units of work; an IN
// list's text varies with the batch, so it is prepared once per store.
func (s *cmdbStore) queryIDs(ctx context.Context, text string, args ...any) (*sql.Rows, error) {
	if s.tx.d.IDArray {
		return s.tx.query(ctx, text, args...)
	}
	return s.queryCached(ctx, text, args...)
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

// inserter writes many rows into one table with as few statements as the
// engine likes (see Dialect.BulkParams), reusing one prepared statement for every
// full batch.
type inserter struct {
	tx      *Tx
	table   string
	head    string // INSERT INTO t (a, b) VALUES
	cols    int
	perStmt int
	ids     *idSink
	assign  bool // ids are chosen here and written in the id column
	full    *sql.Stmt
}

// idSink says how an inserter hands back the ids of new rows: set(i, id)
// when the inserter chose row i's id itself (see Dialect.OneWriter), or a
// RETURNING clause whose rows scan matches to the rows inserted (by a
// natural key: PostgreSQL does not promise VALUES order).
type idSink struct {
	returning string
	scan      func(*sql.Rows) error
	set       func(i int, id int64)
}

// newInserter returns an inserter; ids is nil when no ids are needed.
// The table's key must be an integer column named id.
func (tx *Tx) newInserter(table string, cols []string, ids *idSink) *inserter {
	assign := ids != nil && tx.d.OneWriter
	if assign {
		cols = append([]string{"id"}, cols...)
	}
	return &inserter{tx: tx, table: table, head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		cols: len(cols), perStmt: max(1, tx.d.BulkParams/len(cols)), ids: ids, assign: assign}
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
			b.WriteString(in.tx.d.param(p))
			p++
		}
		b.WriteByte(')')
	}
	if in.ids != nil && !in.assign {
		b.WriteString(in.ids.returning)
	}
	return b.String()
}

// run inserts n rows. row appends row i's values to dst and returns it.
func (in *inserter) run(ctx context.Context, n int, row func(i int, dst []any) []any) error {
	var next int64 // the id of the next row, when assigning them
	if in.assign {
		if err := in.tx.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+in.table).Scan(&next); err != nil {
			return mapError(err)
		}
		next++
	}
	args := make([]any, 0, in.perStmt*in.cols)
	for start := 0; start < n; start += in.perStmt {
		end := min(start+in.perStmt, n)
		args = args[:0]
		for i := start; i < end; i++ {
			if in.assign {
				args = append(args, next+int64(i))
			}
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
		case in.assign:
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return mapError(err)
			}
			for i := start; i < end; i++ {
				in.ids.set(i, next+int64(i))
			}
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

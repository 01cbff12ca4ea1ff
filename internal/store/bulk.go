package store

import (
	"context"
	"database/sql"
	"strings"
)

// InBatch is how many values one IN (...) list carries (see
// Dialect.InBatch): the batch size for Batches over an InList lookup.
func (tx *Tx) InBatch() int { return tx.d.InBatch }

// ChunkRows is how many rows of bulk work one transaction should take on
// this engine (see Dialect.ChunkRows).
func (tx *Tx) ChunkRows() int { return tx.d.ChunkRows }

// idArrayBatch is how many ids one "= ANY($1)" lookup carries: enough for
// the widest impact walk in one statement.
const idArrayBatch = 10000

// IDBatch is how many ids one IDIn lookup carries: the batch size for
// Batches over an IDIn lookup.
func (tx *Tx) IDBatch() int {
	if tx.d.IDArray {
		return idArrayBatch
	}
	return tx.InBatch()
}

// IDIn binds ids in q and returns the condition "col is one of them":
// "col = ANY($n)" where the dialect binds arrays, else "col IN ($n, ...)".
// Run the statement with QueryIDs.
func (tx *Tx) IDIn(q *Query, col string, ids []int64) string {
	if tx.d.IDArray {
		return col + " = ANY(" + q.Arg(ids) + ")"
	}
	return col + " IN " + InList(q, ids)
}

// QueryIDs runs a query built with IDIn. An array lookup's text is the
// same for every batch, so it goes through the driver, whose statement
// cache keeps it prepared on the connection across units of work; an IN
// list's text varies with the batch, so it is prepared once per unit of
// work (QueryCached).
func (tx *Tx) QueryIDs(ctx context.Context, text string, args ...any) (*sql.Rows, error) {
	if tx.d.IDArray {
		return tx.Query(ctx, text, args...)
	}
	return tx.QueryCached(ctx, text, args...)
}

// Inserter writes many rows into one table with as few statements as the
// engine likes (see Dialect.BulkParams), reusing one prepared statement for
// every full batch. Close it when done.
type Inserter struct {
	tx      *Tx
	table   string
	head    string // INSERT INTO t (a, b) VALUES
	cols    int
	perStmt int
	ids     *IDSink
	assign  bool // ids are chosen here and written in the id column
	full    *sql.Stmt
}

// IDSink says how an Inserter hands back the ids of new rows: Set(i, id)
// when the inserter chose row i's id itself (see Dialect.OneWriter), or a
// Returning clause (" RETURNING id, natural key") whose rows Scan matches
// to the rows inserted by their natural key: PostgreSQL does not promise
// VALUES order. An inserter needs both, since which one runs depends on
// the engine.
type IDSink struct {
	Returning string
	Scan      func(Scanner) error
	Set       func(i int, id int64)
}

// NewInserter returns an inserter into table's columns; ids is nil when no
// ids are needed. With ids, the table's key must be an integer column
// named id.
func (tx *Tx) NewInserter(table string, cols []string, ids *IDSink) *Inserter {
	assign := ids != nil && tx.d.OneWriter
	if assign {
		cols = append([]string{"id"}, cols...)
	}
	return &Inserter{tx: tx, table: table, head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		cols: len(cols), perStmt: max(1, tx.d.BulkParams/len(cols)), ids: ids, assign: assign}
}

func (in *Inserter) statement(rows int) string {
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
		b.WriteString(in.ids.Returning)
	}
	return b.String()
}

// Run inserts n rows. row appends row i's values, in column order, to dst
// and returns it.
func (in *Inserter) Run(ctx context.Context, n int, row func(i int, dst []any) []any) error {
	ctx, err := in.tx.stmtCtx(ctx)
	if err != nil {
		return err
	}
	var next int64 // the id of the next row, when assigning them
	if in.assign {
		if err := in.tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+in.table).Scan(&next); err != nil {
			return MapError(err)
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
				if in.full, err = in.tx.Prepare(ctx, in.statement(in.perStmt)); err != nil {
					return err
				}
			}
			st = in.full
		} else {
			var err error
			if st, err = in.tx.Prepare(ctx, in.statement(end-start)); err != nil {
				return err
			}
			defer st.Close()
		}
		switch {
		case in.ids == nil:
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return MapError(err)
			}
		case in.assign:
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return MapError(err)
			}
			for i := start; i < end; i++ {
				in.ids.Set(i, next+int64(i))
			}
		default:
			rows, err := st.QueryContext(ctx, args...)
			if err != nil {
				return MapError(err)
			}
			if err := EachRow(rows, in.ids.Scan); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close releases the inserter's prepared statement.
func (in *Inserter) Close() {
	if in.full != nil {
		in.full.Close()
	}
}

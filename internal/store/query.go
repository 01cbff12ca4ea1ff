package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/paging"
)

// Query builds a statement's WHERE clause and numbered arguments. It only
// ever binds values as parameters; column names come from the calling
// code. The zero value numbers its placeholders $1, $2, ...
type Query struct {
	where []string
	args  []any
	// anon writes every placeholder as a bare "?" (see
	// Dialect.Anonymous): only for a query whose placeholders appear in
	// the text in the order they were bound, each once.
	anon bool
}

// ListQuery returns a Query for a batched lookup by a list of values,
// whose placeholders are bound in text order, each once: on SQLite they
// are anonymous, so binding a list costs its length, not its square.
func (tx *Tx) ListQuery() Query { return Query{anon: tx.d.Anonymous} }

// Arg binds v and returns its placeholder.
func (q *Query) Arg(v any) string {
	q.args = append(q.args, v)
	if q.anon {
		return "?"
	}
	return "$" + strconv.Itoa(len(q.args))
}

// And adds a condition.
func (q *Query) And(cond string) { q.where = append(q.where, cond) }

// Where renders " WHERE a AND b", or "" with no conditions.
func (q *Query) Where() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// Args returns the bound values in order, to pass with the statement.
func (q *Query) Args() []any { return q.args }

// InList binds vals as parameters of q and returns "($1, $2, ...)", for
// "col IN " + InList(&q, vals). Lists longer than Tx.InBatch go through
// Batches.
func InList[T any](q *Query, vals []T) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(q.Arg(v))
	}
	b.WriteByte(')')
	return b.String()
}

// Batches calls fn with consecutive slices of s of at most n elements.
func Batches[T any](s []T, n int, fn func([]T) error) error {
	for len(s) > 0 {
		k := min(n, len(s))
		if err := fn(s[:k]); err != nil {
			return err
		}
		s = s[k:]
	}
	return nil
}

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// LikePrefix escapes LIKE wildcards in s and appends %, for
// "col LIKE " + q.Arg(LikePrefix(s)) + " ESCAPE '\'".
func LikePrefix(s string) string { return likeEscaper.Replace(s) + "%" }

// LikeContains is LikePrefix for "contains s": %s% with s escaped.
func LikeContains(s string) string { return "%" + likeEscaper.Replace(s) + "%" }

// CountCapped counts the rows "SELECT 1 FROM <from> <q's WHERE>" finds, up
// to paging.TotalCap: the exact number when no more match, else TotalCap
// and capped. The LIMIT inside stops the scan at the cap, so a page's
// total costs at most TotalCap index entries however large the table is.
// Every list total goes through here.
func (tx *Tx) CountCapped(ctx context.Context, from string, q *Query) (n int, capped bool, err error) {
	err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+from+q.Where()+
		` LIMIT `+strconv.Itoa(paging.TotalCap+1)+`) matches`, q.Args()...).Scan(&n)
	if err != nil {
		return 0, false, MapError(fmt.Errorf("count %s: %w", from, err))
	}
	if n > paging.TotalCap {
		return paging.TotalCap, true, nil
	}
	return n, false, nil
}

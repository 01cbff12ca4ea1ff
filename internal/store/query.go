package store

import (
	"strconv"
	"strings"
)

// query builds a SELECT's WHERE clause and numbered arguments. It only ever
// binds values as parameters; column names come from the calling code.
type query struct {
	where []string
	args  []any
	// anon writes every placeholder as a bare "?" (see
	// Dialect.Anonymous): only for a query whose placeholders appear in
	// the text in the order they were bound, each once.
	anon bool
}

// listQuery returns a query for a batched lookup by a list of values,
// whose placeholders are bound in text order, each once: on SQLite they
// are anonymous, so binding a list costs its length, not its square.
func (tx *Tx) listQuery() query { return query{anon: tx.d.Anonymous} }

// arg binds v and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	if q.anon {
		return "?"
	}
	return "$" + strconv.Itoa(len(q.args))
}

// and adds a condition.
func (q *query) and(cond string) { q.where = append(q.where, cond) }

// whereClause renders " WHERE a AND b", or "" with no conditions.
func (q *query) whereClause() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// likePrefix escapes LIKE wildcards in s and appends %.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

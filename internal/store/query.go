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
}

// arg binds v and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
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

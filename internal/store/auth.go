package store

import (
	"database/sql"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// Auth returns the users, teams, sessions and API tokens store bound to
// this unit of work.
func (tx *Tx) Auth() auth.Store { return &authStore{tx} }

// authStore implements auth.Store. Password and token hashes are written
// and read here only; nothing in this file puts them anywhere else.
type authStore struct{ tx *Tx }

var _ auth.Store = (*authStore)(nil)

// The helpers below are prefixed "auth" because package store is shared
// by every practice's store file.

// authIn binds every value and returns "$3, $4, $5" for an IN (...) list.
func authIn[T any](q *query, vals []T) string {
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = q.arg(v)
	}
	return strings.Join(ph, ", ")
}

// authNullAt is a nullable time argument.
func authNullAt(t *time.Time) any {
	if t == nil {
		return nil
	}
	return At(*t)
}

// authTimePtr turns a scanned nullable time (zero when NULL) into a pointer.
func authTimePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// authAffected reports how many rows a statement changed.
func authAffected(res sql.Result) int64 {
	n, err := res.RowsAffected()
	if err != nil {
		return 0
	}
	return n
}

// Package authstore is the SQL of users, teams, sessions and API tokens,
// on the unit of work of internal/store.
package authstore

import (
	"database/sql"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/store"
)

// Bind returns auth's view of the unit of work tx, for
// store.Bind(db, authstore.Bind).
func Bind(tx *store.Tx) auth.Tx { return unit{tx} }

// unit is the unit of work with the auth store added.
type unit struct{ *store.Tx }

// Auth returns the users, teams, sessions and API tokens store bound to
// this unit of work.
func (u unit) Auth() auth.Store { return &authStore{u.Tx} }

// authStore implements auth.Store. Password and token hashes are written
// and read here only; nothing in this package puts them anywhere else.
type authStore struct{ tx *store.Tx }

var _ auth.Store = (*authStore)(nil)

// affected reports how many rows a statement changed.
func affected(res sql.Result) int64 {
	n, err := res.RowsAffected()
	if err != nil {
		return 0
	}
	return n
}

package store

import (
	"fmt"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// scopePredicate turns what a principal may see into a SQL boolean over
// ownerColumn, appending its arguments to q. Every list, count, search and
// export of a scoped record kind passes through here, so the rule is
// written once and no query can forget it.
func scopePredicate(q *query, s auth.Scope, ownerColumn string) string {
	switch {
	case s.None:
		return "1 = 0"
	case s.All:
		return "1 = 1"
	default:
		return fmt.Sprintf("%s = %s", ownerColumn, q.arg(s.OwnerID))
	}
}

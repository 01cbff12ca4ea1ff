package store

import (
	"fmt"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// ScopePredicate turns what a principal may see into a SQL boolean over
// ownerColumn, binding its arguments in q. Every list, count, search and
// export of a scoped record kind passes through here, so the rule is
// written once and no query can forget it.
func ScopePredicate(q *Query, s auth.Scope, ownerColumn string) string {
	switch {
	case s.None:
		return "1 = 0"
	case s.All:
		return "1 = 1"
	default:
		return fmt.Sprintf("%s = %s", ownerColumn, q.Arg(s.OwnerID))
	}
}

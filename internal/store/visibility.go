package store

import (
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// Columns maps one table (as a query names it, alias included) to the
// parts of a visibility rule. Each practice store declares one per record
// kind it reads; Visible renders an auth.Visibility over it.
type Columns struct {
	// Kind is the record kind the table holds; a Visibility for another
	// kind renders as "nothing".
	Kind auth.RecordKind
	// Restricted is a boolean SQL expression true for a restricted
	// (need-to-know) row, such as "i.restricted"; "" when the kind has no
	// restricted records.
	Restricted string
	// Owner is the column holding the id of the user who owns the row
	// (a CI's owner, an incident's caller, the user row's own id); "" for
	// none.
	Owner string
	// Team is the column holding a team id whose members count as owners
	// of the row (a team row's own id); "" for none.
	Team string
	// Share names the rows that share a record with users and teams; nil
	// when the kind cannot be shared.
	Share *Share
}

// Share is a table of share rows: each names one record and one user or
// one team it is shared with.
type Share struct {
	Table  string // e.g. "incident_shares"
	Record string // its column naming the record, e.g. "incident_id"
	ID     string // the shared table's id column to match, e.g. "i.id"
	User   string // its user id column, e.g. "user_id"
	Team   string // its team id column, e.g. "team_id"
}

// Visible renders what v may see of the table c describes as a SQL boolean,
// binding its arguments in q in text order (so it also suits a ListQuery).
// Every list, count, search, export, aggregate and key lookup of a record
// kind passes through here, so the rule is written once:
//
//	(NOT <restricted> AND <base>) OR EXISTS (<share row for me or my teams>)
//
// where <base> is TRUE for staff, the owner or team match for requesters;
// the NOT <restricted> part is left out for principals cleared for
// restricted records (and for kinds without them), and the share part for
// kinds that cannot be shared.
func Visible(q *Query, v auth.Visibility, c Columns) string {
	if !v.Fits(c.Kind) || v.Base() == auth.BaseNone {
		return "1 = 0"
	}
	if SeesAll(v, c) {
		return "1 = 1"
	}
	var terms []string
	if c.Restricted != "" && !v.Restricted() {
		terms = append(terms, "NOT ("+c.Restricted+")")
	}
	if v.Base() == auth.BaseOwn {
		terms = append(terms, ownedBy(q, v, c))
	}
	own := "1 = 1"
	if len(terms) > 0 {
		own = strings.Join(terms, " AND ")
	}
	if c.Share == nil || !v.Shares() {
		return "(" + own + ")"
	}
	return "((" + own + ") OR " + sharedWith(q, v, c.Share) + ")"
}

// SeesAll reports whether v sees every row of the table c describes, so a
// query may leave out the predicate and any join only it needs.
func SeesAll(v auth.Visibility, c Columns) bool {
	return v.Fits(c.Kind) && v.Base() == auth.BaseAll && (v.Restricted() || c.Restricted == "")
}

// ownedBy is the owner rule: the owner column is the user, or the team
// column one of the user's teams; false when the table has neither.
func ownedBy(q *Query, v auth.Visibility, c Columns) string {
	var or []string
	if c.Owner != "" && v.UserID() != 0 {
		or = append(or, c.Owner+" = "+q.Arg(v.UserID()))
	}
	if teams := v.TeamIDs(); c.Team != "" && len(teams) > 0 {
		or = append(or, c.Team+" IN "+InList(q, teams))
	}
	switch len(or) {
	case 0:
		return "1 = 0"
	case 1:
		return or[0]
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// sharedWith is "a share row names this record and the user or one of
// the user's teams".
func sharedWith(q *Query, v auth.Visibility, s *Share) string {
	who := "sh." + s.User + " = " + q.Arg(v.UserID())
	if teams := v.TeamIDs(); len(teams) > 0 {
		who = "(" + who + " OR sh." + s.Team + " IN " + InList(q, teams) + ")"
	}
	return "EXISTS (SELECT 1 FROM " + s.Table + " sh WHERE sh." + s.Record + " = " + s.ID + " AND " + who + ")"
}

package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// prefixEnd is appended to a prefix to form the exclusive upper bound of
// the strings that start with it: U+10FFFF sorts after every character in
// byte order (SQLite BINARY, PostgreSQL COLLATE "C").
const prefixEnd = "\U0010FFFF"

// FindCIs returns one page of CIs visible in scope and matching f, ordered
// by (name_lower, id), with the number of visible matches. Prefix searches
// are written as ranges rather than LIKE: SQLite only uses an index for
// LIKE under NOCASE, PostgreSQL only under "C" or pattern opclasses, while
// a range on a byte-ordered column is an index range on both.
func (s *cmdbStore) FindCIs(ctx context.Context, f cmdb.Filter, scope auth.Scope) (cmdb.Page, error) {
	var q query
	q.and(scopePredicate(&q, scope, "cis.owner_id"))
	if f.Query != "" {
		// A UNION of three index lookups rather than an OR over cis: an OR
		// mixing a column range with a subquery makes PostgreSQL scan the
		// whole table.
		lower := strings.ToLower(f.Query)
		q.and("cis.id IN (SELECT id FROM cis WHERE " + prefixRange(&q, "name_lower", lower) +
			" UNION SELECT id FROM cis WHERE key = " + q.arg(strings.ToUpper(f.Query)) +
			" UNION SELECT ci_id FROM ci_identifiers WHERE " + identifierPrefix(&q, f.Query) + ")")
	}
	if f.Kind != "" {
		q.and("cis.kind = " + q.arg(string(f.Kind)))
	}
	if f.Environment != "" {
		q.and("cis.environment = " + q.arg(f.Environment))
	}
	if f.Owner != "" {
		q.and("cis.owner_id IN (SELECT id FROM users WHERE username = " + q.arg(f.Owner) + ")")
	}
	if f.SupportGroup != "" {
		q.and("cis.support_group_id IN (SELECT id FROM teams WHERE name = " + q.arg(f.SupportGroup) + ")")
	}
	if f.Tag != "" {
		q.and("EXISTS (SELECT 1 FROM ci_tags t WHERE t.ci_id = cis.id AND t.tag = " + q.arg(f.Tag) + ")")
	}
	if f.LifecycleStatus != "" {
		q.and("cis.lifecycle_status = " + q.arg(f.LifecycleStatus))
	}
	if f.MinCriticality > 0 {
		q.and("cis.criticality >= " + q.arg(f.MinCriticality))
	}
	if f.InternetExposed != nil {
		q.and("cis.internet_exposed = " + q.arg(*f.InternetExposed))
	}
	if !f.UpdatedSince.IsZero() {
		q.and("cis.updated_at >= " + q.arg(At(f.UpdatedSince)))
	}

	var page cmdb.Page
	if err := s.tx.queryRow(ctx, `SELECT COUNT(*) FROM cis`+q.whereClause(), q.args...).Scan(&page.Total); err != nil {
		return cmdb.Page{}, mapError(err)
	}
	if f.Cursor != "" {
		var name string
		var id int64
		if err := decodeCursor(f.Cursor, &name, &id); err != nil {
			return cmdb.Page{}, err
		}
		q.and("(cis.name_lower, cis.id) > (" + q.arg(name) + ", " + q.arg(id) + ")")
	}
	sqlText := ciSelect + q.whereClause() + " ORDER BY cis.name_lower, cis.id LIMIT " + strconv.Itoa(f.Limit+1)
	rows, err := s.tx.query(ctx, sqlText, q.args...)
	if err != nil {
		return cmdb.Page{}, err
	}
	defer rows.Close()
	var items []*cmdb.CI
	for rows.Next() {
		ci, err := scanCI(rows)
		if err != nil {
			return cmdb.Page{}, err
		}
		items = append(items, ci)
	}
	if err := rows.Err(); err != nil {
		return cmdb.Page{}, mapError(err)
	}
	rows.Close()
	if len(items) > f.Limit {
		items = items[:f.Limit]
		last := items[len(items)-1]
		page.NextCursor = encodeCursor(nameLower(last.Name), last.ID)
	}
	if err := s.loadChildren(ctx, items); err != nil {
		return cmdb.Page{}, err
	}
	page.Items = make([]cmdb.CI, len(items))
	for i, ci := range items {
		page.Items[i] = *ci
	}
	return page, nil
}

// identifierPrefix matches identifier values starting with p, one range
// of the primary key (kind, value) per kind, so the search needs no index
// of its own (each index costs every import a write per identifier).
// Serials and cloud ids keep their case, so they are matched as typed too.
func identifierPrefix(q *query, p string) string {
	lower := strings.ToLower(p)
	var terms []string
	for _, k := range cmdb.IdentifierKinds {
		kind := q.arg(string(k))
		terms = append(terms, "(kind = "+kind+" AND "+prefixRange(q, "value", lower)+")")
		if (k == cmdb.IDSerial || k == cmdb.IDCloud) && p != lower {
			terms = append(terms, "(kind = "+kind+" AND "+prefixRange(q, "value", p)+")")
		}
	}
	return strings.Join(terms, " OR ")
}

// prefixRange is "col >= p AND col < p+U+10FFFF": the strings starting
// with p.
func prefixRange(q *query, col, p string) string {
	return "(" + col + " >= " + q.arg(p) + " AND " + col + " < " + q.arg(p+prefixEnd) + ")"
}

// nameLower is the stored sort and search form of a CI name.
func nameLower(name string) string { return strings.ToLower(name) }

package cmdbstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/store"
)

// prefixEnd is appended to a prefix to form the exclusive upper bound of
// the strings that start with it: U+10FFFF sorts after every character in
// byte order (SQLite BINARY, PostgreSQL COLLATE "C").
const prefixEnd = "\U0010FFFF"

// FindCIs returns one page of CIs visible to v and matching f, ordered
// by (name_lower, id), with the number of visible matches. Prefix searches
// are written as ranges rather than LIKE: SQLite only uses an index for
// LIKE under NOCASE, PostgreSQL only under "C" or pattern opclasses, while
// a range on a byte-ordered column is an index range on both.
func (s *cmdbStore) FindCIs(ctx context.Context, f cmdb.Filter, v auth.Visibility) (cmdb.Page, error) {
	var q store.Query
	q.And(store.Visible(&q, v, ciVisibility("cis")))
	if f.Query != "" {
		// A UNION of three index lookups rather than an OR over cis: an OR
		// mixing a column range with a subquery makes PostgreSQL scan the
		// whole table.
		lower := strings.ToLower(f.Query)
		q.And("cis.id IN (SELECT id FROM cis WHERE " + prefixRange(&q, "name_lower", lower) +
			" UNION SELECT id FROM cis WHERE key = " + q.Arg(strings.ToUpper(f.Query)) +
			" UNION SELECT ci_id FROM ci_identifiers WHERE " + identifierPrefix(&q, f.Query) + ")")
	}
	if f.Kind != "" {
		q.And("cis.kind = " + q.Arg(string(f.Kind)))
	}
	if f.Environment != "" {
		q.And("cis.environment = " + q.Arg(f.Environment))
	}
	if f.Owner != "" {
		q.And("cis.owner_id IN (SELECT id FROM users WHERE username = " + q.Arg(f.Owner) + ")")
	}
	if f.SupportGroup != "" {
		q.And("cis.support_group_id IN (SELECT id FROM teams WHERE name = " + q.Arg(f.SupportGroup) + ")")
	}
	if f.Tag != "" {
		q.And("EXISTS (SELECT 1 FROM ci_tags t WHERE t.ci_id = cis.id AND t.tag = " + q.Arg(f.Tag) + ")")
	}
	if f.LifecycleStatus != "" {
		q.And("cis.lifecycle_status = " + q.Arg(f.LifecycleStatus))
	}
	if f.MinCriticality > 0 {
		q.And("cis.criticality >= " + q.Arg(f.MinCriticality))
	}
	if f.InternetExposed != nil {
		q.And("cis.internet_exposed = " + q.Arg(*f.InternetExposed))
	}
	if !f.UpdatedSince.IsZero() {
		q.And("cis.updated_at >= " + q.Arg(store.At(f.UpdatedSince)))
	}

	var page cmdb.Page
	if err := s.tx.QueryRow(ctx, `SELECT COUNT(*) FROM cis`+q.Where(), q.Args()...).Scan(&page.Total); err != nil {
		return cmdb.Page{}, store.MapError(err)
	}
	if f.Cursor != "" {
		var name string
		var id int64
		if err := store.DecodeCursor(f.Cursor, &name, &id); err != nil {
			return cmdb.Page{}, err
		}
		q.And("(cis.name_lower, cis.id) > (" + q.Arg(name) + ", " + q.Arg(id) + ")")
	}
	sqlText := ciSelect + q.Where() + " ORDER BY cis.name_lower, cis.id LIMIT " + strconv.Itoa(f.Limit+1)
	rows, err := s.tx.Query(ctx, sqlText, q.Args()...)
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
		return cmdb.Page{}, store.MapError(err)
	}
	rows.Close()
	if len(items) > f.Limit {
		items = items[:f.Limit]
		last := items[len(items)-1]
		page.NextCursor = store.EncodeCursor(nameLower(last.Name), last.ID)
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
func identifierPrefix(q *store.Query, p string) string {
	lower := strings.ToLower(p)
	var terms []string
	for _, k := range cmdb.IdentifierKinds {
		kind := q.Arg(string(k))
		terms = append(terms, "(kind = "+kind+" AND "+prefixRange(q, "value", lower)+")")
		if (k == cmdb.IDSerial || k == cmdb.IDCloud) && p != lower {
			terms = append(terms, "(kind = "+kind+" AND "+prefixRange(q, "value", p)+")")
		}
	}
	return strings.Join(terms, " OR ")
}

// prefixRange is "col >= p AND col < p+U+10FFFF": the strings starting
// with p.
func prefixRange(q *store.Query, col, p string) string {
	return "(" + col + " >= " + q.Arg(p) + " AND " + col + " < " + q.Arg(p+prefixEnd) + ")"
}

// nameLower is the stored sort and search form of a CI name.
func nameLower(name string) string { return strings.ToLower(name) }

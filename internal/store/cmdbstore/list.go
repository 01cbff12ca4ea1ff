package cmdbstore

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
	"github.com/rampart-itsm/rampart/internal/store"
)

// prefixEnd is appended to a prefix to form the exclusive upper bound of
// the strings that start with it: U+10FFFF sorts after every character in
// byte order (SQLite BINARY, PostgreSQL COLLATE "C").
const prefixEnd = "\U0010FFFF"

// FindCIs returns one page of CIs visible to v and matching f, in the
// order f.Sort names, with the number of visible matches; with
// f.IncludeDeleted the visible tombstones follow the last CI, oldest
// first. Prefix searches are written as ranges rather than LIKE: SQLite
// only uses an index for LIKE under NOCASE, PostgreSQL only under "C" or
// pattern opclasses, while a range on a byte-ordered column is an index
// range on both.
func (s *cmdbStore) FindCIs(ctx context.Context, f cmdb.Filter, v auth.Visibility) (cmdb.Page, error) {
	if f.Sort == "" {
		f.Sort = "name"
	}
	order, ok := ciOrders[f.Sort]
	if !ok {
		return cmdb.Page{}, errs.Field("sort", "unknown order %q", f.Sort)
	}
	var page cmdb.Page
	if !f.SkipTotal {
		var err error
		if page.Total, page.TotalCapped, err = s.countCIs(ctx, f, v); err != nil {
			return cmdb.Page{}, err
		}
	}
	// A search matching many CIs reads the order's index and keeps the
	// matches as it meets them, stopping after a page; one matching few
	// looks each match up and sorts them (see searchPredicate). An export
	// (no total) walks the index: it reads every page anyway.
	dense := f.SkipTotal || page.Total > denseMatches
	q, _ := ciConditions(s.tx.Dialect(), f, v, dense)
	var tq store.Query
	deleted := 0
	if f.IncludeDeleted {
		// Counted even with SkipTotal: the count says whether any follow.
		tq = tombstoneFilter(f, v)
		var err error
		var capped bool
		if deleted, capped, err = s.tx.CountCapped(ctx, "ci_tombstones t", &tq); err != nil {
			return cmdb.Page{}, err
		}
		if !f.SkipTotal {
			page.Total += deleted
			if page.TotalCapped = page.TotalCapped || capped || page.Total > paging.TotalCap; page.TotalCapped {
				page.Total = paging.TotalCap
			}
		}
	}
	cur, err := decodeListCursor(f.Cursor, f.Sort, f.IncludeDeleted)
	if err != nil {
		return cmdb.Page{}, err
	}
	if cur.tombstones {
		return s.tombstonePage(ctx, page, tq, cur.vals, f.Limit)
	}
	if cur.vals != nil {
		q.And(order.after(&q, cur.vals))
	}
	sqlText := ciSelect + q.Where() + " ORDER BY " + order.orderBy() + " LIMIT " + strconv.Itoa(f.Limit+1)
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
		page.NextCursor = store.EncodeCursor(f.Sort, order.values(items[len(items)-1]))
	}
	if err := s.loadChildren(ctx, items); err != nil {
		return cmdb.Page{}, err
	}
	page.Items = make([]cmdb.CI, len(items))
	for i, ci := range items {
		page.Items[i] = *ci
	}
	if deleted > 0 && page.NextCursor == "" && len(items) < f.Limit {
		return s.tombstonePage(ctx, page, tq, nil, f.Limit-len(items))
	}
	if deleted > 0 && page.NextCursor == "" {
		// The CIs filled this page exactly: tombstones start the next.
		page.NextCursor = store.EncodeCursor(tombstoneSort, []any{})
	}
	return page, nil
}

// denseMatches is the number of search matches above which a page is
// read by walking the order's index rather than by sorting the matches.
// Measured at 1,000,000 CIs on SQLite (BenchmarkSearchAt1M): sorting 50,000
// matches for one page took 1.2 s, walking the name index 45 ms; below a
// few thousand matches sorting wins, since a walk may pass the whole index
// before it finds a page of rare matches.
const denseMatches = 5000

// ciConditions renders f and v as the WHERE clause of a CI list. only
// says the search is the only condition: every CI is visible and nothing
// else filters, so the matches can be counted without reading cis.
func ciConditions(d store.Dialect, f cmdb.Filter, v auth.Visibility, dense bool) (q store.Query, only bool) {
	only = store.SeesAll(v, ciVisibility("cis"))
	if !only {
		q.And(store.Visible(&q, v, ciVisibility("cis")))
	}
	if f.Query != "" {
		q.And(searchPredicate(&q, d, f.Query, dense))
	}
	n := len(q.Args())
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
	return q, only && len(q.Args()) == n
}

// countCIs counts the CIs visible to v that f selects, up to
// paging.TotalCap (store.CountCapped). A search with no other condition on
// SQLite counts its matches in the full-text index alone, without reading
// a row of cis.
func (s *cmdbStore) countCIs(ctx context.Context, f cmdb.Filter, v auth.Visibility) (int, bool, error) {
	q, only := ciConditions(s.tx.Dialect(), f, v, false)
	from := "cis"
	if only && f.Query != "" {
		var sq store.Query
		if matches, ok := searchMatches(&sq, s.tx.Dialect(), f.Query); ok {
			from, q = matches, sq
		}
	}
	return s.tx.CountCapped(ctx, from, &q)
}

// tombstoneSort names the tombstone part of a list in its cursors.
const tombstoneSort = "deleted"

// tombstoneFilter selects the tombstones f asks for: those of CIs v
// covered (by the owner they had), deleted at or after f.UpdatedSince.
func tombstoneFilter(f cmdb.Filter, v auth.Visibility) store.Query {
	var q store.Query
	q.And(store.Visible(&q, v, ciVisibility("t")))
	if !f.UpdatedSince.IsZero() {
		q.And("t.deleted_at >= " + q.Arg(store.At(f.UpdatedSince)))
	}
	return q
}

// tombstonePage adds up to limit tombstones matching q after the cursor
// values after (deleted_at, id; nil from the start) to page, oldest first.
func (s *cmdbStore) tombstonePage(ctx context.Context, page cmdb.Page, q store.Query, after []any, limit int) (cmdb.Page, error) {
	if after != nil {
		q.And("(t.deleted_at, t.id) > (" + q.Arg(after[0]) + ", " + q.Arg(after[1]) + ")")
	}
	rows, err := s.tx.Query(ctx, `SELECT t.id, t.key, t.deleted_at FROM ci_tombstones t`+q.Where()+
		` ORDER BY t.deleted_at, t.id LIMIT `+strconv.Itoa(limit+1), q.Args()...)
	if err != nil {
		return page, err
	}
	var ids []int64
	err = store.EachRow(rows, func(sc store.Scanner) error {
		var id int64
		var t cmdb.Tombstone
		if err := sc.Scan(&id, &t.Key, store.ScanTime(&t.DeletedAt)); err != nil {
			return err
		}
		ids = append(ids, id)
		page.Deleted = append(page.Deleted, t)
		return nil
	})
	if err != nil {
		return page, err
	}
	if len(page.Deleted) > limit {
		page.Deleted = page.Deleted[:limit]
		last := page.Deleted[limit-1]
		page.NextCursor = store.EncodeCursor(tombstoneSort, []any{last.DeletedAt, ids[limit-1]})
	}
	return page, nil
}

// PurgeTombstones deletes the tombstones of CIs deleted before t.
func (s *cmdbStore) PurgeTombstones(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.tx.Exec(ctx, `DELETE FROM ci_tombstones WHERE deleted_at < $1`, store.At(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ciOrder is one order of the CI list: its columns, each with the type its
// cursor value decodes to, all ascending or all descending. Every order
// ends in the id, so it is total; one index serves each (migration 0005).
type ciOrder struct {
	cols []orderCol
	desc bool
}

type orderCol struct {
	name string
	typ  colType
}

type colType int

const (
	textCol colType = iota
	intCol
	timeCol
)

var (
	byName        = orderCol{"cis.name_lower", textCol}
	byID          = orderCol{"cis.id", intCol}
	byKind        = orderCol{"cis.kind", textCol}
	byCriticality = orderCol{"cis.criticality", intCol}
	byEnvironment = orderCol{"cis.environment", textCol}
	byUpdated     = orderCol{"cis.updated_at", timeCol}
)

// ciOrders holds every order in cmdb.Sorts.
var ciOrders = func() map[string]ciOrder {
	asc := map[string][]orderCol{
		"name":        {byName, byID},
		"kind":        {byKind, byName, byID},
		"criticality": {byCriticality, byName, byID},
		"environment": {byEnvironment, byName, byID},
		"updated":     {byUpdated, byID},
	}
	m := map[string]ciOrder{}
	for k, cols := range asc {
		m[k] = ciOrder{cols: cols}
		m["-"+k] = ciOrder{cols: cols, desc: true}
	}
	return m
}()

func (o ciOrder) orderBy() string {
	parts := make([]string, len(o.cols))
	for i, c := range o.cols {
		parts[i] = c.name
		if o.desc {
			parts[i] += " DESC"
		}
	}
	return strings.Join(parts, ", ")
}

// after is the keyset condition "rows after the cursor values vals": one
// row-value comparison, which both engines answer from the order's index.
func (o ciOrder) after(q *store.Query, vals []any) string {
	names, args := make([]string, len(o.cols)), make([]string, len(o.cols))
	for i, c := range o.cols {
		names[i], args[i] = c.name, q.Arg(vals[i])
	}
	op := " > "
	if o.desc {
		op = " < "
	}
	return "(" + strings.Join(names, ", ") + ")" + op + "(" + strings.Join(args, ", ") + ")"
}

// values are the cursor values of ci in this order.
func (o ciOrder) values(ci *cmdb.CI) []any {
	out := make([]any, len(o.cols))
	for i, c := range o.cols {
		switch c {
		case byName:
			out[i] = nameLower(ci.Name)
		case byID:
			out[i] = ci.ID
		case byKind:
			out[i] = string(ci.Kind)
		case byCriticality:
			out[i] = ci.Criticality
		case byEnvironment:
			out[i] = ci.Environment
		case byUpdated:
			out[i] = ci.UpdatedAt
		}
	}
	return out
}

// listCursor is a decoded list cursor: the values to resume after (nil at
// the start), and whether they are in the tombstone part of the list.
type listCursor struct {
	tombstones bool
	vals       []any
}

// decodeListCursor reads a cursor of FindCIs for the order sort. A cursor
// is [order, [values...]]; one made for another order, or for tombstones
// when none were asked for, is refused rather than misread.
func decodeListCursor(c, sort string, withDeleted bool) (listCursor, error) {
	if c == "" {
		return listCursor{}, nil
	}
	bad := errs.Field("cursor", "not a cursor of this list: start again without it")
	var name string
	var raw []json.RawMessage
	if err := store.DecodeCursor(c, &name, &raw); err != nil {
		return listCursor{}, err
	}
	cols := ciOrders[sort].cols
	if name == tombstoneSort && withDeleted {
		if len(raw) == 0 {
			return listCursor{tombstones: true}, nil
		}
		cols = []orderCol{{"t.deleted_at", timeCol}, {"t.id", intCol}}
	} else if name != sort {
		return listCursor{}, bad
	}
	if len(raw) != len(cols) {
		return listCursor{}, bad
	}
	vals := make([]any, len(cols))
	for i, col := range cols {
		var err error
		switch col.typ {
		case textCol:
			var v string
			err = json.Unmarshal(raw[i], &v)
			vals[i] = v
		case intCol:
			var v int64
			err = json.Unmarshal(raw[i], &v)
			vals[i] = v
		case timeCol:
			var v time.Time
			err = json.Unmarshal(raw[i], &v)
			vals[i] = store.At(v)
		}
		if err != nil {
			return listCursor{}, bad
		}
	}
	return listCursor{tombstones: name == tombstoneSort, vals: vals}, nil
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

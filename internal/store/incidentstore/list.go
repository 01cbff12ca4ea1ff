package incidentstore

import (
	"context"
	"strconv"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/paging"
	"github.com/rampart-itsm/rampart/internal/store"
)

// order is one order of the incident list: a leading column (none for
// creation order, which is id order) and the id, ascending or descending.
// One index serves each (incidents_updated, incidents_priority, the key).
type order struct {
	col  string // "" for id alone
	time bool   // col holds a time
	desc bool
}

var orders = map[string]order{
	"created": {}, "-created": {desc: true},
	"updated": {col: "i.updated_at", time: true}, "-updated": {col: "i.updated_at", time: true, desc: true},
	"priority": {col: "i.priority"}, "-priority": {col: "i.priority", desc: true},
}

func (o order) orderBy() string {
	dir := ""
	if o.desc {
		dir = " DESC"
	}
	if o.col == "" {
		return "i.id" + dir
	}
	return o.col + dir + ", i.id" + dir
}

// after is the keyset condition for rows after the cursor values.
func (o order) after(q *store.Query, vals []any) string {
	cmp := " > "
	if o.desc {
		cmp = " < "
	}
	if o.col == "" {
		return "i.id" + cmp + q.Arg(vals[0])
	}
	return "(" + o.col + ", i.id)" + cmp + "(" + q.Arg(vals[0]) + ", " + q.Arg(vals[1]) + ")"
}

func (o order) values(inc *incident.Incident) []any {
	switch {
	case o.col == "":
		return []any{inc.ID}
	case o.time:
		return []any{inc.UpdatedAt, inc.ID}
	}
	return []any{inc.Priority, inc.ID}
}

// decodeCursor reads a cursor this order wrote: the sort name, then its
// values; "deleted" and (deleted_at, id) for the tombstone part.
func (o order) decode(cursor, sort string) (vals []any, tombstones bool, err error) {
	if cursor == "" {
		return nil, false, nil
	}
	var name string
	var a, b any
	var at time.Time
	var id, n int64
	switch {
	case store.DecodeCursor(cursor, &name) == nil && name == tombstoneSort:
		return nil, true, nil
	case store.DecodeCursor(cursor, &name, &at, &id) == nil && name == tombstoneSort:
		return []any{store.At(at), id}, true, nil
	case o.col == "" && store.DecodeCursor(cursor, &name, &id) == nil && name == sort:
		return []any{id}, false, nil
	case o.time && store.DecodeCursor(cursor, &name, &at, &id) == nil && name == sort:
		a, b = store.At(at), id
	case o.col != "" && !o.time && store.DecodeCursor(cursor, &name, &n, &id) == nil && name == sort:
		a, b = n, id
	default:
		return nil, false, errs.Field("cursor", "not a cursor of this list and order")
	}
	return []any{a, b}, false, nil
}

const tombstoneSort = "deleted"

// conditions renders f and v as the WHERE clause of an incident list.
func conditions(f incident.Filter, v auth.Visibility) store.Query {
	var q store.Query
	if !store.SeesAll(v, Columns("i")) {
		q.And(store.Visible(&q, v, Columns("i")))
	}
	if f.Query != "" {
		q.And("(i.key = " + q.Arg(normalizeQueryKey(f.Query)) + " OR i.search LIKE " + q.Arg(store.LikeContains(lower(f.Query))) + ` ESCAPE '\')`)
	}
	switch f.State {
	case "":
	case "open":
		q.And("i.state IN (" + q.Arg(string(incident.StateNew)) + ", " + q.Arg(string(incident.StateInProgress)) + ", " +
			q.Arg(string(incident.StateOnHold)) + ")")
	default:
		q.And("i.state = " + q.Arg(f.State))
	}
	if f.Priority > 0 {
		q.And("i.priority = " + q.Arg(f.Priority))
	}
	if f.Category != "" {
		q.And("i.category = " + q.Arg(f.Category))
	}
	if f.AssigneeID != 0 {
		q.And("i.assignee_id = " + q.Arg(f.AssigneeID))
	}
	if f.Unassigned {
		q.And("i.assignee_id IS NULL")
	}
	if f.GroupID != 0 {
		q.And("i.assignment_group_id = " + q.Arg(f.GroupID))
	}
	if f.Groups != nil {
		q.And("i.assignment_group_id IN " + store.InList(&q, f.Groups))
	}
	if f.CallerID != 0 {
		q.And("i.caller_id = " + q.Arg(f.CallerID))
	}
	if f.ParentID != 0 {
		q.And("i.parent_id = " + q.Arg(f.ParentID))
	}
	if f.CIID != 0 {
		q.And("EXISTS (SELECT 1 FROM incident_cis x WHERE x.incident_id = i.id AND x.ci_id = " + q.Arg(f.CIID) + ")")
	}
	if f.Security != nil {
		q.And("i.security = " + q.Arg(*f.Security))
	}
	if f.Major != nil {
		q.And("i.major = " + q.Arg(*f.Major))
	}
	if !f.UpdatedSince.IsZero() {
		q.And("i.updated_at >= " + q.Arg(store.At(f.UpdatedSince)))
	}
	return q
}

// FindIncidents returns one page of incidents v covers matching f; with
// f.IncludeDeleted the tombstones v covers follow the last incident.
func (s *incidentStore) FindIncidents(ctx context.Context, f incident.Filter, v incident.Views) (incident.Page, error) {
	o, ok := orders[f.Sort]
	if !ok {
		return incident.Page{}, errs.Field("sort", "unknown order %q", f.Sort)
	}
	var page incident.Page
	q := conditions(f, v.Incidents)
	if !f.SkipTotal {
		cq := q
		var err error
		if page.Total, page.TotalCapped, err = s.tx.CountCapped(ctx, "incidents i", &cq); err != nil {
			return page, err
		}
	}
	var tq store.Query
	deleted := 0
	if f.IncludeDeleted {
		tq = tombstoneFilter(f, v.Incidents)
		var err error
		var capped bool
		if deleted, capped, err = s.tx.CountCapped(ctx, "incident_tombstones t", &tq); err != nil {
			return page, err
		}
		if !f.SkipTotal {
			page.Total += deleted
			if page.TotalCapped = page.TotalCapped || capped || page.Total > paging.TotalCap; page.TotalCapped {
				page.Total = paging.TotalCap
			}
		}
	}
	vals, tomb, err := o.decode(f.Cursor, f.Sort)
	if err != nil {
		return page, err
	}
	if tomb {
		return s.tombstonePage(ctx, page, tq, vals, f.Limit)
	}
	if vals != nil {
		q.And(o.after(&q, vals))
	}
	// Placeholders are numbered, so the head may bind its arguments (the
	// parent's visibility) after the conditions'.
	head := selectIncident(&q, v.Incidents)
	rows, err := s.tx.Query(ctx, head+q.Where()+" ORDER BY "+o.orderBy()+" LIMIT "+strconv.Itoa(f.Limit+1), q.Args()...)
	if err != nil {
		return page, err
	}
	var items []*incident.Incident
	err = store.EachRow(rows, func(sc store.Scanner) error {
		inc, err := scanIncident(sc)
		items = append(items, inc)
		return err
	})
	if err != nil {
		return page, err
	}
	if len(items) > f.Limit {
		items = items[:f.Limit]
		page.NextCursor = store.EncodeCursor(append([]any{f.Sort}, o.values(items[len(items)-1])...)...)
	}
	if err := s.loadChildren(ctx, items, v.CIs); err != nil {
		return page, err
	}
	page.Items = make([]incident.Incident, len(items))
	for i, inc := range items {
		page.Items[i] = *inc
	}
	if deleted > 0 && page.NextCursor == "" && len(items) < f.Limit {
		return s.tombstonePage(ctx, page, tq, nil, f.Limit-len(items))
	}
	if deleted > 0 && page.NextCursor == "" {
		page.NextCursor = store.EncodeCursor(tombstoneSort)
	}
	return page, nil
}

// tombstoneFilter selects the tombstones v covers: those of incidents it
// could see before they became security incidents. A reader cleared for
// security incidents still sees them, so has none.
func tombstoneFilter(f incident.Filter, v auth.Visibility) store.Query {
	var q store.Query
	if v.Restricted() {
		q.And("1 = 0")
		return q
	}
	q.And(store.Visible(&q, v, store.Columns{Kind: auth.KindIncident, Owner: "t.caller_id"}))
	if !f.UpdatedSince.IsZero() {
		q.And("t.deleted_at >= " + q.Arg(store.At(f.UpdatedSince)))
	}
	return q
}

// tombstonePage adds up to limit tombstones after the cursor values to
// page, oldest first.
func (s *incidentStore) tombstonePage(ctx context.Context, page incident.Page, q store.Query, after []any, limit int) (incident.Page, error) {
	if after != nil {
		q.And("(t.deleted_at, t.id) > (" + q.Arg(after[0]) + ", " + q.Arg(after[1]) + ")")
	}
	rows, err := s.tx.Query(ctx, `SELECT t.id, t.key, t.deleted_at FROM incident_tombstones t`+q.Where()+
		` ORDER BY t.deleted_at, t.id LIMIT `+strconv.Itoa(limit+1), q.Args()...)
	if err != nil {
		return page, err
	}
	var ids []int64
	err = store.EachRow(rows, func(sc store.Scanner) error {
		var id int64
		var t incident.Tombstone
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
		page.NextCursor = store.EncodeCursor(tombstoneSort, last.DeletedAt, ids[limit-1])
	}
	return page, nil
}

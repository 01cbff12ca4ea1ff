package incidentstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/store"
)

// ResolvedBeforeUnscoped returns up to limit ids of incidents resolved
// before t and still resolved, oldest first.
func (s *incidentStore) ResolvedBeforeUnscoped(ctx context.Context, before time.Time, limit int) ([]int64, error) {
	return s.tx.SelectIDs(ctx, `SELECT id FROM incidents WHERE resolved_at < $1 AND state = $2 ORDER BY resolved_at, id LIMIT $3`,
		store.At(before), string(incident.StateResolved), limit)
}

// PurgeTombstones deletes the tombstones written before t.
func (s *incidentStore) PurgeTombstones(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.tx.Exec(ctx, `DELETE FROM incident_tombstones WHERE deleted_at < $1`, store.At(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Sightings finds, for each observable, the other incidents v covers that
// record it and the CIs v covers that carry it as an identifier.
func (s *incidentStore) Sightings(ctx context.Context, incidentID int64, obs []incident.Observable, v incident.Views) ([]incident.Sighting, error) {
	out := make([]incident.Sighting, len(obs))
	for i, o := range obs {
		out[i] = incident.Sighting{Observable: o, Incidents: []string{}, CIs: []string{}}
		var q store.Query
		q.And("o.kind = " + q.Arg(o.Kind))
		q.And("o.value = " + q.Arg(o.Value))
		q.And("i.id <> " + q.Arg(incidentID))
		q.And(store.Visible(&q, v.Incidents, Columns("i")))
		rows, err := s.tx.Query(ctx, `SELECT i.key FROM incident_observables o JOIN incidents i ON i.id = o.incident_id`+
			q.Where()+` ORDER BY i.id LIMIT 100`, q.Args()...)
		if err != nil {
			return nil, err
		}
		if out[i].Incidents, err = collectKeys(rows); err != nil {
			return nil, err
		}
		kinds := map[string][]string{"ip": {"ip"}, "domain": {"hostname", "fqdn"}}[o.Kind]
		if len(kinds) == 0 {
			continue
		}
		var cq store.Query
		cq.And("x.kind IN " + store.InList(&cq, kinds))
		cq.And("x.value = " + cq.Arg(o.Value))
		cq.And(store.Visible(&cq, v.CIs, ciColumns("c")))
		rows, err = s.tx.Query(ctx, `SELECT DISTINCT c.key FROM ci_identifiers x JOIN cis c ON c.id = x.ci_id`+
			cq.Where()+` ORDER BY c.key LIMIT 100`, cq.Args()...)
		if err != nil {
			return nil, err
		}
		if out[i].CIs, err = collectKeys(rows); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// collectKeys reads rows of one key each; never nil.
func collectKeys(rows *sql.Rows) ([]string, error) {
	keys, err := store.Collect(rows, func(sc store.Scanner) (k string, err error) { return k, sc.Scan(&k) })
	if keys == nil {
		keys = []string{}
	}
	return keys, err
}

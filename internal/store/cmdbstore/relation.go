package cmdbstore

import (
	"context"
	"database/sql"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
)

const relationSelect = `SELECT r.id, r.source_id, s.key, r.type, r.target_id, t.key, r.created_at
	FROM ci_relations r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id`

func scanRelation(sc store.Scanner) (cmdb.Relation, error) {
	var r cmdb.Relation
	var typ string
	err := sc.Scan(&r.ID, &r.SourceID, &r.Source, &typ, &r.TargetID, &r.Target, store.ScanTime(&r.CreatedAt))
	r.Type = cmdb.RelationType(typ)
	return r, store.MapError(err)
}

// FindRelations returns a CI's relations in both directions whose other
// end is visible to v, oldest first.
func (s *cmdbStore) FindRelations(ctx context.Context, ciID int64, v auth.Visibility) ([]cmdb.Relation, error) {
	var q store.Query
	id := q.Arg(ciID)
	q.And("((r.source_id = " + id + " AND " + store.Visible(&q, v, ciVisibility("t")) + ") OR (r.target_id = " + id +
		" AND " + store.Visible(&q, v, ciVisibility("s")) + "))")
	rows, err := s.tx.Query(ctx, relationSelect+q.Where()+" ORDER BY r.id", q.Args()...)
	if err != nil {
		return nil, err
	}
	return store.Collect(rows, scanRelation)
}

// FindRelationByID returns one relation whose two ends are visible to v.
func (s *cmdbStore) FindRelationByID(ctx context.Context, id int64, v auth.Visibility) (cmdb.Relation, error) {
	var q store.Query
	q.And("r.id = " + q.Arg(id))
	q.And(store.Visible(&q, v, ciVisibility("s")))
	q.And(store.Visible(&q, v, ciVisibility("t")))
	return scanRelation(s.tx.QueryRow(ctx, relationSelect+q.Where(), q.Args()...))
}

// InsertRelations inserts relations in batches and sets their ids.
func (s *cmdbStore) InsertRelations(ctx context.Context, rs []*cmdb.Relation) error {
	if len(rs) == 0 {
		return nil
	}
	type edge struct {
		src, dst int64
		typ      string
	}
	byEdge := make(map[edge]*cmdb.Relation, len(rs))
	for _, r := range rs {
		byEdge[edge{r.SourceID, r.TargetID, string(r.Type)}] = r
	}
	in := s.tx.NewInserter("ci_relations", []string{"source_id", "target_id", "type", "created_at"}, &store.IDSink{
		Returning: " RETURNING id, source_id, target_id, type",
		Scan: func(rows store.Scanner) error {
			var id int64
			var e edge
			if err := rows.Scan(&id, &e.src, &e.dst, &e.typ); err != nil {
				return store.MapError(err)
			}
			if r := byEdge[e]; r != nil {
				r.ID = id
			}
			return nil
		},
		Set: func(i int, id int64) { rs[i].ID = id },
	})
	defer in.Close()
	return in.Run(ctx, len(rs), func(i int, dst []any) []any {
		r := rs[i]
		return append(dst, r.SourceID, r.TargetID, string(r.Type), store.At(r.CreatedAt))
	})
}

// DeleteRelation deletes one relation.
func (s *cmdbStore) DeleteRelation(ctx context.Context, id int64) error {
	res, err := s.tx.Exec(ctx, `DELETE FROM ci_relations WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "not found")
	}
	return nil
}

// Neighbours returns, for a batch of CIs, the relations one step away in
// direction dir whose far end is visible to v: downstream follows
// ci_relations_target (target_id, source_id, type), upstream
// ci_relations_edge (source_id, target_id, type), each an index-only read
// on SQLite.
func (s *cmdbStore) Neighbours(ctx context.Context, ids []int64, dir cmdb.Direction, v auth.Visibility) ([]cmdb.Edge, error) {
	near, far := "r.target_id", "r.source_id"
	if dir == cmdb.Upstream {
		near, far = far, near
	}
	out := make([]cmdb.Edge, 0, 3*len(ids)) // about three relations per CI
	err := store.Batches(ids, s.tx.IDBatch(), func(part []int64) error {
		q := s.tx.ListQuery()
		q.And(s.tx.IDIn(&q, near, part))
		from := " FROM ci_relations r"
		// Principals who see every CI need no join: skipping it halves
		// the rows the database touches for a wide walk.
		if cols := ciVisibility("n"); !store.SeesAll(v, cols) {
			from += " JOIN cis n ON n.id = " + far
			q.And(store.Visible(&q, v, cols))
		}
		rows, err := s.tx.QueryIDs(ctx, "SELECT r.id, r.source_id, r.target_id, r.type"+from+q.Where(), q.Args()...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var typ sql.RawBytes // a wide walk reads tens of thousands of rows: no string per type
		for rows.Next() {
			var r cmdb.Edge
			if err := rows.Scan(&r.ID, &r.SourceID, &r.TargetID, &typ); err != nil {
				return store.MapError(err)
			}
			r.Type = relationType(typ)
			out = append(out, r)
		}
		return store.MapError(rows.Err())
	})
	return out, err
}

// relationType returns the constant for a stored type without allocating.
func relationType(b []byte) cmdb.RelationType {
	for _, t := range cmdb.RelationTypes {
		if string(t) == string(b) {
			return t
		}
	}
	return cmdb.RelationType(b)
}

// ciKind returns the constant for a stored kind without allocating.
func ciKind(b []byte) cmdb.Kind {
	for _, k := range cmdb.Kinds {
		if string(k) == string(b) {
			return k
		}
	}
	return cmdb.Kind(b)
}

// Summaries loads the summary of each CI visible to v, a batch per query.
func (s *cmdbStore) Summaries(ctx context.Context, ids []int64, v auth.Visibility) ([]cmdb.CISummary, error) {
	out := make([]cmdb.CISummary, len(ids))
	at := make(map[int64]int32, len(ids))
	for i, id := range ids {
		at[id] = int32(i)
	}
	err := store.Batches(ids, s.tx.IDBatch(), func(part []int64) error {
		q := s.tx.ListQuery()
		rows, err := s.tx.QueryIDs(ctx, `SELECT cis.id, cis.key, cis.name, cis.kind, cis.criticality,
			COALESCE(u.username, ''), COALESCE(g.name, ''), cis.internet_exposed
			FROM cis LEFT JOIN users u ON u.id = cis.owner_id LEFT JOIN teams g ON g.id = cis.support_group_id
			WHERE `+s.tx.IDIn(&q, "cis.id", part)+` AND `+store.Visible(&q, v, ciVisibility("cis")), q.Args()...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var c cmdb.CISummary
			var kind sql.RawBytes
			if err := rows.Scan(&id, &c.Key, &c.Name, &kind, &c.Criticality, &c.Owner, &c.SupportGroup, &c.InternetExposed); err != nil {
				return store.MapError(err)
			}
			c.Kind = ciKind(kind)
			if i, ok := at[id]; ok {
				out[i] = c
			}
		}
		return store.MapError(rows.Err())
	})
	return out, err
}

// Package cmdbstore is the CMDB's SQL: CIs with their identifiers and
// tags, relations and import reports, on the unit of work of
// internal/store.
package cmdbstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/store"
)

// Bind returns the CMDB's view of the unit of work tx, for
// store.Bind(db, cmdbstore.Bind).
func Bind(tx *store.Tx) cmdb.Tx { return unit{tx} }

// unit is the unit of work with the CMDB store added.
type unit struct{ *store.Tx }

// CMDB returns the CMDB store bound to this unit of work.
func (u unit) CMDB() cmdb.Store { return &cmdbStore{tx: u.Tx} }

// cmdbStore implements cmdb.Store.
type cmdbStore struct{ tx *store.Tx }

var _ cmdb.Store = (*cmdbStore)(nil)

// ciSelect reads a CI row with its owner's username and support group's
// name; identifiers and tags come from loadChildren.
const ciSelect = `SELECT cis.id, cis.key, cis.name, cis.kind, cis.description, cis.environment,
	cis.owner_id, COALESCE(u.username, ''), cis.support_group_id, COALESCE(g.name, ''),
	cis.criticality, cis.data_classification, cis.internet_exposed, cis.supplier, cis.lifecycle_status,
	cis.attributes, cis.sources, cis.version, cis.created_at, cis.updated_at
	FROM cis LEFT JOIN users u ON u.id = cis.owner_id LEFT JOIN teams g ON g.id = cis.support_group_id`

func scanCI(sc store.Scanner) (*cmdb.CI, error) {
	var ci cmdb.CI
	var owner, group sql.NullInt64
	var kind, attrs, sources string
	err := sc.Scan(&ci.ID, &ci.Key, &ci.Name, &kind, &ci.Description, &ci.Environment,
		&owner, &ci.Owner, &group, &ci.SupportGroup,
		&ci.Criticality, &ci.DataClassification, &ci.InternetExposed, &ci.Supplier, &ci.LifecycleStatus,
		&attrs, &sources, &ci.Version, store.ScanTime(&ci.CreatedAt), store.ScanTime(&ci.UpdatedAt))
	if err != nil {
		return nil, store.MapError(err)
	}
	ci.Kind = cmdb.Kind(kind)
	ci.OwnerID, ci.SupportGroupID = owner.Int64, group.Int64
	ci.Attributes = map[string]any{}
	if err := json.Unmarshal([]byte(attrs), &ci.Attributes); err != nil {
		return nil, fmt.Errorf("CI %s attributes: %w", ci.Key, err)
	}
	if ci.Sources, err = decodeSources(sources); err != nil {
		return nil, fmt.Errorf("CI %s: %w", ci.Key, err)
	}
	ci.Tags = []string{}
	return &ci, nil
}

// ciVisibility is what visibility means for a CI row under alias: its owner.
func ciVisibility(alias string) store.Columns {
	return store.Columns{Kind: auth.KindCI, Owner: alias + ".owner_id"}
}

// FindCIByKey returns one CI visible to v.
func (s *cmdbStore) FindCIByKey(ctx context.Context, key string, v auth.Visibility) (cmdb.CI, error) {
	var q store.Query
	q.And("cis.key = " + q.Arg(key))
	q.And(store.Visible(&q, v, ciVisibility("cis")))
	ci, err := scanCI(s.tx.QueryRow(ctx, ciSelect+q.Where(), q.Args()...))
	if err != nil {
		return cmdb.CI{}, err
	}
	if err := s.loadChildren(ctx, []*cmdb.CI{ci}); err != nil {
		return cmdb.CI{}, err
	}
	return *ci, nil
}

// FindCIsByIDUnscoped loads CIs by id in batches, whoever may see them.
func (s *cmdbStore) FindCIsByIDUnscoped(ctx context.Context, ids []int64) (map[int64]*cmdb.CI, error) {
	out := make(map[int64]*cmdb.CI, len(ids))
	var all []*cmdb.CI
	err := store.Batches(ids, s.tx.InBatch(), func(part []int64) error {
		q := s.tx.ListQuery()
		q.And("cis.id IN " + store.InList(&q, part))
		rows, err := s.tx.QueryCached(ctx, ciSelect+q.Where(), q.Args()...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			ci, err := scanCI(rows)
			if err != nil {
				return err
			}
			out[ci.ID] = ci
			all = append(all, ci)
		}
		return store.MapError(rows.Err())
	})
	if err != nil {
		return nil, err
	}
	return out, s.loadChildren(ctx, all)
}

// loadChildren fills identifiers and tags of the given CIs, a batch of
// CIs per query.
func (s *cmdbStore) loadChildren(ctx context.Context, cis []*cmdb.CI) error {
	byID := make(map[int64]*cmdb.CI, len(cis))
	ids := make([]int64, len(cis))
	for i, ci := range cis {
		byID[ci.ID], ids[i] = ci, ci.ID
	}
	return store.Batches(ids, s.tx.InBatch(), func(part []int64) error {
		q := s.tx.ListQuery()
		in := store.InList(&q, part)
		// Unordered: sorting in SQL would need a temporary b-tree; the
		// few identifiers of each CI are put in order here instead.
		rows, err := s.tx.QueryCached(ctx, `SELECT ci_id, kind, value, position FROM ci_identifiers WHERE ci_id IN `+in, q.Args()...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var idents []identRow
		var kind sql.RawBytes
		for rows.Next() {
			var r identRow
			if err := rows.Scan(&r.ciID, &kind, &r.v.Value, &r.position); err != nil {
				return store.MapError(err)
			}
			r.v.Kind = identifierKind(kind)
			idents = append(idents, r)
		}
		if err := rows.Err(); err != nil {
			return store.MapError(err)
		}
		rows.Close()
		slices.SortFunc(idents, func(a, b identRow) int {
			if a.ciID != b.ciID {
				return cmp.Compare(a.ciID, b.ciID)
			}
			if a.v.Kind != b.v.Kind {
				return strings.Compare(string(a.v.Kind), string(b.v.Kind))
			}
			return cmp.Compare(a.position, b.position)
		})
		for _, r := range idents {
			byID[r.ciID].Identifiers.Add(r.v)
		}
		rows, err = s.tx.QueryCached(ctx, `SELECT ci_id, tag FROM ci_tags WHERE ci_id IN `+in+` ORDER BY ci_id, tag`, q.Args()...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var tag string
			if err := rows.Scan(&id, &tag); err != nil {
				return store.MapError(err)
			}
			byID[id].Tags = append(byID[id].Tags, tag)
		}
		return store.MapError(rows.Err())
	})
}

// identifierKind returns the constant for a stored kind without allocating.
func identifierKind(b []byte) cmdb.IdentifierKind {
	for _, k := range cmdb.IdentifierKinds {
		if string(k) == string(b) {
			return k
		}
	}
	return cmdb.IdentifierKind(b)
}

// UserIDs resolves the usernames visible to v to ids.
func (s *cmdbStore) UserIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error) {
	return s.tx.UserIDs(ctx, names, v)
}

// TeamIDs resolves the team names visible to v to ids.
func (s *cmdbStore) TeamIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error) {
	return s.tx.TeamIDs(ctx, names, v)
}

// MatchIdentifiers finds which CIs hold the given identifiers: one IN list
// per kind and batch, each a range of primary key (kind, value) lookups.
// Every holder is found (an identifier identifies one CI, visible or not),
// but the key of a CI that v does not cover is left empty.
func (s *cmdbStore) MatchIdentifiers(ctx context.Context, vals []cmdb.IdentifierValue, v auth.Visibility) ([]cmdb.IdentifierMatch, error) {
	byKind := map[cmdb.IdentifierKind][]string{}
	seen := make(map[cmdb.IdentifierValue]bool, len(vals))
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			byKind[v.Kind] = append(byKind[v.Kind], v.Value)
		}
	}
	var out []cmdb.IdentifierMatch
	for _, kind := range cmdb.IdentifierKinds {
		err := store.Batches(byKind[kind], s.tx.InBatch(), func(part []string) error {
			q := s.tx.ListQuery()
			key := "CASE WHEN " + store.Visible(&q, v, ciVisibility("c")) + " THEN c.key ELSE '' END"
			q.And("i.kind = " + q.Arg(string(kind)))
			q.And("i.value IN " + store.InList(&q, part))
			rows, err := s.tx.QueryCached(ctx, `SELECT i.value, i.ci_id, `+key+` FROM ci_identifiers i
				JOIN cis c ON c.id = i.ci_id`+q.Where(), q.Args()...)
			if err != nil {
				return err
			}
			return store.EachRow(rows, func(sc store.Scanner) error {
				m := cmdb.IdentifierMatch{IdentifierValue: cmdb.IdentifierValue{Kind: kind}}
				err := sc.Scan(&m.Value, &m.CIID, &m.CIKey)
				out = append(out, m)
				return err
			})
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

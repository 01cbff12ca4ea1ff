// Package incidentstore is the incident practice's SQL: incidents with
// their CIs, services, techniques and observables, notes, shares,
// tombstones and the priority matrix, on the unit of work of
// internal/store.
package incidentstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/store"
)

// Bind returns the incident practice's view of the unit of work tx, for
// store.Bind(db, incidentstore.Bind).
func Bind(tx *store.Tx) incident.Tx { return unit{tx} }

type unit struct{ *store.Tx }

// Incidents returns the incident store bound to this unit of work.
func (u unit) Incidents() incident.Store { return &incidentStore{tx: u.Tx} }

type incidentStore struct{ tx *store.Tx }

var _ incident.Store = (*incidentStore)(nil)

// Columns is what visibility means for an incident row under alias: the
// security flag restricts it, the caller owns it, shares widen it.
func Columns(alias string) store.Columns {
	return store.Columns{Kind: auth.KindIncident, Restricted: alias + ".security", Owner: alias + ".caller_id",
		Share: &store.Share{Table: "incident_shares", Record: "incident_id", ID: alias + ".id", User: "user_id", Team: "team_id"}}
}

// ciColumns is the CMDB's visibility rule for the cis table under alias
// (the one cmdbstore applies: requesters see the CIs they own), for the
// affected CIs an incident shows. Practice stores import only the core, so
// the rule's column is named here too; the visibility suite of each
// practice checks both.
func ciColumns(alias string) store.Columns {
	return store.Columns{Kind: auth.KindCI, Owner: alias + ".owner_id"}
}

// selectIncident reads an incident row with the names it refers to. The
// parent's key shows only when v covers the parent: a child must not
// reveal a security incident above it.
func selectIncident(q *store.Query, v auth.Visibility) string {
	parent := "COALESCE(pi.key, '')"
	if !store.SeesAll(v, Columns("pi")) {
		parent = "CASE WHEN pi.id IS NOT NULL AND " + store.Visible(q, v, Columns("pi")) + " THEN pi.key ELSE '' END"
	}
	return `SELECT i.id, i.key, i.short_description, i.description, i.caller_id, COALESCE(cu.username, ''),
	i.category, i.subcategory, i.impact, i.urgency, i.priority, i.state, i.on_hold_reason, i.resolution_code,
	i.resolution_notes, i.assignment_group_id, COALESCE(g.name, ''), i.assignee_id, COALESCE(au.username, ''),
	i.parent_id, ` + parent + `, i.major, i.security, i.attack_vector, i.response_phase, i.reassignment_count,
	i.reopen_count, i.version, i.created_at, i.updated_at, i.first_response_at, i.resolved_at, i.closed_at
	FROM incidents i LEFT JOIN users cu ON cu.id = i.caller_id LEFT JOIN teams g ON g.id = i.assignment_group_id
	LEFT JOIN users au ON au.id = i.assignee_id LEFT JOIN incidents pi ON pi.id = i.parent_id`
}

func scanIncident(sc store.Scanner) (*incident.Incident, error) {
	var inc incident.Incident
	var caller, group, assignee, parent sql.NullInt64
	var state string
	err := sc.Scan(&inc.ID, &inc.Key, &inc.ShortDescription, &inc.Description, &caller, &inc.Caller,
		&inc.Category, &inc.Subcategory, &inc.Impact, &inc.Urgency, &inc.Priority, &state, &inc.OnHoldReason,
		&inc.ResolutionCode, &inc.ResolutionNotes, &group, &inc.AssignmentGroup, &assignee, &inc.Assignee,
		&parent, &inc.Parent, &inc.Major, &inc.Security, &inc.AttackVector, &inc.ResponsePhase,
		&inc.ReassignmentCount, &inc.ReopenCount, &inc.Version, store.ScanTime(&inc.CreatedAt),
		store.ScanTime(&inc.UpdatedAt), store.ScanTimePtr(&inc.FirstResponseAt), store.ScanTimePtr(&inc.ResolvedAt),
		store.ScanTimePtr(&inc.ClosedAt))
	if err != nil {
		return nil, store.MapError(err)
	}
	inc.State = incident.State(state)
	inc.CallerID, inc.GroupID, inc.AssigneeID, inc.ParentID = caller.Int64, group.Int64, assignee.Int64, parent.Int64
	inc.CIs, inc.Services, inc.ServicePaths = []string{}, []string{}, map[string][]string{}
	inc.Techniques, inc.Observables, inc.SLAs = []string{}, []incident.Observable{}, []incident.SLA{}
	return &inc, nil
}

// FindIncidentByKey returns one incident v covers.
func (s *incidentStore) FindIncidentByKey(ctx context.Context, key string, v incident.Views) (incident.Incident, error) {
	var q store.Query
	head := selectIncident(&q, v.Incidents)
	q.And("i.key = " + q.Arg(key))
	q.And(store.Visible(&q, v.Incidents, Columns("i")))
	inc, err := scanIncident(s.tx.QueryRow(ctx, head+q.Where(), q.Args()...))
	if err != nil {
		return incident.Incident{}, err
	}
	if err := s.loadChildren(ctx, []*incident.Incident{inc}, v.CIs); err != nil {
		return incident.Incident{}, err
	}
	return *inc, nil
}

// FindIncidentsByIDUnscoped returns incidents by id, whoever may see them.
func (s *incidentStore) FindIncidentsByIDUnscoped(ctx context.Context, ids []int64) ([]incident.Incident, error) {
	all := auth.Unrestricted("incidents a cascade changes")
	var out []*incident.Incident
	err := store.Batches(ids, s.tx.InBatch(), func(part []int64) error {
		var q store.Query
		head := selectIncident(&q, all)
		q.And("i.id IN " + store.InList(&q, part))
		rows, err := s.tx.Query(ctx, head+q.Where()+" ORDER BY i.id", q.Args()...)
		if err != nil {
			return err
		}
		return store.EachRow(rows, func(sc store.Scanner) error {
			inc, err := scanIncident(sc)
			out = append(out, inc)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	if err := s.loadChildren(ctx, out, all); err != nil {
		return nil, err
	}
	res := make([]incident.Incident, len(out))
	for i, inc := range out {
		res[i] = *inc
	}
	return res, nil
}

// ChildIDsUnscoped returns the ids of parent's open children.
func (s *incidentStore) ChildIDsUnscoped(ctx context.Context, parent int64) ([]int64, error) {
	return s.tx.SelectIDs(ctx, `SELECT id FROM incidents WHERE parent_id = $1 AND state IN ($2, $3, $4) ORDER BY id`,
		parent, string(incident.StateNew), string(incident.StateInProgress), string(incident.StateOnHold))
}

// loadChildren fills the CIs, services, techniques and observables of
// incs, a batch of incidents per query. Every affected CI's id is kept
// (CIIDs), but only the keys of CIs ciVis covers are shown.
func (s *incidentStore) loadChildren(ctx context.Context, incs []*incident.Incident, ciVis auth.Visibility) error {
	if len(incs) == 0 {
		return nil
	}
	byID := make(map[int64]*incident.Incident, len(incs))
	ids := make([]int64, len(incs))
	for i, inc := range incs {
		byID[inc.ID], ids[i] = inc, inc.ID
	}
	return store.Batches(ids, s.tx.InBatch(), func(part []int64) error {
		for _, t := range []string{"incident_cis", "incident_services"} {
			var q store.Query
			shown := "1 = 1"
			if !store.SeesAll(ciVis, ciColumns("c")) {
				shown = store.Visible(&q, ciVis, ciColumns("c"))
			}
			path := "''"
			if t == "incident_services" {
				path = "x.path"
			}
			rows, err := s.tx.Query(ctx, `SELECT x.incident_id, x.ci_id, c.key, `+path+`, CASE WHEN `+shown+` THEN 1 ELSE 0 END
				FROM `+t+` x JOIN cis c ON c.id = x.ci_id WHERE x.incident_id IN `+store.InList(&q, part)+
				` ORDER BY x.incident_id, x.position`, q.Args()...)
			if err != nil {
				return err
			}
			err = store.EachRow(rows, func(sc store.Scanner) error {
				var iid, cid int64
				var key, pathText string
				var visible int
				if err := sc.Scan(&iid, &cid, &key, &pathText, &visible); err != nil {
					return err
				}
				inc := byID[iid]
				if t == "incident_cis" {
					inc.CIIDs = append(inc.CIIDs, cid)
					if visible == 1 {
						inc.CIs = append(inc.CIs, key)
					}
					return nil
				}
				var p []string
				if err := json.Unmarshal([]byte(pathText), &p); err != nil {
					return fmt.Errorf("incident service path: %w", err)
				}
				inc.ServiceRefs = append(inc.ServiceRefs, incident.ServiceRef{ID: cid, Path: p})
				if visible == 1 {
					inc.Services = append(inc.Services, key)
					inc.ServicePaths[key] = p
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		var q store.Query
		in := store.InList(&q, part)
		rows, err := s.tx.Query(ctx, `SELECT incident_id, technique FROM incident_techniques WHERE incident_id IN `+in+
			` ORDER BY incident_id, technique`, q.Args()...)
		if err != nil {
			return err
		}
		err = store.EachRow(rows, func(sc store.Scanner) error {
			var iid int64
			var t string
			err := sc.Scan(&iid, &t)
			byID[iid].Techniques = append(byID[iid].Techniques, t)
			return err
		})
		if err != nil {
			return err
		}
		rows, err = s.tx.Query(ctx, `SELECT incident_id, kind, value FROM incident_observables WHERE incident_id IN `+in+
			` ORDER BY incident_id, position`, q.Args()...)
		if err != nil {
			return err
		}
		return store.EachRow(rows, func(sc store.Scanner) error {
			var iid int64
			var o incident.Observable
			err := sc.Scan(&iid, &o.Kind, &o.Value)
			byID[iid].Observables = append(byID[iid].Observables, o)
			return err
		})
	})
}

// UserIDs resolves usernames visible to v.
func (s *incidentStore) UserIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error) {
	return s.tx.UserIDs(ctx, names, v)
}

// TeamIDs resolves team names visible to v.
func (s *incidentStore) TeamIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error) {
	return s.tx.TeamIDs(ctx, names, v)
}

// IsMember reports whether the user is in the team.
func (s *incidentStore) IsMember(ctx context.Context, teamID, userID int64) (bool, error) {
	var n int
	err := s.tx.QueryRow(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = $1 AND user_id = $2`, teamID, userID).Scan(&n)
	return n > 0, store.MapError(err)
}

// CIIDs resolves CI keys visible to v.
func (s *incidentStore) CIIDs(ctx context.Context, keys []string, v auth.Visibility) (map[string]int64, error) {
	return s.keysToIDs(ctx, "cis c", "c", keys, v, ciColumns("c"))
}

// IncidentIDs resolves incident keys visible to v.
func (s *incidentStore) IncidentIDs(ctx context.Context, keys []string, v auth.Visibility) (map[string]int64, error) {
	return s.keysToIDs(ctx, "incidents i", "i", keys, v, Columns("i"))
}

func (s *incidentStore) keysToIDs(ctx context.Context, from, alias string, keys []string, v auth.Visibility, cols store.Columns) (map[string]int64, error) {
	out := make(map[string]int64, len(keys))
	err := store.Batches(keys, s.tx.InBatch(), func(part []string) error {
		var q store.Query
		q.And(alias + ".key IN " + store.InList(&q, part))
		q.And(store.Visible(&q, v, cols))
		rows, err := s.tx.Query(ctx, `SELECT `+alias+`.key, `+alias+`.id FROM `+from+q.Where(), q.Args()...)
		if err != nil {
			return err
		}
		return store.EachRow(rows, func(sc store.Scanner) error {
			var k string
			var id int64
			err := sc.Scan(&k, &id)
			out[k] = id
			return err
		})
	})
	return out, err
}

// searchText is what ?q= matches: the key and short description, lower
// case (LIKE folds only ASCII on SQLite and nothing on PostgreSQL).
func searchText(inc *incident.Incident) string {
	return strings.ToLower(inc.Key + " " + inc.ShortDescription)
}

func lower(s string) string { return strings.ToLower(s) }

// normalizeQueryKey is a search typed as a key ("inc-12").
func normalizeQueryKey(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

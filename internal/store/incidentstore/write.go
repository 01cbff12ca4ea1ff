package incidentstore

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/store"
)

// rowArgs are an incident's column values in incidentColumns order.
const incidentColumns = `key, short_description, description, caller_id, category, subcategory, impact, urgency,
	priority, state, on_hold_reason, resolution_code, resolution_notes, assignment_group_id, assignee_id, parent_id,
	major, security, attack_vector, response_phase, reassignment_count, reopen_count, search, version, created_at,
	updated_at, first_response_at, resolved_at, closed_at`

func rowArgs(inc *incident.Incident) []any {
	return []any{inc.Key, inc.ShortDescription, inc.Description, store.Null(inc.CallerID), inc.Category, inc.Subcategory,
		inc.Impact, inc.Urgency, inc.Priority, string(inc.State), inc.OnHoldReason, inc.ResolutionCode, inc.ResolutionNotes,
		store.Null(inc.GroupID), store.Null(inc.AssigneeID), store.Null(inc.ParentID), inc.Major, inc.Security,
		inc.AttackVector, inc.ResponsePhase, inc.ReassignmentCount, inc.ReopenCount, searchText(inc), inc.Version,
		store.At(inc.CreatedAt), store.At(inc.UpdatedAt), store.AtPtr(inc.FirstResponseAt), store.AtPtr(inc.ResolvedAt),
		store.AtPtr(inc.ClosedAt)}
}

// InsertIncidents inserts each incident and its child rows.
func (s *incidentStore) InsertIncidents(ctx context.Context, incs []*incident.Incident) error {
	var q store.Query
	var params string
	for i, a := range rowArgs(&incident.Incident{}) {
		if i > 0 {
			params += ", "
		}
		params += q.Arg(a)
	}
	text := `INSERT INTO incidents (` + incidentColumns + `) VALUES (` + params + `) RETURNING id`
	for _, inc := range incs {
		if err := s.tx.QueryRow(ctx, text, rowArgs(inc)...).Scan(&inc.ID); err != nil {
			return store.MapError(err)
		}
	}
	return s.writeChildren(ctx, nil, incs)
}

// UpdateIncident writes after over the row still at before's version,
// and rewrites the child rows that changed. An incident that becomes a
// security incident leaves a tombstone for the readers who lose it.
func (s *incidentStore) UpdateIncident(ctx context.Context, before, after *incident.Incident) error {
	var q store.Query
	sets := ""
	cols := splitColumns(incidentColumns)
	for i, a := range rowArgs(after) {
		if i > 0 {
			sets += ", "
		}
		sets += cols[i] + " = " + q.Arg(a)
	}
	q.And("id = " + q.Arg(before.ID))
	q.And("version = " + q.Arg(before.Version))
	res, err := s.tx.Exec(ctx, `UPDATE incidents SET `+sets+q.Where(), q.Args()...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return store.MapError(err)
	} else if n == 0 {
		return errs.E(errs.Conflict, "%s was changed by someone else meanwhile: reload and try again", before.Key)
	}
	after.ID = before.ID
	if after.Security && !before.Security {
		if _, err := s.tx.Exec(ctx, `INSERT INTO incident_tombstones (key, caller_id, deleted_at) VALUES ($1, $2, $3)`,
			before.Key, store.Null(before.CallerID), store.At(after.UpdatedAt)); err != nil {
			return err
		}
	}
	return s.writeChildren(ctx, before, []*incident.Incident{after})
}

func splitColumns(s string) []string {
	cols := strings.Split(s, ",")
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c)
	}
	return cols
}

// writeChildren writes the CIs, services, techniques and observables of
// incs; with before (an update of one incident), only the kinds that
// changed, after deleting the old rows.
func (s *incidentStore) writeChildren(ctx context.Context, before *incident.Incident, incs []*incident.Incident) error {
	type child struct {
		table   string
		cols    []string
		changed func(b, a *incident.Incident) bool
		rows    func(inc *incident.Incident, add func(vals ...any))
	}
	children := []child{
		{"incident_cis", []string{"incident_id", "ci_id", "position"},
			func(b, a *incident.Incident) bool { return !slices.Equal(b.CIIDs, a.CIIDs) },
			func(inc *incident.Incident, add func(...any)) {
				for i, id := range inc.CIIDs {
					add(inc.ID, id, i)
				}
			}},
		{"incident_services", []string{"incident_id", "ci_id", "position", "path"},
			func(b, a *incident.Incident) bool { return !sameRefs(b.ServiceRefs, a.ServiceRefs) },
			func(inc *incident.Incident, add func(...any)) {
				for i, r := range inc.ServiceRefs {
					p, _ := json.Marshal(r.Path)
					add(inc.ID, r.ID, i, string(p))
				}
			}},
		{"incident_techniques", []string{"incident_id", "technique"},
			func(b, a *incident.Incident) bool { return !slices.Equal(b.Techniques, a.Techniques) },
			func(inc *incident.Incident, add func(...any)) {
				for _, t := range inc.Techniques {
					add(inc.ID, t)
				}
			}},
		{"incident_observables", []string{"incident_id", "kind", "value", "position"},
			func(b, a *incident.Incident) bool { return !slices.Equal(b.Observables, a.Observables) },
			func(inc *incident.Incident, add func(...any)) {
				for i, o := range inc.Observables {
					add(inc.ID, o.Kind, o.Value, i)
				}
			}},
	}
	for _, c := range children {
		if before != nil {
			if !c.changed(before, incs[0]) {
				continue
			}
			if _, err := s.tx.Exec(ctx, `DELETE FROM `+c.table+` WHERE incident_id = $1`, before.ID); err != nil {
				return err
			}
		}
		var rows [][]any
		for _, inc := range incs {
			c.rows(inc, func(vals ...any) { rows = append(rows, vals) })
		}
		if len(rows) == 0 {
			continue
		}
		in := s.tx.NewInserter(c.table, c.cols, nil)
		err := in.Run(ctx, len(rows), func(i int, dst []any) []any { return append(dst, rows[i]...) })
		in.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func sameRefs(a, b []incident.ServiceRef) bool {
	return slices.EqualFunc(a, b, func(x, y incident.ServiceRef) bool { return x.ID == y.ID && slices.Equal(x.Path, y.Path) })
}

// Matrix reads the priority matrix.
func (s *incidentStore) Matrix(ctx context.Context) (incident.Matrix, error) {
	var m incident.Matrix
	rows, err := s.tx.QueryCached(ctx, `SELECT impact, urgency, priority FROM incident_priority_matrix`)
	if err != nil {
		return m, err
	}
	n := 0
	err = store.EachRow(rows, func(sc store.Scanner) error {
		var i, u, p int
		if err := sc.Scan(&i, &u, &p); err != nil {
			return err
		}
		m.Priority[i-1][u-1] = p
		n++
		return nil
	})
	if err == nil && n != 9 {
		return m, errs.E(errs.Internal, "the priority matrix has %d of its 9 cells", n)
	}
	return m, err
}

// SetMatrix writes every cell of m.
func (s *incidentStore) SetMatrix(ctx context.Context, m incident.Matrix) error {
	for _, c := range m.Cells() {
		if _, err := s.tx.Exec(ctx, `UPDATE incident_priority_matrix SET priority = $1 WHERE impact = $2 AND urgency = $3`,
			c.Priority, c.Impact, c.Urgency); err != nil {
			return err
		}
	}
	return nil
}

package incident

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Record kinds written to the audit log.
const (
	AuditKindIncident = "incident"
	AuditKindMatrix   = "priority_matrix"
	AuditKindNote     = "incident_note"
	AuditKindShare    = "incident_share"
)

// Options configure the practice.
type Options struct {
	// ResolveChildren: resolving a parent resolves its open children
	// with the parent's resolution code and notes.
	ResolveChildren bool
	// AutoCloseAfter is how long a resolved incident stays resolved
	// before it is closed on its own.
	AutoCloseAfter time.Duration
}

// DefaultOptions are the options a new installation runs with.
var DefaultOptions = Options{ResolveChildren: true, AutoCloseAfter: 7 * 24 * time.Hour}

// Service is the incident practice: every read and write of incidents
// goes through it. Each method checks authorisation first, then works in
// one unit of work.
type Service struct {
	t      Transactor
	cmdb   CMDB
	clocks Clocks
	opts   Options
}

// NewService returns an incident service on the given transactor
// (store.Bind(db, incidentstore.Bind)) reading CMDB context through c,
// with no SLA clocks and DefaultOptions.
func NewService(t Transactor, c CMDB) *Service {
	return &Service{t: t, cmdb: c, clocks: NoClocks{}, opts: DefaultOptions}
}

// WithClocks makes the service keep SLA time through c.
func (s *Service) WithClocks(c Clocks) *Service { s.clocks = c; return s }

// WithOptions sets the service's options.
func (s *Service) WithOptions(o Options) *Service { s.opts = o; return s }

// Options returns the service's options.
func (s *Service) Options() Options { return s.opts }

// views are what p may see of incidents and of their CIs.
func views(p auth.Principal) Views {
	return Views{Incidents: auth.VisibilityFor(p, auth.KindIncident), CIs: auth.VisibilityFor(p, auth.KindCI)}
}

func formatKey(prefix string, n int64) string { return prefix + "-" + strconv.FormatInt(n, 10) }

func find(ctx context.Context, st Store, key string, v Views) (Incident, error) {
	inc, err := st.FindIncidentByKey(ctx, normalizeKey(key), v)
	if errs.Is(err, errs.NotFound) {
		return Incident{}, errs.E(errs.NotFound, "no incident %s", normalizeKey(key))
	}
	return inc, err
}

// FindIncidentByKey returns one incident. Anyone with auth.IncidentRead
// may call it; it answers NotFound for an incident they may not see.
// Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) FindIncidentByKey(ctx context.Context, p auth.Principal, key string) (Incident, error) {
	if err := p.Require(auth.IncidentRead); err != nil {
		return Incident{}, err
	}
	var inc Incident
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		if inc, err = find(ctx, tx.Incidents(), key, views(p)); err != nil {
			return err
		}
		return s.clocks.SLAs(ctx, tx, []*Incident{&inc})
	})
	return inc, err
}

// FindIncidents returns one page of the incidents matching f that p may
// see, and how many match. Anyone with auth.IncidentRead may call it.
// Errors: Unauthenticated, Forbidden, Invalid (bad filter or cursor).
func (s *Service) FindIncidents(ctx context.Context, p auth.Principal, f Filter) (Page, error) {
	if err := p.Require(auth.IncidentRead); err != nil {
		return Page{}, err
	}
	f, err := normalizeFilter(f)
	if err != nil {
		return Page{}, err
	}
	if f.MyGroups {
		f.Groups = append([]int64{-1}, p.TeamIDs...)
	}
	var page Page
	err = s.t.View(ctx, func(tx Tx) error {
		if f.IncludeDeleted && !f.UpdatedSince.IsZero() && f.UpdatedSince.Before(tx.Now().Add(-TombstoneRetention)) {
			return errs.Field("updated_since", "changes of view are remembered for %d days: synchronise again from the full list (without updated_since)",
				int(TombstoneRetention.Hours()/24))
		}
		st := tx.Incidents()
		if err := resolveFilter(ctx, st, p, &f); err != nil {
			return err
		}
		var err error
		if page, err = st.FindIncidents(ctx, f, views(p)); err != nil {
			return err
		}
		ptrs := make([]*Incident, len(page.Items))
		for i := range page.Items {
			ptrs[i] = &page.Items[i]
		}
		return s.clocks.SLAs(ctx, tx, ptrs)
	})
	if page.Items == nil {
		page.Items = []Incident{}
	}
	return page, err
}

// resolveFilter turns the names in f into ids; a name that matches
// nothing the caller may see selects nothing (-1).
func resolveFilter(ctx context.Context, st Store, p auth.Principal, f *Filter) error {
	one := func(m map[string]int64, name string) int64 {
		if id, ok := m[name]; ok {
			return id
		}
		return -1
	}
	if f.Assignee != "" || f.Caller != "" {
		m, err := st.UserIDs(ctx, []string{strings.ToLower(f.Assignee), strings.ToLower(f.Caller)}, auth.VisibilityFor(p, auth.KindUser))
		if err != nil {
			return err
		}
		if f.Assignee != "" {
			f.AssigneeID = one(m, strings.ToLower(f.Assignee))
		}
		if f.Caller != "" {
			f.CallerID = one(m, strings.ToLower(f.Caller))
		}
	}
	if f.AssignmentGroup != "" {
		m, err := st.TeamIDs(ctx, []string{f.AssignmentGroup}, auth.VisibilityFor(p, auth.KindTeam))
		if err != nil {
			return err
		}
		f.GroupID = one(m, f.AssignmentGroup)
	}
	if f.CI != "" {
		m, err := st.CIIDs(ctx, []string{normalizeKey(f.CI)}, auth.VisibilityFor(p, auth.KindCI))
		if err != nil {
			return err
		}
		f.CIID = one(m, normalizeKey(f.CI))
	}
	if f.Parent != "" {
		m, err := st.IncidentIDs(ctx, []string{normalizeKey(f.Parent)}, auth.VisibilityFor(p, auth.KindIncident))
		if err != nil {
			return err
		}
		f.ParentID = one(m, normalizeKey(f.Parent))
	}
	return nil
}

// PriorityMatrix returns the priority matrix. Anyone with
// auth.IncidentRead may call it.
func (s *Service) PriorityMatrix(ctx context.Context, p auth.Principal) (Matrix, error) {
	if err := p.Require(auth.IncidentRead); err != nil {
		return Matrix{}, err
	}
	var m Matrix
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		m, err = tx.Incidents().Matrix(ctx)
		return err
	})
	return m, err
}

// SetPriorityMatrix replaces the priority matrix; incidents keep their
// priority until their impact or urgency changes. Requires
// auth.IncidentConfigure. Errors: Unauthenticated, Forbidden.
func (s *Service) SetPriorityMatrix(ctx context.Context, p auth.Principal, m Matrix) (Matrix, error) {
	if err := p.Require(auth.IncidentConfigure); err != nil {
		return Matrix{}, err
	}
	err := s.t.InTx(ctx, func(tx Tx) error {
		st := tx.Incidents()
		cur, err := st.Matrix(ctx)
		if err != nil {
			return err
		}
		if cur == m {
			return nil
		}
		if err := st.SetMatrix(ctx, m); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionUpdate, Kind: AuditKindMatrix,
			Key: "incident", Before: matrixState{cur.Cells()}, After: matrixState{m.Cells()}})
	})
	return m, err
}

// matrixState is the priority matrix as the audit log records it.
type matrixState struct {
	Cells []Cell `json:"cells"`
}

// auditIncident appends an incident's entry. A security incident's entry
// says so, so the audit log can keep it from readers without clearance.
func auditIncident(tx Tx, p auth.Principal, action string, before, after *Incident) error {
	rec := audit.Record{Actor: p.Actor(), Action: action, Kind: AuditKindIncident}
	if before != nil {
		rec.Before, rec.Key, rec.Restricted = before, before.Key, before.Security
	}
	if after != nil {
		rec.After, rec.Key = after, after.Key
		rec.Restricted = rec.Restricted || after.Security
	}
	return tx.Audit().Append(rec)
}

// refused is the Conflict for a transition the life cycle does not allow,
// naming the states that are.
func refused(from, to State) error {
	allowed := make([]string, len(Transitions[from]))
	for i, s := range Transitions[from] {
		allowed[i] = string(s)
	}
	msg := "none: the incident is " + string(from)
	if len(allowed) > 0 {
		msg = strings.Join(allowed, ", ")
	}
	e := errs.E(errs.Conflict, "an incident cannot go from %s to %s; allowed: %s", from, to, msg)
	e.Fields = []errs.FieldError{{Field: "state", Message: fmt.Sprintf("from %s only to: %s", from, msg)}}
	return e
}

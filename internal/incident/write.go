package incident

import (
	"context"
	"fmt"
	"slices"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// MaxBulk is the most incidents one bulk create takes.
const MaxBulk = 500

// CreateIncident raises one incident and returns it with its key (SIR-n
// for a security incident, INC-n otherwise) and priority. Requires
// auth.IncidentReport; without auth.IncidentWrite (a requester in the
// portal) the caller is the principal and only the description, category,
// impact, urgency and CIs may be given.
// Errors: Unauthenticated, Forbidden, Invalid (with field errors).
func (s *Service) CreateIncident(ctx context.Context, p auth.Principal, inc Incident) (Incident, error) {
	out, err := s.create(ctx, p, []Incident{inc}, false)
	if err != nil {
		return Incident{}, err
	}
	return out[0], nil
}

// CreateIncidents raises several incidents in one unit of work: all or
// none, with field errors prefixed by the element ("[3].impact"). Same
// rules as CreateIncident; at most MaxBulk.
func (s *Service) CreateIncidents(ctx context.Context, p auth.Principal, incs []Incident) ([]Incident, error) {
	if len(incs) > MaxBulk {
		return nil, errs.Field("items", "at most %d incidents at once", MaxBulk)
	}
	if len(incs) == 0 {
		return []Incident{}, nil
	}
	return s.create(ctx, p, incs, true)
}

// CreateIncidentIn raises an incident in the unit of work u another
// practice holds (an alert opening an incident), so the incident, its
// audit entry, its SLA clocks and whatever u writes commit or roll back
// together. Same rules and errors as CreateIncident.
func (s *Service) CreateIncidentIn(ctx context.Context, u uow.Unit, p auth.Principal, inc Incident) (Incident, error) {
	out, err := s.create(ctx, p, []Incident{inc}, false, func(fn func(Tx) error) error { return s.t.Join(u, fn) })
	if err != nil {
		return Incident{}, err
	}
	return out[0], nil
}

func (s *Service) create(ctx context.Context, p auth.Principal, in []Incident, bulk bool, unit ...func(func(Tx) error) error) ([]Incident, error) {
	if err := p.Require(auth.IncidentReport); err != nil {
		return nil, err
	}
	incs := make([]*Incident, len(in))
	prefixes := make([]string, len(in))
	var fe errs.Fields
	for i := range in {
		inc := in[i]
		incs[i] = &inc
		if bulk {
			prefixes[i] = fmt.Sprintf("[%d].", i)
		}
		prepareNew(p, &inc, prefixes[i], &fe)
	}
	run := func(fn func(Tx) error) error { return s.t.InTx(ctx, fn) }
	if len(unit) > 0 {
		run = unit[0]
	}
	err := run(func(tx Tx) error {
		st := tx.Incidents()
		if err := resolveRefs(ctx, st, p, incs, prefixes, &fe); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		m, err := st.Matrix(ctx)
		if err != nil {
			return err
		}
		if err := s.assignKeys(ctx, tx, incs); err != nil {
			return err
		}
		for _, inc := range incs {
			inc.Priority = m.Of(inc.Impact, inc.Urgency)
			inc.Version, inc.CreatedAt, inc.UpdatedAt = 1, tx.Now(), tx.Now()
			if err := s.deriveServices(ctx, tx, inc); err != nil {
				return err
			}
		}
		if err := st.InsertIncidents(ctx, incs); err != nil {
			return err
		}
		for _, inc := range incs {
			if err := auditIncident(tx, p, audit.ActionCreate, nil, inc); err != nil {
				return err
			}
			if err := s.clocks.Start(ctx, tx, inc); err != nil {
				return err
			}
		}
		return s.clocks.SLAs(ctx, tx, incs) // the answer shows the clocks just started
	})
	if err != nil {
		return nil, err
	}
	out := make([]Incident, len(incs))
	for i, inc := range incs {
		out[i] = *inc
		out[i].ServicePaths = servicePaths(inc.ServiceRefs, inc.Services)
	}
	return out, nil
}

// prepareNew applies the defaults and the rules of who may set what to a
// new incident, and normalises it.
func prepareNew(p auth.Principal, inc *Incident, prefix string, fe *errs.Fields) {
	if inc.Impact == 0 {
		inc.Impact = DefaultImpact
	}
	if inc.Urgency == 0 {
		inc.Urgency = DefaultUrgency
	}
	if inc.State == "" {
		inc.State = StateNew
	}
	if !p.Can(auth.IncidentWrite) {
		// The portal: a requester reports for themselves, and the desk
		// decides everything else.
		for field, set := range map[string]bool{"assignment_group": inc.AssignmentGroup != "", "assignee": inc.Assignee != "",
			"security": inc.Security || IsSecurityCategory(inc.Category), "major": inc.Major, "parent": inc.Parent != "",
			"state": inc.State != StateNew} {
			if set {
				fe.Add(prefix+field, "is set by the service desk")
			}
		}
		if inc.Caller != "" && auth.NormalizeUsername(inc.Caller) != p.Username {
			fe.Add(prefix+"caller", "you can only report incidents for yourself")
		}
		inc.Caller = p.Username
	}
	if inc.Caller == "" && !p.System {
		inc.Caller = p.Username
	}
	if inc.State != StateNew {
		fe.Add(prefix+"state", "a new incident starts as new; change its state afterwards")
	}
	if inc.Security && !p.Can(auth.IncidentReadRestricted) && !p.Can(auth.IncidentWrite) {
		fe.Add(prefix+"security", "is set by the service desk")
	}
	inc.Key, inc.OnHoldReason, inc.ResolutionCode, inc.ResolutionNotes = "", "", "", ""
	inc.ReassignmentCount, inc.ReopenCount = 0, 0
	inc.FirstResponseAt, inc.ResolvedAt, inc.ClosedAt = nil, nil, nil
	normalize(inc, prefix, fe)
}

// assignKeys takes keys for new incidents from the series each belongs
// to, a block per series.
func (s *Service) assignKeys(ctx context.Context, tx Tx, incs []*Incident) error {
	for _, security := range []bool{false, true} {
		var these []*Incident
		for _, inc := range incs {
			if inc.Security == security {
				these = append(these, inc)
			}
		}
		if len(these) == 0 {
			continue
		}
		prefix := keyPrefix(security)
		n, err := tx.NextKeys(ctx, prefix, len(these))
		if err != nil {
			return err
		}
		for i, inc := range these {
			inc.Key = formatKey(prefix, n+int64(i))
		}
	}
	return nil
}

// deriveServices sets the business services inc's CIs affect.
func (s *Service) deriveServices(ctx context.Context, tx Tx, inc *Incident) error {
	inc.Services, inc.ServiceRefs = []string{}, nil
	if len(inc.CIIDs) == 0 {
		return nil
	}
	found, err := s.cmdb.AffectedServices(ctx, tx, inc.CIIDs)
	if err != nil {
		return err
	}
	for _, a := range found {
		inc.Services = append(inc.Services, a.Key)
		inc.ServiceRefs = append(inc.ServiceRefs, ServiceRef{ID: a.ID, Path: a.Path})
	}
	return nil
}

// servicePaths pairs each service key with its path.
func servicePaths(refs []ServiceRef, keys []string) map[string][]string {
	out := make(map[string][]string, len(keys))
	for i, k := range keys {
		if i < len(refs) {
			out[k] = refs[i].Path
		}
	}
	return out
}

// resolveRefs turns the names and keys each incident refers to into ids,
// reporting unknown ones in fe (with each incident's prefix): caller and
// assignee (users), assignment group (a team the assignee belongs to),
// CIs and parent, all as p may see them.
func resolveRefs(ctx context.Context, st Store, p auth.Principal, incs []*Incident, prefixes []string, fe *errs.Fields) error {
	var users, teams, cis, parents []string
	for _, inc := range incs {
		if inc.Caller != p.Username || p.UserID == 0 {
			users = append(users, inc.Caller)
		}
		users = append(users, inc.Assignee)
		teams = append(teams, inc.AssignmentGroup)
		cis = append(cis, inc.CIs...)
		parents = append(parents, inc.Parent)
	}
	uids, err := st.UserIDs(ctx, nonEmpty(users), auth.VisibilityFor(p, auth.KindUser))
	if err != nil {
		return err
	}
	tids, err := st.TeamIDs(ctx, nonEmpty(teams), auth.VisibilityFor(p, auth.KindTeam))
	if err != nil {
		return err
	}
	ciids, err := st.CIIDs(ctx, nonEmpty(cis), auth.VisibilityFor(p, auth.KindCI))
	if err != nil {
		return err
	}
	pids, err := st.IncidentIDs(ctx, nonEmpty(parents), auth.VisibilityFor(p, auth.KindIncident))
	if err != nil {
		return err
	}
	for i, inc := range incs {
		prefix := prefixes[i]
		ref := func(field, name string, ids map[string]int64, what string) int64 {
			if name == "" {
				return 0
			}
			if id, ok := ids[name]; ok {
				return id
			}
			fe.Add(prefix+field, "no %s %q", what, name)
			return 0
		}
		if inc.Caller != "" && inc.Caller == p.Username && p.UserID != 0 {
			inc.CallerID = p.UserID // reporting for oneself: no lookup
		} else {
			inc.CallerID = ref("caller", inc.Caller, uids, "user")
		}
		inc.AssigneeID = ref("assignee", inc.Assignee, uids, "user")
		inc.GroupID = ref("assignment_group", inc.AssignmentGroup, tids, "team")
		inc.ParentID = ref("parent", inc.Parent, pids, "incident")
		inc.CIIDs = inc.CIIDs[:0:0]
		for j, k := range inc.CIs {
			if id := ref(fmt.Sprintf("cis[%d]", j), k, ciids, "CI"); id != 0 {
				inc.CIIDs = append(inc.CIIDs, id)
			}
		}
		if inc.AssigneeID != 0 && inc.GroupID != 0 {
			ok, err := st.IsMember(ctx, inc.GroupID, inc.AssigneeID)
			if err != nil {
				return err
			}
			if !ok {
				fe.Add(prefix+"assignee", "%s is not a member of %s", inc.Assignee, inc.AssignmentGroup)
			}
		}
	}
	return nil
}

func nonEmpty(s []string) []string {
	out := s[:0:0]
	for _, v := range s {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

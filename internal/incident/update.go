package incident

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Update changes an incident; nil fields are left as they are.
type Update struct {
	ShortDescription *string
	Description      *string
	Caller           *string
	Category         *string
	Subcategory      *string
	Impact           *int
	Urgency          *int
	State            *State
	OnHoldReason     *string
	ResolutionCode   *string
	ResolutionNotes  *string
	AssignmentGroup  *string
	Assignee         *string
	CIs              *[]string
	Parent           *string
	Major            *bool
	Security         *bool
	AttackVector     *string
	Techniques       *[]string
	ResponsePhase    *string
	Observables      *[]Observable
	// Version makes the update conditional: Conflict when the stored
	// version differs.
	Version *int64
}

func (u Update) apply(inc Incident) Incident {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&inc.ShortDescription, u.ShortDescription)
	set(&inc.Description, u.Description)
	set(&inc.Caller, u.Caller)
	set(&inc.Category, u.Category)
	set(&inc.Subcategory, u.Subcategory)
	set(&inc.OnHoldReason, u.OnHoldReason)
	set(&inc.ResolutionCode, u.ResolutionCode)
	set(&inc.ResolutionNotes, u.ResolutionNotes)
	set(&inc.AssignmentGroup, u.AssignmentGroup)
	set(&inc.Assignee, u.Assignee)
	set(&inc.Parent, u.Parent)
	set(&inc.AttackVector, u.AttackVector)
	set(&inc.ResponsePhase, u.ResponsePhase)
	if u.Impact != nil {
		inc.Impact = *u.Impact
	}
	if u.Urgency != nil {
		inc.Urgency = *u.Urgency
	}
	if u.State != nil {
		inc.State = *u.State
	}
	if u.CIs != nil {
		inc.CIs = *u.CIs
	}
	if u.Major != nil {
		inc.Major = *u.Major
	}
	if u.Security != nil {
		inc.Security = *u.Security
	}
	if u.Techniques != nil {
		inc.Techniques = *u.Techniques
	}
	if u.Observables != nil {
		inc.Observables = *u.Observables
	}
	return inc
}

// UpdateIncident changes the fields u sets and returns the incident as
// stored. A state change must follow the life cycle (Transitions): on hold
// needs an on_hold_reason, resolved a resolution_code and
// resolution_notes, and resolved → in progress reopens (counted). A new
// assignment group without an assignee clears the assignee; the assignee
// must be a member of the group. Requires auth.IncidentWrite; making a
// security incident an ordinary one also auth.IncidentReadRestricted.
// Errors: Unauthenticated, Forbidden, NotFound, Invalid (field errors),
// Conflict (a refused transition, naming the allowed states; a stale
// version).
func (s *Service) UpdateIncident(ctx context.Context, p auth.Principal, key string, u Update) (Incident, error) {
	if err := p.Require(auth.IncidentWrite); err != nil {
		return Incident{}, err
	}
	var out Incident
	err := s.t.InTx(ctx, func(tx Tx) error {
		st := tx.Incidents()
		cur, err := find(ctx, st, key, views(p))
		if err != nil {
			return err
		}
		if u.Version != nil && *u.Version != cur.Version {
			e := errs.E(errs.Conflict, "%s was changed by someone else (version %d, you had %d): reload and try again", cur.Key, cur.Version, *u.Version)
			e.Fields = []errs.FieldError{{Field: "version", Message: fmt.Sprintf("is %d now, not %d", cur.Version, *u.Version)}}
			return e
		}
		if err := s.checkUpdate(p, &cur, u); err != nil {
			return err
		}
		next := u.apply(cur)
		if u.AssignmentGroup != nil && *u.AssignmentGroup != cur.AssignmentGroup && u.Assignee == nil {
			next.Assignee = ""
		}
		var fe errs.Fields
		transition(&cur, &next, u, &fe)
		normalize(&next, "", &fe)
		if err := resolveRefs(ctx, st, p, []*Incident{&next}, []string{""}, &fe); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if cur.State != next.State && !cur.State.Allows(next.State) {
			return refused(cur.State, next.State)
		}
		if next.ParentID != 0 {
			if err := checkParent(ctx, st, &cur, next.ParentID); err != nil {
				return err
			}
		}
		if next.GroupID != cur.GroupID && cur.GroupID != 0 || next.AssigneeID != cur.AssigneeID && cur.AssigneeID != 0 {
			next.ReassignmentCount++
		}
		if next.Impact != cur.Impact || next.Urgency != cur.Urgency {
			m, err := st.Matrix(ctx)
			if err != nil {
				return err
			}
			next.Priority = m.Of(next.Impact, next.Urgency)
		}
		if !slices.Equal(next.CIIDs, cur.CIIDs) || u.CIs != nil {
			if err := s.deriveServices(ctx, tx, &next); err != nil {
				return err
			}
		} else {
			next.ServiceRefs = cur.ServiceRefs
		}
		if sameContent(&cur, &next) {
			out = cur
			return nil
		}
		if err := s.write(ctx, tx, p, &cur, &next); err != nil {
			return err
		}
		if next.State == StateResolved && cur.State != StateResolved && s.opts.ResolveChildren {
			if err := s.resolveChildren(ctx, tx, p, &next); err != nil {
				return err
			}
		}
		out = next
		return nil
	})
	if err != nil {
		return Incident{}, err
	}
	return s.reread(ctx, p, out)
}

// checkUpdate refuses changes p may not make.
func (s *Service) checkUpdate(p auth.Principal, cur *Incident, u Update) error {
	if cur.Security && u.Security != nil && !*u.Security && !p.Can(auth.IncidentReadRestricted) {
		return errs.E(errs.Forbidden, "only a security analyst or an admin may make a security incident an ordinary one")
	}
	return nil
}

// transition applies what a state change brings with it to next and
// records what it lacks in fe. It does not judge whether the change is
// allowed (the caller does, after field errors, so a refused transition
// answers 409 rather than 422).
func transition(cur, next *Incident, u Update, fe *errs.Fields) {
	if next.State != StateOnHold {
		if u.OnHoldReason != nil && *u.OnHoldReason != "" {
			fe.Add("on_hold_reason", "only an incident on hold has one (set state on_hold)")
		}
		next.OnHoldReason = ""
	} else if next.OnHoldReason == "" {
		fe.Add("on_hold_reason", "is required on hold: one of %s", joinStrings(OnHoldReasons))
	}
	resolvedNow := next.State == StateResolved || next.State == StateClosed
	if !resolvedNow && (u.ResolutionCode != nil && *u.ResolutionCode != "" || u.ResolutionNotes != nil && *u.ResolutionNotes != "") {
		fe.Add("resolution_code", "only a resolved incident has a resolution (set state resolved)")
	}
	if next.State == StateResolved && cur.State != StateResolved {
		if next.ResolutionCode == "" {
			fe.Add("resolution_code", "is required to resolve: one of %s", joinStrings(ResolutionCodes))
		}
		if next.ResolutionNotes == "" {
			fe.Add("resolution_notes", "is required to resolve: say what was done")
		}
	}
	if cur.State == next.State {
		return
	}
	if cur.State == StateResolved && next.State == StateInProgress {
		next.ReopenCount++
		next.ResolvedAt, next.ResolutionCode, next.ResolutionNotes = nil, "", ""
	}
}

// checkParent refuses a parent that would make a chain: a parent has no
// parent itself, and an incident with children cannot become a child.
func checkParent(ctx context.Context, st Store, cur *Incident, parentID int64) error {
	if parentID == cur.ID {
		return errs.Field("parent", "an incident cannot be its own parent")
	}
	ps, err := st.FindIncidentsByIDUnscoped(ctx, []int64{parentID})
	if err != nil {
		return err
	}
	if len(ps) == 1 && ps[0].ParentID != 0 {
		return errs.Field("parent", "%s is itself a child of another incident: link to that one", ps[0].Key)
	}
	kids, err := st.ChildIDsUnscoped(ctx, cur.ID)
	if err != nil {
		return err
	}
	if len(kids) > 0 {
		return errs.Field("parent", "%s has children of its own, so it cannot become a child", cur.Key)
	}
	return nil
}

// write stamps next, stores it over cur, audits it and tells the clocks.
func (s *Service) write(ctx context.Context, tx Tx, p auth.Principal, cur, next *Incident) error {
	now := tx.Now()
	next.Version, next.UpdatedAt = cur.Version+1, now
	if cur.State != next.State {
		switch next.State {
		case StateResolved:
			next.ResolvedAt = &now
		case StateClosed:
			next.ClosedAt = &now
		}
		if cur.State == StateNew && next.FirstResponseAt == nil {
			next.FirstResponseAt = &now
		}
	}
	if err := tx.Incidents().UpdateIncident(ctx, cur, next); err != nil {
		return err
	}
	if evs := events(p, now, cur, next); len(evs) > 0 {
		if err := tx.Incidents().InsertEvents(ctx, evs); err != nil {
			return err
		}
	}
	if err := auditIncident(tx, p, audit.ActionUpdate, cur, next); err != nil {
		return err
	}
	return s.tellClocks(ctx, tx, cur, next)
}

// tellClocks says to the SLA clocks what changed.
func (s *Service) tellClocks(ctx context.Context, tx Tx, cur, next *Incident) error {
	if cur.FirstResponseAt == nil && next.FirstResponseAt != nil {
		if err := s.clocks.Respond(ctx, tx, next); err != nil {
			return err
		}
	}
	if cur.Priority != next.Priority || cur.Category != next.Category || cur.Security != next.Security {
		if err := s.clocks.Reprioritise(ctx, tx, cur, next); err != nil {
			return err
		}
	}
	if cur.State == next.State {
		return nil
	}
	switch {
	case !next.State.Open():
		return s.clocks.Stop(ctx, tx, next)
	case next.State == StateOnHold:
		return s.clocks.Pause(ctx, tx, next)
	case cur.State == StateOnHold || cur.State == StateResolved:
		return s.clocks.Resume(ctx, tx, next)
	}
	return nil
}

// resolveChildren resolves the open children of parent with its
// resolution, each audited as a change by p.
func (s *Service) resolveChildren(ctx context.Context, tx Tx, p auth.Principal, parent *Incident) error {
	st := tx.Incidents()
	ids, err := st.ChildIDsUnscoped(ctx, parent.ID)
	if err != nil || len(ids) == 0 {
		return err
	}
	kids, err := st.FindIncidentsByIDUnscoped(ctx, ids)
	if err != nil {
		return err
	}
	for i := range kids {
		cur := kids[i]
		next := cur
		next.State, next.OnHoldReason = StateResolved, ""
		next.ResolutionCode = parent.ResolutionCode
		next.ResolutionNotes = "Resolved with parent " + parent.Key + ": " + parent.ResolutionNotes
		if err := s.write(ctx, tx, p, &cur, &next); err != nil {
			return err
		}
	}
	return nil
}

// reread returns the incident as p now sees it (CIs and services by p's
// view, SLA clocks); the incident as written when p no longer sees it.
func (s *Service) reread(ctx context.Context, p auth.Principal, inc Incident) (Incident, error) {
	got, err := s.FindIncidentByKey(ctx, p, inc.Key)
	if errs.Is(err, errs.NotFound) {
		inc.ServicePaths = servicePaths(inc.ServiceRefs, inc.Services)
		return inc, nil
	}
	return got, err
}

// sameContent reports whether an update would change nothing stored.
func sameContent(a, b *Incident) bool {
	return a.ShortDescription == b.ShortDescription && a.Description == b.Description && a.CallerID == b.CallerID &&
		a.Category == b.Category && a.Subcategory == b.Subcategory && a.Impact == b.Impact && a.Urgency == b.Urgency &&
		a.Priority == b.Priority && a.State == b.State && a.OnHoldReason == b.OnHoldReason &&
		a.ResolutionCode == b.ResolutionCode && a.ResolutionNotes == b.ResolutionNotes && a.GroupID == b.GroupID &&
		a.AssigneeID == b.AssigneeID && slices.Equal(a.CIIDs, b.CIIDs) && a.ParentID == b.ParentID && a.Major == b.Major &&
		a.Security == b.Security && a.AttackVector == b.AttackVector && slices.Equal(a.Techniques, b.Techniques) &&
		a.ResponsePhase == b.ResponsePhase && slices.Equal(a.Observables, b.Observables)
}

func joinStrings(s []string) string { return strings.Join(s, ", ") }

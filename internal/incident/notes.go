package incident

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// seesWorkNotes reports whether p reads work notes: the staff who see the
// whole desk, never requesters (whether the incident is theirs or shared
// with them).
func seesWorkNotes(p auth.Principal) bool {
	return auth.VisibilityFor(p, auth.KindIncident).Base() == auth.BaseAll
}

// AddNote adds a work note (internal; requires auth.IncidentWrite) or a
// comment (the caller sees it; auth.IncidentReport, so a requester may
// comment on their own incident) to an incident p may see.
// Errors: Unauthenticated, Forbidden, NotFound, Invalid (kind, body).
func (s *Service) AddNote(ctx context.Context, p auth.Principal, key, kind, body string) (Note, error) {
	need := auth.IncidentReport
	if kind == NoteWork {
		need = auth.IncidentWrite
	}
	if err := p.Require(need); err != nil {
		return Note{}, err
	}
	var fe errs.Fields
	if kind != NoteWork && kind != NoteComment {
		fe.Add("kind", "must be %s or %s", NoteWork, NoteComment)
	}
	long(&fe, "body", &body, maxNotes)
	if body == "" && len(fe) == 0 {
		fe.Add("body", "is required")
	}
	if err := fe.Err(); err != nil {
		return Note{}, err
	}
	var n Note
	err := s.t.InTx(ctx, func(tx Tx) error {
		st := tx.Incidents()
		inc, err := find(ctx, st, key, views(p))
		if err != nil {
			return err
		}
		n = Note{IncidentID: inc.ID, Kind: kind, Body: body, Author: p.Actor(), AuthorID: p.UserID, CreatedAt: tx.Now()}
		if err := st.InsertNote(ctx, &n); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionCreate, Kind: AuditKindNote,
			Key: inc.Key + "#" + strconv.FormatInt(n.ID, 10), After: n, Restricted: inc.Security})
	})
	return n, err
}

// TimelineEntry is one line of an incident's timeline: a note or comment
// (Body), or an event (From, To).
type TimelineEntry struct {
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"` // created, work_note, comment, state, assignment, parent, major
	Actor string    `json:"actor"`
	Body  string    `json:"body,omitempty"`
	From  string    `json:"from,omitempty"`
	To    string    `json:"to,omitempty"`
}

// Timeline returns what happened to an incident p may see, oldest first:
// its creation, comments, state changes and reassignments, and, for staff,
// work notes. Requesters never see work notes. Requires auth.IncidentRead.
// Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) Timeline(ctx context.Context, p auth.Principal, key string) ([]TimelineEntry, error) {
	if err := p.Require(auth.IncidentRead); err != nil {
		return nil, err
	}
	var out []TimelineEntry
	err := s.t.View(ctx, func(tx Tx) error {
		st := tx.Incidents()
		inc, err := find(ctx, st, key, views(p))
		if err != nil {
			return err
		}
		out = append(out, TimelineEntry{At: inc.CreatedAt, Kind: "created", Actor: inc.Caller, Body: inc.ShortDescription})
		notes, err := st.FindNotes(ctx, inc.ID, seesWorkNotes(p))
		if err != nil {
			return err
		}
		for _, n := range notes {
			out = append(out, TimelineEntry{At: n.CreatedAt, Kind: n.Kind, Actor: n.Author, Body: n.Body})
		}
		evs, err := st.FindEvents(ctx, inc.ID)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if ev.Kind == EventAssignment && !seesWorkNotes(p) {
				continue // who works it inside the desk is the desk's business
			}
			out = append(out, TimelineEntry{At: ev.At, Kind: ev.Kind, Actor: ev.Actor, From: ev.From, To: ev.To})
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b TimelineEntry) int { return a.At.Compare(b.At) })
	return out, err
}

// events lists what a change from cur to next adds to the timeline.
func events(p auth.Principal, at time.Time, cur, next *Incident) []Event {
	var evs []Event
	add := func(kind, from, to string) {
		evs = append(evs, Event{IncidentID: cur.ID, Kind: kind, From: from, To: to, Actor: p.Actor(), At: at})
	}
	if cur.State != next.State {
		add(EventState, string(cur.State), string(next.State))
	}
	who := func(i *Incident) string { return strings.TrimSuffix(i.AssignmentGroup+" / "+i.Assignee, " / ") }
	if cur.GroupID != next.GroupID || cur.AssigneeID != next.AssigneeID {
		add(EventAssignment, who(cur), who(next))
	}
	if cur.ParentID != next.ParentID {
		add(EventParent, cur.Parent, next.Parent)
	}
	if cur.Major != next.Major {
		add(EventMajor, strconv.FormatBool(cur.Major), strconv.FormatBool(next.Major))
	}
	return evs
}

// ShareIncident shares an incident p may see with one user or one team
// (exactly one of user, team), so they see it although it is a security
// incident. Requires auth.IncidentWrite, and auth.IncidentReadRestricted
// for a security incident. The share is audited. Returns every share.
// Errors: Unauthenticated, Forbidden, NotFound, Invalid (unknown user or
// team), Conflict (already shared).
func (s *Service) ShareIncident(ctx context.Context, p auth.Principal, key, user, team string) ([]Share, error) {
	return s.changeShare(ctx, p, key, user, team, true)
}

// UnshareIncident removes a share; same rules as ShareIncident.
// Errors: as ShareIncident, NotFound when it was not shared.
func (s *Service) UnshareIncident(ctx context.Context, p auth.Principal, key, user, team string) ([]Share, error) {
	return s.changeShare(ctx, p, key, user, team, false)
}

func (s *Service) changeShare(ctx context.Context, p auth.Principal, key, user, team string, add bool) ([]Share, error) {
	if err := p.Require(auth.IncidentWrite); err != nil {
		return nil, err
	}
	user, team = auth.NormalizeUsername(user), strings.TrimSpace(team)
	if (user == "") == (team == "") {
		return nil, errs.Field("user", "give a user or a team (one of them)")
	}
	var out []Share
	err := s.t.InTx(ctx, func(tx Tx) error {
		st := tx.Incidents()
		inc, err := find(ctx, st, key, views(p))
		if err != nil {
			return err
		}
		if inc.Security && !p.Can(auth.IncidentReadRestricted) {
			return errs.E(errs.Forbidden, "only a security analyst or an admin shares a security incident")
		}
		sh := Share{IncidentID: inc.ID, User: user, Team: team, CreatedAt: tx.Now()}
		if user != "" {
			ids, err := st.UserIDs(ctx, []string{user}, auth.VisibilityFor(p, auth.KindUser))
			if err != nil {
				return err
			}
			if sh.UserID = ids[user]; sh.UserID == 0 {
				return errs.Field("user", "no user named %q", user)
			}
		} else {
			ids, err := st.TeamIDs(ctx, []string{team}, auth.VisibilityFor(p, auth.KindTeam))
			if err != nil {
				return err
			}
			if sh.TeamID = ids[team]; sh.TeamID == 0 {
				return errs.Field("team", "no team named %q", team)
			}
		}
		// Sharing decides who may read a need-to-know record: a security
		// event, kept where only cleared auditors read it.
		rec := audit.Record{Actor: p.Actor(), Kind: AuditKindShare, Key: inc.Key + ":" + user + team,
			Stream: audit.StreamSecurity, Restricted: inc.Security}
		if add {
			err, rec.Action, rec.After = st.InsertShare(ctx, &sh), audit.ActionCreate, sh
		} else {
			err, rec.Action, rec.Before = st.DeleteShare(ctx, sh), audit.ActionDelete, sh
		}
		if err != nil {
			return err
		}
		if err := tx.Audit().Append(rec); err != nil {
			return err
		}
		out, err = st.Shares(ctx, inc.ID)
		return err
	})
	return out, err
}

// Shares lists who an incident p may see is shared with. Requires
// auth.IncidentWrite. Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) Shares(ctx context.Context, p auth.Principal, key string) ([]Share, error) {
	if err := p.Require(auth.IncidentWrite); err != nil {
		return nil, err
	}
	var out []Share
	err := s.t.View(ctx, func(tx Tx) error {
		inc, err := find(ctx, tx.Incidents(), key, views(p))
		if err != nil {
			return err
		}
		out, err = tx.Incidents().Shares(ctx, inc.ID)
		return err
	})
	return out, err
}

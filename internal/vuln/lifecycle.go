package vuln

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Decision is the human decision behind a finding's state: who moved it
// there, when, why, and for a risk acceptance who approved it until when.
type Decision struct {
	State     State      `json:"state"`
	By        string     `json:"by"`
	At        time.Time  `json:"at"`
	Reason    string     `json:"reason,omitempty"`
	Approver  string     `json:"approver,omitempty"`
	Reviewer  string     `json:"reviewer,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// StateChange asks to move a finding to State. Risk acceptance needs
// Approver, Reason and ExpiresAt (in the future, at most MaxAcceptance
// ahead); false positive needs Reviewer and Reason.
type StateChange struct {
	State     State      `json:"state"`
	Reason    string     `json:"reason" text:"long"`
	Approver  string     `json:"approver"`
	Reviewer  string     `json:"reviewer"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// MaxAcceptance is the longest a risk acceptance may run before it must
// be decided again.
const MaxAcceptance = 366 * 24 * time.Hour

// ChangeState moves a finding through its life cycle by hand:
//   - in_remediation from open or reopened, and open again from
//     in_remediation: auth.FindingWrite (admin, agent, security analyst);
//   - risk_accepted (approver, reason, expiry) and false_positive
//     (reviewer, reason) from an active state, and open again from either:
//     auth.FindingDecide (admin, security analyst).
//
// fixed and reopened are set by imports only. The change and the decision
// are written to the audit log. Errors: Unauthenticated, Forbidden,
// NotFound, Invalid (naming the field), Conflict (a move the finding's
// state does not allow).
func (s *Service) ChangeState(ctx context.Context, p auth.Principal, key string, c StateChange) (Record, error) {
	if err := p.Require(auth.FindingWrite); err != nil {
		return Record{}, err
	}
	decides := c.State == StateRiskAccepted || c.State == StateFalsePositive
	if decides {
		if err := p.Require(auth.FindingDecide); err != nil {
			return Record{}, err
		}
	}
	var fe errs.Fields
	c.Reason, c.Approver, c.Reviewer = strings.TrimSpace(c.Reason), strings.TrimSpace(c.Approver), strings.TrimSpace(c.Reviewer)
	line := func(field, v string, required bool) {
		switch {
		case v == "" && required:
			fe.Add(field, "is required to move a finding to %s", c.State)
		case utf8.RuneCountInString(v) > 2000:
			fe.Add(field, "must be at most 2,000 characters")
		}
	}
	switch c.State {
	case StateOpen, StateInRemediation:
	case StateRiskAccepted:
		line("approver", c.Approver, true)
		line("reason", c.Reason, true)
		if c.ExpiresAt == nil {
			fe.Add("expires_at", "is required: a risk acceptance ends, then the finding reopens")
		}
	case StateFalsePositive:
		line("reviewer", c.Reviewer, true)
		line("reason", c.Reason, true)
	case StateFixed, StateReopened:
		fe.Add("state", "%s is set by scanner imports, not by hand", c.State)
	default:
		fe.Add("state", "must be one of open, in_remediation, risk_accepted, false_positive")
	}
	line("reason", c.Reason, false)
	if err := fe.Err(); err != nil {
		return Record{}, err
	}
	var out Record
	var at time.Time
	err := s.t.InTx(ctx, func(tx Tx) error {
		st, now := tx.Vuln(), tx.Now()
		at = now
		before, err := st.FindFindingByKey(ctx, normalizeKey(key), auth.VisibilityFor(p, auth.KindFinding))
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.NotFound, "no finding %s", normalizeKey(key))
		}
		if err != nil {
			return err
		}
		if err := allowed(p, before.State, c.State); err != nil {
			return err
		}
		if c.State == StateRiskAccepted {
			switch exp := c.ExpiresAt.UTC(); {
			case !exp.After(now):
				return errs.Field("expires_at", "must be in the future")
			case exp.Sub(now) > MaxAcceptance:
				return errs.Field("expires_at", "must be at most a year ahead; accept again when it ends")
			}
		}
		d := Decision{State: c.State, By: p.Actor(), At: now, Reason: c.Reason, Approver: c.Approver, Reviewer: c.Reviewer}
		if c.State == StateRiskAccepted {
			exp := c.ExpiresAt.UTC()
			d.ExpiresAt = &exp
		}
		if err := st.SetState(ctx, before.ID, c.State, d, now); err != nil {
			return err
		}
		out, err = st.FindFindingByKey(ctx, before.Key, auth.VisibilityFor(p, auth.KindFinding))
		if err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionUpdate, Kind: AuditKindFinding, Key: before.Key,
			Before: map[string]any{"state": before.State, "decision": before.Decision},
			After:  map[string]any{"state": out.State, "decision": out.Decision}})
	})
	rs := []Record{out}
	settle(rs, at)
	return rs[0], err
}

// allowed says whether p may move a finding from one state to another.
func allowed(p auth.Principal, from, to State) error {
	ok := false
	switch to {
	case StateInRemediation:
		ok = from == StateOpen || from == StateReopened
	case StateOpen:
		ok = from == StateInRemediation
		if from == StateRiskAccepted || from == StateFalsePositive {
			if err := p.Require(auth.FindingDecide); err != nil {
				return err
			}
			ok = true
		}
	case StateRiskAccepted, StateFalsePositive:
		ok = from.Active()
	}
	if !ok {
		return errs.E(errs.Conflict, "a finding that is %s cannot be moved to %s", from, to)
	}
	return nil
}

// ReopenExpired reopens every risk-accepted finding whose acceptance has
// ended, a batch at a time, each with an audit entry by the system; the
// background runner calls it (a recurring job), and it returns how many
// it reopened.
func (s *Service) ReopenExpired(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		err := s.t.InTx(ctx, func(tx Tx) error {
			st, now := tx.Vuln(), tx.Now()
			expired, err := st.ExpiredExceptionsUnscoped(ctx, now, 500)
			if err != nil {
				return err
			}
			n = len(expired)
			for _, f := range expired {
				d := Decision{State: StateReopened, By: auth.System.Actor(), At: now, Reason: "risk acceptance expired"}
				if err := st.SetState(ctx, f.ID, StateReopened, d, now); err != nil {
					return err
				}
				if err := tx.Audit().Append(audit.Record{Actor: auth.System.Actor(), Action: audit.ActionUpdate, Kind: AuditKindFinding, Key: f.Key,
					Before: map[string]any{"state": StateRiskAccepted}, After: map[string]any{"state": StateReopened, "decision": d}}); err != nil {
					return err
				}
			}
			return nil
		})
		total += n
		if err != nil || n < 500 {
			return total, err
		}
	}
}

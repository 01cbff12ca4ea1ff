package vuln

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// Remediation is one remediation task: the active findings of one CI (or
// of one target no CI matched) that one fix removes — the same package
// upgraded to the same fixed version, or the same rule or plugin dealt
// with — assigned to the CI's support group.
type Remediation struct {
	CI           string     `json:"ci,omitempty"`
	Target       string     `json:"target,omitempty"`
	SupportGroup string     `json:"support_group,omitempty"`
	Package      string     `json:"package,omitempty"`
	FixedVersion string     `json:"fixed_version,omitempty"`
	Identifier   string     `json:"identifier,omitempty"`
	Action       string     `json:"action"`
	Findings     int        `json:"findings"`
	Priority     Priority   `json:"priority"`
	DueAt        *time.Time `json:"due_at"`
	Overdue      bool       `json:"overdue"`
}

// FindRemediations returns the remediation tasks, most urgent first
// (highest priority, then earliest due date), at most limit; only those of
// CI ci when given. Requires auth.FindingRead. Errors: Unauthenticated,
// Forbidden, Invalid (limit).
func (s *Service) FindRemediations(ctx context.Context, p auth.Principal, ci string, limit int) ([]Remediation, error) {
	if err := p.Require(auth.FindingRead); err != nil {
		return nil, err
	}
	var fe errs.Fields
	if limit = paging.Limit(&fe, limit); fe.Err() != nil {
		return nil, fe.Err()
	}
	var out []Remediation
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Vuln().FindRemediations(ctx, normalizeKey(ci), limit, auth.VisibilityFor(p, auth.KindFinding))
		for i := range out {
			r := &out[i]
			r.Overdue = r.DueAt != nil && !tx.Now().Before(*r.DueAt)
			switch {
			case r.Package != "" && r.FixedVersion != "":
				r.Action = "upgrade " + r.Package + " to " + r.FixedVersion
			case r.Package != "":
				r.Action = "upgrade or replace " + r.Package + " (no fixed version known)"
			default:
				r.Action = "fix " + r.Identifier
			}
		}
		return err
	})
	if out == nil {
		out = []Remediation{}
	}
	return out, err
}

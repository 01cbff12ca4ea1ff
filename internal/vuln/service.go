package vuln

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// Record kinds written to the audit log.
const (
	AuditKindImport  = "import"
	AuditKindFinding = "finding"
)

// Service is vulnerability management: imports of scanner reports and
// threat feeds, and every read and change of findings. Each method checks
// permission first, then works in units of work of its own.
type Service struct {
	t      Transactor
	assets Assets
	risk   RiskConfig
	sla    SLAConfig
	chunk  int // findings per import transaction; 0: the store's
}

// NewService returns the service on t (store.Bind(db, vulnstore.Bind)),
// matching targets to CIs through assets, ranking with the default risk
// formula and SLAs (see WithConfig).
func NewService(t Transactor, assets Assets) *Service {
	return &Service{t: t, assets: assets, risk: DefaultRiskConfig(), sla: DefaultSLA()}
}

// WithConfig sets the risk formula and the remediation SLAs.
func (s *Service) WithConfig(risk RiskConfig, sla SLAConfig) *Service {
	s.risk, s.sla = risk, sla
	return s
}

// WithChunk sets how many findings one import transaction takes (0: the
// engine's ChunkRows), for measurements.
func (s *Service) WithChunk(n int) *Service {
	s.chunk = n
	return s
}

// FindFindings returns one page of findings matching f, highest priority
// first. Requires auth.FindingRead (staff). Errors: Unauthenticated,
// Forbidden, Invalid (a filter value, the cursor or the limit, by field).
func (s *Service) FindFindings(ctx context.Context, p auth.Principal, f Filter) (Page, error) {
	if err := p.Require(auth.FindingRead); err != nil {
		return Page{}, err
	}
	var fe errs.Fields
	f.Limit = paging.Limit(&fe, f.Limit)
	for _, pr := range f.Priority {
		if !slices.Contains(Priorities, pr) {
			fe.Add("priority", "unknown priority %q; use P1 to P5", pr)
		}
	}
	for _, st := range f.State {
		if !slices.Contains(States, st) {
			fe.Add("state", "unknown state %q", st)
		}
	}
	f.CI = normalizeKey(f.CI)
	f.CVE = strings.ToUpper(strings.TrimSpace(f.CVE))
	if f.CVE != "" && !IsCVE(f.CVE) {
		fe.Add("cve", "%q is not a CVE id such as CVE-2021-44228", f.CVE)
	}
	if err := fe.Err(); err != nil {
		return Page{}, err
	}
	var page Page
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		page, err = tx.Vuln().FindFindings(ctx, f, auth.VisibilityFor(p, auth.KindFinding))
		settle(page.Items, tx.Now())
		return err
	})
	if page.Items == nil {
		page.Items = []Record{}
	}
	return page, err
}

// FindFinding returns one finding (VUL-n, any case) with everything the
// scanner said. Same callers as FindFindings. Errors: Unauthenticated,
// Forbidden, NotFound (also for a finding the caller may not see).
func (s *Service) FindFinding(ctx context.Context, p auth.Principal, key string) (Record, error) {
	if err := p.Require(auth.FindingRead); err != nil {
		return Record{}, err
	}
	var r Record
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		r, err = tx.Vuln().FindFindingByKey(ctx, normalizeKey(key), auth.VisibilityFor(p, auth.KindFinding))
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.NotFound, "no finding %s", normalizeKey(key))
		}
		settle([]Record{r}, tx.Now())
		return err
	})
	return r, err
}

// settle derives what depends on the time of reading: overdue.
func settle(rs []Record, now time.Time) {
	for i := range rs {
		r := &rs[i]
		r.Overdue = r.State.Active() && r.DueAt != nil && !now.Before(*r.DueAt)
	}
}

func normalizeKey(key string) string { return strings.ToUpper(strings.TrimSpace(key)) }

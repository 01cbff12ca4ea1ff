package jobs

import (
	"context"
	"strconv"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// auditKind is the record kind of job entries in the audit log.
const auditKind = "job"

// Service is the admin side of the queue: see jobs, above all dead ones,
// and send dead jobs back to the queue.
type Service struct{ t Transactor }

// NewService returns the jobs admin service.
func NewService(t Transactor) *Service { return &Service{t: t} }

// FindJobs lists jobs newest first, of one status ("queued", "running",
// "done", "dead") or, with "", all; limit defaults to 50, at most 500.
// Callers: auth.JobsAdmin (admin). Errors: Unauthenticated, Forbidden,
// Invalid (unknown status, negative limit).
func (s *Service) FindJobs(ctx context.Context, p auth.Principal, status string, limit int) ([]Job, error) {
	if err := p.Require(auth.JobsAdmin); err != nil {
		return nil, err
	}
	st := Status(status)
	var fe errs.Fields
	if status != "" && !st.Valid() {
		fe.Add("status", "must be one of queued, running, done, dead")
	}
	limit = paging.Limit(&fe, limit)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var out []Job
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Jobs().FindJobs(ctx, auth.VisibilityFor(p, auth.KindJob), st, limit)
		return err
	})
	return out, err
}

// FindJob returns one job. Callers: auth.JobsAdmin. Errors:
// Unauthenticated, Forbidden, NotFound.
func (s *Service) FindJob(ctx context.Context, p auth.Principal, id int64) (Job, error) {
	if err := p.Require(auth.JobsAdmin); err != nil {
		return Job{}, err
	}
	var j Job
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		j, err = tx.Jobs().FindJob(ctx, auth.VisibilityFor(p, auth.KindJob), id)
		return err
	})
	return j, err
}

// Retry sends a dead job back to the queue, due now with its attempts
// reset, and audits who did it. Callers: auth.JobsAdmin. Errors:
// Unauthenticated, Forbidden, NotFound, Conflict (the job is not dead).
func (s *Service) Retry(ctx context.Context, p auth.Principal, id int64) (Job, error) {
	if err := p.Require(auth.JobsAdmin); err != nil {
		return Job{}, err
	}
	var after Job
	err := s.t.InTx(ctx, func(tx Tx) error {
		before, err := tx.Jobs().FindJob(ctx, auth.VisibilityFor(p, auth.KindJob), id)
		if err != nil {
			return err
		}
		if after, err = tx.Jobs().Requeue(ctx, id, tx.Now()); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: "retry", Kind: auditKind,
			Key: strconv.FormatInt(id, 10), Before: auditView(before), After: auditView(after)})
	})
	return after, err
}

// jobAudit is what the audit log keeps of a job: its state, not its
// payload, which is the domain's business and may be large.
type jobAudit struct {
	Kind        string    `json:"kind"`
	Queue       string    `json:"queue"`
	Status      Status    `json:"status"`
	Attempts    int       `json:"attempts"`
	MaxAttempts int       `json:"max_attempts"`
	RunAt       time.Time `json:"run_at"`
	LastError   string    `json:"last_error,omitempty"`
}

func auditView(j Job) jobAudit {
	return jobAudit{Kind: j.Kind, Queue: j.Queue, Status: j.Status, Attempts: j.Attempts,
		MaxAttempts: j.MaxAttempts, RunAt: j.RunAt, LastError: j.LastError}
}

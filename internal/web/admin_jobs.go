package web

import (
	"net/http"
	"strconv"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// jobListView shows background jobs of one status; dead ones first of
// all, because a job that gave up must never fail silently.
type jobListView struct {
	layout
	Status   string
	Statuses []string
	Jobs     []jobs.Job
}

// jobList lists jobs by status (default dead) for admins.
func (s *server) jobList(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.P.Require(auth.JobsAdmin); err != nil {
		return err
	}
	if s.Jobs == nil {
		return errs.E(errs.NotFound, "background jobs are not run by this server")
	}
	q := r.URL.Query()
	status := q.Get("status")
	if status == "" {
		status = string(jobs.StatusDead)
	}
	list, err := s.Jobs.FindJobs(r.Context(), rq.P, status, paging.FromQuery(q, nil).Limit)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "job_list", jobListView{layout: s.frame(r, rq, "Background jobs", "jobs"),
		Status: status, Statuses: []string{"dead", "queued", "running", "done"}, Jobs: list})
}

// jobRetry sends a dead job back to the queue.
func (s *server) jobRetry(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.P.Require(auth.JobsAdmin); err != nil {
		return err
	}
	if s.Jobs == nil {
		return errs.E(errs.NotFound, "background jobs are not run by this server")
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "no such job")
	}
	if _, err := s.Jobs.Retry(r.Context(), rq.P, id); err != nil {
		return err
	}
	return redirect(w, r, "/admin/jobs", "retried")
}

package httpapi

import (
	"net/http"

	"github.com/rampart-itsm/rampart/internal/jobs"
)

// listJobs: GET /api/v1/jobs?status=dead (admins). Dead jobs are the ones
// that failed every attempt; nothing is dropped silently.
func (a *api) listJobs(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	status := q.oneOf("status", string(jobs.StatusQueued), string(jobs.StatusRunning), string(jobs.StatusDone), string(jobs.StatusDead))
	limit := q.page().Limit // jobs come newest first without a cursor
	if err := q.err(); err != nil {
		return err
	}
	if q.str("status") == "" {
		status = string(jobs.StatusDead)
	}
	list, err := a.d.Jobs.FindJobs(r.Context(), principal(r), status, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf(list))
	return nil
}

// retryJob: POST /api/v1/jobs/{id}/retry (admins) queues a dead job again.
func (a *api) retryJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	j, err := a.d.Jobs.Retry(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

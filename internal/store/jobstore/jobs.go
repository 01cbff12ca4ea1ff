// Package jobstore is the SQL of the jobs table, on the unit of work of
// internal/store: a job enqueued in a unit of work commits or rolls back
// with the domain write beside it.
package jobstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
)

// Bind returns the jobs practice's view of the unit of work tx, for
// store.Bind(db, jobstore.Bind).
func Bind(tx *store.Tx) jobs.Tx { return unit{tx} }

// unit is the unit of work with the jobs store added.
type unit struct{ *store.Tx }

// Jobs returns the jobs table bound to this unit of work.
func (u unit) Jobs() jobs.Store { return &jobsStore{u.Tx} }

// jobsStore implements jobs.Store.
type jobsStore struct{ tx *store.Tx }

const jobColumns = `id, queue, kind, payload, status, attempts, max_attempts, run_at, locked_by, locked_until, last_error, unique_key, created_at, updated_at`

func scanJob(sc store.Scanner) (jobs.Job, error) {
	var j jobs.Job
	var payload string
	var lockedBy, lastError, uniqueKey sql.NullString
	err := sc.Scan(&j.ID, &j.Queue, &j.Kind, &payload, &j.Status, &j.Attempts, &j.MaxAttempts, store.ScanTime(&j.RunAt),
		&lockedBy, store.ScanTime(&j.LockedUntil), &lastError, &uniqueKey, store.ScanTime(&j.CreatedAt), store.ScanTime(&j.UpdatedAt))
	j.Payload = []byte(payload)
	j.LockedBy, j.LastError, j.UniqueKey = lockedBy.String, lastError.String, uniqueKey.String
	return j, err
}

// Enqueue inserts a job. With a UniqueKey already held by a queued or
// running job it inserts nothing and returns 0 (ON CONFLICT DO NOTHING:
// safe when replicas race, where a check-then-insert would not be).
func (s *jobsStore) Enqueue(ctx context.Context, nj jobs.NewJob) (int64, error) {
	if s.tx.ReadOnly() {
		return 0, errors.New("enqueue in a read-only transaction")
	}
	p, err := jobs.Prepare(nj, s.tx.Now())
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.tx.QueryRow(ctx, `INSERT INTO jobs (queue, kind, payload, status, attempts, max_attempts, run_at, unique_key, created_at, updated_at)
		VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $7, $7)
		ON CONFLICT (unique_key) DO NOTHING
		RETURNING id`,
		p.Queue, p.Kind, string(p.Payload), p.MaxAttempts, store.At(p.RunAt), store.Null(p.UniqueKey), store.At(s.tx.Now())).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, store.MapError(fmt.Errorf("enqueue %s job: %w", p.Kind, err))
	}
	s.wake()
	return id, nil
}

// Claim marks up to c.Limit due jobs running for c.Worker. On PostgreSQL
// the inner SELECT locks the rows it picks and skips rows other runners
// hold, so concurrent claimers never wait on or take each other's jobs;
// the outer WHERE repeats the due test so a row changed by a concurrent
// commit is re-checked before it is taken. SQLite has one writer, so the
// statement runs alone and SkipLocked is empty.
func (s *jobsStore) Claim(ctx context.Context, c jobs.Claim) ([]jobs.Job, error) {
	const due = `(status = 'queued' AND run_at <= $3) OR (status = 'running' AND locked_until <= $3)`
	rows, err := s.tx.Query(ctx, `UPDATE jobs SET status = 'running', attempts = attempts + 1,
			locked_by = $1, locked_until = $2, updated_at = $3
		WHERE id IN (SELECT id FROM jobs WHERE queue = $4 AND (`+due+`) ORDER BY run_at, id LIMIT $5`+s.tx.Dialect().SkipLocked+`)
			AND (`+due+`)
		RETURNING `+jobColumns,
		c.Worker, store.At(c.Now.Add(c.Lease)), store.At(c.Now), c.Queue, c.Limit)
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	defer rows.Close()
	var out []jobs.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("read claimed job: %w", err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, store.MapError(err)
	}
	// RETURNING order is unspecified: run in due order.
	slices.SortFunc(out, func(a, b jobs.Job) int {
		if c := a.RunAt.Compare(b.RunAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out, nil
}

// Release records one attempt's outcome if the claim still holds. Done and
// dead jobs give up their unique key, so a recurring kind can be scheduled
// again.
func (s *jobsStore) Release(ctx context.Context, r jobs.Release) (bool, error) {
	if r.Status != jobs.StatusQueued && r.Status != jobs.StatusDone && r.Status != jobs.StatusDead {
		return false, fmt.Errorf("release job %d: cannot release to status %q", r.ID, r.Status)
	}
	keepKey := r.Status == jobs.StatusQueued
	res, err := s.tx.Exec(ctx, `UPDATE jobs SET status = $1, run_at = $2, attempts = $3,
			last_error = COALESCE($4, last_error),
			unique_key = CASE WHEN $5 THEN unique_key END,
			locked_by = NULL, locked_until = NULL, updated_at = $6
		WHERE id = $7 AND status = 'running' AND locked_by = $8 AND attempts = $9`,
		string(r.Status), store.At(r.RunAt), r.Attempts, store.Null(r.Error), keepKey, store.At(r.Now), r.ID, r.Worker, r.Attempt)
	if err != nil {
		return false, fmt.Errorf("release job %d: %w", r.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("release job %d: %w", r.ID, err)
	}
	if n > 0 && r.Status == jobs.StatusQueued {
		s.tx.AfterCommit(jobs.Notify)
	}
	return n > 0, nil
}

// jobVisibility is what visibility means for jobs: all or nothing.
var jobVisibility = store.Columns{Kind: auth.KindJob}

// FindJobs lists jobs v covers newest first, optionally of one status.
func (s *jobsStore) FindJobs(ctx context.Context, v auth.Visibility, status jobs.Status, limit int) ([]jobs.Job, error) {
	var q store.Query
	q.And(store.Visible(&q, v, jobVisibility))
	if status != "" {
		q.And("status = " + q.Arg(string(status)))
	}
	rows, err := s.tx.Query(ctx, `SELECT `+jobColumns+` FROM jobs`+q.Where()+` ORDER BY id DESC LIMIT `+q.Arg(limit), q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("find jobs: %w", err)
	}
	defer rows.Close()
	out := []jobs.Job{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("read job: %w", err)
		}
		out = append(out, j)
	}
	return out, store.MapError(rows.Err())
}

// FindJob returns one job v covers; NotFound when there is none with that
// id.
func (s *jobsStore) FindJob(ctx context.Context, v auth.Visibility, id int64) (jobs.Job, error) {
	var q store.Query
	q.And("id = " + q.Arg(id))
	q.And(store.Visible(&q, v, jobVisibility))
	j, err := scanJob(s.tx.QueryRow(ctx, `SELECT `+jobColumns+` FROM jobs`+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return j, errs.E(errs.NotFound, "job %d not found", id)
	}
	return j, store.MapError(err)
}

// Requeue turns a dead job into a queued one due at now. Its last error
// stays for the record until the next attempt replaces it. A dead job has
// no unique key, so a retried recurring job runs once and is then done.
func (s *jobsStore) Requeue(ctx context.Context, id int64, now time.Time) (jobs.Job, error) {
	j, err := scanJob(s.tx.QueryRow(ctx, `UPDATE jobs SET status = 'queued', attempts = 0, run_at = $1, updated_at = $1
		WHERE id = $2 AND status = 'dead'
		RETURNING `+jobColumns, store.At(now), id))
	if errors.Is(err, sql.ErrNoRows) {
		cur, ferr := s.FindJob(ctx, auth.Unrestricted("why a requeue found nothing to change"), id)
		if ferr != nil {
			return jobs.Job{}, ferr
		}
		return jobs.Job{}, errs.E(errs.Conflict, "job %d is %s; only dead jobs can be retried", id, cur.Status)
	}
	if err != nil {
		return jobs.Job{}, store.MapError(fmt.Errorf("requeue job %d: %w", id, err))
	}
	s.wake()
	return j, nil
}

// wake asks that runners look for work once this unit commits: in this
// process through a commit hook, in the others through a notification.
func (s *jobsStore) wake() {
	s.tx.AfterCommit(jobs.Notify)
	s.tx.Notify(jobs.Channel)
}

// NextDue reads the earliest claimable time of queue: two index lookups
// on jobs_due (queue, status, run_at) and the few running rows.
func (s *jobsStore) NextDue(ctx context.Context, queue string) (time.Time, error) {
	var queued, leased time.Time
	err := s.tx.QueryRow(ctx, `SELECT
			(SELECT MIN(run_at) FROM jobs WHERE queue = $1 AND status = 'queued'),
			(SELECT MIN(locked_until) FROM jobs WHERE queue = $1 AND status = 'running')`, queue).
		Scan(store.ScanTime(&queued), store.ScanTime(&leased))
	if err != nil {
		return time.Time{}, store.MapError(fmt.Errorf("next due job: %w", err))
	}
	if queued.IsZero() || (!leased.IsZero() && leased.Before(queued)) {
		return leased, nil
	}
	return queued, nil
}

// HeldKeys returns which of keys a queued or running job holds (done and
// dead jobs have given theirs up).
func (s *jobsStore) HeldKeys(ctx context.Context, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var q store.Query
	rows, err := s.tx.Query(ctx, `SELECT unique_key FROM jobs WHERE unique_key IN `+store.InList(&q, keys), q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("held job keys: %w", err)
	}
	return store.Collect(rows, func(sc store.Scanner) (k string, err error) { return k, sc.Scan(&k) })
}

// Purge deletes up to limit finished jobs of status changed before
// before, oldest first, through the jobs_finished index.
func (s *jobsStore) Purge(ctx context.Context, status jobs.Status, before time.Time, limit int) (int, error) {
	if status != jobs.StatusDone && status != jobs.StatusDead {
		return 0, fmt.Errorf("purge jobs: only done and dead jobs are purged, not %q", status)
	}
	res, err := s.tx.Exec(ctx, `DELETE FROM jobs WHERE id IN (
			SELECT id FROM jobs WHERE status = $1 AND updated_at < $2 ORDER BY updated_at LIMIT $3)`,
		string(status), store.At(before), limit)
	if err != nil {
		return 0, fmt.Errorf("purge %s jobs: %w", status, err)
	}
	n, err := res.RowsAffected()
	return int(n), store.MapError(err)
}

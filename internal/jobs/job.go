package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// Status is where a job is in its life.
type Status string

// Job statuses. A job moves queued → running → done, or back to queued
// after a failure, or to dead after its last attempt failed.
const (
	StatusQueued  Status = "queued"
	StatusRunning Status = "running"
	StatusDone    Status = "done"
	StatusDead    Status = "dead"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusQueued, StatusRunning, StatusDone, StatusDead:
		return true
	}
	return false
}

// Defaults for NewJob fields left empty.
const (
	DefaultQueue       = "default"
	DefaultMaxAttempts = 5
)

// Job is a stored job.
type Job struct {
	ID          int64           `json:"id"`
	Queue       string          `json:"queue"`
	Kind        string          `json:"kind"`
	Payload     json.RawMessage `json:"payload"`
	Status      Status          `json:"status"`
	Attempts    int             `json:"attempts"`
	MaxAttempts int             `json:"max_attempts"`
	RunAt       time.Time       `json:"run_at"`
	LockedBy    string          `json:"locked_by,omitempty"`
	LockedUntil time.Time       `json:"locked_until,omitzero"`
	LastError   string          `json:"last_error,omitempty"`
	UniqueKey   string          `json:"unique_key,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// Decode unmarshals the job's payload into v.
func (j Job) Decode(v any) error {
	if err := json.Unmarshal(j.Payload, v); err != nil {
		return fmt.Errorf("job %d (%s): decode payload: %w", j.ID, j.Kind, err)
	}
	return nil
}

// NewJob is a job to enqueue. Payload is JSON-marshalled; like audit
// states, it must not carry secrets, because admins read it.
type NewJob struct {
	Queue       string // default "default"
	Kind        string // required: names the handler
	Payload     any
	RunAt       time.Time // zero = now
	MaxAttempts int       // zero = 5
	// UniqueKey, when set, admits at most one queued or running job with
	// this key: a second Enqueue returns id 0 and inserts nothing. The key
	// is released when the job is done or dead.
	UniqueKey string
}

// Kind declares a kind of job: the name its handler is registered under
// and the queue its jobs wait in. Each queue has its own runner loop, so
// jobs that may be slow (calling a webhook) get a queue of their own and
// never hold up the others (SLA checks in the default queue).
type Kind struct {
	Name  string
	Queue string // "" = DefaultQueue
}

// Job returns a NewJob of this kind, in its queue, carrying payload.
func (k Kind) Job(payload any) NewJob {
	return NewJob{Kind: k.Name, Queue: k.queue(), Payload: payload}
}

func (k Kind) queue() string {
	if k.Queue == "" {
		return DefaultQueue
	}
	return k.Queue
}

// Prepared is a NewJob checked and completed with defaults, as the store
// inserts it.
type Prepared struct {
	Queue, Kind, UniqueKey string
	Payload                []byte
	RunAt                  time.Time
	MaxAttempts            int
}

// Prepare checks j and fills in defaults; now is the unit of work's time.
// Errors: Invalid naming the field.
func Prepare(j NewJob, now time.Time) (Prepared, error) {
	var fe errs.Fields
	if j.Kind == "" {
		fe.Add("kind", "is required")
	}
	if j.MaxAttempts < 0 {
		fe.Add("max_attempts", "must not be negative")
	}
	payload := []byte("{}")
	if j.Payload != nil {
		b, err := json.Marshal(j.Payload)
		if err != nil {
			fe.Add("payload", "cannot be encoded as JSON: %v", err)
		}
		payload = b
	}
	if err := fe.Err(); err != nil {
		return Prepared{}, err
	}
	p := Prepared{Queue: j.Queue, Kind: j.Kind, UniqueKey: j.UniqueKey, Payload: payload, RunAt: j.RunAt, MaxAttempts: j.MaxAttempts}
	if p.Queue == "" {
		p.Queue = DefaultQueue
	}
	if p.RunAt.IsZero() {
		p.RunAt = now
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	return p, nil
}

// Enqueuer adds jobs inside a unit of work, so a job commits with the
// domain write that needs it.
type Enqueuer interface {
	// Enqueue stores j and returns its id, or 0 when j.UniqueKey is taken.
	// Errors: Invalid.
	Enqueue(ctx context.Context, j NewJob) (int64, error)
}

// Claim asks for up to Limit due jobs of Queue for Worker.
type Claim struct {
	Queue, Worker string
	Now           time.Time
	Lease         time.Duration
	Limit         int
}

// Release ends one attempt of a claimed job. It applies only while the
// job is still running under Worker's claim of attempt Attempt; a runner
// whose lease expired and whose job was claimed again changes nothing.
type Release struct {
	ID       int64
	Worker   string
	Attempt  int
	Status   Status    // queued (retry or next run), done or dead
	RunAt    time.Time // when queued again
	Attempts int       // attempts to store: Attempt, or 0 to start over (recurring)
	Error    string    // recorded as last_error when set
	Now      time.Time
}

// Store is the jobs table, bound to one unit of work.
type Store interface {
	Enqueuer
	// Claim marks due jobs running: queued ones whose run_at has come and
	// running ones whose lease expired (their runner died). Each claim
	// adds an attempt and sets locked_by and locked_until = Now + Lease.
	Claim(ctx context.Context, c Claim) ([]Job, error)
	// Release records an attempt's outcome; false when the claim was lost.
	Release(ctx context.Context, r Release) (bool, error)
	// FindJobs lists the jobs v covers newest first, of one status or
	// ("") all.
	FindJobs(ctx context.Context, v auth.Visibility, status Status, limit int) ([]Job, error)
	// FindJob returns one job v covers. Errors: NotFound.
	FindJob(ctx context.Context, v auth.Visibility, id int64) (Job, error)
	// Requeue turns a dead job into a queued one due at now, with its
	// attempts reset. Errors: NotFound, Conflict when it is not dead.
	Requeue(ctx context.Context, id int64, now time.Time) (Job, error)
	// NextDue is the earliest time a job of queue can be claimed: the
	// run_at of a queued job or the lease end of a running one; zero when
	// the queue holds neither. A read: an idle runner asks it instead of
	// trying to claim.
	NextDue(ctx context.Context, queue string) (time.Time, error)
	// HeldKeys returns which of keys a queued or running job holds.
	HeldKeys(ctx context.Context, keys []string) ([]string, error)
	// Purge deletes up to limit jobs of status (done or dead) last changed
	// before before, oldest first, and returns how many it deleted.
	Purge(ctx context.Context, status Status, before time.Time, limit int) (int, error)
}

// Tx is the unit of work jobs run in (bound by internal/store/jobstore).
type Tx interface {
	uow.Unit
	Jobs() Store
}

// Transactor runs units of work.
type Transactor interface {
	InTx(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
}

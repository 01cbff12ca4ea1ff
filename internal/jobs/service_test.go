package jobs_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// deadJob enqueues a job that fails once and is then dead.
func deadJob(t *testing.T, g *rig, kind string) int64 {
	t.Helper()
	id := g.enqueue(t, jobs.NewJob{Kind: kind, MaxAttempts: 1})
	g.runOnce(t)
	if j := g.job(t, id); j.Status != jobs.StatusDead {
		t.Fatalf("job = %+v, want dead", j)
	}
	return id
}

func TestAdminRetriesADeadJob(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		fixed := false
		g.runner.Handle("export", func(context.Context, jobs.Job) error {
			if !fixed {
				return errors.New("disk full")
			}
			return nil
		})
		id := deadJob(t, g, "export")
		svc := jobs.NewService(bind(db))
		clk.Advance(time.Hour)
		fixed = true
		j, err := svc.Retry(context.Background(), admin, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != jobs.StatusQueued || j.Attempts != 0 || !j.RunAt.Equal(clk.Now()) || j.LastError != "disk full" {
			t.Errorf("retried job = %+v", j)
		}
		if n := g.runOnce(t); n != 1 {
			t.Fatalf("retried job not run: %d", n)
		}
		if j := g.job(t, id); j.Status != jobs.StatusDone || j.Attempts != 1 {
			t.Errorf("after retry: %+v", j)
		}
		var entries []audit.Entry
		err = db.View(context.Background(), func(tx *store.Tx) error {
			return tx.AuditLog().EachEntry(context.Background(), func(e audit.Entry) error { entries = append(entries, e); return nil })
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Actor != "root" || entries[0].Action != "retry" || entries[0].Kind != "job" ||
			entries[0].Key != strconv.FormatInt(id, 10) || len(entries[0].Changes) == 0 {
			t.Errorf("audit = %+v", entries)
		}
	})
}

func TestRetryRefusesJobsThatAreNotDead(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		queued := g.enqueue(t, jobs.NewJob{Kind: "waiting", RunAt: clk.Now().Add(time.Hour)})
		svc := jobs.NewService(bind(db))
		if _, err := svc.Retry(context.Background(), admin, queued); !errs.Is(err, errs.Conflict) {
			t.Errorf("retry queued job = %v, want conflict", err)
		}
		if _, err := svc.Retry(context.Background(), admin, queued+100); !errs.Is(err, errs.NotFound) {
			t.Errorf("retry missing job = %v, want not found", err)
		}
		if _, err := svc.FindJob(context.Background(), admin, queued+100); !errs.Is(err, errs.NotFound) {
			t.Errorf("find missing job = %v, want not found", err)
		}
	})
}

func TestFindJobsByStatus(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		g.runner.Handle("ok", func(context.Context, jobs.Job) error { return nil })
		dead := deadJob(t, g, "broken")
		done := g.enqueue(t, jobs.NewJob{Kind: "ok"})
		g.runOnce(t)
		later := g.enqueue(t, jobs.NewJob{Kind: "ok", RunAt: clk.Now().Add(time.Hour)})
		svc := jobs.NewService(bind(db))
		tests := []struct {
			status string
			limit  int
			want   []int64
		}{
			{"", 0, []int64{later, done, dead}},
			{"", 2, []int64{later, done}},
			{"dead", 0, []int64{dead}},
			{"done", 0, []int64{done}},
			{"queued", 0, []int64{later}},
			{"running", 0, nil},
		}
		for _, tc := range tests {
			got, err := svc.FindJobs(context.Background(), admin, tc.status, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, j := range got {
				ids = append(ids, j.ID)
			}
			if len(ids) != len(tc.want) || (len(ids) > 0 && ids[0] != tc.want[0]) || (len(ids) > 1 && ids[len(ids)-1] != tc.want[len(tc.want)-1]) {
				t.Errorf("FindJobs(%q, %d) = %v, want %v", tc.status, tc.limit, ids, tc.want)
			}
		}
		for _, bad := range []struct {
			status string
			limit  int
			field  string
		}{{"failed", 0, "status"}, {"", -1, "limit"}} {
			_, err := svc.FindJobs(context.Background(), admin, bad.status, bad.limit)
			if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid || e.Fields[0].Field != bad.field {
				t.Errorf("FindJobs(%q, %d) = %v, want invalid %s", bad.status, bad.limit, err, bad.field)
			}
		}
	})
}

func TestJobsAdminIsForAdminsOnly(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		g := newRig(t, db, clk, "w1")
		id := deadJob(t, g, "broken")
		svc := jobs.NewService(bind(db))
		tests := []struct {
			name string
			p    auth.Principal
			want errs.Kind
		}{
			{"auditor", auditor, errs.Forbidden},
			{"agent", agent, errs.Forbidden},
			{"requester", requester, errs.Forbidden},
			{"nobody", auth.Principal{}, errs.Unauthenticated},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := svc.FindJobs(context.Background(), tc.p, "dead", 0); errs.KindOf(err) != tc.want {
					t.Errorf("FindJobs = %v, want %s", err, tc.want)
				}
				if _, err := svc.FindJob(context.Background(), tc.p, id); errs.KindOf(err) != tc.want {
					t.Errorf("FindJob = %v, want %s", err, tc.want)
				}
				if _, err := svc.Retry(context.Background(), tc.p, id); errs.KindOf(err) != tc.want {
					t.Errorf("Retry = %v, want %s", err, tc.want)
				}
			})
		}
		if j := g.job(t, id); j.Status != jobs.StatusDead {
			t.Errorf("a denied retry changed the job: %+v", j)
		}
	})
}

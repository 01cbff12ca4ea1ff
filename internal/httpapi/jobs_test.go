package httpapi

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
)

// A job that failed its last attempt is listed as dead and an admin can
// queue it again; the answers match the document.
func TestDeadJobRetry(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		var id int64
		err := e.db.InTx(ctx, func(tx *store.Tx) (err error) {
			id, err = jobstore.Bind(tx).Jobs().Enqueue(ctx, jobs.NewJob{Kind: "test.fail", MaxAttempts: 1, Payload: map[string]string{"host": "db-01"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		runner := jobs.NewRunner(store.Bind(e.db, jobstore.Bind), e.clk, "test")
		runner.Handle("test.fail", func(context.Context, jobs.Job) error { return errors.New("mail server refused") })
		if _, err := runner.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/jobs/" + strconv.FormatInt(id, 10) + "/retry"
		e.run(t, newValidator(t, e), []step{
			{name: "dead jobs", q: req{as: asAdmin, method: "GET", path: "/api/v1/jobs"}, want: 200, contains: []string{`"status":"dead"`, "mail server refused"}},
			{name: "agent cannot retry", q: req{as: asAgent, method: "POST", path: path}, want: 403},
			{name: "retry", q: req{as: asAdmin, method: "POST", path: path}, want: 200, contains: []string{`"status":"queued"`}},
			{name: "retry again", q: req{as: asAdmin, method: "POST", path: path}, want: 409},
			{name: "none dead", q: req{as: asAdmin, method: "GET", path: "/api/v1/jobs?status=dead"}, want: 200, contains: []string{`"total":0`}},
			{name: "queued", q: req{as: asAdmin, method: "GET", path: "/api/v1/jobs?status=queued"}, want: 200, contains: []string{`"kind":"test.fail"`}},
			{name: "bad status", q: req{as: asAdmin, method: "GET", path: "/api/v1/jobs?status=lost"}, want: 400, contains: []string{`"field":"status"`}},
		})
	})
}

// Without a jobs service the job routes do not exist.
func TestNoJobRoutesWithoutJobs(t *testing.T) {
	e := &env{t: t, h: New(Deps{})}
	e.must(req{method: "GET", path: "/api/v1/jobs"}, 404)
	e.must(req{method: "POST", path: "/api/v1/jobs/1/retry"}, 404)
	var doc struct{ Paths map[string]any }
	e.must(req{method: "GET", path: "/api/v1/openapi.json"}, 200).decode(t, &doc)
	if _, ok := doc.Paths["/api/v1/jobs"]; ok {
		t.Error("job routes documented without a jobs service")
	}
}

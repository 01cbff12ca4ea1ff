package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
)

// A job that gave up shows on the admins' jobs page with its error, and
// an admin sends it back to the queue; nobody else sees or retries it.
func TestDeadJobsVisibleAndRetriedByAdmins(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		var id int64
		err := e.db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			id, err = jobstore.Bind(tx).Jobs().Enqueue(ctx, jobs.NewJob{Kind: "notify.unknown", MaxAttempts: 1})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		runner := jobs.NewRunner(store.Bind(e.db, jobstore.Bind), e.db.Clock(), "web-test")
		if _, err := runner.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		row := `#job-table tr[data-job="` + strconv.FormatInt(id, 10) + `"]`

		e.user("ann", auth.RoleAgent)
		agent := e.login("ann")
		rec, _ := agent.get("/admin/jobs")
		wantStatus(t, rec, http.StatusForbidden)
		wantStatus(t, agent.post("/admin/jobs/"+strconv.FormatInt(id, 10)+"/retry", nil), http.StatusForbidden)

		e.user("root", auth.RoleAdmin)
		admin := e.login("root")
		doc := admin.mustGet("/admin/jobs")
		if doc.Find(`.nav a[href="/admin/jobs"]`).Length() != 1 {
			t.Error("admins have no link to the jobs page")
		}
		dead := doc.Find(row)
		if dead.Length() != 1 || !strings.Contains(dead.Text(), "notify.unknown") || dead.Find(`form button`).Length() != 1 {
			t.Fatalf("dead job row: %q", dead.Text())
		}
		if strings.TrimSpace(dead.Find("td.muted").Text()) == "" {
			t.Error("the dead job's last error is not shown")
		}
		wantStatus(t, admin.post("/admin/jobs/"+strconv.FormatInt(id, 10)+"/retry", nil), http.StatusSeeOther)
		if admin.mustGet("/admin/jobs").Find(row).Length() != 0 {
			t.Error("the retried job is still listed as dead")
		}
		if admin.mustGet("/admin/jobs?status=queued").Find(row).Length() != 1 {
			t.Error("the retried job is not queued")
		}
	})
}

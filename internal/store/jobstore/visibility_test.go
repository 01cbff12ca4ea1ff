package jobstore_test

import (
	"context"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/authstore"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
	vt "github.com/rampart-itsm/rampart/internal/storetest/visibilitytest"
)

// The jobs store shows jobs to job admins only, in lists and lookups.
func TestStoreQueriesApplyVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		viewers := vt.Users(t, ctx, auth.NewService(store.Bind(db, authstore.Bind), clock.Real{}), nil)
		bound := store.Bind(db, jobstore.Bind)
		var id int64
		if err := bound.InTx(ctx, func(tx jobs.Tx) (err error) {
			id, err = tx.Jobs().Enqueue(ctx, jobs.NewJob{Kind: "vtmarker-job"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		read := func(t *testing.T, v vt.Viewer, fn func(jobs.Store, auth.Visibility) (bool, error)) bool {
			return vt.InView(t, bound, func(tx jobs.Tx) (bool, error) { return fn(tx.Jobs(), auth.VisibilityFor(v.P, auth.KindJob)) })
		}
		vt.Run(t, viewers, vt.Kind{Name: "queued job", Marker: "vtmarker-job", Sees: []string{"admin"}, Reads: []vt.Read{
			{Name: "FindJobs", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, func(st jobs.Store, vis auth.Visibility) (bool, error) {
					js, err := st.FindJobs(ctx, vis, jobs.StatusQueued, 100)
					return vt.Contains("vtmarker-job", js), err
				})
			}},
			{Name: "FindJob", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, func(st jobs.Store, vis auth.Visibility) (bool, error) {
					j, err := st.FindJob(ctx, vis, id)
					return j.ID == id, err
				})
			}},
		}})
	})
}

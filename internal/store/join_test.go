package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/authstore"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// An outer unit of work writes a CI through the CMDB's store, joins the
// auth practice to create a team and the jobs practice to enqueue a job in
// the same transaction, each practice through its own Tx interface.
// Committed, both records, both audit entries and the job exist and the
// chain verifies; when the outer function fails after every write,
// nothing remains (record, entry or job) and no AfterCommit hook ran.
func TestJoinComposesPracticesInOneTransaction(t *testing.T) {
	for _, tc := range []struct {
		name    string
		outer   error
		entries int64
	}{
		{"commit keeps both", nil, 2},
		{"outer error rolls back both", errors.New("fail after both writes"), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				cmdbTx, authTx, jobsTx := store.Bind(db, cmdbstore.Bind), store.Bind(db, authstore.Bind), store.Bind(db, jobstore.Bind)
				var key string
				hooks := 0
				err := cmdbTx.InTx(ctx, func(tx cmdb.Tx) error {
					n, err := tx.NextKeys(ctx, "CI", 1)
					if err != nil {
						return err
					}
					key = fmt.Sprintf("CI-%d", n)
					ci := &cmdb.CI{Key: key, Name: "joined app", Kind: cmdb.KindApplication, Criticality: 3,
						Version: 1, CreatedAt: tx.Now(), UpdatedAt: tx.Now()}
					if err := tx.CMDB().InsertCIs(ctx, []*cmdb.CI{ci}); err != nil {
						return err
					}
					if err := tx.Audit().Append(audit.Record{Actor: "t", Action: "create", Kind: "ci", Key: key, After: ci}); err != nil {
						return err
					}
					err = authTx.Join(tx, func(atx auth.Tx) error {
						if !atx.Now().Equal(tx.Now()) {
							t.Errorf("joined unit time %v, outer %v: not one unit of work", atx.Now(), tx.Now())
						}
						atx.AfterCommit(func() { hooks++ })
						team, err := atx.Auth().InsertTeam(ctx, auth.Team{Name: "joined-team"})
						if err != nil {
							return err
						}
						return atx.Audit().Append(audit.Record{Actor: "t", Action: "create", Kind: "team", Key: team.Name, After: team})
					})
					if err != nil {
						return err
					}
					err = jobsTx.Join(tx, func(jtx jobs.Tx) error {
						_, err := jtx.Jobs().Enqueue(ctx, jobs.NewJob{Kind: "notify.owner", Payload: map[string]string{"ci": key}})
						return err
					})
					if err != nil {
						return err
					}
					return tc.outer
				})
				if !errors.Is(err, tc.outer) {
					t.Fatalf("InTx = %v, want %v", err, tc.outer)
				}
				wantHooks := 0
				if tc.outer == nil {
					wantHooks = 1
				}
				if hooks != wantHooks {
					t.Errorf("AfterCommit of the joined practice ran %d times, want %d", hooks, wantHooks)
				}
				exists := func(err error) bool {
					if err != nil && !errs.Is(err, errs.NotFound) {
						t.Fatal(err)
					}
					return err == nil
				}
				var ciThere, teamThere bool
				var queued []jobs.Job
				if err := cmdbTx.View(ctx, func(tx cmdb.Tx) error {
					_, err := tx.CMDB().FindCIByKey(ctx, key, auth.Unrestricted("test"))
					ciThere = exists(err)
					return authTx.Join(tx, func(atx auth.Tx) error {
						_, err := atx.Auth().FindTeam(ctx, auth.Unrestricted("test"), auth.Unrestricted("test"), "joined-team")
						teamThere = exists(err)
						return nil
					})
				}); err != nil {
					t.Fatal(err)
				}
				if err := jobsTx.View(ctx, func(jtx jobs.Tx) error {
					var err error
					queued, err = jtx.Jobs().FindJobs(ctx, auth.Unrestricted("test"), jobs.StatusQueued, 10)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				want := tc.outer == nil
				if ciThere != want || teamThere != want || (len(queued) == 1) != want {
					t.Errorf("CI stored %v, team stored %v, jobs queued %d; want all stored: %v", ciThere, teamThere, len(queued), want)
				}
				var n int64
				if err := db.View(ctx, func(tx *store.Tx) error {
					var err error
					n, err = audit.Verify(ctx, tx.AuditLog())
					return err
				}); err != nil {
					t.Fatal(err)
				}
				if n != tc.entries {
					t.Errorf("audit log holds %d entries, want %d", n, tc.entries)
				}
			})
		})
	}
}

// fakeUnit is a unit of work that no database handed out.
type fakeUnit struct{ uow.Unit }

// Join refuses what it cannot run on, before fn runs; a unit from View
// stays read-only through Join.
func TestJoinRefusesForeignEndedAndReadOnlyUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		other := storetest.Open(t, storetest.Backends(t)[0])
		authTx := store.Bind(db, authstore.Bind)
		var ended *store.Tx
		if err := db.InTx(ctx, func(tx *store.Tx) error { ended = tx; return nil }); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			run  func(fn func(auth.Tx) error) error
		}{
			{"unit of another database", func(fn func(auth.Tx) error) error {
				return other.InTx(ctx, func(tx *store.Tx) error { return authTx.Join(tx, fn) })
			}},
			{"unit already ended", func(fn func(auth.Tx) error) error { return authTx.Join(ended, fn) }},
			{"unit not from a store", func(fn func(auth.Tx) error) error { return authTx.Join(fakeUnit{}, fn) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ran := false
				err := tc.run(func(auth.Tx) error { ran = true; return nil })
				if err == nil || ran {
					t.Fatalf("Join = %v, fn ran %v: want an error before fn runs", err, ran)
				}
			})
		}
		t.Run("read-only unit", func(t *testing.T) {
			err := db.View(ctx, func(tx *store.Tx) error {
				return authTx.Join(tx, func(atx auth.Tx) error {
					_, err := atx.Auth().InsertTeam(ctx, auth.Team{Name: "from-a-view"})
					return err
				})
			})
			if err == nil {
				t.Fatal("a write through Join on a View unit succeeded")
			}
		})
	})
}

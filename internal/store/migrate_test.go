package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// Several replicas starting together must migrate once, not fail or apply
// a migration twice.
func TestConcurrentMigrateAppliesOnce(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			target := storetest.Empty(t, backend)
			const replicas = 4
			applied := make([]int, replicas)
			errs := make([]error, replicas)
			var wg sync.WaitGroup
			for i := range replicas {
				wg.Add(1)
				go func() {
					defer wg.Done()
					db, err := store.Open(context.Background(), target, clock.Real{})
					if err != nil {
						errs[i] = err
						return
					}
					defer db.Close()
					applied[i], errs[i] = db.Migrate(context.Background())
				}()
			}
			wg.Wait()
			total := 0
			for i := range replicas {
				if errs[i] != nil {
					t.Fatalf("replica %d: %v", i, errs[i])
				}
				total += applied[i]
			}
			db := storetest.OpenExisting(t, target)
			want := countMigrations(t, db)
			if total != want {
				t.Fatalf("replicas applied %d migrations in total, want each of the %d exactly once", total, want)
			}
		})
	}
}

func countMigrations(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

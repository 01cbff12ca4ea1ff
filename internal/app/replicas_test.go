package app_test

import (
	"context"
	"sync"
	"testing"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// Two replicas on one database: they start together on an empty database,
// and what one writes the other reads, because nothing durable lives in a
// process. Keys and the audit chain stay consistent across both.
func TestReplicasShareOneDatabase(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			target := storetest.Empty(t, backend)
			replicas := make([]*app.App, 2)
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i := range replicas {
				wg.Add(1)
				go func() {
					defer wg.Done()
					replicas[i], errs[i] = app.Open(ctx, app.Config{Target: target, Worker: "replica"})
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("replica %d: %v", i, err)
				}
				t.Cleanup(func() { replicas[i].Close() })
			}
			created := 0
			for i := range replicas {
				_, ok, err := replicas[i].Auth.Bootstrap(ctx)
				if err != nil {
					t.Fatalf("bootstrap on replica %d: %v", i, err)
				}
				if ok {
					created++
				}
			}
			if created != 1 {
				t.Fatalf("first admin created %d times, want once", created)
			}
			var keys []string
			for i := 0; i < 10; i++ {
				r := replicas[i%2]
				ci, err := r.CMDB.CreateCI(ctx, auth.System, cmdb.CI{Name: "replica-host", Kind: cmdb.KindServer, Criticality: 3})
				if err != nil {
					t.Fatal(err)
				}
				keys = append(keys, ci.Key)
			}
			seen := map[string]bool{}
			for _, k := range keys {
				if seen[k] {
					t.Fatalf("key %s handed out twice across replicas", k)
				}
				seen[k] = true
				if _, err := replicas[1].CMDB.FindCIByKey(ctx, auth.System, k); err != nil {
					t.Fatalf("replica 1 cannot read %s: %v", k, err)
				}
			}
			n, err := replicas[0].Audit.VerifyFull(ctx)
			if err != nil {
				t.Fatalf("audit chain after writes from two replicas: %v", err)
			}
			if n < int64(len(keys)) {
				t.Fatalf("audit chain has %d entries, want at least %d", n, len(keys))
			}
		})
	}
}

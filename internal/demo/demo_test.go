package demo_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/demo"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// The demo estate is what a newcomer judges Rampart by: it must load once,
// and impact analysis on it must tell the story it was built for.
func TestDemoEstate(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			a, err := app.Open(ctx, app.Config{Target: storetest.Target(t, backend)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			accounts, loaded, err := demo.Load(ctx, a)
			if err != nil || !loaded {
				t.Fatalf("first load: loaded=%v err=%v", loaded, err)
			}
			// Each demo user signs in with the one-time password Load
			// returned, once: it must be changed, and differs per user.
			seen := map[string]bool{}
			for _, acct := range accounts {
				if _, _, err := a.Auth.Login(ctx, acct.Username, acct.Password); err != nil {
					t.Errorf("%s cannot sign in with the printed password: %v", acct.Username, err)
				}
				u, err := a.Auth.FindUserByName(ctx, auth.System, acct.Username)
				if err != nil || !u.MustChangePassword || !slices.Equal(u.Roles, acct.Roles) || seen[acct.Password] {
					t.Errorf("%s: %+v %v (one-time password, roles %v)", acct.Username, u, err, acct.Roles)
				}
				seen[acct.Password] = true
			}
			if len(accounts) != 7 {
				t.Errorf("%d demo accounts, want 7", len(accounts))
			}
			if again, loaded, err := demo.Load(ctx, a); err != nil || loaded || again != nil {
				t.Fatalf("second load: loaded=%v err=%v accounts=%v, want nothing loaded", loaded, err, again)
			}
			sw := findByName(t, a, auth.System, "core-sw-01")
			impact, err := a.CMDB.Impact(ctx, auth.System, sw.Key, cmdb.Direction("downstream"), 0)
			if err != nil {
				t.Fatal(err)
			}
			var services []string
			for _, n := range impact.Services {
				services = append(services, n.CI.Name)
			}
			slices.Sort(services)
			want := []string{"Customer Support Portal", "Online Banking", "Payroll"}
			if !slices.Equal(services, want) {
				t.Fatalf("a core switch failure reaches services %v, want %v", services, want)
			}

			dave, err := a.Auth.FindUserByName(ctx, auth.System, "dave")
			if err != nil {
				t.Fatal(err)
			}
			requester := auth.Principal{UserID: dave.ID, Username: "dave", Roles: dave.Roles}
			page, err := a.CMDB.FindCIs(ctx, requester, cmdb.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != 1 || len(page.Items) != 1 || page.Items[0].Name != "LT-DAVE-01" {
				t.Fatalf("requester dave sees %d CIs (%v), want only his laptop", page.Total, page.Items)
			}
			if n, err := a.Audit.VerifyFull(ctx); err != nil || n == 0 {
				t.Fatalf("audit after demo load: %d entries, %v", n, err)
			}
		})
	}
}

func findByName(t *testing.T, a *app.App, p auth.Principal, name string) cmdb.CI {
	t.Helper()
	page, err := a.CMDB.FindCIs(context.Background(), p, cmdb.Filter{Query: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, ci := range page.Items {
		if ci.Name == name {
			return ci
		}
	}
	t.Fatalf("no CI named %s", name)
	return cmdb.CI{}
}

// Replicas started together with --demo: one loads, the others step aside
// without failing.
func TestDemoLoadedOnceByReplicasStartingTogether(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			target := storetest.Target(t, backend)
			replicas := make([]*app.App, 2)
			for i := range replicas {
				a, err := app.Open(ctx, app.Config{Target: target})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { a.Close() })
				replicas[i] = a
			}
			loaded := make([]bool, len(replicas))
			errs := make([]error, len(replicas))
			var wg sync.WaitGroup
			for i, a := range replicas {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, loaded[i], errs[i] = demo.Load(ctx, a)
				}()
			}
			wg.Wait()
			n := 0
			for i := range replicas {
				if errs[i] != nil {
					t.Fatalf("replica %d: %v", i, errs[i])
				}
				if loaded[i] {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("demo data loaded %d times, want once", n)
			}
		})
	}
}

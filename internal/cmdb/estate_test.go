package cmdb_test

import (
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/cmdbtest"
)

// The benchmark estate, small: the generator must load what it says and
// the graph must have the layers impact analysis is measured on.
func TestGenerateEstate(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		const n = 2000
		est, err := cmdbtest.GenerateEstate(e.ctx, bind(e.db), n, 7)
		if err != nil {
			t.Fatal(err)
		}
		if est.CIs != n || e.count("cis") != n || est.Relations != 3*n || e.count("ci_relations") != 3*n {
			t.Fatalf("estate %d CIs / %d relations; tables %d / %d", est.CIs, est.Relations, e.count("cis"), e.count("ci_relations"))
		}
		if len(est.Keys[cmdb.KindBusinessService]) != 10 || len(est.Keys[cmdb.KindVirtualMachine]) != 1000 {
			t.Fatalf("kinds: %d services, %d VMs", len(est.Keys[cmdb.KindBusinessService]), len(est.Keys[cmdb.KindVirtualMachine]))
		}
		// Every server is under some business service.
		imp, err := e.svc.Impact(e.ctx, auth.System, est.Keys[cmdb.KindServer][0], cmdb.Downstream, cmdb.MaxImpactDepth)
		if err != nil {
			t.Fatal(err)
		}
		if len(imp.Services) == 0 {
			t.Fatalf("server %s supports no service (%d nodes)", imp.Root.Key, len(imp.Nodes))
		}
		up, err := e.svc.Impact(e.ctx, auth.System, imp.Services[0].CI.Key, cmdb.Upstream, cmdb.MaxImpactDepth)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range up.Nodes {
			found = found || n.CI.Key == imp.Root.Key
		}
		if !found {
			t.Fatalf("service %s is not built on %s, which it needs", imp.Services[0].CI.Key, imp.Root.Key)
		}
	})
}

// Package cmdbtest generates CMDB data for benchmarks, load tests and
// demos: a whole estate loaded straight through the store in one unit of
// work (no per-CI service calls, no audit entries), and import candidates
// shaped like a CSV export.
package cmdbtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// Estate is what GenerateEstate loaded: the keys of the CIs of each kind,
// in creation order, and how many relations link them.
type Estate struct {
	Keys      map[cmdb.Kind][]string
	CIs       int
	Relations int
}

// share is how an estate of n CIs divides into kinds, in layers from
// business services down to the network.
var share = []struct {
	kind    cmdb.Kind
	permill int
}{
	{cmdb.KindBusinessService, 5}, {cmdb.KindApplication, 50}, {cmdb.KindDatabase, 20},
	{cmdb.KindVirtualMachine, 500}, {cmdb.KindContainer, 250}, {cmdb.KindCluster, 5},
	{cmdb.KindServer, 150}, {cmdb.KindNetworkDevice, 20},
}

// GenerateEstate loads n CIs and about 3n relations shaped like a real
// estate: business services depend on applications, applications depend
// on databases and on each other and run on VMs and containers, VMs are
// hosted on servers, containers run on clusters that depend on servers,
// servers and VMs connect to network devices, which connect to each other
// (cycles), plus cross links between applications, containers and VMs.
// Every relation reads "source needs target". The same seed gives the same
// estate. It writes through the store in one unit of work and bypasses the
// service, so nothing is audited: for benchmarks and demo data only.
func GenerateEstate(ctx context.Context, t cmdb.Transactor, n int, seed uint64) (Estate, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	est := Estate{Keys: map[cmdb.Kind][]string{}}
	err := t.InTx(ctx, func(tx cmdb.Tx) error {
		st := tx.CMDB()
		first, err := tx.NextKeys(ctx, "CI", n)
		if err != nil {
			return err
		}
		now := tx.Now()
		cis := make([]*cmdb.CI, 0, n)
		byKind := map[cmdb.Kind][]*cmdb.CI{}
		for i, sh := range share {
			count := n * sh.permill / 1000
			if i == len(share)-1 {
				count = n - len(cis) // the rounding remainder goes to the last layer
			}
			for j := 0; j < count; j++ {
				num := first + int64(len(cis))
				name := fmt.Sprintf("%s-%06d", sh.kind, j)
				ci := &cmdb.CI{Key: fmt.Sprintf("CI-%d", num), Name: name, Kind: sh.kind, Environment: "production",
					Criticality: 1 + rng.IntN(5), DataClassification: "internal", LifecycleStatus: "operational",
					Version: 1, CreatedAt: now, UpdatedAt: now, Tags: []string{}, Attributes: map[string]any{}}
				switch sh.kind {
				case cmdb.KindServer, cmdb.KindVirtualMachine, cmdb.KindNetworkDevice, cmdb.KindContainer:
					ci.Identifiers.Hostnames = []string{name}
				}
				cis = append(cis, ci)
				byKind[sh.kind] = append(byKind[sh.kind], ci)
			}
		}
		if err := st.InsertCIs(ctx, cis); err != nil {
			return err
		}
		for k, list := range byKind {
			for _, ci := range list {
				est.Keys[k] = append(est.Keys[k], ci.Key)
			}
		}
		est.CIs = len(cis)
		rels := relate(rng, byKind, 3*n, now)
		est.Relations = len(rels)
		return st.InsertRelations(ctx, rels)
	})
	return est, err
}

type edge struct {
	src, dst int64
	typ      cmdb.RelationType
}

// relate draws the relations between the layers, then pads with cross
// links up to want.
func relate(rng *rand.Rand, by map[cmdb.Kind][]*cmdb.CI, want int, now time.Time) []*cmdb.Relation {
	seen := map[edge]bool{}
	var out []*cmdb.Relation
	add := func(src, dst *cmdb.CI, typ cmdb.RelationType) {
		if src == nil || dst == nil {
			return // a layer too small to exist in a tiny estate
		}
		e := edge{src.ID, dst.ID, typ}
		if src.ID == dst.ID || seen[e] {
			return
		}
		seen[e] = true
		out = append(out, &cmdb.Relation{SourceID: src.ID, TargetID: dst.ID, Type: typ, Source: src.Key, Target: dst.Key, CreatedAt: now})
	}
	pick := func(list []*cmdb.CI) *cmdb.CI {
		if len(list) == 0 {
			return nil
		}
		return list[rng.IntN(len(list))]
	}
	// near picks from list close to position i of n, so neighbouring CIs
	// share infrastructure the way a rack or a team's services do.
	near := func(list []*cmdb.CI, i, n int) *cmdb.CI {
		if len(list) == 0 {
			return nil
		}
		c := i * len(list) / max(n, 1)
		j := c + rng.IntN(9) - 4
		return list[min(max(j, 0), len(list)-1)]
	}
	svc, app, db := by[cmdb.KindBusinessService], by[cmdb.KindApplication], by[cmdb.KindDatabase]
	vm, ctr, cl := by[cmdb.KindVirtualMachine], by[cmdb.KindContainer], by[cmdb.KindCluster]
	srv, net := by[cmdb.KindServer], by[cmdb.KindNetworkDevice]

	for i, a := range app {
		add(near(svc, i, len(app)), a, cmdb.RelDependsOn)
		if rng.IntN(5) == 0 {
			add(pick(svc), a, cmdb.RelDependsOn) // shared by a second service
		}
		add(a, near(db, i, len(app)), cmdb.RelDependsOn)
		add(a, near(app, i, len(app)), cmdb.RelDependsOn) // neighbours in a team's portfolio; cycles included
		if rng.IntN(10) == 0 {
			add(a, pick(app), cmdb.RelDependsOn) // a shared platform far away
		}
	}
	for i, v := range vm {
		add(near(app, i, len(vm)), v, cmdb.RelRunsOn)
		add(v, near(srv, i, len(vm)), cmdb.RelHostedOn)
		add(v, near(net, i, len(vm)), cmdb.RelConnectsTo)
	}
	for i, d := range db {
		add(d, near(vm, i, len(db)), cmdb.RelRunsOn)
	}
	for i, c := range ctr {
		add(near(app, i, len(ctr)), c, cmdb.RelRunsOn)
		add(c, near(cl, i, len(ctr)), cmdb.RelRunsOn)
		add(c, near(ctr, i, len(ctr)), cmdb.RelDependsOn)
	}
	for i, s := range srv {
		if rng.IntN(3) == 0 {
			add(near(cl, i, len(srv)), s, cmdb.RelDependsOn)
		}
		add(s, near(net, i, len(srv)), cmdb.RelConnectsTo)
		add(s, pick(net), cmdb.RelConnectsTo)
	}
	for i, d := range net {
		for k := 0; k < 3; k++ {
			add(d, near(net, i, len(net)), cmdb.RelConnectsTo)
		}
	}
	// Pad to want with links inside a neighbourhood (a tier of VMs, the
	// containers of one deployment, applications of one team), and one in
	// a hundred across the estate.
	for tries := 0; len(out) < want && tries < 4*want; tries++ {
		layer := [][]*cmdb.CI{vm, app, ctr}[rng.IntN(3)]
		if len(layer) == 0 {
			continue
		}
		i := rng.IntN(len(layer))
		if rng.IntN(100) == 0 {
			add(layer[i], pick(layer), cmdb.RelDependsOn)
		} else {
			add(layer[i], near(layer, i, len(layer)), cmdb.RelDependsOn)
		}
	}
	if len(out) > want {
		out = out[:want]
	}
	return out
}

// searchWords name CIs the way estates do: a domain, a role, a number.
var (
	searchDomains = []string{"core", "edge", "payments", "banking", "hr", "crm", "erp", "mail", "dns", "vpn",
		"billing", "orders", "search", "identity", "logistics", "analytics", "backup", "monitoring", "storage", "print"}
	searchRoles = []string{"sw", "rtr", "fw", "db", "api", "web", "cache", "lb", "queue", "worker", "vm", "host"}
)

// GenerateNamed loads n CIs without relations, named like an estate's
// ("banking-db-0412", "core-sw-0017"), each with a host name, an FQDN and
// an IP, through the store in units of work of 10,000 (nothing audited):
// data for search benchmarks. The same seed gives the same names.
func GenerateNamed(ctx context.Context, t cmdb.Transactor, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const chunk = 10_000
	for start := 0; start < n; start += chunk {
		count := min(chunk, n-start)
		err := t.InTx(ctx, func(tx cmdb.Tx) error {
			first, err := tx.NextKeys(ctx, "CI", count)
			if err != nil {
				return err
			}
			now := tx.Now()
			cis := make([]*cmdb.CI, count)
			for j := range cis {
				i := start + j
				name := fmt.Sprintf("%s-%s-%04d", searchDomains[rng.IntN(len(searchDomains))],
					searchRoles[rng.IntN(len(searchRoles))], i%10_000)
				cis[j] = &cmdb.CI{Key: fmt.Sprintf("CI-%d", first+int64(j)), Name: name, Kind: cmdb.KindServer,
					Environment: "production", Criticality: 1 + rng.IntN(5), DataClassification: "internal",
					LifecycleStatus: "operational", Version: 1, CreatedAt: now, UpdatedAt: now,
					Identifiers: cmdb.Identifiers{Hostnames: []string{fmt.Sprintf("%s-%d", name, i/10_000)},
						FQDNs: []string{fmt.Sprintf("%s-%d.dc%d.example.net", name, i/10_000, i%4)},
						IPs:   []string{fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)}},
					Tags: []string{}, Attributes: map[string]any{}}
			}
			return tx.CMDB().InsertCIs(ctx, cis)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

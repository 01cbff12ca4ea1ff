package cmdb_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/cmdbtest"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// Run with
//
//	go test ./internal/cmdb -run '^$' -bench . -benchtime 5x
//
// (set RAMPART_TEST_POSTGRES to include PostgreSQL). Figures are reported
// as CIs/s for imports and ms/query for impact analysis.

// importBatch is how many candidates one benchmarked import carries.
const importBatch = 10_000

// BenchmarkImport measures reconciliation of CSV-shaped candidates: new
// hosts (every row creates a CI with three identifiers, a tag and an audit
// entry), the same file again (every row unchanged), and the same hosts
// with a changed field (every row updates its CI).
func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	for _, backend := range storetest.Backends(b) {
		b.Run(backend+"/create", func(b *testing.B) {
			svc := cmdb.NewService(bind(storetest.Open(b, backend)))
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				cands := cmdbtest.CSVCandidates(i*importBatch, importBatch, "production")
				b.StartTimer()
				c0 := cpuTime()
				rep, err := svc.Import(ctx, auth.System, cmdb.ImportRequest{Format: "csv", Candidates: cands})
				cpu += cpuTime() - c0
				if err != nil || rep.Created != importBatch {
					b.Fatalf("created %d, %v", rep.Created, err)
				}
			}
			reportRate(b, cpu)
		})
		for _, tc := range []struct {
			name, env string
			want      func(cmdb.ImportReport) int
		}{
			{"unchanged", "production", func(r cmdb.ImportReport) int { return r.Unchanged }},
			{"update", "", func(r cmdb.ImportReport) int { return r.Updated }},
		} {
			b.Run(backend+"/"+tc.name, func(b *testing.B) {
				svc := cmdb.NewService(bind(storetest.Open(b, backend)))
				if _, err := svc.Import(ctx, auth.System, cmdb.ImportRequest{Format: "csv",
					Candidates: cmdbtest.CSVCandidates(0, importBatch, "production")}); err != nil {
					b.Fatal(err)
				}
				var cpu time.Duration
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					env := tc.env
					if env == "" { // alternate, so every run changes every CI
						env = []string{"staging", "production"}[i%2]
					}
					cands := cmdbtest.CSVCandidates(0, importBatch, env)
					b.StartTimer()
					c0 := cpuTime()
					rep, err := svc.Import(ctx, auth.System, cmdb.ImportRequest{Format: "csv", Candidates: cands})
					cpu += cpuTime() - c0
					if err != nil || tc.want(rep) != importBatch {
						b.Fatalf("report %+v, %v", rep, err)
					}
				}
				reportRate(b, cpu)
			})
		}
	}
}

// BenchmarkImpact measures impact analysis on a generated estate of
// 100,000 CIs and 300,000 relations, from roots in each layer.
func BenchmarkImpact(b *testing.B) {
	ctx := context.Background()
	for _, backend := range storetest.Backends(b) {
		b.Run(backend, func(b *testing.B) {
			db := storetest.Open(b, backend)
			est, err := cmdbtest.GenerateEstate(ctx, bind(db), 100_000, 1)
			if err != nil {
				b.Fatal(err)
			}
			analyze(b, db)
			b.Logf("%s: %d CIs, %d relations", backend, est.CIs, est.Relations)
			svc := cmdb.NewService(bind(db))
			for _, q := range []struct {
				name string
				kind cmdb.Kind
				dir  cmdb.Direction
			}{
				{"downstream-server", cmdb.KindServer, cmdb.Downstream},
				{"downstream-vm", cmdb.KindVirtualMachine, cmdb.Downstream},
				{"downstream-database", cmdb.KindDatabase, cmdb.Downstream},
				{"downstream-network", cmdb.KindNetworkDevice, cmdb.Downstream},
				{"upstream-service", cmdb.KindBusinessService, cmdb.Upstream},
				{"upstream-application", cmdb.KindApplication, cmdb.Upstream},
			} {
				keys := est.Keys[q.kind]
				b.Run(q.name, func(b *testing.B) {
					nodes, edges, truncated := 0, 0, 0
					cpu0 := cpuTime()
					for i := 0; i < b.N; i++ {
						imp, err := svc.Impact(ctx, auth.System, keys[(i*7919)%len(keys)], q.dir, 0)
						if err != nil {
							b.Fatal(err)
						}
						nodes += len(imp.Nodes)
						edges += len(imp.Edges)
						if imp.Truncated {
							truncated++
						}
					}
					b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/query")
					b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/query")
					b.ReportMetric(float64(nodes)/float64(b.N), "nodes/query")
					b.ReportMetric(float64(edges)/float64(b.N), "edges/query")
					b.ReportMetric(float64(truncated)/float64(b.N), "truncated/query")
				})
			}
		})
	}
}

// reportRate reports CIs per second of wall time and of this process's
// CPU time.
func reportRate(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(importBatch*b.N)/b.Elapsed().Seconds(), "CIs/s")
	if cpu > 0 {
		b.ReportMetric(float64(importBatch*b.N)/cpu.Seconds(), "CIs/cpu-s")
	}
}

// cpuTime is the CPU time this process has used (all threads, user and
// system). Benchmarks report it beside wall time because the machine they
// run on is often shared: wall time then includes waiting for a core, CPU
// time does not. On PostgreSQL it leaves out the server's share.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFindCIs measures list pages (with their total count) on the
// same 100,000-CI estate: what the CI list in the UI and the API ask for.
func BenchmarkFindCIs(b *testing.B) {
	ctx := context.Background()
	for _, backend := range storetest.Backends(b) {
		b.Run(backend, func(b *testing.B) {
			db := storetest.Open(b, backend)
			if _, err := cmdbtest.GenerateEstate(ctx, bind(db), 100_000, 1); err != nil {
				b.Fatal(err)
			}
			analyze(b, db)
			svc := cmdb.NewService(bind(db))
			first, err := svc.FindCIs(ctx, auth.System, cmdb.Filter{})
			if err != nil {
				b.Fatal(err)
			}
			for _, q := range []struct {
				name string
				f    cmdb.Filter
			}{
				{"first-page", cmdb.Filter{}},
				{"second-page", cmdb.Filter{Cursor: first.NextCursor}},
				{"name-prefix", cmdb.Filter{Query: "Virtual_machine-0123"}},
				{"identifier-prefix", cmdb.Filter{Query: "server-0001"}},
				{"key", cmdb.Filter{Query: "CI-4242"}},
				{"kind", cmdb.Filter{Kind: cmdb.KindDatabase}},
				{"kind-and-criticality", cmdb.Filter{Kind: cmdb.KindServer, MinCriticality: 5}},
			} {
				b.Run(q.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						page, err := svc.FindCIs(ctx, auth.System, q.f)
						if err != nil || len(page.Items) == 0 {
							b.Fatalf("%d items, %v", len(page.Items), err)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
				})
			}
		})
	}
}

// analyze refreshes planner statistics after the bulk load, as autovacuum
// would shortly after on a real PostgreSQL server.
func analyze(b *testing.B, db *store.DB) {
	if db.Dialect.Name != "postgres" {
		return
	}
	if _, err := db.SQL().Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSearchAt1M measures CMDB search (one list page with its total,
// as the UI and the API's ?q= ask for it) among 1,000,000 CIs named like an
// estate's, each with a host name, an FQDN and an IP. Loading takes
// minutes, so it runs only when asked for:
//
//	go test ./internal/cmdb -run '^$' -bench SearchAt1M -benchtime 20x -timeout 60m
func BenchmarkSearchAt1M(b *testing.B) {
	ctx := context.Background()
	for _, backend := range storetest.Backends(b) {
		b.Run(backend, func(b *testing.B) {
			db := storetest.Open(b, backend)
			t0 := time.Now()
			if err := cmdbtest.GenerateNamed(ctx, bind(db), 1_000_000, 1); err != nil {
				b.Fatal(err)
			}
			analyze(b, db)
			b.Logf("%s: loaded 1,000,000 CIs in %s", backend, time.Since(t0).Round(time.Second))
			svc := cmdb.NewService(bind(db))
			for _, q := range []struct{ name, query string }{
				{"word-5pct", "banking"},         // one domain in twenty: ~50,000 CIs
				{"substring-rare", "sw-0123"},    // ~100 CIs
				{"full-name", "orders-api-0412"}, // a few CIs
				{"two-words", "banking 0412"},    // a few CIs
				{"ip-middle", "12.34"},           // a few hundred
				{"fqdn-middle", "7.dc3.example"}, // ~25,000
				{"no-match", "mainframe"},        // nothing
				{"key", "CI-424242"},             // one CI
				{"short-prefix", "db"},           // two characters: start of name
			} {
				b.Run(q.name, func(b *testing.B) {
					found := 0
					for i := 0; i < b.N; i++ {
						page, err := svc.FindCIs(ctx, auth.System, cmdb.Filter{Query: q.query})
						if err != nil {
							b.Fatal(err)
						}
						found = page.Total
					}
					b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
					b.ReportMetric(float64(found), "matches")
				})
			}
		})
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// BenchmarkCIListAt100k measures one CMDB list page, filtered and not, with
// 100,000 CIs in the database: the page must not slow down as the CMDB
// grows. Run: go test ./internal/web -run '^$' -bench CIList -benchtime 50x
func BenchmarkCIListAt100k(b *testing.B) {
	for _, backend := range storetest.Backends(b) {
		b.Run(backend, func(b *testing.B) {
			e := newEnv(b, storetest.Open(b, backend))
			e.user("ann", auth.RoleAgent)
			const n = 100_000
			kinds := []cmdb.Kind{cmdb.KindServer, cmdb.KindVirtualMachine, cmdb.KindDatabase, cmdb.KindApplication}
			for start := 0; start < n; start += 10_000 {
				cands := make([]cmdb.Candidate, 0, 10_000)
				for i := start; i < start+10_000; i++ {
					name, kind, crit := fmt.Sprintf("host-%06d", i), kinds[i%len(kinds)], 1+i%5
					ip := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
					cands = append(cands, cmdb.Candidate{Row: i + 1, Label: name,
						Identifiers: cmdb.Identifiers{Hostnames: []string{name}, IPs: []string{ip}},
						Fields:      cmdb.Update{Name: &name, Kind: &kind, Criticality: &crit}})
				}
				if _, err := e.cmdb.Import(context.Background(), auth.System, cmdb.ImportRequest{Format: "json", Candidates: cands}); err != nil {
					b.Fatal(err)
				}
			}
			c := e.login("ann")
			for _, path := range []string{"/cis", "/cis?kind=database&min_criticality=4", "/cis?q=host-0999", "/cis?q=10.1.2"} {
				b.Run(path, func(b *testing.B) {
					for b.Loop() {
						rec, _ := c.get(path)
						if rec.Code != http.StatusOK {
							b.Fatalf("status %d", rec.Code)
						}
					}
				})
			}
		})
	}
}

package importer_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer/importertest"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// BenchmarkImportFile measures a whole discovery import as a user runs it:
// file bytes in, parsed, reconciled and committed with an audit entry per
// CI, into an empty CMDB. Each iteration imports 100,000 hosts into a fresh
// database, so one iteration is the figure to read (-benchtime 1x):
//
//	go test ./internal/cmdb/importer -run '^$' -bench ImportFile -benchtime 1x
func BenchmarkImportFile(b *testing.B) {
	const hosts = 100_000
	files := []struct {
		format string
		data   []byte
	}{
		{"csv", importertest.CSV(hosts)},
		{"nmap", importertest.NmapXML(hosts)},
	}
	for _, backend := range storetest.Backends(b) {
		for _, f := range files {
			b.Run(backend+"/"+f.format, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					db := storetest.Open(b, backend)
					svc := cmdb.NewService(store.Bind(db, cmdbstore.Bind))
					b.StartTimer()
					// As the server does: the file is read through twice
					// (checked, then applied in chunks), streaming.
					src := func(yield func(cmdb.Candidate) error) error {
						return importer.Each(f.format, bytes.NewReader(f.data), yield)
					}
					rep, err := svc.Import(context.Background(), auth.System, cmdb.ImportRequest{Format: f.format, Source: src})
					if err != nil || rep.Created != hosts {
						b.Fatalf("created %d of %d: %v", rep.Created, hosts, err)
					}
				}
				b.ReportMetric(float64(hosts*b.N)/b.Elapsed().Seconds(), "CIs/s")
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/file")
			})
		}
	}
}

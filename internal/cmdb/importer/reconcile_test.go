package importer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer/importertest"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// TestImportRealScansTwice feeds the candidates of every real scan to the
// CMDB's reconciliation on both databases: all are accepted, the scans of
// one lab host (IPv4 and IPv6, different ports) end in one CI matched by
// its MAC address, and importing a scan again changes nothing. It
// proves the parser's output is what reconciliation needs, beyond parsing.
func TestImportRealScansTwice(t *testing.T) {
	files := []string{"localhost-sV.xml", "localhost-sV-O.xml", "localhost6-sV.xml", "lab-sV-O.xml",
		"lab-top100-sV.xml", "lab-ping-sn.xml", "lab6-sV.xml", "lab-Pn.xml"}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := cmdb.NewService(store.Bind(db, cmdbstore.Bind))
		run := func(name string) cmdb.ImportReport {
			f, err := os.Open(filepath.Join("testdata", "nmap", name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cands, err := importer.Parse("nmap", f)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := svc.Import(ctx, auth.System, cmdb.ImportRequest{Format: "nmap", Filename: name, Candidates: cands, Strict: true})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return rep
		}
		// Each scan, imported again right after itself, changes nothing.
		// (Different scans of one host do change it: the latest says which
		// ports are open.)
		for _, name := range files {
			run(name)
			if rep := run(name); rep.Created+rep.Updated+rep.Rejected != 0 || rep.Unchanged == 0 {
				t.Errorf("%s again: created %d, updated %d, rejected %d, unchanged %d; want all unchanged",
					name, rep.Created, rep.Updated, rep.Rejected, rep.Unchanged)
			}
		}
		page, err := svc.FindCIs(ctx, auth.System, cmdb.Filter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		// 127.0.0.1 "localhost", ::1, web01 (10.77.0.11, fd77::11), build02
		var names []string
		for _, ci := range page.Items {
			names = append(names, ci.Name)
			if ci.Kind != cmdb.KindServer {
				t.Errorf("%s: kind %s", ci.Name, ci.Kind)
			}
		}
		slices.Sort(names)
		if want := []string{"::1", "build02", "localhost", "web01"}; !slices.Equal(names, want) {
			t.Fatalf("CIs %q, want %q", names, want)
		}
		for _, ci := range page.Items {
			if ci.Name == "web01" && !slices.Equal(ci.Identifiers.IPs, []string{"10.77.0.11", "fd77::11"}) {
				t.Errorf("web01 IPs %v: IPv4 and IPv6 scans not merged", ci.Identifiers.IPs)
			}
		}
	})
}

// TestImportCSVThenJSON: the CSV and JSON descriptions of the same CIs are
// the same to reconciliation: after the CSV import, the JSON import (and
// the CSV again) leave every CI unchanged.
func TestImportCSVThenJSON(t *testing.T) {
	const n = 40
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := cmdb.NewService(store.Bind(db, cmdbstore.Bind))
		for i, f := range []struct {
			format string
			data   []byte
		}{{"csv", importertest.CSV(n)}, {"json", importertest.JSON(n)}, {"csv", importertest.CSV(n)}} {
			cands, err := importer.Parse(f.format, bytes.NewReader(f.data))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := svc.Import(ctx, auth.System, cmdb.ImportRequest{Format: f.format, Candidates: cands, Strict: true})
			if err != nil {
				t.Fatalf("%s: %v", f.format, err)
			}
			want := [4]int{0, 0, n, 0} // created, updated, unchanged, rejected
			if i == 0 {
				want = [4]int{n, 0, 0, 0}
			}
			if got := [4]int{rep.Created, rep.Updated, rep.Unchanged, rep.Rejected}; got != want {
				t.Errorf("import %d (%s): created, updated, unchanged, rejected = %v, want %v", i+1, f.format, got, want)
			}
		}
	})
}

package importer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// The fuzz targets check that no input makes a parser panic, and that what
// it returns keeps its promises: either candidates or an Invalid/TooLarge
// error, never both; rows numbered upwards from 1 with a label; and
// identifiers of clean rows already in the CMDB's canonical form. Seeds:
// the committed corpus in testdata/fuzz/<target> plus, for nmap, every real
// scan in testdata/nmap.

func FuzzParseNmapXML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "nmap", "*.xml"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		scan, err := importer.DecodeNmap(bytes.NewReader(data))
		checkResult(t, scan.Candidates, err)
		if err != nil && (scan.Candidates != nil || scan.Skipped != nil) {
			t.Fatalf("error %v with a partial scan", err)
		}
		for _, s := range scan.Skipped {
			if s.Row < 1 || s.Label == "" || s.Reason == "" {
				t.Fatalf("skipped host without row, label or reason: %+v", s)
			}
		}
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		cands, err := importer.ParseCSV(bytes.NewReader(data))
		checkResult(t, cands, err)
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		cands, err := importer.ParseJSON(bytes.NewReader(data))
		checkResult(t, cands, err)
	})
}

func checkResult(t *testing.T, cands []cmdb.Candidate, err error) {
	t.Helper()
	if err != nil {
		if k := errs.KindOf(err); k != errs.Invalid && k != errs.TooLarge {
			t.Fatalf("error of kind %s: %v", k, err)
		}
		if cands != nil {
			t.Fatalf("error %v with %d candidates", err, len(cands))
		}
		return
	}
	last := 0
	for _, c := range cands {
		if c.Row <= last || c.Label == "" {
			t.Fatalf("row %d after %d, label %q", c.Row, last, c.Label)
		}
		last = c.Row
		if len(c.Problems) > 0 {
			continue
		}
		var fe errs.Fields
		if ids := cmdb.NormalizeIdentifiers(c.Identifiers, "", &fe); len(fe) > 0 || !reflect.DeepEqual(ids, canonical(c.Identifiers)) {
			t.Fatalf("row %d: identifiers %+v not canonical (%v)", c.Row, c.Identifiers, fe)
		}
	}
}

// canonical is ids with empty lists as nil, as NormalizeIdentifiers
// returns them.
func canonical(ids cmdb.Identifiers) cmdb.Identifiers {
	for _, l := range []*[]string{&ids.Hostnames, &ids.FQDNs, &ids.IPs, &ids.MACs} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	return ids
}

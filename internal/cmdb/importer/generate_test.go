package importer_test

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer/importertest"
)

// TestGeneratedNmapXML: generated hosts parse exactly like the real hosts
// they were copied from, apart from their identifiers.
func TestGeneratedNmapXML(t *testing.T) {
	real := decodeFile(t, "lab-top100-sV.xml").Candidates // web01, build02
	const n = 5
	data := importertest.NmapXML(n)
	if !bytes.Equal(data, importertest.NmapXML(n)) {
		t.Fatal("NmapXML is not deterministic")
	}
	scan, err := importer.DecodeNmap(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(scan.Candidates) != n || len(scan.Skipped) != 0 {
		t.Fatalf("%d candidates, %d skipped", len(scan.Candidates), len(scan.Skipped))
	}
	for i, c := range scan.Candidates {
		fqdn := importertest.HostName(i)
		short, _, _ := strings.Cut(fqdn, ".")
		oui := []string{"52:54:00", "08:00:27"}[i%2]
		want := cmdb.Identifiers{Hostnames: []string{short}, FQDNs: []string{fqdn},
			IPs: []string{fmt.Sprintf("10.0.0.%d", i+1)}, MACs: []string{fmt.Sprintf("%s:00:00:%02x", oui, i+1)}}
		if !reflect.DeepEqual(c.Identifiers, want) || len(c.Problems) > 0 {
			t.Errorf("host %d: %+v %v, want %+v", i, c.Identifiers, c.Problems, want)
		}
		if !reflect.DeepEqual(c.Fields, real[i%2].Fields) {
			t.Errorf("host %d: fields differ from the real host %s", i, real[i%2].Label)
		}
	}
}

// TestGeneratedCSVAndJSON: the generated files are clean, and a CSV row
// and the JSON item describing the same CI parse to the same candidate.
func TestGeneratedCSVAndJSON(t *testing.T) {
	const n = 50
	fromCSV, err := importer.ParseCSV(bytes.NewReader(importertest.CSV(n)))
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := importer.ParseJSON(bytes.NewReader(importertest.JSON(n)))
	if err != nil {
		t.Fatal(err)
	}
	if len(fromCSV) != n || len(fromJSON) != n {
		t.Fatalf("%d CSV rows, %d JSON items", len(fromCSV), len(fromJSON))
	}
	for i := range n {
		c, j := fromCSV[i], fromJSON[i]
		if len(c.Problems)+len(j.Problems) > 0 {
			t.Fatalf("row %d: problems %v / %v", i+1, c.Problems, j.Problems)
		}
		if c.Label != strings.Replace(j.Label, "item", "row", 1) {
			t.Errorf("labels %q and %q", c.Label, j.Label)
		}
		c.Label = j.Label
		if !reflect.DeepEqual(c, j) {
			t.Errorf("row %d differs:\n%s%s", i+1, dump([]cmdb.Candidate{c}), dump([]cmdb.Candidate{j}))
		}
	}
	if !slices.Equal(*fromCSV[0].Fields.Tags, []string{"generated", "production"}) {
		t.Errorf("tags %v", *fromCSV[0].Fields.Tags)
	}
}

package importer_test

import (
	"bytes"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer/importertest"
)

// BenchmarkParseNmapXML100k parses nmap XML of 100,000 hosts (about 150 MB,
// the structure of a real "nmap -sV --top-ports 100" scan).
func BenchmarkParseNmapXML100k(b *testing.B) {
	const n = 100_000
	data := importertest.NmapXML(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		cands, err := importer.ParseNmapXML(bytes.NewReader(data))
		if err != nil || len(cands) != n {
			b.Fatalf("got %d candidates, %v", len(cands), err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "hosts/s")
}

// BenchmarkParseCSV parses a CSV file of 100,000 rows with every column but
// owner and support group filled.
func BenchmarkParseCSV(b *testing.B) {
	const n = 100_000
	data := importertest.CSV(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		cands, err := importer.ParseCSV(bytes.NewReader(data))
		if err != nil || len(cands) != n {
			b.Fatalf("got %d candidates, %v", len(cands), err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParseJSON parses a JSON array of 100,000 items with the same
// content as BenchmarkParseCSV's rows.
func BenchmarkParseJSON(b *testing.B) {
	const n = 100_000
	data := importertest.JSON(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		cands, err := importer.ParseJSON(bytes.NewReader(data))
		if err != nil || len(cands) != n {
			b.Fatalf("got %d candidates, %v", len(cands), err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

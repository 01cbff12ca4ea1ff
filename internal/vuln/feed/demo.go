package feed

import (
	"embed"
	"io"
)

// The demonstration samples: five KEV entries (facts as CISA lists them;
// texts abridged) and EPSS scores for the CVEs in the demo data. The EPSS
// values are illustrative, of the size FIRST publishes for these CVEs, not
// a copy of a given day's file. Real installations import the current
// files with `rampart import kev|epss FILE`.
//
//go:embed demo/kev.json demo/epss.csv
var demo embed.FS

// DemoKEV returns the sample KEV catalogue, for ParseKEV.
func DemoKEV() io.ReadCloser { return mustOpen("demo/kev.json") }

// DemoEPSS returns the sample EPSS file, for ParseEPSS.
func DemoEPSS() io.ReadCloser { return mustOpen("demo/epss.csv") }

func mustOpen(name string) io.ReadCloser {
	f, err := demo.Open(name)
	if err != nil {
		panic("feed: embedded " + name + " missing: " + err.Error()) // cannot happen: go:embed checked it at build time
	}
	return f
}

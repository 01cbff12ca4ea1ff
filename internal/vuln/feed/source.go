package feed

import (
	"fmt"
	"io"

	"github.com/rampart-itsm/rampart/internal/vuln"
)

// KEVSource returns the reader of a KEV catalogue that
// vuln.Service.ImportKEV takes.
func KEVSource(r io.Reader) func(fn func(vuln.KEV) error) (vuln.FeedInfo, error) {
	return func(fn func(vuln.KEV) error) (vuln.FeedInfo, error) {
		cat, err := ParseKEV(r, fn)
		return vuln.FeedInfo{Rows: cat.Entries, Problems: problemTexts(cat.Problems), Skipped: len(cat.Problems)}, err
	}
}

// EPSSSource returns the reader of an EPSS scores file that
// vuln.Service.ImportEPSS takes.
func EPSSSource(r io.Reader) func(fn func(vuln.EPSS) error) (vuln.FeedInfo, error) {
	return func(fn func(vuln.EPSS) error) (vuln.FeedInfo, error) {
		f, err := ParseEPSS(r, fn)
		return vuln.FeedInfo{Rows: f.Rows, Problems: problemTexts(f.Problems), Skipped: f.Skipped}, err
	}
}

func problemTexts(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("line %d (%s): %s", p.Line, p.Where, p.Message)
	}
	return out
}

package vuln

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/vuln/cvss"
)

// ScoreCVSS parses and scores vector. A malformed vector is kept as given
// with Problem saying why and no score; vendorScore (nil when the report
// states none) is kept either way.
func ScoreCVSS(source, vector string, vendorScore *float64) CVSS {
	c := CVSS{Source: strings.ToLower(strings.TrimSpace(source)), Vector: strings.TrimSpace(vector), VendorScore: vendorScore}
	s, err := cvss.Parse(vector)
	if err != nil {
		c.Problem = err.Error()
		return c
	}
	c.Version, c.Vector, c.Nomenclature = s.Version, s.Vector, s.Nomenclature
	c.Score, c.BaseScore = &s.Value, &s.Base
	return c
}

// AddCVSS scores vector and appends it to the finding; an empty vector is
// ignored and a malformed one also becomes a Problem of the finding.
func (f *Finding) AddCVSS(source, vector string, vendorScore *float64) {
	if strings.TrimSpace(vector) == "" {
		return
	}
	c := ScoreCVSS(source, vector, vendorScore)
	if c.Problem != "" {
		f.Problems = append(f.Problems, "cvss: "+c.Problem)
	}
	f.CVSS = append(f.CVSS, c)
}

// PrimaryCVSS is the vector a finding is ranked by: among the vectors that
// scored, the one from preferSource (the source the scanner took its
// severity from, "" for none), else NVD's, else the report's first; within
// a source the newest CVSS version. ok is false when no vector scored.
func (f *Finding) PrimaryCVSS(preferSource string) (c CVSS, ok bool) {
	best := -1
	rank := func(x CVSS) int {
		r := versionRank(x.Version)
		switch {
		case preferSource != "" && x.Source == preferSource:
			r += 200
		case x.Source == "nvd":
			r += 100
		}
		return r
	}
	for i, x := range f.CVSS {
		if x.Score == nil {
			continue
		}
		if best < 0 || rank(x) > rank(f.CVSS[best]) {
			best = i
		}
	}
	if best < 0 {
		return CVSS{}, false
	}
	return f.CVSS[best], true
}

func versionRank(v string) int {
	switch v {
	case cvss.V40:
		return 4
	case cvss.V31:
		return 3
	case cvss.V30:
		return 2
	case cvss.V2:
		return 1
	}
	return 0
}

// Normalize makes a parsed finding consistent before it is handed on:
// identifiers and texts trimmed, CVE ids upper-cased, collected from the
// identifier and aliases into CVEs, sorted and without repeats; a severity
// the scanner left unknown taken from the primary CVSS score. Every parser
// calls it on each finding it emits.
func (f *Finding) Normalize() {
	f.Identifier = strings.TrimSpace(f.Identifier)
	if IsCVE(f.Identifier) {
		f.Identifier = strings.ToUpper(f.Identifier)
	}
	var aliases []string
	for _, a := range f.Aliases {
		a = strings.TrimSpace(a)
		if IsCVE(a) {
			f.CVEs = append(f.CVEs, a)
		} else if a != "" && a != f.Identifier {
			aliases = append(aliases, a)
		}
	}
	f.Aliases = sortedSet(aliases)
	if IsCVE(f.Identifier) {
		f.CVEs = append(f.CVEs, f.Identifier)
	}
	for i, c := range f.CVEs {
		f.CVEs[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	f.CVEs = sortedSet(f.CVEs)
	f.CWEs = sortedSet(f.CWEs)
	f.References = uniqueInOrder(f.References)
	f.Package, f.InstalledVersion, f.FixedVersion = strings.TrimSpace(f.Package), strings.TrimSpace(f.InstalledVersion), strings.TrimSpace(f.FixedVersion)
	f.Path, f.Endpoint = strings.TrimSpace(f.Path), strings.TrimSpace(f.Endpoint)
	f.Title, f.Description, f.Solution = strings.TrimSpace(f.Title), strings.TrimSpace(f.Description), strings.TrimSpace(f.Solution)
	if f.Line < 0 || f.Column < 0 || f.EndLine < 0 {
		f.Problems = append(f.Problems, fmt.Sprintf("position %d:%d–%d is not a place in a file; dropped", f.Line, f.Column, f.EndLine))
		f.Line, f.Column, f.EndLine = max(f.Line, 0), max(f.Column, 0), max(f.EndLine, 0)
	}
	if f.Severity == "" {
		f.Severity = SeverityUnknown
	}
	if f.Severity == SeverityUnknown {
		if c, ok := f.PrimaryCVSS(""); ok {
			f.Severity = SeverityFromScore(*c.Score)
		}
	}
}

// IsCVE reports whether id looks like a CVE id (CVE-YYYY-NNNN…, any case).
func IsCVE(id string) bool {
	if len(id) < 13 || !strings.EqualFold(id[:4], "CVE-") || id[8] != '-' {
		return false
	}
	for i, r := range id[4:] {
		if i != 4 && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	slices.Sort(s)
	return slices.Compact(s)
}

func uniqueInOrder(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := s[:0]
	for _, v := range s {
		v = strings.TrimSpace(v)
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

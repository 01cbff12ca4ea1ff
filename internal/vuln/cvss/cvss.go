// Package cvss parses and scores CVSS vectors of versions 2.0, 3.0, 3.1 and
// 4.0 with github.com/pandatix/go-cvss, a maintained implementation checked
// by its authors against FIRST's reference calculators. This package adds
// what scanner output needs on top: the spellings scanners use for the same
// vector (Nessus's "CVSS2#" prefix, NVD's parenthesised v2 vectors), the
// choice of which score a vector yields, and qualitative ratings.
package cvss

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	gocvss20 "github.com/pandatix/go-cvss/20"
	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"
)

// Versions of CVSS this package scores.
const (
	V2  = "2.0"
	V30 = "3.0"
	V31 = "3.1"
	V40 = "4.0"
)

// Score is a parsed and scored vector.
type Score struct {
	Version string // V2, V30, V31 or V40
	// Vector is the vector in its canonical spelling: v3 and v4 with their
	// "CVSS:x.y/" prefix, v2 bare ("AV:N/AC:L/Au:N/C:P/I:P/A:P").
	Vector string
	// Base is the base score.
	Base float64
	// Value is the score of every metric group the vector carries: for v4
	// the one score the specification defines (its Nomenclature says which
	// groups it covers); for v2 and v3 the environmental score when the
	// vector has environmental metrics, else the temporal score when it has
	// temporal ones, else the base score.
	Value float64
	// Nomenclature names the groups Value covers: v4's "CVSS-B", "CVSS-BT",
	// "CVSS-BE" or "CVSS-BTE" (CVSS v4.0 Specification, section 1.3); for v2
	// and v3 "base", "temporal" or "environmental".
	Nomenclature string
	// Rating is the qualitative rating of Value: "none", "low", "medium",
	// "high" or "critical" (v3.x and v4.0 scales; v2 has no official scale,
	// so NVD's low/medium/high is used).
	Rating string

	metric func(abbr string) (string, error)
}

// ErrMalformed is wrapped by every error Parse returns: the vector is not a
// valid CVSS vector of any supported version.
var ErrMalformed = errors.New("malformed CVSS vector")

// Parse parses and scores vector. It accepts the canonical forms and the
// variants scanners write: surrounding space, a v2 vector in parentheses or
// after "CVSS2#" or "CVSS:2.0/". A v3 vector without its "CVSS:3.x/" prefix
// is refused: the version decides the score and cannot be guessed.
func Parse(vector string) (Score, error) {
	v := canonical(vector)
	if s, ok := cache.get(v); ok {
		return s, nil
	}
	var s Score
	var err error
	switch {
	case strings.HasPrefix(v, "CVSS:4.0/"):
		s, err = parse40(v)
	case strings.HasPrefix(v, "CVSS:3.1/"):
		s, err = parse31(v)
	case strings.HasPrefix(v, "CVSS:3.0/"):
		s, err = parse30(v)
	case strings.HasPrefix(v, "CVSS:"):
		err = fmt.Errorf("unsupported CVSS version in %q", clip(v))
	case v == "":
		err = errors.New("empty vector")
	case strings.Contains(v, "Au:"):
		s, err = parse20(v)
	case strings.Contains(v, "PR:"):
		err = errors.New("a CVSS v3 vector needs its CVSS:3.0/ or CVSS:3.1/ prefix")
	default:
		err = errors.New("not a CVSS vector")
	}
	if err != nil {
		return Score{}, fmt.Errorf("%w %q: %v", ErrMalformed, clip(vector), err)
	}
	cache.put(v, s)
	return s, nil
}

// cache keeps recent scores: a report repeats the same few thousand
// vectors across its findings, and scoring was a quarter of the time spent
// parsing a Trivy report. Scores are immutable, so sharing them is safe.
var cache = scoreCache{m: make(map[string]Score, cacheSize)}

// cacheSize bounds the cache; when full it starts again empty, which costs
// one rescoring of each vector still in use.
const cacheSize = 4096

type scoreCache struct {
	mu sync.RWMutex
	m  map[string]Score
}

func (c *scoreCache) get(v string) (Score, bool) {
	c.mu.RLock()
	s, ok := c.m[v]
	c.mu.RUnlock()
	return s, ok
}

func (c *scoreCache) put(v string, s Score) {
	c.mu.Lock()
	if len(c.m) >= cacheSize {
		clear(c.m)
	}
	c.m[v] = s
	c.mu.Unlock()
}

// Metric returns the value of the metric abbr ("AV", "PR", "E", …) as the
// vector gives it, "X" (or "ND" in v2) when the vector leaves it out.
func (s Score) Metric(abbr string) string {
	if s.metric == nil {
		return ""
	}
	v, err := s.metric(abbr)
	if err != nil {
		return ""
	}
	return v
}

func canonical(vector string) string {
	v := strings.TrimSpace(vector)
	v = strings.TrimPrefix(v, "CVSS2#")
	v = strings.TrimPrefix(v, "CVSS:2.0/")
	if strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")") {
		v = v[1 : len(v)-1]
	}
	return v
}

func parse20(v string) (Score, error) {
	c, err := gocvss20.ParseVector(v)
	if err != nil {
		return Score{}, err
	}
	s := Score{Version: V2, Vector: c.Vector(), Base: c.BaseScore(), Nomenclature: "base", metric: c.Get}
	s.Value = s.Base
	switch {
	case defined(c.Get, "ND", "CDP", "TD", "CR", "IR", "AR"):
		s.Value, s.Nomenclature = c.EnvironmentalScore(), "environmental"
	case defined(c.Get, "ND", "E", "RL", "RC"):
		s.Value, s.Nomenclature = c.TemporalScore(), "temporal"
	}
	s.Rating = ratingV2(s.Value)
	return s, nil
}

// v3Vector is what the 3.0 and 3.1 implementations share.
type v3Vector interface {
	Vector() string
	BaseScore() float64
	TemporalScore() float64
	EnvironmentalScore() float64
	Get(string) (string, error)
}

var (
	v3Temporal      = []string{"E", "RL", "RC"}
	v3Environmental = []string{"CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"}
)

func parse30(v string) (Score, error) {
	c, err := gocvss30.ParseVector(v)
	if err != nil {
		return Score{}, err
	}
	return score3(V30, c, gocvss30.Rating), nil
}

func parse31(v string) (Score, error) {
	c, err := gocvss31.ParseVector(v)
	if err != nil {
		return Score{}, err
	}
	return score3(V31, c, gocvss31.Rating), nil
}

func score3(version string, c v3Vector, rating func(float64) (string, error)) Score {
	s := Score{Version: version, Vector: c.Vector(), Base: c.BaseScore(), Nomenclature: "base", metric: c.Get}
	s.Value = s.Base
	switch {
	case defined(c.Get, "X", v3Environmental...):
		s.Value, s.Nomenclature = c.EnvironmentalScore(), "environmental"
	case defined(c.Get, "X", v3Temporal...):
		s.Value, s.Nomenclature = c.TemporalScore(), "temporal"
	}
	r, _ := rating(s.Value)
	s.Rating = strings.ToLower(r)
	return s
}

func parse40(v string) (Score, error) {
	c, err := gocvss40.ParseVector(v)
	if err != nil {
		return Score{}, err
	}
	// Metrics the vector leaves out are Not Defined (X), which the
	// specification scores as their worst case: Exploit Maturity X as
	// Attacked, the security requirements CR/IR/AR X as High, and each
	// modified base metric X as its base value (CVSS v4.0 Specification,
	// sections 4.1 and 4.2). go-cvss applies exactly that.
	val := c.Score()
	s := Score{Version: V40, Vector: c.Vector(), Value: val, Nomenclature: c.Nomenclature(), metric: c.Get}
	s.Base = val
	if s.Nomenclature != "CVSS-B" {
		base, err := gocvss40.ParseVector(baseOnly40(c))
		if err == nil {
			s.Base = base.Score()
		}
	}
	r, _ := gocvss40.Rating(val)
	s.Rating = strings.ToLower(r)
	return s, nil
}

var base40 = []string{"AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"}

// baseOnly40 is the vector with only its base metrics, whose score is the
// CVSS-B score.
func baseOnly40(c *gocvss40.CVSS40) string {
	var b strings.Builder
	b.WriteString("CVSS:4.0")
	for _, m := range base40 {
		v, _ := c.Get(m)
		b.WriteString("/" + m + ":" + v)
	}
	return b.String()
}

// defined reports whether any of the metrics has a value other than
// notDefined.
func defined(get func(string) (string, error), notDefined string, metrics ...string) bool {
	for _, m := range metrics {
		if v, err := get(m); err == nil && v != notDefined {
			return true
		}
	}
	return false
}

// ratingV2 is NVD's scale for v2 scores: low below 4, medium below 7, high.
func ratingV2(score float64) string {
	switch {
	case score >= 7:
		return "high"
	case score >= 4:
		return "medium"
	case score > 0:
		return "low"
	}
	return "none"
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

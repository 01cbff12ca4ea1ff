package vuln

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Priority ranks remediation work: P1 (act first) … P5 (least urgent), as
// the other practices' priorities do.
type Priority string

const (
	P1 Priority = "P1"
	P2 Priority = "P2"
	P3 Priority = "P3"
	P4 Priority = "P4"
	P5 Priority = "P5"
)

// Priorities lists the priorities from most to least urgent.
var Priorities = []Priority{P1, P2, P3, P4, P5}

// Method names how a priority was decided.
type Method string

const (
	// MethodRisk is the points formula of RiskConfig.
	MethodRisk Method = "risk"
	// MethodSSVC is CISA's SSVC decision tree (Track, Track*, Attend, Act).
	MethodSSVC Method = "ssvc"
	// MethodSSVCDeployer is CERT/CC's SSVC deployer tree (Defer,
	// Scheduled, Out-of-Cycle, Immediate).
	MethodSSVCDeployer Method = "ssvc-deployer"
)

// Asset is what the CMDB says about the finding's target. Known is false
// when the target matched no CI: the defaults are then used and the reasons
// say so.
type Asset struct {
	Known bool `json:"known"`
	// Criticality is the CI's business criticality, 1 (lowest) to 5
	// (mission critical).
	Criticality        int    `json:"business_criticality"`
	InternetExposed    bool   `json:"internet_exposed"`
	DataClassification string `json:"data_classification"` // public, internal, confidential, restricted
}

// Threat is what the feeds say about the finding's CVEs.
type Threat struct {
	KEV  *KEV  `json:"kev,omitempty"`
	EPSS *EPSS `json:"epss,omitempty"`
}

// SelectThreat picks, among the feed entries of a finding's CVEs, the KEV
// entry with the earliest due date and the EPSS score with the highest
// probability: a finding about several CVEs is as urgent as its worst.
func SelectThreat(kevs []KEV, scores []EPSS) Threat {
	var t Threat
	for i := range kevs {
		if t.KEV == nil || kevs[i].DueDate.Before(t.KEV.DueDate) {
			t.KEV = &kevs[i]
		}
	}
	for i := range scores {
		if t.EPSS == nil || scores[i].Probability > t.EPSS.Probability {
			t.EPSS = &scores[i]
		}
	}
	return t
}

// Reason is one factor of a ranking: what it is, its value, and what it
// contributed (points for the risk formula; the decision point's value for
// SSVC, with Points 0).
type Reason struct {
	Factor string  `json:"factor"`
	Value  string  `json:"value"`
	Points float64 `json:"points"`
	Note   string  `json:"note,omitempty"`
}

// Ranking is a finding's priority with the reasons for it.
type Ranking struct {
	Method   Method   `json:"method"`
	Priority Priority `json:"priority"`
	// Score is the risk formula's total (0–100); Outcome the SSVC
	// decision. Each is empty for the other method.
	Score   float64  `json:"score,omitempty"`
	Outcome string   `json:"outcome,omitempty"`
	Reasons []Reason `json:"reasons"`
}

// RiskConfig is the risk formula. The score of a finding is
//
//	CVSS points + threat points + (criticality + exposure + data points) × CVSS/10
//
// CVSS points are CVSSWeight per point of the primary CVSS score (the
// vector the finding is ranked by, see Finding.PrimaryCVSS); a finding with
// no scored vector uses the score UnscoredSeverity gives its severity.
// Threat points are KEVPoints (plus RansomwarePoints when the KEV entry
// records ransomware use) for a CVE in the KEV catalogue, otherwise
// EPSSPoints × min(EPSS probability / EPSSSaturation, 1). The asset's
// points are scaled by the CVSS score so that context can raise a serious
// finding but cannot make an informational one urgent. The score maps to a
// priority through Thresholds.
type RiskConfig struct {
	CVSSWeight       float64              `json:"cvss_weight"`
	UnscoredSeverity map[Severity]float64 `json:"unscored_severity"`
	KEVPoints        float64              `json:"kev_points"`
	RansomwarePoints float64              `json:"ransomware_points"`
	EPSSPoints       float64              `json:"epss_points"`
	EPSSSaturation   float64              `json:"epss_saturation"`
	// CriticalityPoints are the points of business criticality 1 to 5.
	CriticalityPoints  [5]float64         `json:"criticality_points"`
	DefaultCriticality int                `json:"default_criticality"` // for an unknown asset
	ExposurePoints     float64            `json:"exposure_points"`
	DataPoints         map[string]float64 `json:"data_classification_points"`
	// Thresholds are the lowest scores of P1, P2, P3 and P4; lower scores
	// are P5.
	Thresholds [4]float64 `json:"thresholds"`
}

// DefaultRiskConfig weighs a finding out of 100: technical severity up to
// 40, exploitation evidence up to 30, business context up to 30 (scaled by
// severity). Examples (docs/vuln.md has more): Log4Shell (CVSS 10, KEV,
// ransomware) on an internet-facing, mission-critical CI holding restricted
// data scores 100 (P1); a CVSS 9.8 without exploitation evidence on an
// internal CI of criticality 3 scores about 49 (P3); the same CVE once in
// KEV scores about 74 (P2).
func DefaultRiskConfig() RiskConfig {
	return RiskConfig{
		CVSSWeight: 4,
		UnscoredSeverity: map[Severity]float64{SeverityCritical: 9.5, SeverityHigh: 8, SeverityMedium: 5.5,
			SeverityLow: 2.5, SeverityInfo: 0, SeverityUnknown: 5.5},
		KEVPoints: 25, RansomwarePoints: 5, EPSSPoints: 25, EPSSSaturation: 0.5,
		CriticalityPoints: [5]float64{0, 4, 8, 12, 15}, DefaultCriticality: 3,
		ExposurePoints: 10,
		DataPoints:     map[string]float64{"public": 0, "internal": 1, "confidential": 3, "restricted": 5},
		Thresholds:     [4]float64{80, 60, 40, 20},
	}
}

// Validate reports the first setting that cannot work.
func (c RiskConfig) Validate() error {
	if c.CVSSWeight < 0 || c.KEVPoints < 0 || c.RansomwarePoints < 0 || c.EPSSPoints < 0 || c.ExposurePoints < 0 {
		return fmt.Errorf("risk weights must not be negative")
	}
	if c.EPSSSaturation <= 0 || c.EPSSSaturation > 1 {
		return fmt.Errorf("epss_saturation must be above 0 and at most 1")
	}
	if c.DefaultCriticality < 1 || c.DefaultCriticality > 5 {
		return fmt.Errorf("default_criticality must be 1 to 5")
	}
	for i := 1; i < len(c.Thresholds); i++ {
		if c.Thresholds[i] > c.Thresholds[i-1] {
			return fmt.Errorf("thresholds must fall from P1 to P4")
		}
	}
	for _, s := range Severities {
		if _, ok := c.UnscoredSeverity[s]; !ok {
			return fmt.Errorf("unscored_severity lacks %q", s)
		}
	}
	return nil
}

// Rank applies the risk formula to a finding. It is a pure function of its
// arguments.
func (c RiskConfig) Rank(f *Finding, t Threat, a Asset) Ranking {
	var reasons []Reason
	add := func(factor, value string, points float64, note string) {
		reasons = append(reasons, Reason{Factor: factor, Value: value, Points: round2(points), Note: note})
	}

	score, vector := c.technical(f)
	cvssPts := score * c.CVSSWeight
	if vector != "" {
		add("cvss", fmt.Sprintf("%.1f", score), cvssPts, vector)
	} else {
		add("severity", string(f.Severity), cvssPts, fmt.Sprintf("no scored CVSS vector; %s counts as %.1f", f.Severity, score))
	}

	switch {
	case t.KEV != nil:
		add("kev", t.KEV.CVE, c.KEVPoints, "in CISA KEV since "+t.KEV.DateAdded.Format(time.DateOnly)+", due "+t.KEV.DueDate.Format(time.DateOnly))
		if t.KEV.Ransomware {
			add("ransomware", "known", c.RansomwarePoints, "used in ransomware campaigns")
		}
	case t.EPSS != nil:
		share := math.Min(t.EPSS.Probability/c.EPSSSaturation, 1)
		add("epss", fmt.Sprintf("%.5f", t.EPSS.Probability), c.EPSSPoints*share,
			fmt.Sprintf("%s, percentile %.3f; full points from %.2f", t.EPSS.CVE, t.EPSS.Percentile, c.EPSSSaturation))
	default:
		add("exploitation", "none known", 0, "not in KEV and no EPSS score")
	}

	scale := score / 10
	crit, critNote := a.Criticality, ""
	if !a.Known || crit < 1 || crit > 5 {
		crit, critNote = c.DefaultCriticality, "target matched no CI; default"
	}
	note := func(base string) string {
		if scale == 1 {
			return base
		}
		return strings.TrimPrefix(base+"; ", "; ") + fmt.Sprintf("scaled by CVSS %.1f/10", score)
	}
	add("business_criticality", fmt.Sprint(crit), c.CriticalityPoints[crit-1]*scale, note(critNote))
	if a.InternetExposed {
		add("internet_exposure", "exposed", c.ExposurePoints*scale, note(""))
	} else {
		add("internet_exposure", "not exposed", 0, "")
	}
	class := a.DataClassification
	if class == "" {
		class = "internal"
	}
	add("data_classification", class, c.DataPoints[class]*scale, note(""))

	total := 0.0
	for _, r := range reasons {
		total += r.Points
	}
	total = round2(total)
	p := P5
	for i, th := range c.Thresholds {
		if total >= th {
			p = Priorities[i]
			break
		}
	}
	return Ranking{Method: MethodRisk, Priority: p, Score: total, Reasons: reasons}
}

// technical is the CVSS-like score the formula starts from and the vector
// it came from ("" when the severity stood in for it).
func (c RiskConfig) technical(f *Finding) (float64, string) {
	if cv, ok := f.PrimaryCVSS(""); ok {
		return *cv.Score, cv.Vector
	}
	return c.UnscoredSeverity[f.Severity], ""
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// SLAConfig is the time allowed to remediate a finding of each priority,
// counted from when it was first seen; 0 means no due date.
type SLAConfig map[Priority]time.Duration

// DefaultSLA allows 7 days for P1, 30 for P2, 90 for P3, 180 for P4 and
// 365 for P5.
func DefaultSLA() SLAConfig {
	day := 24 * time.Hour
	return SLAConfig{P1: 7 * day, P2: 30 * day, P3: 90 * day, P4: 180 * day, P5: 365 * day}
}

// Due is a finding's remediation deadline and where it comes from.
type Due struct {
	At     time.Time `json:"at"`
	Source string    `json:"source"` // "sla" or "kev"
	Reason string    `json:"reason"`
}

// DueDate gives the deadline of a finding first seen at firstSeen with
// priority p: firstSeen plus the priority's SLA, or the end of the KEV
// entry's dueDate (00:00 UTC the day after) when that is earlier — CISA's
// deadline wins, even when it has already passed and the finding is
// overdue from the start. ok is false when neither gives a deadline.
func (s SLAConfig) DueDate(p Priority, firstSeen time.Time, kev *KEV) (d Due, ok bool) {
	if sla := s[p]; sla > 0 {
		d = Due{At: firstSeen.Add(sla).UTC(), Source: "sla", Reason: fmt.Sprintf("%s: %s after first seen", p, days(sla))}
		ok = true
	}
	if kev != nil && !kev.DueDate.IsZero() {
		end := kev.DueDate.UTC().AddDate(0, 0, 1)
		if !ok || end.Before(d.At) {
			d = Due{At: end, Source: "kev", Reason: "CISA KEV due date " + kev.DueDate.Format(time.DateOnly) + " for " + kev.CVE}
			ok = true
		}
	}
	return d, ok
}

// Overdue reports whether a deadline has passed at now.
func (d Due) Overdue(now time.Time) bool { return !d.At.IsZero() && !now.Before(d.At) }

func days(d time.Duration) string {
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// PriorityRank orders priorities: P1 is 1, P5 is 5, anything else 6.
func PriorityRank(p Priority) int {
	if i := slices.Index(Priorities, p); i >= 0 {
		return i + 1
	}
	return 6
}

package vuln

import (
	"fmt"
	"strings"

	"github.com/rampart-itsm/rampart/internal/vuln/cvss"
)

// The SSVC (Stakeholder-Specific Vulnerability Categorization) decision
// trees, as lookup tables.
//
// MethodSSVC follows CISA's "Stakeholder-Specific Vulnerability
// Categorization Guide" (CISA, November 2022): decision points Exploitation
// (none, public PoC, active), Automatable (no, yes), Technical Impact
// (partial, total) and Mission & Well-being (low, medium, high), outcomes
// Track, Track*, Attend and Act. The table is the guide's tree, published
// by CERT/CC as data/csv/cisa/cisa_coordinator_2_0_3.csv in
// github.com/CERTCC/SSVC. CISA's tree has no exposure decision point.
//
// MethodSSVCDeployer follows CERT/CC's deployer tree ("Prioritizing
// Vulnerability Response: A Stakeholder-Specific Vulnerability
// Categorization", version 2, and data/csv/ssvc/
// deployer_patch_application_priority_1_0_0.csv): Exploitation, System
// Exposure (small, controlled, open), Automatable and Human Impact (low,
// medium, high, very high), outcomes Defer, Scheduled, Out-of-Cycle and
// Immediate. It is the tree that weighs the asset's exposure.
//
// Evidence comes from the finding, its CVEs' feed entries and its CI; each
// decision point of a Ranking says what decided it.

// SSVCConfig maps evidence onto decision points and outcomes onto
// priorities (so that SLAs apply to SSVC decisions too).
type SSVCConfig struct {
	// PoCEPSS is the EPSS probability from which exploitation counts as
	// "public PoC" when nothing better is known (a PoC is what makes EPSS
	// rise).
	PoCEPSS float64 `json:"poc_epss"`
	// Priorities maps each outcome of both trees to a priority.
	Priorities map[string]Priority `json:"priorities"`
}

// DefaultSSVCConfig counts EPSS ≥ 0.1 as a public PoC and maps Act and
// Immediate to P1, Attend and Out-of-Cycle to P2, Track* and Scheduled to
// P3, Track and Defer to P4.
func DefaultSSVCConfig() SSVCConfig {
	return SSVCConfig{PoCEPSS: 0.1, Priorities: map[string]Priority{
		"Act": P1, "Attend": P2, "Track*": P3, "Track": P4,
		"Immediate": P1, "Out-of-Cycle": P2, "Scheduled": P3, "Defer": P4,
	}}
}

// cisaOutcomes is CISA's table in row order: exploitation (none, public
// poc, active) × automatable (no, yes) × technical impact (partial, total)
// × mission & well-being (low, medium, high). T Track, * Track*, A Attend,
// X Act.
const cisaOutcomes = "" +
	"TTT" + "TT*" + "TTA" + "TTA" + // none
	"TT*" + "T*A" + "TTA" + "T*A" + // public poc
	"TTA" + "TAX" + "AAX" + "AXX" // active

// deployerOutcomes is CERT/CC's deployer table in row order: exploitation
// (none, public poc, active) × system exposure (small, controlled, open) ×
// automatable (no, yes) × human impact (low, medium, high, very high).
// D Defer, S Scheduled, O Out-of-Cycle, I Immediate.
const deployerOutcomes = "" +
	"DDSS" + "DSSS" + "DSSS" + "SSSS" + "DSSS" + "SSSO" + // none
	"DSSS" + "SSSS" + "DSSS" + "SSSO" + "SSSO" + "SSOO" + // public poc
	"SSOO" + "SOOO" + "SSOO" + "OOOO" + "SOOI" + "OOII" // active

var outcomeNames = map[byte]string{'T': "Track", '*': "Track*", 'A': "Attend", 'X': "Act",
	'D': "Defer", 'S': "Scheduled", 'O': "Out-of-Cycle", 'I': "Immediate"}

// SSVC decides with CISA's tree (MethodSSVC).
func (c SSVCConfig) SSVC(f *Finding, t Threat, a Asset) Ranking {
	ex, exR := c.exploitation(f, t)
	au, auR := automatable(f)
	ti, tiR := technicalImpact(f)
	mw, mwR := missionWellBeing(a)
	i := ((ex*2+au)*2+ti)*3 + mw
	return c.ranking(MethodSSVC, cisaOutcomes[i], exR, auR, tiR, mwR)
}

// SSVCDeployer decides with CERT/CC's deployer tree (MethodSSVCDeployer).
func (c SSVCConfig) SSVCDeployer(f *Finding, t Threat, a Asset) Ranking {
	ex, exR := c.exploitation(f, t)
	se, seR := systemExposure(a)
	au, auR := automatable(f)
	hi, hiR := humanImpact(a)
	i := ((ex*3+se)*2+au)*4 + hi
	return c.ranking(MethodSSVCDeployer, deployerOutcomes[i], exR, seR, auR, hiR)
}

func (c SSVCConfig) ranking(m Method, code byte, reasons ...Reason) Ranking {
	out := outcomeNames[code]
	return Ranking{Method: m, Priority: c.Priorities[out], Outcome: out, Reasons: reasons}
}

// exploitation: active when a CVE is in KEV or the CVSS v4 vector says
// Attacked; public PoC when a CVSS vector records exploit code (v4 E:P, v3
// E:P/F/H, v2 E:POC/F/H) or EPSS reaches PoCEPSS; else none.
func (c SSVCConfig) exploitation(f *Finding, t Threat) (int, Reason) {
	r := Reason{Factor: "exploitation"}
	if t.KEV != nil {
		r.Value, r.Note = "active", t.KEV.CVE+" is in CISA KEV (added "+t.KEV.DateAdded.Format("2006-01-02")+")"
		return 2, r
	}
	for _, cv := range f.CVSS {
		s, err := cvss.Parse(cv.Vector)
		if err != nil {
			continue
		}
		switch e := s.Metric("E"); {
		case s.Version == cvss.V40 && e == "A":
			r.Value, r.Note = "active", "CVSS v4 Exploit Maturity Attacked (E:A)"
			return 2, r
		case e == "P" || e == "F" || e == "H" || e == "POC":
			r.Value, r.Note = "public poc", fmt.Sprintf("CVSS %s exploit code maturity E:%s", s.Version, e)
			return 1, r
		}
	}
	if t.EPSS != nil && t.EPSS.Probability >= c.PoCEPSS {
		r.Value, r.Note = "public poc", fmt.Sprintf("EPSS %.5f for %s is at least %.2f", t.EPSS.Probability, t.EPSS.CVE, c.PoCEPSS)
		return 1, r
	}
	r.Value, r.Note = "none", "not in KEV, no exploit maturity in CVSS, EPSS below threshold or unknown"
	return 0, r
}

// automatable: yes when the primary CVSS v3 or v4 vector says an attacker
// can reach and exploit it without help: network vector, low complexity
// (and no attack requirements in v4), no privileges, no user interaction —
// the steps of a kill chain a worm would need.
func automatable(f *Finding) (int, Reason) {
	r := Reason{Factor: "automatable", Value: "no"}
	s, ok := primaryParsed(f)
	if !ok || s.Version == cvss.V2 {
		r.Note = "no CVSS v3 or v4 vector to judge by"
		return 0, r
	}
	m := func(k string) string { return s.Metric(k) }
	yes := m("AV") == "N" && m("AC") == "L" && m("PR") == "N" && m("UI") == "N" && (s.Version != cvss.V40 || m("AT") == "N")
	if yes {
		r.Value = "yes"
	}
	r.Note = fmt.Sprintf("AV:%s AC:%s PR:%s UI:%s", m("AV"), m("AC"), m("PR"), m("UI"))
	if s.Version == cvss.V40 {
		r.Note += " AT:" + m("AT")
	}
	return map[bool]int{false: 0, true: 1}[yes], r
}

// technicalImpact: total per CERT/CC's mapping from CVSS
// (cvssv4_to_technical_impact_1_0_0.csv): confidentiality and integrity
// both high, or no privileges required with one of them high and the other
// at least low; else partial.
func technicalImpact(f *Finding) (int, Reason) {
	r := Reason{Factor: "technical_impact", Value: "partial"}
	s, ok := primaryParsed(f)
	if !ok || s.Version == cvss.V2 {
		r.Note = "no CVSS v3 or v4 vector: partial assumed"
		return 0, r
	}
	c, i := s.Metric("C"), s.Metric("I")
	if s.Version == cvss.V40 {
		c, i = s.Metric("VC"), s.Metric("VI")
	}
	pr := s.Metric("PR")
	total := (c == "H" && i == "H") || (pr == "N" && ((c == "H" && i == "L") || (c == "L" && i == "H")))
	r.Note = fmt.Sprintf("PR:%s confidentiality %s integrity %s", pr, c, i)
	if total {
		r.Value = "total"
		return 1, r
	}
	return 0, r
}

// missionWellBeing combines Mission Prevalence (criticality 1–2 minimal,
// 3–4 support, 5 essential) and Public Well-being Impact (confidential or
// restricted data material, otherwise minimal) with CISA's table
// (mission-and-well-being_v1.csv): essential or irreversible give high,
// both minimal give low, the rest medium.
func missionWellBeing(a Asset) (int, Reason) {
	crit := a.Criticality
	if !a.Known || crit < 1 || crit > 5 {
		crit = 3
	}
	prevalence := "minimal"
	switch {
	case crit == 5:
		prevalence = "essential"
	case crit >= 3:
		prevalence = "support"
	}
	wellBeing := "minimal"
	if a.DataClassification == "confidential" || a.DataClassification == "restricted" {
		wellBeing = "material"
	}
	v, level := 1, "medium"
	switch {
	case prevalence == "essential":
		v, level = 2, "high"
	case prevalence == "minimal" && wellBeing == "minimal":
		v, level = 0, "low"
	}
	note := fmt.Sprintf("mission prevalence %s (criticality %d), public well-being %s (data %s)", prevalence, crit, wellBeing, orDefault(a.DataClassification, "internal"))
	if !a.Known {
		note += "; target matched no CI, defaults used"
	}
	return v, Reason{Factor: "mission_well_being", Value: level, Note: note}
}

// systemExposure: open when the CI is internet-exposed, controlled
// otherwise (the CMDB does not record the "small" case).
func systemExposure(a Asset) (int, Reason) {
	if a.InternetExposed {
		return 2, Reason{Factor: "system_exposure", Value: "open", Note: "CI is internet-exposed"}
	}
	note := "CI is not internet-exposed"
	if !a.Known {
		note = "target matched no CI; not known to be exposed"
	}
	return 1, Reason{Factor: "system_exposure", Value: "controlled", Note: note}
}

// humanImpact from business criticality: 1–2 low, 3 medium, 4 high,
// 5 very high.
func humanImpact(a Asset) (int, Reason) {
	crit := a.Criticality
	if !a.Known || crit < 1 || crit > 5 {
		crit = 3
	}
	levels := []string{"low", "low", "medium", "high", "very high"}
	v := map[string]int{"low": 0, "medium": 1, "high": 2, "very high": 3}[levels[crit-1]]
	return v, Reason{Factor: "human_impact", Value: levels[crit-1], Note: fmt.Sprintf("business criticality %d", crit)}
}

func primaryParsed(f *Finding) (cvss.Score, bool) {
	cv, ok := f.PrimaryCVSS("")
	if !ok {
		return cvss.Score{}, false
	}
	s, err := cvss.Parse(cv.Vector)
	return s, err == nil
}

func orDefault(s, d string) string {
	if strings.TrimSpace(s) == "" {
		return d
	}
	return s
}

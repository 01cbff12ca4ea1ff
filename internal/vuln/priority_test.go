package vuln_test

import (
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/vuln"
)

func withVector(sev vuln.Severity, vectors ...string) *vuln.Finding {
	f := &vuln.Finding{Identifier: "CVE-2021-44228", Severity: sev}
	for _, v := range vectors {
		f.AddCVSS("nvd", v, nil)
	}
	return f
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var (
	log4shell = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H" // 10.0
	critical  = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" // 9.8
	high      = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" // 7.5
	medium    = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N" // 5.3
	kevLog4j  = &vuln.KEV{CVE: "CVE-2021-44228", DateAdded: day("2021-12-10"), DueDate: day("2021-12-24"), Ransomware: true}
	kevPlain  = &vuln.KEV{CVE: "CVE-2023-44487", DateAdded: day("2023-10-10"), DueDate: day("2023-10-31")}
)

func TestRiskRanking(t *testing.T) {
	cfg := vuln.DefaultRiskConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	crownJewel := vuln.Asset{Known: true, Criticality: 5, InternetExposed: true, DataClassification: "restricted"}
	internal3 := vuln.Asset{Known: true, Criticality: 3, DataClassification: "internal"}
	internal2 := vuln.Asset{Known: true, Criticality: 2, DataClassification: "internal"}
	tests := []struct {
		name     string
		f        *vuln.Finding
		threat   vuln.Threat
		asset    vuln.Asset
		score    float64
		priority vuln.Priority
		reasons  map[string]float64 // factor → points
	}{
		{"log4shell in KEV on a crown jewel", withVector(vuln.SeverityCritical, log4shell), vuln.Threat{KEV: kevLog4j}, crownJewel,
			100, vuln.P1, map[string]float64{"cvss": 40, "kev": 25, "ransomware": 5, "business_criticality": 15, "internet_exposure": 10, "data_classification": 5}},
		{"critical CVSS alone on an internal CI", withVector(vuln.SeverityCritical, critical),
			vuln.Threat{EPSS: &vuln.EPSS{CVE: "CVE-x", Probability: 0.01}}, internal3,
			48.52, vuln.P3, map[string]float64{"cvss": 39.2, "epss": 0.5, "business_criticality": 7.84, "internet_exposure": 0, "data_classification": 0.98}},
		{"the same once in KEV", withVector(vuln.SeverityCritical, critical), vuln.Threat{KEV: kevPlain}, internal3,
			73.02, vuln.P2, map[string]float64{"cvss": 39.2, "kev": 25, "business_criticality": 7.84}},
		{"the same in KEV and internet-exposed", withVector(vuln.SeverityCritical, critical), vuln.Threat{KEV: kevPlain},
			vuln.Asset{Known: true, Criticality: 3, InternetExposed: true, DataClassification: "internal"},
			82.82, vuln.P1, map[string]float64{"internet_exposure": 9.8}},
		{"high CVSS with EPSS at saturation", withVector(vuln.SeverityHigh, high), vuln.Threat{EPSS: &vuln.EPSS{CVE: "CVE-y", Probability: 0.7}},
			internal3, 61.75, vuln.P2, map[string]float64{"cvss": 30, "epss": 25}},
		{"high CVSS on a crown jewel, no threat data", withVector(vuln.SeverityHigh, high), vuln.Threat{}, crownJewel,
			52.5, vuln.P3, map[string]float64{"cvss": 30, "exploitation": 0, "business_criticality": 11.25}},
		{"medium on a low-criticality CI", withVector(vuln.SeverityMedium, medium), vuln.Threat{}, internal2,
			23.85, vuln.P4, map[string]float64{"cvss": 21.2, "business_criticality": 2.12}},
		{"informational finding on a crown jewel stays P5", &vuln.Finding{Identifier: "19506", Severity: vuln.SeverityInfo},
			vuln.Threat{}, crownJewel, 0, vuln.P5, map[string]float64{"severity": 0, "business_criticality": 0}},
		{"no vector: severity stands in", &vuln.Finding{Identifier: "G101", Severity: vuln.SeverityHigh}, vuln.Threat{}, internal3,
			39.2, vuln.P4, map[string]float64{"severity": 32, "business_criticality": 6.4}},
		{"only a malformed vector", withVector(vuln.SeverityLow, "CVSS:3.1/AV:N"), vuln.Threat{}, internal3,
			12.25, vuln.P5, map[string]float64{"severity": 10}},
		{"unmatched target uses defaults", withVector(vuln.SeverityCritical, critical), vuln.Threat{}, vuln.Asset{},
			48.02, vuln.P3, map[string]float64{"business_criticality": 7.84, "data_classification": 0.98}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cfg.Rank(tt.f, tt.threat, tt.asset)
			if r.Method != vuln.MethodRisk || r.Score != tt.score || r.Priority != tt.priority {
				t.Errorf("score %.2f %s, want %.2f %s; reasons %+v", r.Score, r.Priority, tt.score, tt.priority, r.Reasons)
			}
			got := map[string]float64{}
			sum := 0.0
			for _, re := range r.Reasons {
				got[re.Factor] = re.Points
				sum += re.Points
				if re.Value == "" {
					t.Errorf("reason %s without a value", re.Factor)
				}
			}
			for factor, pts := range tt.reasons {
				if p, ok := got[factor]; !ok || p != pts {
					t.Errorf("%s: %.2f points (present %v), want %.2f", factor, p, ok, pts)
				}
			}
			if diff := sum - r.Score; diff > 0.01 || diff < -0.01 {
				t.Errorf("reasons add up to %.2f, score %.2f", sum, r.Score)
			}
		})
	}
}

func TestRiskConfigIsConfigurable(t *testing.T) {
	cfg := vuln.DefaultRiskConfig()
	cfg.Thresholds = [4]float64{45, 40, 30, 10} // a stricter organisation
	if r := cfg.Rank(withVector(vuln.SeverityCritical, critical), vuln.Threat{}, vuln.Asset{Known: true, Criticality: 3}); r.Priority != vuln.P1 {
		t.Errorf("priority %s with a lower P1 threshold", r.Priority)
	}
	bad := []func(*vuln.RiskConfig){
		func(c *vuln.RiskConfig) { c.EPSSSaturation = 0 },
		func(c *vuln.RiskConfig) { c.KEVPoints = -1 },
		func(c *vuln.RiskConfig) { c.Thresholds = [4]float64{10, 20, 30, 40} },
		func(c *vuln.RiskConfig) { delete(c.UnscoredSeverity, vuln.SeverityUnknown) },
		func(c *vuln.RiskConfig) { c.DefaultCriticality = 0 },
	}
	for i, edit := range bad {
		c := vuln.DefaultRiskConfig()
		edit(&c)
		if c.Validate() == nil {
			t.Errorf("bad config %d accepted", i)
		}
	}
}

func TestSelectThreat(t *testing.T) {
	kevs := []vuln.KEV{{CVE: "A", DueDate: day("2024-05-01")}, {CVE: "B", DueDate: day("2024-03-01")}}
	scores := []vuln.EPSS{{CVE: "A", Probability: 0.2}, {CVE: "C", Probability: 0.7}, {CVE: "B", Probability: 0.1}}
	th := vuln.SelectThreat(kevs, scores)
	if th.KEV.CVE != "B" || th.EPSS.CVE != "C" {
		t.Errorf("chose KEV %s, EPSS %s", th.KEV.CVE, th.EPSS.CVE)
	}
	if th := vuln.SelectThreat(nil, nil); th.KEV != nil || th.EPSS != nil {
		t.Errorf("threat from nothing: %+v", th)
	}
}

func TestDueDate(t *testing.T) {
	sla := vuln.DefaultSLA()
	seen := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		sla    vuln.SLAConfig
		p      vuln.Priority
		kev    *vuln.KEV
		at     time.Time
		source string
		ok     bool
	}{
		{"P1 SLA", sla, vuln.P1, nil, seen.AddDate(0, 0, 7), "sla", true},
		{"P3 SLA", sla, vuln.P3, nil, seen.AddDate(0, 0, 90), "sla", true},
		{"KEV due date earlier than the SLA wins", sla, vuln.P3, &vuln.KEV{CVE: "CVE-1", DueDate: day("2026-11-20")},
			day("2026-11-21"), "kev", true},
		{"KEV due date later than the SLA loses", sla, vuln.P1, &vuln.KEV{CVE: "CVE-1", DueDate: day("2026-12-31")},
			seen.AddDate(0, 0, 7), "sla", true},
		{"KEV due date already past: overdue at once", sla, vuln.P2, kevLog4j, day("2021-12-25"), "kev", true},
		{"no SLA for the priority", vuln.SLAConfig{vuln.P1: 24 * time.Hour}, vuln.P5, nil, time.Time{}, "", false},
		{"no SLA but a KEV date", vuln.SLAConfig{}, vuln.P5, kevPlain, day("2023-11-01"), "kev", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := tt.sla.DueDate(tt.p, seen, tt.kev)
			if ok != tt.ok || !d.At.Equal(tt.at) || d.Source != tt.source || (ok && d.Reason == "") {
				t.Errorf("got %+v %v, want %s from %q", d, ok, tt.at, tt.source)
			}
		})
	}
	d, _ := sla.DueDate(vuln.P1, seen, nil)
	if d.Overdue(seen.AddDate(0, 0, 6)) || !d.Overdue(seen.AddDate(0, 0, 7)) {
		t.Error("overdue from the due instant on")
	}
}

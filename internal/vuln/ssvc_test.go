package vuln_test

import (
	"testing"

	"github.com/rampart-itsm/rampart/internal/vuln"
)

// Vectors that give each combination of Automatable and Technical Impact.
var (
	autoTotal     = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
	autoPartial   = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" // PR:N, C:H, I:N is partial
	manualTotal   = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H"
	manualPartial = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N"
	lowMission    = vuln.Asset{Known: true, Criticality: 1, DataClassification: "public"}
	mediumMission = vuln.Asset{Known: true, Criticality: 3, DataClassification: "internal"}
	highMission   = vuln.Asset{Known: true, Criticality: 5, DataClassification: "internal"}
	active        = vuln.Threat{KEV: kevPlain}
	poc           = vuln.Threat{EPSS: &vuln.EPSS{CVE: "CVE-2023-44487", Probability: 0.42}}
	none          = vuln.Threat{}
)

// Rows of CISA's tree (CISA SSVC Guide, November 2022), numbered as in
// CERT/CC's cisa_coordinator_2_0_3.csv.
func TestSSVCCISATree(t *testing.T) {
	cfg := vuln.DefaultSSVCConfig()
	tests := []struct {
		row      int
		threat   vuln.Threat
		vector   string
		asset    vuln.Asset
		outcome  string
		priority vuln.Priority
	}{
		{0, none, manualPartial, lowMission, "Track", vuln.P4},
		{5, none, manualTotal, highMission, "Track*", vuln.P3},
		{8, none, autoPartial, highMission, "Attend", vuln.P2},
		{14, poc, manualPartial, highMission, "Track*", vuln.P3},
		{16, poc, manualTotal, mediumMission, "Track*", vuln.P3},
		{21, poc, autoTotal, lowMission, "Track", vuln.P4},
		{24, active, manualPartial, lowMission, "Track", vuln.P4},
		{28, active, manualTotal, mediumMission, "Attend", vuln.P2},
		{29, active, manualTotal, highMission, "Act", vuln.P1},
		{30, active, autoPartial, lowMission, "Attend", vuln.P2},
		{32, active, autoPartial, highMission, "Act", vuln.P1},
		{34, active, autoTotal, mediumMission, "Act", vuln.P1},
		{35, active, autoTotal, highMission, "Act", vuln.P1},
	}
	for _, tt := range tests {
		r := cfg.SSVC(withVector(vuln.SeverityHigh, tt.vector), tt.threat, tt.asset)
		if r.Method != vuln.MethodSSVC || r.Outcome != tt.outcome || r.Priority != tt.priority || len(r.Reasons) != 4 {
			t.Errorf("row %d: %s %s, want %s %s; evidence %+v", tt.row, r.Outcome, r.Priority, tt.outcome, tt.priority, r.Reasons)
		}
	}
}

// Rows of CERT/CC's deployer tree, numbered as in
// deployer_patch_application_priority_1_0_0.csv.
func TestSSVCDeployerTree(t *testing.T) {
	cfg := vuln.DefaultSSVCConfig()
	exposed := func(a vuln.Asset) vuln.Asset { a.InternetExposed = true; return a }
	crit4 := vuln.Asset{Known: true, Criticality: 4}
	tests := []struct {
		row     int
		threat  vuln.Threat
		vector  string
		asset   vuln.Asset
		outcome string
	}{
		{8, none, manualPartial, lowMission, "Defer"}, // none, controlled, no, low
		{16, none, manualPartial, exposed(lowMission), "Defer"},
		{23, none, autoTotal, exposed(highMission), "Out-of-Cycle"}, // none, open, yes, very high
		{33, poc, manualTotal, mediumMission, "Scheduled"},          // poc, controlled, no, medium
		{43, poc, manualTotal, exposed(highMission), "Out-of-Cycle"},
		{58, active, manualTotal, crit4, "Out-of-Cycle"}, // active, controlled, no, high
		{64, active, manualTotal, exposed(lowMission), "Scheduled"},
		{67, active, manualTotal, exposed(highMission), "Immediate"},
		{70, active, autoTotal, exposed(crit4), "Immediate"},
	}
	for _, tt := range tests {
		r := cfg.SSVCDeployer(withVector(vuln.SeverityHigh, tt.vector), tt.threat, tt.asset)
		if r.Method != vuln.MethodSSVCDeployer || r.Outcome != tt.outcome || r.Priority != cfg.Priorities[tt.outcome] || len(r.Reasons) != 4 {
			t.Errorf("row %d: %s, want %s; evidence %+v", tt.row, r.Outcome, tt.outcome, r.Reasons)
		}
	}
}

// Each decision point says what decided it.
func TestSSVCEvidence(t *testing.T) {
	cfg := vuln.DefaultSSVCConfig()
	tests := []struct {
		name   string
		f      *vuln.Finding
		threat vuln.Threat
		asset  vuln.Asset
		want   map[string]string // factor → value
	}{
		{"KEV is active exploitation", withVector(vuln.SeverityHigh, autoTotal), active, highMission,
			map[string]string{"exploitation": "active", "automatable": "yes", "technical_impact": "total", "mission_well_being": "high"}},
		{"CVSS v4 E:A is active", withVector(vuln.SeverityHigh, "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/E:A"), none, mediumMission,
			map[string]string{"exploitation": "active", "automatable": "no", "technical_impact": "total", "mission_well_being": "medium"}},
		{"CVSS v3 E:F is a public PoC", withVector(vuln.SeverityHigh, "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N/E:F"), none, lowMission,
			map[string]string{"exploitation": "public poc", "automatable": "no", "technical_impact": "partial", "mission_well_being": "low"}},
		{"EPSS below the threshold is none", withVector(vuln.SeverityHigh, autoPartial), vuln.Threat{EPSS: &vuln.EPSS{Probability: 0.05}},
			vuln.Asset{Known: true, Criticality: 2, DataClassification: "restricted"},
			map[string]string{"exploitation": "none", "automatable": "yes", "technical_impact": "partial", "mission_well_being": "medium"}},
		{"no vector, no CI", &vuln.Finding{Identifier: "x", Severity: vuln.SeverityHigh}, none, vuln.Asset{},
			map[string]string{"exploitation": "none", "automatable": "no", "technical_impact": "partial", "mission_well_being": "medium"}},
		{"v2 only", withVector(vuln.SeverityHigh, "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C"), none, mediumMission,
			map[string]string{"exploitation": "public poc", "automatable": "no", "technical_impact": "partial"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cfg.SSVC(tt.f, tt.threat, tt.asset)
			for _, re := range r.Reasons {
				if want, ok := tt.want[re.Factor]; ok && re.Value != want {
					t.Errorf("%s = %s (%s), want %s", re.Factor, re.Value, re.Note, want)
				}
				if re.Note == "" {
					t.Errorf("%s has no evidence", re.Factor)
				}
			}
		})
	}
	r := cfg.SSVCDeployer(withVector(vuln.SeverityHigh, autoTotal), none, vuln.Asset{Known: true, Criticality: 5, InternetExposed: true})
	if r.Reasons[1].Factor != "system_exposure" || r.Reasons[1].Value != "open" || r.Reasons[3].Value != "very high" {
		t.Errorf("deployer evidence %+v", r.Reasons)
	}
}

package vuln

import "time"

// KEV is an entry of CISA's Known Exploited Vulnerabilities catalogue: the
// CVE is exploited in the wild. Dates are calendar dates at 00:00 UTC.
type KEV struct {
	CVE              string    `json:"cve"`
	VendorProject    string    `json:"vendor_project"`
	Product          string    `json:"product"`
	Name             string    `json:"name"`
	DateAdded        time.Time `json:"date_added"`
	ShortDescription string    `json:"short_description,omitempty"`
	RequiredAction   string    `json:"required_action"`
	// DueDate is the date by which CISA requires US federal agencies to
	// act; Rampart uses it as a deadline when it is earlier than the SLA.
	DueDate time.Time `json:"due_date"`
	// Ransomware is true when knownRansomwareCampaignUse is "Known".
	Ransomware bool     `json:"ransomware"`
	Notes      string   `json:"notes,omitempty"`
	CWEs       []string `json:"cwes,omitempty"`
}

// EPSS is FIRST's Exploit Prediction Scoring System score of a CVE: the
// probability (0–1) of exploitation activity in the next 30 days, and its
// percentile among all scored CVEs.
type EPSS struct {
	CVE          string    `json:"cve"`
	Probability  float64   `json:"epss"`
	Percentile   float64   `json:"percentile"`
	ModelVersion string    `json:"model_version,omitempty"`
	ScoreDate    time.Time `json:"score_date,omitzero"`
}

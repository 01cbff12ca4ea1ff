package scanner

// The subset of Trivy's JSON output (pkg/types/report.go and
// pkg/k8s/report/report.go of github.com/aquasecurity/trivy) that the
// import reads. SchemaVersion 2 reports are an object; reports of Trivy
// before 0.20 are a bare list of results (or null when there were none).

type trivyMetadata struct {
	ImageID     string   `json:"ImageID"`
	RepoTags    []string `json:"RepoTags"`
	RepoDigests []string `json:"RepoDigests"`
	RepoURL     string   `json:"RepoURL"`
	OS          *struct {
		Family string `json:"Family"`
		Name   string `json:"Name"`
	} `json:"OS"`
}

// trivyResultHead is a result's members other than its findings.
type trivyResultHead struct {
	Target string
	Class  string
	Type   string
}

type trivyVuln struct {
	VulnerabilityID string   `json:"VulnerabilityID"`
	VendorIDs       []string `json:"VendorIDs"`
	PkgName         string   `json:"PkgName"`
	PkgPath         string   `json:"PkgPath"`
	PkgIdentifier   struct {
		PURL string `json:"PURL"`
	} `json:"PkgIdentifier"`
	InstalledVersion string                    `json:"InstalledVersion"`
	FixedVersion     string                    `json:"FixedVersion"`
	Status           string                    `json:"Status"`
	SeveritySource   string                    `json:"SeveritySource"`
	PrimaryURL       string                    `json:"PrimaryURL"`
	Title            string                    `json:"Title"`
	Description      string                    `json:"Description"`
	Severity         string                    `json:"Severity"`
	CweIDs           []string                  `json:"CweIDs"`
	CVSS             map[string]trivyCVSSEntry `json:"CVSS"`
	References       []string                  `json:"References"`
}

type trivyCVSSEntry struct {
	V2Vector  string   `json:"V2Vector"`
	V3Vector  string   `json:"V3Vector"`
	V40Vector string   `json:"V40Vector"`
	V2Score   *float64 `json:"V2Score"`
	V3Score   *float64 `json:"V3Score"`
	V40Score  *float64 `json:"V40Score"`
}

type trivyMisconf struct {
	Type          string   `json:"Type"`
	ID            string   `json:"ID"`
	AVDID         string   `json:"AVDID"`
	Title         string   `json:"Title"`
	Description   string   `json:"Description"`
	Message       string   `json:"Message"`
	Resolution    string   `json:"Resolution"`
	Severity      string   `json:"Severity"`
	PrimaryURL    string   `json:"PrimaryURL"`
	References    []string `json:"References"`
	Status        string   `json:"Status"`
	CauseMetadata struct {
		Resource  string `json:"Resource"`
		StartLine int    `json:"StartLine"`
		EndLine   int    `json:"EndLine"`
	} `json:"CauseMetadata"`
}

type trivySecret struct {
	RuleID    string `json:"RuleID"`
	Category  string `json:"Category"`
	Severity  string `json:"Severity"`
	Title     string `json:"Title"`
	StartLine int    `json:"StartLine"`
	EndLine   int    `json:"EndLine"`
	// Match (the line with the secret, masked by Trivy) is deliberately
	// not read: a finding must not carry even part of a secret.
}

package vuln

// Kind says what a finding is about, which decides what "where" means in
// its identity (see Identity).
type Kind string

const (
	// KindDependency: a vulnerable package (Trivy and Grype vulnerabilities).
	KindDependency Kind = "dependency"
	// KindCode: a place in source code or configuration (SARIF results,
	// Trivy misconfigurations and secrets).
	KindCode Kind = "code"
	// KindNetwork: a service reached over the network (OpenVAS, Nessus,
	// Nuclei).
	KindNetwork Kind = "network"
)

// Finding is one scanner result, normalised. Parsers fill it from each
// format; nothing in it depends on the database or on who imports it.
type Finding struct {
	// Scanner is the tool that reported it, lower-case ("trivy", "grype",
	// "semgrep", "gosec", "openvas", "nessus", "nuclei"). Its version is
	// the report's (scanner.Report), not the finding's.
	Scanner string `json:"scanner"`

	Target Target `json:"target"`
	Kind   Kind   `json:"kind"`

	// Identifier is what was found: a CVE or other advisory id for
	// dependency findings, the rule, plugin or template id otherwise.
	Identifier string `json:"identifier"`
	// CVEs are the CVE ids the finding is about (the Identifier when it is
	// one, plus aliases and the CVEs a plugin or rule names), sorted and
	// without repeats. KEV and EPSS are joined on them.
	CVEs []string `json:"cves,omitempty"`
	// Aliases are other ids of the same issue (GHSA ids, vendor ids).
	Aliases []string `json:"aliases,omitempty"`
	CWEs    []string `json:"cwes,omitempty"`

	// Package, InstalledVersion, FixedVersion and PackageType (the
	// ecosystem: "deb", "pip", "jar", …) describe a dependency finding;
	// PURL is its package URL when the scanner gives one.
	Package          string `json:"package,omitempty"`
	InstalledVersion string `json:"installed_version,omitempty"`
	FixedVersion     string `json:"fixed_version,omitempty"`
	PackageType      string `json:"package_type,omitempty"`
	PURL             string `json:"purl,omitempty"`

	// Path is where the finding is: the file of a code finding, the lock
	// file or archive a dependency was found in. Line and Column are
	// 1-based, 0 when unknown; EndLine likewise.
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	EndLine int    `json:"end_line,omitempty"`
	// Endpoint is where a network finding was seen: "tcp/443",
	// "general/tcp", or a URL for web findings.
	Endpoint string `json:"endpoint,omitempty"`

	// Severity is normalised; VendorSeverity is the scanner's own word or
	// number, kept as given ("HIGH", "error", "3", "7.5").
	Severity       Severity `json:"severity"`
	VendorSeverity string   `json:"vendor_severity,omitempty"`
	// CVSS lists every vector the report carries, scored or flagged.
	CVSS []CVSS `json:"cvss,omitempty"`

	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Solution    string   `json:"solution,omitempty"`
	References  []string `json:"references,omitempty"`

	// Problems are notes about this finding's data that did not stop it
	// being imported (a malformed vector, a line number that is not one).
	Problems []string `json:"problems,omitempty"`
}

// Target is what was scanned, with the identifiers the CMDB matches on.
// Parsers fill what the report says; Key gives the part of a finding's
// identity that names the target.
type Target struct {
	Kind TargetKind `json:"kind"`
	// Name is the target as the report names it (an image reference, a
	// host name or address, a repository URL, a directory).
	Name string `json:"name"`

	Hostname string `json:"hostname,omitempty"`
	FQDN     string `json:"fqdn,omitempty"`
	IP       string `json:"ip,omitempty"`

	// Image is an image reference without digest ("python:3.6",
	// "ghcr.io/acme/web:1.4"); ImageDigest its manifest digest
	// ("sha256:…") when known.
	Image       string `json:"image,omitempty"`
	ImageDigest string `json:"image_digest,omitempty"`

	// Repository is a source repository's URL.
	Repository string `json:"repository,omitempty"`

	// Cluster, Namespace and Workload ("Deployment/web") name a Kubernetes
	// resource.
	Cluster   string `json:"cluster,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Workload  string `json:"workload,omitempty"`
}

// TargetKind classifies targets.
type TargetKind string

const (
	TargetHost       TargetKind = "host"
	TargetImage      TargetKind = "image"
	TargetRepository TargetKind = "repository"
	TargetFilesystem TargetKind = "filesystem"
	TargetKubernetes TargetKind = "kubernetes"
	TargetURL        TargetKind = "url"
)

// CVSS is one vector of a finding with its source and, when it parses,
// its score.
type CVSS struct {
	// Source is who scored it as the report says ("nvd", "ghsa",
	// "redhat", "nessus"), "" when the report does not say.
	Source string `json:"source,omitempty"`
	// Version is "2.0", "3.0", "3.1" or "4.0"; "" for a malformed vector.
	Version string `json:"version,omitempty"`
	// Vector is canonical when it parsed, else as the report gave it.
	Vector string `json:"vector"`
	// Score and BaseScore are nil when the vector is malformed (see
	// Problem). Score covers every metric group the vector carries.
	Score        *float64 `json:"score"`
	BaseScore    *float64 `json:"base_score,omitempty"`
	Nomenclature string   `json:"nomenclature,omitempty"`
	// VendorScore is the score the report states beside the vector, if
	// any: kept to show, never used in place of Score.
	VendorScore *float64 `json:"vendor_score,omitempty"`
	// Problem says why the vector was not scored; "" when it was.
	Problem string `json:"problem,omitempty"`
}

package vuln

import (
	"time"
)

// State is where a finding is in its life cycle.
type State string

const (
	StateOpen          State = "open"
	StateInRemediation State = "in_remediation"
	// StateFixed: a later scan of the target by the scanner that reported
	// it no longer did.
	StateFixed State = "fixed"
	// StateReopened: seen again after it was fixed, or its risk
	// acceptance expired.
	StateReopened      State = "reopened"
	StateRiskAccepted  State = "risk_accepted"
	StateFalsePositive State = "false_positive"
)

// States lists every state.
var States = []State{StateOpen, StateInRemediation, StateFixed, StateReopened, StateRiskAccepted, StateFalsePositive}

// Active reports whether the finding still needs work: open, in
// remediation or reopened.
func (s State) Active() bool {
	return s == StateOpen || s == StateInRemediation || s == StateReopened
}

// Record is a stored finding as the API and the UI show it.
type Record struct {
	ID               int64    `json:"-"`
	Key              string   `json:"key"` // VUL-n
	CI               string   `json:"ci,omitempty"`
	Target           string   `json:"target"`
	TargetName       string   `json:"target_name"`
	Kind             Kind     `json:"kind"`
	Identifier       string   `json:"identifier"`
	CVEs             []string `json:"cves"`
	Package          string   `json:"package,omitempty"`
	InstalledVersion string   `json:"installed_version,omitempty"`
	FixedVersion     string   `json:"fixed_version,omitempty"`
	Path             string   `json:"path,omitempty"`
	Line             int      `json:"line,omitempty"`
	Endpoint         string   `json:"endpoint,omitempty"`
	Scanner          string   `json:"scanner"`
	Severity         Severity `json:"severity"`
	Title            string   `json:"title,omitempty"`
	// CVSS is the primary vector, by which the finding is ranked; nil when
	// the report gave none.
	CVSS            *CVSSRef `json:"cvss"`
	EPSS            *float64 `json:"epss"`
	KEV             *KEVRef  `json:"kev"`
	RiskScore       float64  `json:"risk_score"`
	Priority        Priority `json:"priority"`
	PriorityReasons []Reason `json:"priority_reasons"`
	State           State    `json:"state"`
	// Decision is the human decision behind the state, if any.
	Decision  *Decision  `json:"decision,omitempty"`
	DueAt     *time.Time `json:"due_at"`
	DueSource string     `json:"due_source,omitempty"`
	Overdue   bool       `json:"overdue"`
	FirstSeen time.Time  `json:"first_seen"`
	LastSeen  time.Time  `json:"last_seen"`
	FixedAt   *time.Time `json:"fixed_at,omitempty"`
	UpdatedAt time.Time  `json:"updated_at"`
	// Detail is everything the scanner said, in one finding's lookup
	// only.
	Detail *Finding `json:"detail,omitempty"`
}

// CVSSRef is a finding's primary CVSS vector.
type CVSSRef struct {
	Version string   `json:"version"`
	Vector  string   `json:"vector"`
	Score   *float64 `json:"score"`
}

// KEVRef says a CVE of the finding is in CISA's KEV catalogue.
type KEVRef struct {
	DueDate time.Time `json:"due_date"`
}

// Filter selects findings. Empty fields do not filter.
type Filter struct {
	CI           string     // CI key
	Priority     []Priority // any of
	State        []State    // any of
	KEV          *bool
	CVE          string
	UpdatedSince *time.Time
	Cursor       string
	Limit        int
}

// Page is one page of findings.
type Page struct {
	Items       []Record `json:"items"`
	NextCursor  string   `json:"next_cursor,omitempty"`
	Total       int      `json:"total"`
	TotalCapped bool     `json:"total_capped,omitempty"`
}

// ImportReport is what a scanner or feed import did. Its JSON has the
// shape of every import report (GET /api/v1/imports/{key}), with the
// counts of findings in created, updated and unchanged, and the rest in
// Detail.
type ImportReport struct {
	ID       int64  `json:"-"`
	Key      string `json:"key"`
	Format   string `json:"format"`
	Filename string `json:"filename"`
	Actor    string `json:"actor"`
	Status   string `json:"status"`
	// AppliedThrough counts the findings (or feed entries) of the report
	// applied so far, in report order.
	AppliedThrough int          `json:"applied_through"`
	Error          string       `json:"error,omitempty"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
	Created        int          `json:"created"`
	Updated        int          `json:"updated"`
	Unchanged      int          `json:"unchanged"`
	Rejected       int          `json:"rejected"`
	Detail         ImportDetail `json:"detail"`
}

// ImportDetail is what a scanner or feed import counts beyond created,
// updated and unchanged.
type ImportDetail struct {
	// SHA256 is the digest of the report as uploaded.
	SHA256 string `json:"sha256"`
	// Scanner and its version, as the report states them.
	Scanner        string `json:"scanner,omitempty"`
	ScannerVersion string `json:"scanner_version,omitempty"`
	FormatVersion  string `json:"format_version,omitempty"`
	// Findings counts the report's findings, Duplicates those that
	// repeated an identity already in the report (counted once).
	Findings   int `json:"findings"`
	Duplicates int `json:"duplicates"`
	// Reopened counts findings seen again after they were fixed; Fixed
	// those a scan of their target no longer reported.
	Reopened int `json:"reopened"`
	Fixed    int `json:"fixed"`
	// Targets counts the targets scanned, Unmatched those no CI holds
	// (listed with the report).
	Targets   int `json:"targets"`
	Unmatched int `json:"unmatched"`
	// Skipped counts results that are not findings, by reason.
	Skipped map[string]int `json:"skipped,omitempty"`
	Notes   []string       `json:"notes,omitempty"`
	// Reranked counts the findings a feed import ranked again (their
	// ranking or due date changed), Reprioritised those whose priority
	// changed.
	Reranked      int `json:"reranked,omitempty"`
	Reprioritised int `json:"reprioritised,omitempty"`
	// Problems are feed rows skipped, with their lines.
	Problems []string `json:"problems,omitempty"`
}

package vuln

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// Tx is the unit of work the service runs in (bound by
// internal/store/vulnstore): a finding, its import report and the audit
// entry commit or roll back together.
type Tx interface {
	uow.Unit
	Vuln() Store
}

// Transactor opens units of work: InTx for writes, InTxAlone for a chunk
// of an import (a transaction no other writer's unit shares), View for a
// read-only snapshot.
type Transactor interface {
	InTx(ctx context.Context, fn func(Tx) error) error
	InTxAlone(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
}

// Assets is what vulnerability management asks of the CMDB, inside the
// unit of work it holds (see services, which joins the CMDB's store to it).
type Assets interface {
	// Match returns, for each target in order, the CI it is (a zero
	// AssetRef when none): the CI holding one of the target's identifiers
	// (Target.Identifiers), the first in their order when several do.
	Match(ctx context.Context, u uow.Unit, targets []Target) ([]AssetRef, error)
	// ByCI returns what the CMDB says of each CI (missing ones left out).
	ByCI(ctx context.Context, u uow.Unit, ids []int64) (map[int64]Asset, error)
}

// AssetRef is a CI a target matched, with what ranking needs of it.
type AssetRef struct {
	CIID  int64
	CIKey string
	Asset Asset
}

// Store is vulnerability management's database access inside one unit of
// work. It holds no rules: the service decides, the store reads and
// writes. Reads of findings take the caller's auth.Visibility (kind
// auth.KindFinding); those that serve imports see everything and say
// Unscoped.
type Store interface {
	// ChunkRows is how many findings one import transaction takes.
	ChunkRows() int

	// FindTargetsUnscoped returns the stored targets with the given keys.
	FindTargetsUnscoped(ctx context.Context, keys []string) (map[string]TargetRow, error)
	// InsertTargets stores new targets and sets each ID.
	InsertTargets(ctx context.Context, ts []*TargetRow) error
	// UpdateTargetCIs writes each target's CIID.
	UpdateTargetCIs(ctx context.Context, ts []*TargetRow) error
	// RecordScans notes that each target was scanned by the scanner in
	// the import (one row per target and scanner, replaced).
	RecordScans(ctx context.Context, scans []Scan) error

	// FindByIdentityUnscoped returns the stored findings with the given
	// identity keys.
	FindByIdentityUnscoped(ctx context.Context, identities []string) (map[string]Stored, error)
	// InsertFindings stores new findings (keys set by the caller) and
	// sets each ID.
	InsertFindings(ctx context.Context, ws []*Write) error
	// UpdateFindings writes each finding over its stored row (by ID).
	UpdateFindings(ctx context.Context, ws []*Write) error
	// ActiveFindingsUnscoped lists the active findings (open, in
	// remediation, reopened) of a target last reported by scanner.
	ActiveFindingsUnscoped(ctx context.Context, targetID int64, scanner string) ([]ActiveFinding, error)
	// SetState writes a finding's state and the decision behind it (a
	// risk acceptance's expiry goes where ExpiredExceptionsUnscoped finds
	// it).
	SetState(ctx context.Context, id int64, st State, d Decision, at time.Time) error
	// ExpiredExceptionsUnscoped lists up to limit risk-accepted findings
	// whose acceptance ended at or before now.
	ExpiredExceptionsUnscoped(ctx context.Context, now time.Time, limit int) ([]Stored, error)
	// MarkFixed sets the findings' state to fixed at the given time.
	MarkFixed(ctx context.Context, ids []int64, at time.Time) error

	// Threats returns the stored KEV entries and EPSS scores of the CVEs.
	Threats(ctx context.Context, cves []string) ([]KEV, []EPSS, error)
	// UpsertKEV stores catalogue entries whose stored form differs, and
	// says how many were new and which CVEs were new or changed.
	UpsertKEV(ctx context.Context, entries []KEV) (created int, changed []string, err error)
	// UpsertEPSS is UpsertKEV for EPSS scores.
	UpsertEPSS(ctx context.Context, scores []EPSS) (created int, changed []string, err error)
	// FindByCVEsUnscoped returns the findings, other than fixed ones,
	// about any of the CVEs, as imports wrote them.
	FindByCVEsUnscoped(ctx context.Context, cves []string) ([]Ranked, error)
	// UpdateRankings writes each finding's ranking, threat, due date and
	// content digest.
	UpdateRankings(ctx context.Context, ws []*Write) error

	// InsertImport stores a new import report (Key set) and sets its ID;
	// UpdateImport writes its status, counts and detail, and keeps the
	// unmatched targets with it.
	InsertImport(ctx context.Context, r *ImportReport) error
	UpdateImport(ctx context.Context, r *ImportReport, unmatched []Unmatched) error

	// FindFindings returns one page of the findings v covers matching f,
	// highest priority first (then oldest key first), and how many match.
	FindFindings(ctx context.Context, f Filter, v auth.Visibility) (Page, error)
	// FindRemediations groups the active findings v covers into
	// remediation tasks (see Remediation), most urgent first, at most
	// limit; only those of the CI with key ci when given. Action and
	// Overdue are left to the caller.
	FindRemediations(ctx context.Context, ci string, limit int, v auth.Visibility) ([]Remediation, error)
	// CountActive counts the active findings v covers per priority, with
	// how many are due at or before now and how many are in KEV.
	CountActive(ctx context.Context, now time.Time, v auth.Visibility) (map[Priority]PriorityCount, error)
	// EachSince calls fn with the first-seen and fixed times of every
	// finding v covers first seen or fixed at or after since.
	EachSince(ctx context.Context, since time.Time, v auth.Visibility, fn func(first time.Time, fixed *time.Time)) error
	// FindFindingByKey returns one finding v covers, with its detail;
	// NotFound when absent or hidden.
	FindFindingByKey(ctx context.Context, key string, v auth.Visibility) (Record, error)
}

// TargetRow is a stored target.
type TargetRow struct {
	ID     int64
	Key    string
	Target Target
	CIID   int64
	At     time.Time
}

// Scan is one target scanned by one scanner in one import.
type Scan struct {
	TargetID int64
	Scanner  string
	ImportID int64
	At       time.Time
}

// Stored is what an import needs to know of a stored finding.
type Stored struct {
	ID        int64
	Key       string
	State     State
	Content   string
	FirstSeen time.Time
}

// Write is a finding as an import writes it.
type Write struct {
	ID       int64
	Key      string
	Identity string
	TargetID int64
	Finding  *Finding
	// CVEs are the finding's CVEs other than its identifier.
	CVEs      []string
	Primary   CVSS // the ranking vector; Vector "" when none
	KEV       *KEV
	EPSS      *EPSS
	Ranking   Ranking
	Due       *Due
	State     State
	FirstSeen time.Time
	LastSeen  time.Time
	FixedAt   *time.Time
	UpdatedAt time.Time
	Content   string
	// Data is the finding as JSON, RankingJSON its ranking.
	Data, RankingJSON []byte
}

// Ranked is a stored finding with what ranking it again needs.
type Ranked struct {
	Stored
	Identity string
	TargetID int64
	CIID     int64
	Priority Priority
	Finding  Finding
}

// ActiveFinding is a stored active finding's id and identity key.
type ActiveFinding struct {
	ID       int64
	Identity string
}

// Unmatched is a target of an import that matched no CI.
type Unmatched struct {
	Seq    int    // 1-based, in the order the report named targets
	Target string // its identity key
	Name   string
}

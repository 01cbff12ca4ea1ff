package cmdb

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// Tx is the unit of work the service runs in (bound by
// internal/store/cmdbstore), so a CI write and its audit entry commit or
// roll back together.
type Tx interface {
	uow.Unit
	CMDB() Store
}

// Transactor opens units of work: InTx for writes, InTxAlone for a chunk
// of bulk work (a transaction never shared with other writers' units, so
// they are not answered late because of it), View for a read-only
// snapshot; Join runs on a unit of work another practice already holds.
type Transactor interface {
	InTx(ctx context.Context, fn func(Tx) error) error
	InTxAlone(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	Join(u uow.Unit, fn func(Tx) error) error
}

// Store is the CMDB's database access inside one unit of work. It holds no
// business rules: the service validates, authorises and audits; the store
// reads and writes rows. Every read takes the auth.Visibility of the
// principal it serves and applies it in SQL, so lists, counts, searches and
// lookups never see rows outside it; a read that does not (for writers
// that must see every row) says so with "Unscoped" in its name.
// Methods that take slices work in batches, so a 100,000-row import is a
// few hundred statements, not one per identifier.
type Store interface {
	// FindCIByKey returns one visible CI with identifiers and tags;
	// NotFound when it does not exist or v does not cover it.
	FindCIByKey(ctx context.Context, key string, v auth.Visibility) (CI, error)
	// FindCIsByIDUnscoped returns the CIs with the given ids (missing ids
	// are left out), whoever may see them: reconciliation must match
	// every CI an identifier names, or it would create duplicates.
	FindCIsByIDUnscoped(ctx context.Context, ids []int64) (map[int64]*CI, error)
	// FindCIs returns one page of visible CIs matching f in the order
	// f.Sort names, and the number of visible CIs matching f; with
	// f.IncludeDeleted, the visible tombstones (by the owner the CI had)
	// follow the last CI and count in the total. f is already validated,
	// its Sort set and its Limit clamped.
	FindCIs(ctx context.Context, f Filter, v auth.Visibility) (Page, error)
	// InsertCIs inserts new CIs (Key, timestamps and Version set by the
	// caller) with their identifiers and tags, and sets each ID. Conflict
	// when a key or identifier is already taken.
	InsertCIs(ctx context.Context, cis []*CI) error
	// UpdateCIs writes each change's After over the stored row whose
	// version is still Before.Version, and brings identifiers and tags in
	// line with After. Conflict when the row changed meanwhile or an
	// identifier belongs to another CI.
	UpdateCIs(ctx context.Context, changes []CIChange) error
	// DeleteCI deletes a CI; its identifiers, tags and relations go with
	// it, and it leaves a tombstone (its key, owner and the unit's time).
	DeleteCI(ctx context.Context, id int64) error
	// PurgeTombstones deletes the tombstones of CIs deleted before t and
	// says how many.
	PurgeTombstones(ctx context.Context, before time.Time) (int64, error)

	// UserIDs and TeamIDs resolve usernames and team names visible to v
	// (a user or team visibility) to ids; unknown or hidden names are
	// absent from the result.
	UserIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error)
	TeamIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error)
	// MatchIdentifiers returns, for each given identifier that a CI holds,
	// which CI holds it. Identifiers are unique across all CIs, so every
	// holder is returned, but CIKey is empty for a CI v does not cover: a
	// conflict must not name a record the caller may not see.
	MatchIdentifiers(ctx context.Context, ids []IdentifierValue, v auth.Visibility) ([]IdentifierMatch, error)

	// FindRelations returns the relations of one CI in both directions
	// whose other end is visible.
	FindRelations(ctx context.Context, ciID int64, v auth.Visibility) ([]Relation, error)
	// FindRelationByID returns one relation whose two ends v covers;
	// NotFound when absent or hidden.
	FindRelationByID(ctx context.Context, id int64, v auth.Visibility) (Relation, error)
	// InsertRelations inserts relations by SourceID/TargetID and sets each
	// ID. Conflict when the same typed edge exists.
	InsertRelations(ctx context.Context, rs []*Relation) error
	// DeleteRelation deletes one relation; NotFound when absent.
	DeleteRelation(ctx context.Context, id int64) error
	// Neighbours returns the relations that lead one step from any of ids
	// in direction dir (downstream: relations whose target is in ids;
	// upstream: whose source is in ids) and whose far end is visible.
	Neighbours(ctx context.Context, ids []int64, dir Direction, v auth.Visibility) ([]Edge, error)
	// Summaries returns the summary of each given CI, in the order of ids
	// (a zero summary for an id that does not exist or v does not cover).
	Summaries(ctx context.Context, ids []int64, v auth.Visibility) ([]CISummary, error)

	// InsertImport stores a new import report (Key set by the caller) and
	// sets its ID.
	InsertImport(ctx context.Context, r *ImportReport) error
	// UpdateImport writes r's status, error, counts, AppliedThrough and
	// UpdatedAt over its stored report, and keeps rows with it.
	UpdateImport(ctx context.Context, r *ImportReport, rows []ImportRow) error
	// FindImports returns the import reports v covers newest first,
	// without rows.
	FindImports(ctx context.Context, cursor string, limit int, v auth.Visibility) ([]ImportReport, string, error)
	// FindImportByKey returns one import report v covers, without rows.
	FindImportByKey(ctx context.Context, key string, v auth.Visibility) (ImportReport, error)
	// ChunkRows is how many rows of an import one transaction takes on
	// this engine: few enough that other writers do not wait long behind
	// one, many enough that the import does not crawl.
	ChunkRows() int
	// FindSourcePrecedence returns the order of import sources, highest
	// first (an empty list when none was set).
	FindSourcePrecedence(ctx context.Context) (Precedence, error)
	// SaveSourcePrecedence replaces the order of import sources.
	SaveSourcePrecedence(ctx context.Context, p Precedence) error

	// FindImportRows returns one page of the rows kept with an import, in
	// row order, and the cursor of the next page ("" after the last).
	// Invalid for a cursor it did not hand out.
	FindImportRows(ctx context.Context, importID int64, cursor string, limit int) ([]ImportRow, string, error)
}

// Edge is a relation as graph walks need it: ids only.
type Edge struct {
	ID, SourceID, TargetID int64
	Type                   RelationType
}

// CIChange is one CI's state before and after an update.
type CIChange struct {
	Before, After *CI
}

// IdentifierValue is one normalised identifier.
type IdentifierValue struct {
	Kind  IdentifierKind `json:"kind"`
	Value string         `json:"value"`
}

// IdentifierMatch says which CI holds an identifier.
type IdentifierMatch struct {
	IdentifierValue
	CIID  int64
	CIKey string
}

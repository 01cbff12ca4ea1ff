package cmdb

import (
	"slices"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// Filter selects CIs. Zero fields do not filter.
type Filter struct {
	// Query is a search: CIs whose name or one of whose identifiers (host
	// name, FQDN, IP, MAC, serial, cloud id) contains every word of it, in
	// any case, or whose key it is (CI-12). A query whose words are all
	// shorter than three characters matches the start of the name or of
	// an identifier instead.
	Query           string
	Kind            Kind
	Environment     string
	Owner           string // username
	SupportGroup    string // team name
	Tag             string
	LifecycleStatus string
	MinCriticality  int
	InternetExposed *bool
	// UpdatedSince keeps CIs updated at or after this time, for
	// incremental sync.
	UpdatedSince time.Time
	// IncludeDeleted adds the tombstones of CIs deleted at or after
	// UpdatedSince (all kept tombstones when it is zero), in
	// Page.Deleted, after the last page of CIs. Other filters do not
	// apply to them: a deleted CI keeps only its key.
	IncludeDeleted bool
	// Sort is one of Sorts; "" is "name".
	Sort string
	// SkipTotal leaves Page.Total at 0: an export reads every page and
	// has no use for a count that costs a second pass.
	SkipTotal bool
	Cursor    string
	Limit     int
}

// Sorts are the orders a CI list can take: by name, kind, business
// criticality, environment or last update, each ascending or, with a
// leading "-", descending. Ties are broken by name then id (by id alone
// for name and updated), so every order is total and pages never skip or
// repeat a CI; a descending order is the ascending one read backwards.
var Sorts = []string{"name", "-name", "kind", "-kind", "criticality", "-criticality",
	"environment", "-environment", "updated", "-updated"}

// TombstoneRetention is how long the tombstone of a deleted CI is kept
// for incremental sync. A client that last synchronised longer ago than
// this must read the whole list again, since older deletes are forgotten.
const TombstoneRetention = 90 * 24 * time.Hour

// Tombstone says a CI was deleted, for clients that keep a copy of the
// CMDB in step through updated_since.
type Tombstone struct {
	Key       string    `json:"key"`
	DeletedAt time.Time `json:"deleted_at"`
}

// Page is one page of CIs and how many CIs match in all.
type Page struct {
	Items []CI `json:"items"`
	// Deleted holds tombstones when the filter asked for them
	// (IncludeDeleted); they come after every CI, and Total counts them.
	Deleted []Tombstone `json:"deleted,omitempty"`
	Total   int         `json:"total"`
	// TotalCapped: more than paging.TotalCap match; Total is the cap.
	TotalCapped bool   `json:"total_capped,omitempty"`
	NextCursor  string `json:"next_cursor,omitempty"`
}

// Update changes a CI; nil fields are left as they are.
type Update struct {
	Name               *string         `json:"name,omitempty"`
	Kind               *Kind           `json:"kind,omitempty"`
	Description        *string         `json:"description,omitempty"`
	Environment        *string         `json:"environment,omitempty"`
	Owner              *string         `json:"owner,omitempty"`
	SupportGroup       *string         `json:"support_group,omitempty"`
	Criticality        *int            `json:"business_criticality,omitempty"`
	DataClassification *string         `json:"data_classification,omitempty"`
	InternetExposed    *bool           `json:"internet_exposed,omitempty"`
	Supplier           *string         `json:"supplier,omitempty"`
	LifecycleStatus    *string         `json:"lifecycle_status,omitempty"`
	Identifiers        *Identifiers    `json:"identifiers,omitempty"`
	Tags               *[]string       `json:"tags,omitempty"`
	Attributes         *map[string]any `json:"attributes,omitempty"`
	// Version enables optimistic concurrency: the update fails with
	// Conflict when it differs from the stored version.
	Version *int64 `json:"version,omitempty"`
}

// normalizeFilter validates f, canonicalises its values the way CIs store
// them, and clamps the limit.
func normalizeFilter(f Filter) (Filter, error) {
	var fe errs.Fields
	f.Query = strings.TrimSpace(f.Query)
	f.Environment = strings.ToLower(strings.TrimSpace(f.Environment))
	f.Owner = strings.TrimSpace(f.Owner)
	f.SupportGroup = strings.TrimSpace(f.SupportGroup)
	f.Tag = strings.TrimSpace(f.Tag)
	f.LifecycleStatus = strings.ToLower(strings.TrimSpace(f.LifecycleStatus))
	if f.Kind != "" && !f.Kind.Valid() {
		fe.Add("kind", "must be one of %s", joinKinds())
	}
	if f.LifecycleStatus != "" && !slices.Contains(LifecycleStatuses, f.LifecycleStatus) {
		fe.Add("lifecycle_status", "must be one of %s", strings.Join(LifecycleStatuses, ", "))
	}
	f.Sort = strings.TrimSpace(f.Sort)
	if f.Sort == "" {
		f.Sort = "name"
	} else if !slices.Contains(Sorts, f.Sort) {
		fe.Add("sort", "must be one of %s", strings.Join(Sorts, ", "))
	}
	if f.MinCriticality < 0 || f.MinCriticality > 5 {
		fe.Add("min_criticality", "must be between 1 and 5")
	}
	f.Limit = paging.Limit(&fe, f.Limit)
	return f, fe.Err()
}

// apply returns ci with the update's non-nil fields set. The result still
// needs normalising.
func (u Update) apply(ci CI) CI {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&ci.Name, u.Name)
	if u.Kind != nil {
		ci.Kind = *u.Kind
	}
	set(&ci.Description, u.Description)
	set(&ci.Environment, u.Environment)
	set(&ci.Owner, u.Owner)
	set(&ci.SupportGroup, u.SupportGroup)
	if u.Criticality != nil {
		ci.Criticality = *u.Criticality
	}
	set(&ci.DataClassification, u.DataClassification)
	if u.InternetExposed != nil {
		ci.InternetExposed = *u.InternetExposed
	}
	set(&ci.Supplier, u.Supplier)
	set(&ci.LifecycleStatus, u.LifecycleStatus)
	if u.Identifiers != nil {
		ci.Identifiers = *u.Identifiers
	}
	if u.Tags != nil {
		ci.Tags = *u.Tags
	}
	if u.Attributes != nil {
		ci.Attributes = *u.Attributes
	}
	return ci
}

// checkExplicit reports values an update sets explicitly that normalising
// would otherwise replace with a default (criticality 0).
func (u Update) checkExplicit(prefix string, fe *errs.Fields) {
	if u.Criticality != nil && *u.Criticality == 0 {
		fe.Add(prefix+"business_criticality", "must be between 1 and 5")
	}
}

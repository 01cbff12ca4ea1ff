package incident

import (
	"slices"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// Filter selects incidents. Zero fields do not filter.
type Filter struct {
	// Query finds incidents whose key is it, or whose short description
	// contains it, in any case.
	Query string
	// State keeps incidents in one state; "open" keeps new, in progress
	// and on hold.
	State           string
	Priority        int
	Category        string
	AssignmentGroup string // team name
	Assignee        string // username
	// Unassigned keeps incidents without an assignee.
	Unassigned bool
	// Groups keeps incidents assigned to one of these teams (the
	// service's "my groups": the principal's teams).
	Groups []int64
	// MyGroups asks the service to fill Groups with the caller's teams.
	MyGroups bool
	Caller   string // username
	CI       string // key of an affected CI
	Security *bool
	Major    *bool
	Parent   string // key of the parent
	// UpdatedSince keeps incidents updated at or after this time.
	UpdatedSince time.Time
	// IncludeDeleted adds, after the last incident, tombstones of
	// incidents that left the caller's view since UpdatedSince.
	IncludeDeleted bool
	// Sort is one of Sorts; "" is "-created" (newest first).
	Sort      string
	SkipTotal bool
	Cursor    string
	Limit     int

	// AssigneeID, CallerID, CIID, GroupID and ParentID are the resolved
	// names above, for the store (-1: a name that matches nothing).
	AssigneeID, CallerID, CIID, GroupID, ParentID int64
}

// Sorts are the orders of an incident list: by creation, last update or
// priority, ascending or (with "-") descending; ties by creation.
var Sorts = []string{"created", "-created", "updated", "-updated", "priority", "-priority"}

// StateFilters are the values Filter.State takes.
func StateFilters() []string {
	out := []string{"open"}
	for _, s := range States {
		out = append(out, string(s))
	}
	return out
}

// Page is one page of incidents and how many match in all.
type Page struct {
	Items       []Incident  `json:"items"`
	Deleted     []Tombstone `json:"deleted,omitempty"`
	Total       int         `json:"total"`
	TotalCapped bool        `json:"total_capped,omitempty"`
	NextCursor  string      `json:"next_cursor,omitempty"`
}

// Tombstone says an incident left the reader's view: it became a security
// incident they may not see.
type Tombstone struct {
	Key       string    `json:"key"`
	DeletedAt time.Time `json:"deleted_at"`
}

// TombstoneRetention is how long tombstones are kept for incremental sync.
const TombstoneRetention = 90 * 24 * time.Hour

func normalizeFilter(f Filter) (Filter, error) {
	var fe errs.Fields
	f.Query = strings.TrimSpace(f.Query)
	f.State = strings.TrimSpace(f.State)
	if f.State != "" && !slices.Contains(StateFilters(), f.State) {
		fe.Add("state", "must be one of %s", strings.Join(StateFilters(), ", "))
	}
	if f.Priority < 0 || f.Priority > 5 {
		fe.Add("priority", "must be between 1 and 5")
	}
	if f.Category != "" && !slices.Contains(Categories(), f.Category) {
		fe.Add("category", "must be one of %s", strings.Join(Categories(), ", "))
	}
	f.Sort = strings.TrimSpace(f.Sort)
	if f.Sort == "" {
		f.Sort = "-created"
	} else if !slices.Contains(Sorts, f.Sort) {
		fe.Add("sort", "must be one of %s", strings.Join(Sorts, ", "))
	}
	f.Limit = paging.Limit(&fe, f.Limit)
	return f, fe.Err()
}

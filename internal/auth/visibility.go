package auth

import "slices"

// RecordKind names a kind of record whose visibility auth decides. Each
// kind has one rule below; the store renders a Visibility into a WHERE
// predicate over that kind's table (store.Visible), so every list, count,
// search, export and key lookup obeys the same rule and nothing is
// filtered in Go after the fact.
type RecordKind string

const (
	KindCI    RecordKind = "ci"    // configuration items: staff all, requesters the CIs they own
	KindUser  RecordKind = "user"  // the user directory: staff all, requesters themselves
	KindTeam  RecordKind = "team"  // teams: staff all, requesters the teams they belong to
	KindToken RecordKind = "token" // API tokens: token managers all, everyone else their own
	// KindImport is import reports: staff all, nobody else any.
	KindImport RecordKind = "import"
	// KindJob is background jobs: job admins all, nobody else any.
	KindJob RecordKind = "job"
	// KindAudit is audit entries: auditors the general stream without
	// restricted entries; security auditors and admins everything.
	KindAudit RecordKind = "audit"
	// KindSLA is SLA configuration (definitions and schedules): staff
	// all, nobody else any.
	KindSLA RecordKind = "sla"
	// KindIncident is incidents: staff see non-restricted incidents,
	// requesters those they raised; restricted (security) incidents only
	// security analysts, admins and the users and teams an incident is
	// shared with.
	KindIncident RecordKind = "incident"
	// KindFinding is vulnerability findings: staff all, nobody else any.
	// A finding is never restricted, even on the CI of a restricted
	// incident (the incident's link to it is).
	KindFinding RecordKind = "finding"
)

// Base is which non-restricted records of a kind a Visibility covers.
type Base int

const (
	// BaseNone: none at all (the zero Visibility, and a principal without
	// the kind's read permission). Shares do not widen it.
	BaseNone Base = iota
	// BaseOwn: the records the principal owns, by the table's owner column
	// (the user's id) or team column (one of the user's teams).
	BaseOwn
	// BaseAll: every non-restricted record.
	BaseAll
)

// Visibility is what one principal may see of one record kind. Only this
// package builds one: VisibilityFor from a principal, or Unrestricted for
// work Rampart does on its own behalf. The zero value sees nothing, so a
// forgotten argument fails closed. The store turns it into SQL
// (store.Visible); it reads these fields through the accessors below and
// cannot change them.
type Visibility struct {
	kind       RecordKind // "" for Unrestricted: any kind
	base       Base
	restricted bool // also every restricted record of the kind
	userID     int64
	teamIDs    []int64
	reason     string // why Unrestricted was asked for
}

// Unrestricted is the one way to read records regardless of who may see
// them, for system work (a poller, a migration, the audit of a cascade,
// a uniqueness check). reason says which, so every use can be found with
// grep "auth.Unrestricted(" and reviewed.
func Unrestricted(reason string) Visibility {
	if reason == "" {
		panic("auth.Unrestricted needs a reason")
	}
	return Visibility{base: BaseAll, restricted: true, reason: reason}
}

// VisibilityFor is what p may see of kind k. A principal that may not read
// the kind at all sees nothing; otherwise the kind's rule (see the
// RecordKind constants) decides from p's roles, user id and teams.
func VisibilityFor(p Principal, k RecordKind) Visibility {
	v := Visibility{kind: k, userID: p.UserID, teamIDs: slices.Clone(p.TeamIDs)}
	switch k {
	case KindCI:
		v.base = staffOrOwn(p, CIRead)
	case KindUser, KindTeam:
		v.base = staffOrOwn(p, UserRead)
	case KindToken:
		v.base = allOrOwn(p.UserID != 0, p.Can(TokenManage))
	case KindImport:
		v.base = allOrNone(p.Can(ImportRead))
	case KindJob:
		v.base = allOrNone(p.Can(JobsAdmin))
	case KindFinding:
		v.base = allOrNone(p.Can(FindingRead))
	case KindAudit:
		v.base = allOrNone(p.Can(AuditRead))
		v.restricted = v.base == BaseAll && p.Can(AuditReadRestricted)
	case KindSLA:
		v.base = allOrNone(p.Can(SLARead))
	case KindIncident:
		v.base = staffOrOwn(p, IncidentRead)
		v.restricted = v.base != BaseNone && p.Can(IncidentReadRestricted)
	}
	if v.base == BaseNone {
		return Visibility{kind: k}
	}
	return v
}

// staffOrOwn: staff with the read permission see all, anyone else with it
// (requesters) what they own.
func staffOrOwn(p Principal, read Action) Base {
	switch {
	case !p.Can(read):
		return BaseNone
	case isStaff(p):
		return BaseAll
	default:
		return BaseOwn
	}
}

func allOrOwn(signedIn, all bool) Base {
	switch {
	case all:
		return BaseAll
	case signedIn:
		return BaseOwn
	}
	return BaseNone
}

func allOrNone(all bool) Base {
	if all {
		return BaseAll
	}
	return BaseNone
}

func isStaff(p Principal) bool { return slices.ContainsFunc(staff, p.Has) }

// Kind is the record kind this visibility is for; "" for Unrestricted,
// which fits every kind.
func (v Visibility) Kind() RecordKind { return v.kind }

// Fits reports whether v may be applied to records of kind k: built for k,
// or Unrestricted. The store renders a visibility that does not fit as
// "nothing", so passing the wrong kind fails closed.
func (v Visibility) Fits(k RecordKind) bool { return v.kind == "" || v.kind == k }

// Base is which non-restricted records v covers.
func (v Visibility) Base() Base { return v.base }

// Restricted reports whether v also covers every restricted record.
func (v Visibility) Restricted() bool { return v.restricted }

// Shares reports whether records shared with v's user or teams are
// visible to v beyond its base rule: for anyone who may read the kind
// at all.
func (v Visibility) Shares() bool { return v.base != BaseNone && v.userID != 0 }

// UserID is the user whose own and shared records v covers (0 for none).
func (v Visibility) UserID() int64 { return v.userID }

// TeamIDs are the teams whose records and shares v covers.
func (v Visibility) TeamIDs() []int64 { return slices.Clone(v.teamIDs) }

// Reason is why Unrestricted was asked for ("" for a principal's view).
func (v Visibility) Reason() string { return v.reason }

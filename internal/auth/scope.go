package auth

// Scope says which records of one kind a principal may see. The store turns
// it into a WHERE fragment (store/visibility.go), so every list, count,
// search and export obeys the same rule; nothing is filtered in Go.
type Scope struct {
	// None: the principal sees nothing of this kind.
	None bool
	// All: no restriction.
	All bool
	// OwnerID: only records owned by this user (when neither None nor All).
	OwnerID int64
}

// CIScope is what p may see of the CMDB: staff see every CI, requesters only
// the CIs they own (their laptop, their phone), nobody else anything.
func CIScope(p Principal) Scope { return ownedScope(p, CIRead) }

// UserScope is what p may see of the user directory: staff see everybody so
// they can assign work; requesters see only themselves.
func UserScope(p Principal) Scope { return ownedScope(p, UserRead) }

// AuditScope is what p may see of the audit log: all of it or nothing.
func AuditScope(p Principal) Scope {
	if p.Can(AuditRead) {
		return Scope{All: true}
	}
	return Scope{None: true}
}

func ownedScope(p Principal, read Action) Scope {
	switch {
	case p.System:
		return Scope{All: true}
	case !p.Can(read):
		return Scope{None: true}
	case p.Has(RoleRequester) && !isStaff(p):
		return Scope{OwnerID: p.UserID}
	default:
		return Scope{All: true}
	}
}

func isStaff(p Principal) bool {
	for _, r := range staff {
		if p.Has(r) {
			return true
		}
	}
	return false
}

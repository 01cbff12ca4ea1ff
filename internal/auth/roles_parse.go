package auth

import (
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// ParseRole reads one role name as typed ("Agent", " auditor "). It returns
// an Invalid error naming field "roles" for an unknown name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", errs.Field("roles", "unknown role %q (known: %s)", s, roleList())
	}
	return r, nil
}

// ParseRoles reads a comma- or space-separated role list as typed on a
// command line or in a form ("agent, auditor"). Duplicates are dropped and
// the result is in AllRoles order; an empty input gives no roles.
func ParseRoles(s string) ([]Role, error) {
	var fe errs.Fields
	var roles []Role
	for _, f := range strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' }) {
		r := Role(strings.ToLower(f))
		if !r.Valid() {
			fe.Add("roles", "unknown role %q (known: %s)", f, roleList())
			continue
		}
		roles = append(roles, r)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if len(roles) == 0 {
		return []Role{}, nil
	}
	return normalizeRoles(&fe, roles), nil
}

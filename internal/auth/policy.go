package auth

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// MinPasswordLength is the shortest password accepted. Length is the rule
// (NIST SP 800-63B): no composition rules, which push people to predictable
// patterns.
const MinPasswordLength = 12

// maxPasswordBytes bounds the work one request can ask of the hasher.
const maxPasswordBytes = 1024

// usernamePattern: lower case so "Alice" and "alice" cannot be two
// accounts; no spaces or slashes so a username is safe in a URL path.
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{0,63}$`)

// reservedUsernames would be mistaken for Rampart itself in the audit log.
var reservedUsernames = []string{System.Username}

// maxUsernameBytes is the longest username usernamePattern allows; a
// longer one typed at sign-in is clipped to it before it names a throttle
// key or an audit entry.
const maxUsernameBytes = 64

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// NormalizeUsername returns the stored form of a typed username: trimmed
// and lower-cased.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidatePassword returns an Invalid error naming field "password" when
// password breaks the policy: at least MinPasswordLength characters, not
// the username.
func ValidatePassword(username, password string) error {
	var fe errs.Fields
	checkPassword(&fe, "password", username, password)
	return fe.Err()
}

func checkPassword(fe *errs.Fields, field, username, password string) {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		fe.Add(field, "must be at least %d characters long", MinPasswordLength)
	case len(password) > maxPasswordBytes:
		fe.Add(field, "must be at most %d bytes long", maxPasswordBytes)
	case strings.EqualFold(strings.TrimSpace(password), username):
		fe.Add(field, "must not be the username")
	}
}

func checkUsername(fe *errs.Fields, name string) {
	switch {
	case name == "":
		fe.Add("username", "is required")
	case !usernamePattern.MatchString(name):
		fe.Add("username", "use 1 to 64 lower-case letters, digits and . _ @ -, starting with a letter or digit")
	case slices.Contains(reservedUsernames, name):
		fe.Add("username", "%q is reserved", name)
	}
}

func checkEmail(fe *errs.Fields, field, email string) {
	if email == "" {
		return
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		fe.Add(field, "must be an e-mail address such as name@example.org")
	}
}

// checkText refuses over-long text and control characters, which would
// corrupt logs and CSV exports.
func checkText(fe *errs.Fields, field, s string, maxRunes int) {
	if utf8.RuneCountInString(s) > maxRunes {
		fe.Add(field, "must be at most %d characters long", maxRunes)
		return
	}
	if strings.ContainsFunc(s, unicode.IsControl) {
		fe.Add(field, "must not contain control characters")
	}
}

// normalizeRoles checks every role is known and returns them without
// duplicates in AllRoles order.
func normalizeRoles(fe *errs.Fields, roles []Role) []Role {
	out := []Role{}
	for _, r := range AllRoles {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	for _, r := range roles {
		if !r.Valid() {
			fe.Add("roles", "unknown role %q (known: %s)", r, roleList())
		}
	}
	if len(out) == 0 && len(roles) == 0 {
		fe.Add("roles", "give at least one role")
	}
	return out
}

// normalizeNames trims, drops empties and duplicates, and sorts.
func normalizeNames(names []string, fold func(string) string) []string {
	out := []string{}
	for _, n := range names {
		if n = fold(strings.TrimSpace(n)); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func roleList() string {
	s := make([]string, len(AllRoles))
	for i, r := range AllRoles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

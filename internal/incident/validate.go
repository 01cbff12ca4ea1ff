package incident

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// Limits on free text, so one record cannot swell every page it is on.
const (
	maxShortDescription = 200
	maxDescription      = 20000
	maxShortText        = 200
	maxNotes            = 20000
	maxCIs              = 100
	maxTechniques       = 50
	maxObservables      = 200
	maxObservableValue  = 2048
)

// DefaultImpact and DefaultUrgency apply when an incident is raised
// without them: the lowest, so nothing is urgent by omission.
const (
	DefaultImpact  = 3
	DefaultUrgency = 3
)

// techniquePattern is a MITRE ATT&CK technique or sub-technique id.
var techniquePattern = regexp.MustCompile(`^T[0-9]{4}(\.[0-9]{3})?$`)

// ObservableKinds are the kinds of observable a security incident records.
var ObservableKinds = []string{"ip", "domain", "url", "file_hash", "email", "user_account"}

var (
	domainPattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	hashPattern   = regexp.MustCompile(`^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$`)
)

// line checks and trims one line of text of at most max characters.
func line(fe *errs.Fields, field string, s *string, max int) {
	if !textrule.Line(fe, field, *s) {
		return
	}
	*s = strings.TrimSpace(*s)
	if utf8.RuneCountInString(*s) > max {
		fe.Add(field, "must be at most %d characters", max)
	}
}

// long checks and trims long text (line breaks allowed).
func long(fe *errs.Fields, field string, s *string, max int) {
	if !textrule.Long(fe, field, *s) {
		return
	}
	*s = strings.TrimSpace(*s)
	if utf8.RuneCountInString(*s) > max {
		fe.Add(field, "must be at most %d characters", max)
	}
}

func oneOf(fe *errs.Fields, field string, s *string, allowed []string) {
	*s = strings.ToLower(strings.TrimSpace(*s))
	if *s != "" && !slices.Contains(allowed, *s) {
		fe.Add(field, "must be one of %s", strings.Join(allowed, ", "))
	}
}

// normalize puts inc's own fields into canonical form and records every
// problem in fe under the field's JSON name after prefix. References
// (caller, group, assignee, CIs, parent) are only trimmed: whether they
// exist is a database question.
func normalize(inc *Incident, prefix string, fe *errs.Fields) {
	line(fe, prefix+"short_description", &inc.ShortDescription, maxShortDescription)
	if inc.ShortDescription == "" {
		fe.Add(prefix+"short_description", "is required")
	}
	long(fe, prefix+"description", &inc.Description, maxDescription)
	line(fe, prefix+"caller", &inc.Caller, maxShortText)
	inc.Caller = strings.ToLower(inc.Caller)
	oneOf(fe, prefix+"category", &inc.Category, Categories())
	line(fe, prefix+"subcategory", &inc.Subcategory, maxShortText)
	if IsSecurityCategory(inc.Category) {
		inc.Security = true
	}
	if inc.Impact < 1 || inc.Impact > 3 {
		fe.Add(prefix+"impact", "must be 1 (high), 2 (medium) or 3 (low)")
	}
	if inc.Urgency < 1 || inc.Urgency > 3 {
		fe.Add(prefix+"urgency", "must be 1 (high), 2 (medium) or 3 (low)")
	}
	oneOf(fe, prefix+"on_hold_reason", &inc.OnHoldReason, OnHoldReasons)
	oneOf(fe, prefix+"resolution_code", &inc.ResolutionCode, ResolutionCodes)
	long(fe, prefix+"resolution_notes", &inc.ResolutionNotes, maxNotes)
	line(fe, prefix+"assignment_group", &inc.AssignmentGroup, maxShortText)
	line(fe, prefix+"assignee", &inc.Assignee, maxShortText)
	inc.Assignee = strings.ToLower(inc.Assignee)
	if inc.Assignee != "" && inc.AssignmentGroup == "" {
		fe.Add(prefix+"assignee", "needs an assignment_group the assignee is a member of")
	}
	inc.CIs = normalizeKeys(fe, prefix+"cis", inc.CIs, maxCIs)
	inc.Parent = normalizeKey(inc.Parent)
	if inc.Parent != "" && inc.Parent == inc.Key {
		fe.Add(prefix+"parent", "an incident cannot be its own parent")
	}
	line(fe, prefix+"attack_vector", &inc.AttackVector, maxShortText)
	oneOf(fe, prefix+"response_phase", &inc.ResponsePhase, ResponsePhases)
	inc.Techniques = normalizeTechniques(fe, prefix+"techniques", inc.Techniques)
	inc.Observables = normalizeObservables(fe, prefix+"observables", inc.Observables)
	if !inc.Security {
		for field, set := range map[string]bool{"attack_vector": inc.AttackVector != "", "response_phase": inc.ResponsePhase != "",
			"techniques": len(inc.Techniques) > 0, "observables": len(inc.Observables) > 0} {
			if set {
				fe.Add(prefix+field, "only a security incident records it (set security or a security category)")
			}
		}
	}
}

// normalizeKeys upper-cases, trims and de-duplicates record keys.
func normalizeKeys(fe *errs.Fields, field string, keys []string, max int) []string {
	out := []string{}
	for i, k := range keys {
		if !textrule.Line(fe, fmt.Sprintf("%s[%d]", field, i), k) {
			continue
		}
		if k = normalizeKey(k); k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	if len(out) > max {
		fe.Add(field, "at most %d", max)
	}
	return out
}

func normalizeTechniques(fe *errs.Fields, field string, ids []string) []string {
	out := []string{}
	for i, id := range ids {
		id = strings.ToUpper(strings.TrimSpace(id))
		switch {
		case !techniquePattern.MatchString(id):
			fe.Add(fmt.Sprintf("%s[%d]", field, i), "must be a MITRE ATT&CK technique id such as T1566 or T1566.001")
		case !slices.Contains(out, id):
			out = append(out, id)
		}
	}
	if len(out) > maxTechniques {
		fe.Add(field, "at most %d", maxTechniques)
	}
	slices.Sort(out)
	return out
}

func normalizeObservables(fe *errs.Fields, field string, obs []Observable) []Observable {
	out := []Observable{}
	for i, o := range obs {
		at := fmt.Sprintf("%s[%d]", field, i)
		o.Kind = strings.ToLower(strings.TrimSpace(o.Kind))
		if !textrule.Line(fe, at+".value", o.Value) {
			continue
		}
		o.Value = strings.TrimSpace(o.Value)
		if !slices.Contains(ObservableKinds, o.Kind) {
			fe.Add(at+".kind", "must be one of %s", strings.Join(ObservableKinds, ", "))
			continue
		}
		v, msg := canonicalObservable(o.Kind, o.Value)
		if msg != "" {
			fe.Add(at+".value", "%s", msg)
			continue
		}
		o.Value = v
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	if len(out) > maxObservables {
		fe.Add(field, "at most %d", maxObservables)
	}
	return out
}

// canonicalObservable returns the stored form of an observable's value,
// so the same thing seen twice matches, or why it is not one.
func canonicalObservable(kind, v string) (string, string) {
	if v == "" {
		return "", "is required"
	}
	if len(v) > maxObservableValue {
		return "", fmt.Sprintf("must be at most %d bytes", maxObservableValue)
	}
	switch kind {
	case "ip":
		ip := net.ParseIP(v)
		if ip == nil {
			return "", "must be an IPv4 or IPv6 address"
		}
		return ip.String(), ""
	case "domain":
		d := strings.TrimSuffix(strings.ToLower(v), ".")
		if !domainPattern.MatchString(d) {
			return "", "must be a domain name such as example.org"
		}
		return d, ""
	case "url":
		u, err := url.Parse(v)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return "", "must be an absolute URL such as https://example.org/login"
		}
		u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
		return u.String(), ""
	case "file_hash":
		h := strings.ToLower(v)
		if !hashPattern.MatchString(h) {
			return "", "must be an MD5, SHA-1, SHA-256 or SHA-512 hash in hexadecimal"
		}
		return h, ""
	case "email":
		a, err := mail.ParseAddress(v)
		if err != nil || a.Address != v {
			return "", "must be an e-mail address such as name@example.org"
		}
		return strings.ToLower(v), ""
	}
	return v, "" // user_account: as given
}

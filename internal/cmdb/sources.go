package cmdb

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// SourceManual is the source of a change a person made through the web
// UI, the API or the CLI. It ranks above every import source.
const SourceManual = "manual"

// FieldSource says who last set one field of a CI: a person (Source
// "manual") or an import source, with the user who ran the import and its
// key.
type FieldSource struct {
	Source string `json:"source"`           // "manual", or the import source's name
	By     string `json:"by"`               // username of who made the change or ran the import
	Import string `json:"import,omitempty"` // IMP-n, for a change an import made
}

// Sources maps a CI's tracked fields to who last set them. Fields are the
// JSON names of the CI's scalar fields (name, environment, owner...) and
// "attributes.KEY" for each free attribute. Identifiers and tags are not
// tracked: imports only ever add to them. A field nobody has set since
// sources were recorded (a default, or a CI older than that) is absent,
// and any source may set it.
//
// A Sources map is never changed in place once a CI holds it: CIs of one
// import may share one, so a change makes a copy (withSource).
type Sources map[string]FieldSource

// trackedField is one scalar field of a CI whose source is recorded.
type trackedField struct {
	name string
	same func(a, b *CI) bool
	keep func(dst, src *CI) // copy the field from src into dst
	show func(*CI) string
}

func scalar[T comparable](name string, at func(*CI) *T) trackedField {
	return trackedField{name: name,
		same: func(a, b *CI) bool { return *at(a) == *at(b) },
		keep: func(dst, src *CI) { *at(dst) = *at(src) },
		show: func(ci *CI) string { return fmt.Sprint(*at(ci)) },
	}
}

// byName is a field naming a user or team: compared by id once resolved,
// shown by name.
func byName(name string, id func(*CI) *int64, label func(*CI) *string) trackedField {
	return trackedField{name: name,
		same: func(a, b *CI) bool { return *id(a) == *id(b) && *label(a) == *label(b) },
		keep: func(dst, src *CI) { *id(dst), *label(dst) = *id(src), *label(src) },
		show: func(ci *CI) string { return *label(ci) },
	}
}

var trackedFields = []trackedField{
	scalar("name", func(c *CI) *string { return &c.Name }),
	scalar("kind", func(c *CI) *Kind { return &c.Kind }),
	scalar("description", func(c *CI) *string { return &c.Description }),
	scalar("environment", func(c *CI) *string { return &c.Environment }),
	byName("owner", func(c *CI) *int64 { return &c.OwnerID }, func(c *CI) *string { return &c.Owner }),
	byName("support_group", func(c *CI) *int64 { return &c.SupportGroupID }, func(c *CI) *string { return &c.SupportGroup }),
	scalar("business_criticality", func(c *CI) *int { return &c.Criticality }),
	scalar("data_classification", func(c *CI) *string { return &c.DataClassification }),
	scalar("internet_exposed", func(c *CI) *bool { return &c.InternetExposed }),
	scalar("supplier", func(c *CI) *string { return &c.Supplier }),
	scalar("lifecycle_status", func(c *CI) *string { return &c.LifecycleStatus }),
}

const attrPrefix = "attributes."

// changedFields lists the tracked fields that differ between two CIs:
// scalar fields, then attribute keys added, changed or removed.
func changedFields(before, after *CI) []string {
	var out []string
	for _, f := range trackedFields {
		if !f.same(before, after) {
			out = append(out, f.name)
		}
	}
	for k, v := range after.Attributes {
		if old, ok := before.Attributes[k]; !ok || !reflect.DeepEqual(old, v) {
			out = append(out, attrPrefix+k)
		}
	}
	for k := range before.Attributes {
		if _, ok := after.Attributes[k]; !ok {
			out = append(out, attrPrefix+k)
		}
	}
	return out
}

// givenFields lists the tracked fields a new CI was given: those not at
// their zero value (a zero value means "not given", so the default
// applies), and every attribute key.
func givenFields(given *CI) []string {
	var zero CI
	var out []string
	for _, f := range trackedFields {
		if !f.same(given, &zero) {
			out = append(out, f.name)
		}
	}
	for k := range given.Attributes {
		out = append(out, attrPrefix+k)
	}
	return out
}

// withSource returns a copy of s with every field in fields held by src;
// s itself when fields is empty.
func (s Sources) withSource(fields []string, src FieldSource) Sources {
	if len(fields) == 0 {
		return s
	}
	out := make(Sources, len(s)+len(fields))
	maps.Copy(out, s)
	for _, f := range fields {
		out[f] = src
	}
	return out
}

// Precedence is the order of import sources, highest first. Manual edits
// rank above every import source; a source not listed ranks below every
// listed one, equal with the other unlisted ones. An import may set a
// field whose holder ranks at or below its own source (so a source always
// updates what it set itself, and among equals the latest wins), never one
// held by a source ranked above it.
type Precedence struct {
	Sources []string `json:"sources"`
}

// rank is 0 for manual, 1 for the first listed source, and so on.
func (p Precedence) rank(source string) int {
	if source == SourceManual {
		return 0
	}
	if i := slices.Index(p.Sources, source); i >= 0 {
		return i + 1
	}
	return len(p.Sources) + 1
}

// outranks reports whether holder ranks above source.
func (p Precedence) outranks(holder, source string) bool {
	return p.rank(holder) < p.rank(source)
}

// maxSources bounds the precedence list: a configuration, not a log.
const maxSources = 100

var sourceName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

// checkSourceName reports what is wrong with an import source name, or "".
func checkSourceName(s string) string {
	switch {
	case s == SourceManual:
		return `"manual" is reserved for changes people make`
	case !sourceName.MatchString(s):
		return "must be 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit"
	}
	return ""
}

// normalize lower-cases and checks the list: names as checkSourceName
// says, none twice, at most maxSources.
func (p *Precedence) normalize() error {
	var fe errs.Fields
	if len(p.Sources) > maxSources {
		fe.Add("sources", "at most %d sources", maxSources)
	}
	seen := map[string]bool{}
	for i, s := range p.Sources {
		s = strings.ToLower(strings.TrimSpace(s))
		p.Sources[i] = s
		field := fmt.Sprintf("sources[%d]", i)
		if msg := checkSourceName(s); msg != "" {
			fe.Add(field, "%s", msg)
		} else if seen[s] {
			fe.Add(field, "%s is listed twice", s)
		}
		seen[s] = true
	}
	if p.Sources == nil {
		p.Sources = []string{}
	}
	return fe.Err()
}

// KeptField is a field an import row offered a new value for but did not
// set, because a source ranked above the import's holds it.
type KeptField struct {
	Field  string      `json:"field"`   // name, environment, attributes.rack...
	Value  string      `json:"value"`   // the value the row offered (attributes as JSON), cut at 200 characters
	Reason string      `json:"reason"`  // "set manually by alice"
	HeldBy FieldSource `json:"held_by"` // who holds the field
}

// String reads "name kept: set manually by alice".
func (k KeptField) String() string { return k.Field + " kept: " + k.Reason }

// keptReason says in words why a field held by h was kept from source.
func keptReason(h FieldSource, source string) string {
	if h.Source == SourceManual {
		if h.By == "" {
			return "set manually"
		}
		return "set manually by " + h.By
	}
	by := h.Import
	if h.By != "" {
		by = strings.TrimSpace(by + " by " + h.By)
	}
	if by != "" {
		by = " (" + by + ")"
	}
	return fmt.Sprintf("set by import source %s%s, which ranks above %s", h.Source, by, source)
}

// maxKeptValue bounds the offered value a report repeats.
const maxKeptValue = 200

func shortValue(s string) string {
	if utf8.RuneCountInString(s) <= maxKeptValue {
		return s
	}
	r := []rune(s)
	return string(r[:maxKeptValue-1]) + "…"
}

func attrValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// guard keeps, in next, every field that differs from cur and is held by
// a source ranked above src.Source, and records src as the source of
// every other field that changed. It returns the fields kept.
func (p Precedence) guard(cur, next *CI, src FieldSource) []KeptField {
	var kept []KeptField
	var set []string
	keep := func(field, offered string) bool {
		h, ok := cur.Sources[field]
		if !ok || !p.outranks(h.Source, src.Source) {
			set = append(set, field)
			return false
		}
		kept = append(kept, KeptField{Field: field, Value: shortValue(offered), Reason: keptReason(h, src.Source), HeldBy: h})
		return true
	}
	for _, f := range trackedFields {
		if !f.same(cur, next) && keep(f.name, f.show(next)) {
			f.keep(next, cur)
		}
	}
	// An import only adds and changes attribute keys (they are merged).
	var cloned bool
	for _, k := range slices.Sorted(maps.Keys(next.Attributes)) {
		v := next.Attributes[k]
		if old, ok := cur.Attributes[k]; ok && reflect.DeepEqual(old, v) {
			continue
		}
		if !keep(attrPrefix+k, attrValue(v)) {
			continue
		}
		if !cloned {
			next.Attributes, cloned = maps.Clone(next.Attributes), true
		}
		if old, ok := cur.Attributes[k]; ok {
			next.Attributes[k] = old
		} else {
			delete(next.Attributes, k) // removed by its holder
		}
	}
	next.Sources = cur.Sources.withSource(set, src)
	return kept
}

// manualSource is the source of a person's change.
func manualSource(username string) FieldSource {
	return FieldSource{Source: SourceManual, By: username}
}

// AuditKindSourcePrecedence is the audit record kind of the order of
// import sources (one record, key "import-sources").
const (
	AuditKindSourcePrecedence = "source_precedence"
	sourcePrecedenceKey       = "import-sources"
)

// SourcePrecedence returns the order of import sources, highest first.
// Requires auth.ImportRead (staff), who read the reports it explains.
// Errors: Unauthenticated, Forbidden.
func (s *Service) SourcePrecedence(ctx context.Context, p auth.Principal) (Precedence, error) {
	if err := p.Require(auth.ImportRead); err != nil {
		return Precedence{}, err
	}
	var out Precedence
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.CMDB().FindSourcePrecedence(ctx)
		return err
	})
	return out, err
}

// SetSourcePrecedence replaces the order of import sources and records the
// change in the audit log; imports running meanwhile use it from their
// next chunk. Requires auth.CMDBConfigure (admin).
// Errors: Unauthenticated, Forbidden, Invalid (a name, a repeat, too many).
func (s *Service) SetSourcePrecedence(ctx context.Context, p auth.Principal, next Precedence) (Precedence, error) {
	if err := p.Require(auth.CMDBConfigure); err != nil {
		return Precedence{}, err
	}
	next.Sources = slices.Clone(next.Sources)
	if err := next.normalize(); err != nil {
		return Precedence{}, err
	}
	err := s.t.InTx(ctx, func(tx Tx) error {
		cur, err := tx.CMDB().FindSourcePrecedence(ctx)
		if err != nil || slices.Equal(cur.Sources, next.Sources) {
			return err
		}
		if err := tx.CMDB().SaveSourcePrecedence(ctx, next); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionUpdate, Kind: AuditKindSourcePrecedence,
			Key: sourcePrecedenceKey, Before: cur, After: next})
	})
	if err != nil {
		return Precedence{}, err
	}
	return next, nil
}

// Says tells people who last set field, for a CI's page: "set by hand by
// alice", "from cmdb-sync (IMP-4)"; "" when nobody has since sources were
// recorded.
func (s Sources) Says(field string) string {
	h, ok := s[field]
	switch {
	case !ok:
		return ""
	case h.Source == SourceManual && h.By != "":
		return "set by hand by " + h.By
	case h.Source == SourceManual:
		return "set by hand"
	case h.Import != "":
		return "from " + h.Source + " (" + h.Import + ")"
	}
	return "from " + h.Source
}

// ReleaseFields hands fields of a CI back to imports: whoever held them
// (a person or an import source) no longer does, so the next import that
// gives them sets them. Fields nobody holds are left alone; when none of
// fields is held, nothing is written. Requires auth.CIWrite; recorded in
// the audit log (action release_sources, with the fields and who held
// them). Errors: Unauthenticated, Forbidden, NotFound, Invalid (a field
// that is not a tracked field or attributes.KEY).
func (s *Service) ReleaseFields(ctx context.Context, p auth.Principal, key string, fields []string) (CI, error) {
	if err := p.Require(auth.CIWrite); err != nil {
		return CI{}, err
	}
	var fe errs.Fields
	if len(fields) == 0 {
		fe.Add("fields", "name at least one field")
	}
	for i, f := range fields {
		if !trackedName(f) {
			fe.Add(fmt.Sprintf("fields[%d]", i), "%q is not a field whose source is recorded (name, environment, owner..., or attributes.KEY)", f)
		}
	}
	if err := fe.Err(); err != nil {
		return CI{}, err
	}
	var out CI
	err := s.t.InTx(ctx, func(tx Tx) error {
		st := tx.CMDB()
		cur, err := findCI(ctx, st, key, auth.VisibilityFor(p, auth.KindCI))
		if err != nil {
			return err
		}
		out = cur
		released := Sources{}
		for _, f := range fields {
			if h, ok := cur.Sources[f]; ok {
				released[f] = h
			}
		}
		if len(released) == 0 {
			return nil
		}
		next := cur
		next.Sources = make(Sources, len(cur.Sources))
		for f, h := range cur.Sources {
			if _, gone := released[f]; !gone {
				next.Sources[f] = h
			}
		}
		next.Version, next.UpdatedAt = cur.Version+1, tx.Now()
		if err := st.UpdateCIs(ctx, []CIChange{{Before: &cur, After: &next}}); err != nil {
			return err
		}
		out = next
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: ActionReleaseSources, Kind: AuditKindCI, Key: cur.Key,
			Before: map[string]Sources{"sources": released}, After: map[string]Sources{"sources": {}}})
	})
	return out, err
}

// ActionReleaseSources is the audit action of ReleaseFields.
const ActionReleaseSources = "release_sources"

// trackedName reports whether f names a field whose source is recorded.
func trackedName(f string) bool {
	if k, ok := strings.CutPrefix(f, attrPrefix); ok {
		return k != ""
	}
	return slices.ContainsFunc(trackedFields, func(t trackedField) bool { return t.name == f })
}

package cmdb

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// reconciler decides, for every candidate of one import, which CI it is.
// All database reads happen up front in batches (identifier matches, the
// matched CIs, owner and team names); the decisions are then made in
// memory, row by row, against an identifier index that includes the CIs
// earlier rows created, so two rows for the same host in one file create
// one CI. All writes happen at the end, in batches.
type reconciler struct {
	st    Store
	p     auth.Principal // who imports: whose visibility resolves names
	cands []prepared
	rows  []ImportRow

	holder map[IdentifierValue]*work // who holds each identifier now
	works  []*work                   // every CI touched, in first-touch order
	users  map[string]int64
	teams  map[string]int64
	// scratch, during a strict import's check, holds what earlier chunks
	// of the file would have done (see checkImport); nil when applying.
	scratch Scratch
	// src is who the fields this import sets are recorded as set by, and
	// prec the order of sources it is held to (loaded with the chunk).
	src  FieldSource
	prec Precedence
	// given shares one Sources among the CIs this chunk creates with the
	// same fields given: a CSV file gives the same columns on every row.
	given map[string]Sources

	rowWork     []*work   // the CI each row resolved to
	rowConflict [][]*work // the CIs a conflicting row matched
}

// work is one CI as the import leaves it.
type work struct {
	ci     *CI
	before *CI // as stored; nil when this import creates the CI
}

type prepared struct {
	Candidate
	ids    Identifiers // normalised
	errors []errs.FieldError
}

func newReconciler(st Store, p auth.Principal, src FieldSource, n int) *reconciler {
	return &reconciler{st: st, p: p, src: src, rows: make([]ImportRow, n), rowWork: make([]*work, n), rowConflict: make([][]*work, n),
		given: map[string]Sources{}}
}

// prepare normalises every candidate's identifiers and loads, in batches,
// everything reconciliation needs to know from the database.
func (rc *reconciler) prepare(ctx context.Context, cands []Candidate) error {
	rc.cands = make([]prepared, len(cands))
	// Sized for every identifier the file gives: growing maps of hundreds
	// of thousands of entries step by step costs more than filling them.
	total := 0
	for _, c := range cands {
		total += c.Identifiers.count()
		if c.Fields.Identifiers != nil {
			total += c.Fields.Identifiers.count()
		}
	}
	seen := make(map[IdentifierValue]bool, total)
	lookup := make([]IdentifierValue, 0, total)
	rc.holder = make(map[IdentifierValue]*work, total)
	var users, teams []string
	for i, c := range cands {
		// A blank name or kind cell says nothing: it neither renames the
		// CI nor fails the row.
		if c.Fields.Name != nil && strings.TrimSpace(*c.Fields.Name) == "" {
			c.Fields.Name = nil
		}
		if c.Fields.Kind != nil && strings.TrimSpace(string(*c.Fields.Kind)) == "" {
			c.Fields.Kind = nil
		}
		pc := prepared{Candidate: c, errors: slices.Clone(c.Problems)}
		var fe errs.Fields
		ids := c.Identifiers
		if c.Fields.Identifiers != nil {
			ids = ids.Merge(*c.Fields.Identifiers)
		}
		pc.ids = NormalizeIdentifiers(ids, "", &fe)
		pc.errors = append(pc.errors, fe...)
		if pc.ids.Empty() {
			pc.errors = append(pc.errors, errs.FieldError{Field: "identifiers",
				Message: "no identifier to match on (host name, FQDN, IP, MAC, serial or cloud id)"})
		}
		// A row already rejected is still matched and checked like the
		// others, so its report lists every problem it has, not the first.
		for _, v := range pc.ids.Values() {
			if !seen[v] {
				seen[v] = true
				lookup = append(lookup, v)
			}
		}
		// A name the text rule refuses is reported by normalize and not
		// worth a query (NUL would make PostgreSQL fail the whole batch).
		if o := c.Fields.Owner; o != nil && *o != "" && textrule.Problem(*o, false) == "" {
			users = append(users, *o)
		}
		if g := c.Fields.SupportGroup; g != nil && *g != "" && textrule.Problem(*g, false) == "" {
			teams = append(teams, *g)
		}
		rc.cands[i] = pc
	}
	// A strict import's check finds what earlier rows of the file would
	// have done in its scratch area, and only the rest in the CMDB.
	var staged map[IdentifierValue]int64
	if rc.scratch != nil {
		var err error
		if staged, err = rc.scratch.Holders(ctx, lookup); err != nil {
			return err
		}
		lookup = slices.DeleteFunc(lookup, func(v IdentifierValue) bool { _, ok := staged[v]; return ok })
	}
	matches, err := rc.st.MatchIdentifiers(ctx, lookup, auth.VisibilityFor(rc.p, auth.KindCI))
	if err != nil {
		return err
	}
	idSet := map[int64]bool{}
	var ids, stagedIDs []int64
	for _, m := range matches {
		if !idSet[m.CIID] {
			idSet[m.CIID] = true
			ids = append(ids, m.CIID)
		}
	}
	// Every holder, seen or not: an identifier names one CI, and an
	// import that skipped a hidden one would create its duplicate.
	existing, err := rc.st.FindCIsByIDUnscoped(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range staged {
		if !idSet[id] {
			idSet[id] = true
			stagedIDs = append(stagedIDs, id)
		}
	}
	if len(stagedIDs) > 0 {
		cis, err := rc.scratch.CIs(ctx, stagedIDs)
		if err != nil {
			return err
		}
		maps.Copy(existing, cis)
		ids = append(ids, stagedIDs...)
	}
	for _, id := range ids {
		ci, ok := existing[id]
		if !ok {
			continue
		}
		cur := *ci
		w := &work{ci: &cur, before: ci}
		for _, v := range ci.Identifiers.Values() {
			rc.holder[v] = w
		}
	}
	if rc.users, err = rc.st.UserIDs(ctx, dedupe(trimAll(users)), auth.VisibilityFor(rc.p, auth.KindUser)); err != nil {
		return err
	}
	if rc.prec, err = rc.st.FindSourcePrecedence(ctx); err != nil {
		return err
	}
	rc.teams, err = rc.st.TeamIDs(ctx, dedupe(trimAll(teams)), auth.VisibilityFor(rc.p, auth.KindTeam))
	return err
}

func trimAll(s []string) []string {
	for i := range s {
		s[i] = strings.TrimSpace(s[i])
	}
	return s
}

// reconcile decides every row, in file order. A row is checked in full
// whatever it fails first (parsing, matching, a field), so its report
// lists all its problems; a rejected row changes nothing, not even what
// later rows match.
func (rc *reconciler) reconcile() {
	touched := map[*work]bool{}
	for i := range rc.cands {
		c := &rc.cands[i]
		row := &rc.rows[i]
		row.Row, row.Label = c.Row, c.Label
		if row.Label == "" {
			row.Label = fmt.Sprintf("row %d", c.Row)
		}
		var matched []*work
		for _, v := range c.ids.Values() {
			if w := rc.holder[v]; w != nil && !slices.Contains(matched, w) {
				matched = append(matched, w)
			}
		}
		var w *work
		var next *CI
		var more []errs.FieldError
		problems := slices.Clone(c.errors)
		switch len(matched) {
		case 0:
			next, more = rc.create(c)
		case 1:
			next, row.Kept, more = rc.update(c, matched[0])
		default:
			problems = append(problems, errs.FieldError{Field: "identifiers",
				Message: fmt.Sprintf("matches %d different CIs; merge or correct them first", len(matched))})
			_, more = rc.create(c) // the row's own fields, whichever CI it is
			rc.rowConflict[i] = matched
		}
		problems = addProblems(problems, more)
		if len(problems) > 0 {
			row.Action, row.Errors, row.Kept = ActionRejected, problems, nil
			continue
		}
		switch {
		case len(matched) == 0:
			w = &work{ci: next}
			row.Action = ActionCreated
		case sameContent(matched[0].ci, next):
			w = matched[0]
			row.Action = ActionUnchanged
		default:
			w = matched[0]
			w.ci = next
			row.Action = ActionUpdated
		}
		rc.rowWork[i] = w
		if !touched[w] {
			touched[w] = true
			rc.works = append(rc.works, w)
		}
		for _, v := range w.ci.Identifiers.Values() {
			rc.holder[v] = w
		}
	}
}

// addProblems adds to problems those of a row's check that are not among
// them yet (a parser may have said the same).
func addProblems(problems, more []errs.FieldError) []errs.FieldError {
	for _, p := range more {
		if !slices.Contains(problems, p) {
			problems = append(problems, p)
		}
	}
	return problems
}

// create builds a new CI from a candidate: the source's fields over the
// import defaults, named after its first host name, FQDN or IP when the
// source gives no name.
func (rc *reconciler) create(c *prepared) (*CI, []errs.FieldError) {
	ci := CI{Kind: KindServer, Criticality: DefaultCriticality, DataClassification: DefaultDataClassification,
		LifecycleStatus: DefaultLifecycleStatus}
	u := c.Fields
	u.Identifiers = nil
	ci = u.apply(ci)
	ci.Identifiers = c.ids
	if u.Name == nil {
		ci.Name = defaultName(c.ids)
	}
	ci.Sources = rc.givenSources(u)
	return rc.finish(&ci, c)
}

// givenSources records the import's source for the fields a row gives a
// new CI; defaults belong to nobody, so any source may set them later.
func (rc *reconciler) givenSources(u Update) Sources {
	given := u.apply(CI{})
	fields := givenFields(&given)
	slices.Sort(fields[len(fields)-len(given.Attributes):]) // map order: make the key stable
	key := strings.Join(fields, "\x00")
	if s, ok := rc.given[key]; ok {
		return s
	}
	s := Sources(nil).withSource(fields, rc.src)
	rc.given[key] = s
	return s
}

// update applies a candidate to the CI it matched: scalar fields the
// source gives replace the CI's, identifiers and tags are added to the
// CI's, attributes are merged key by key; but a field held by a source
// ranked above the import's keeps its value, and is returned as kept.
func (rc *reconciler) update(c *prepared, w *work) (*CI, []KeptField, []errs.FieldError) {
	u := c.Fields
	u.Identifiers, u.Tags, u.Attributes = nil, nil, nil
	next := u.apply(*w.ci)
	next.Identifiers = w.ci.Identifiers.clone()
	var clash []errs.FieldError
	for _, v := range c.ids.Values() {
		if !next.Identifiers.Add(v) {
			clash = append(clash, errs.FieldError{Field: "identifiers." + string(v.Kind),
				Message: fmt.Sprintf("%s matched by another identifier has %s %s, not %s", ciName(w), v.Kind, singleValue(next.Identifiers, v.Kind), v.Value)})
		}
	}
	if c.Fields.Tags != nil {
		next.Tags = append(slices.Clone(w.ci.Tags), *c.Fields.Tags...)
	}
	if c.Fields.Attributes != nil {
		next.Attributes = maps.Clone(w.ci.Attributes)
		if next.Attributes == nil {
			next.Attributes = map[string]any{}
		}
		maps.Copy(next.Attributes, *c.Fields.Attributes)
	}
	ci, problems := rc.finish(&next, c)
	if len(clash) > 0 {
		return nil, nil, append(clash, problems...)
	}
	if len(problems) > 0 {
		return nil, nil, problems
	}
	return ci, rc.prec.guard(w.ci, ci, rc.src), nil
}

// finish normalises and validates a CI a row produced, resolving owner and
// support group from the names loaded up front.
func (rc *reconciler) finish(ci *CI, c *prepared) (*CI, []errs.FieldError) {
	var fe errs.Fields
	c.Fields.checkExplicit("", &fe)
	normalize(ci, "", &fe)
	if c.Fields.Owner != nil {
		ci.OwnerID = 0
		if ci.Owner != "" {
			if id, ok := rc.users[ci.Owner]; ok {
				ci.OwnerID = id
			} else {
				fe.Add("owner", "no user named %q", ci.Owner)
			}
		}
	}
	if c.Fields.SupportGroup != nil {
		ci.SupportGroupID = 0
		if ci.SupportGroup != "" {
			if id, ok := rc.teams[ci.SupportGroup]; ok {
				ci.SupportGroupID = id
			} else {
				fe.Add("support_group", "no team named %q", ci.SupportGroup)
			}
		}
	}
	if len(fe) > 0 {
		return nil, fe
	}
	return ci, nil
}

func defaultName(ids Identifiers) string {
	for _, list := range [][]string{ids.Hostnames, ids.FQDNs, ids.IPs, ids.MACs} {
		if len(list) > 0 {
			return list[0]
		}
	}
	if ids.Serial != "" {
		return ids.Serial
	}
	return ids.CloudID
}

func singleValue(ids Identifiers, k IdentifierKind) string {
	if k == IDSerial {
		return ids.Serial
	}
	return ids.CloudID
}

func ciName(w *work) string {
	if w.before != nil && w.before.Key != "" {
		return w.before.Key
	}
	return "the CI an earlier row created"
}

// apply writes the outcome: new CIs get keys from one reserved block and
// are inserted in batches; changed CIs are updated; each gets its audit
// entry, made via the import (see ImportVia).
func (rc *reconciler) apply(ctx context.Context, tx Tx, p auth.Principal, via string) error {
	var created []*CI
	var changes []CIChange
	for _, w := range rc.works {
		switch {
		case w.before == nil:
			created = append(created, w.ci)
		case !sameContent(w.before, w.ci):
			changes = append(changes, CIChange{Before: w.before, After: w.ci})
		}
	}
	now := tx.Now()
	if len(created) > 0 {
		first, err := tx.NextKeys(ctx, "CI", len(created))
		if err != nil {
			return err
		}
		for i, ci := range created {
			ci.Key, ci.Version, ci.CreatedAt, ci.UpdatedAt = ciKey(first+int64(i)), 1, now, now
		}
	}
	for _, ch := range changes {
		ch.After.Version, ch.After.UpdatedAt = ch.Before.Version+1, now
	}
	// The audit states are encoded on another core while the database
	// takes the rows: for a large import that is a fifth of the work.
	states := encodeStates(created, changes)
	if len(created) > 0 {
		if err := tx.CMDB().InsertCIs(ctx, created); err != nil {
			return err
		}
	}
	if len(changes) > 0 {
		if err := tx.CMDB().UpdateCIs(ctx, changes); err != nil {
			return err
		}
	}
	st := <-states
	if st.err != nil {
		return st.err
	}
	for i, ci := range created {
		rec := audit.Record{Actor: p.Actor(), Action: audit.ActionCreate, Kind: AuditKindCI, Key: ci.Key, After: st.created[i], Via: via}
		if err := tx.Audit().Append(rec); err != nil {
			return err
		}
	}
	for i, ch := range changes {
		rec := audit.Record{Actor: p.Actor(), Action: audit.ActionUpdate, Kind: AuditKindCI, Key: ch.Before.Key,
			Before: st.before[i], After: st.after[i], Via: via}
		if err := tx.Audit().Append(rec); err != nil {
			return err
		}
	}
	return nil
}

type encodedStates struct {
	created, before, after []json.RawMessage
	err                    error
}

// encodeStates JSON-encodes, in a goroutine, snapshots of the CIs an
// import writes, for their audit entries (the audit log stores a
// json.RawMessage as given). The snapshots are taken first, so the store
// may set ids on the originals meanwhile.
func encodeStates(created []*CI, changes []CIChange) <-chan encodedStates {
	snapCreated := make([]CI, len(created))
	for i, ci := range created {
		snapCreated[i] = *auditState(ci)
	}
	snapBefore, snapAfter := make([]CI, len(changes)), make([]CI, len(changes))
	for i, ch := range changes {
		snapBefore[i], snapAfter[i] = *auditState(ch.Before), *auditState(ch.After)
	}
	out := make(chan encodedStates, 1)
	go func() {
		var st encodedStates
		enc := func(list []CI) []json.RawMessage {
			res := make([]json.RawMessage, len(list))
			for i := range list {
				b, err := json.Marshal(&list[i])
				if err != nil && st.err == nil {
					st.err = fmt.Errorf("encode CI %s for the audit log: %w", list[i].Key, err)
				}
				res[i] = b
			}
			return res
		}
		st.created, st.before, st.after = enc(snapCreated), enc(snapBefore), enc(snapAfter)
		out <- st
	}()
	return out
}

// fillKeys writes the CI keys into the report rows once they are known.
func (rc *reconciler) fillKeys() {
	for i := range rc.rows {
		if w := rc.rowWork[i]; w != nil {
			rc.rows[i].CIKey = w.ci.Key
		}
		for _, w := range rc.rowConflict[i] {
			if w.ci.Key != "" {
				rc.rows[i].Conflict = append(rc.rows[i].Conflict, w.ci.Key)
			}
		}
	}
}

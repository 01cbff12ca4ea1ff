package cmdbstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
)

var ciColumns = []string{"key", "name", "name_lower", "kind", "description", "environment", "owner_id",
	"support_group_id", "criticality", "data_classification", "internet_exposed", "supplier", "lifecycle_status",
	"attributes", "sources", "version", "created_at", "updated_at", "search"}

// InsertCIs inserts CIs, then all their identifiers, then all their tags,
// each table in batches.
func (s *cmdbStore) InsertCIs(ctx context.Context, cis []*cmdb.CI) error {
	if len(cis) == 0 {
		return nil
	}
	attrs, sources := make([]string, len(cis)), make([]string, len(cis))
	codec := sourcesCodec{}
	for i, ci := range cis {
		b, err := json.Marshal(ci.Attributes)
		if err != nil {
			return fmt.Errorf("CI %s attributes: %w", ci.Key, err)
		}
		if ci.Attributes == nil {
			b = []byte("{}")
		}
		attrs[i] = string(b)
		if sources[i], err = codec.encode(ci.Sources); err != nil {
			return fmt.Errorf("CI %s: %w", ci.Key, err)
		}
	}
	byKey := make(map[string]*cmdb.CI, len(cis))
	for _, ci := range cis {
		byKey[ci.Key] = ci
	}
	in := s.tx.NewInserter("cis", ciColumns, &store.IDSink{
		Returning: " RETURNING id, key",
		Scan: func(rows store.Scanner) error {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				return store.MapError(err)
			}
			if ci := byKey[key]; ci != nil {
				ci.ID = id
			}
			return nil
		},
		Set: func(i int, id int64) { cis[i].ID = id },
	})
	defer in.Close()
	err := in.Run(ctx, len(cis), func(i int, dst []any) []any {
		ci := cis[i]
		return append(dst, ci.Key, ci.Name, nameLower(ci.Name), string(ci.Kind), ci.Description, ci.Environment,
			store.Null(ci.OwnerID), store.Null(ci.SupportGroupID), ci.Criticality, ci.DataClassification, ci.InternetExposed,
			ci.Supplier, ci.LifecycleStatus, attrs[i], sources[i], ci.Version, store.At(ci.CreatedAt), store.At(ci.UpdatedAt), searchText(ci))
	})
	if err != nil {
		return err
	}
	nIdents, nTags := 0, 0
	for _, ci := range cis {
		nIdents += len(ci.Identifiers.MACs) + len(ci.Identifiers.FQDNs) + len(ci.Identifiers.Hostnames) +
			len(ci.Identifiers.IPs) + 2 // at most a serial and a cloud id more
		nTags += len(ci.Tags)
	}
	idents := make([]identRow, 0, nIdents)
	tags := make([]tagRow, 0, nTags)
	for _, ci := range cis {
		idents = appendIdentRows(idents, ci.ID, ci.Identifiers)
		for _, t := range ci.Tags {
			tags = append(tags, tagRow{ci.ID, t})
		}
	}
	if err := s.insertIdentifiers(ctx, idents); err != nil {
		return err
	}
	return s.insertTags(ctx, tags)
}

type identRow struct {
	ciID     int64
	v        cmdb.IdentifierValue
	position int
}

type tagRow struct {
	ciID int64
	tag  string
}

// appendIdentRows appends ids as rows, each with its position within its
// kind. Values lists each kind's values together.
func appendIdentRows(dst []identRow, ciID int64, ids cmdb.Identifiers) []identRow {
	pos := 0
	for i, v := range ids.Values() {
		if i > 0 && dst[len(dst)-1].v.Kind != v.Kind {
			pos = 0
		}
		dst = append(dst, identRow{ciID, v, pos})
		pos++
	}
	return dst
}

func (s *cmdbStore) insertIdentifiers(ctx context.Context, rows []identRow) error {
	if len(rows) == 0 {
		return nil
	}
	in := s.tx.NewInserter("ci_identifiers", []string{"ci_id", "kind", "value", "position"}, nil)
	defer in.Close()
	err := in.Run(ctx, len(rows), func(i int, dst []any) []any {
		r := rows[i]
		return append(dst, r.ciID, string(r.v.Kind), r.v.Value, r.position)
	})
	if errs.Is(err, errs.Conflict) {
		return &errs.Error{Kind: errs.Conflict, Message: "an identifier already belongs to another CI",
			Fields: []errs.FieldError{{Field: "identifiers", Message: "already in use"}}, Err: err}
	}
	return err
}

func (s *cmdbStore) insertTags(ctx context.Context, rows []tagRow) error {
	if len(rows) == 0 {
		return nil
	}
	in := s.tx.NewInserter("ci_tags", []string{"ci_id", "tag"}, nil)
	defer in.Close()
	return in.Run(ctx, len(rows), func(i int, dst []any) []any {
		return append(dst, rows[i].ciID, rows[i].tag)
	})
}

// UpdateCIs writes each change. The version check in the WHERE clause is
// what makes concurrent edits fail with Conflict instead of one silently
// overwriting the other: on PostgreSQL the UPDATE waits for a concurrent
// writer of the row and then re-checks the version.
func (s *cmdbStore) UpdateCIs(ctx context.Context, changes []cmdb.CIChange) error {
	if len(changes) == 0 {
		return nil
	}
	if err := s.updateRows(ctx, changes); err != nil {
		return err
	}
	var addIdents []identRow
	var dropIdents []identRow
	var moveIdents []identRow
	var addTags, dropTags []tagRow
	for _, ch := range changes {
		ci := ch.After
		ci.ID = ch.Before.ID
		a, d, m := diffIdentifiers(ci.ID, ch.Before.Identifiers, ci.Identifiers)
		addIdents, dropIdents, moveIdents = append(addIdents, a...), append(dropIdents, d...), append(moveIdents, m...)
		at, dt := diffTags(ci.ID, ch.Before.Tags, ci.Tags)
		addTags, dropTags = append(addTags, at...), append(dropTags, dt...)
	}
	// Removed identifiers go first, so one moved between kinds or CIs in
	// this batch does not collide with itself.
	if err := s.execEach(ctx, `DELETE FROM ci_identifiers WHERE kind = $1 AND value = $2 AND ci_id = $3`, len(dropIdents),
		func(i int) []any { r := dropIdents[i]; return []any{string(r.v.Kind), r.v.Value, r.ciID} }); err != nil {
		return err
	}
	if err := s.execEach(ctx, `UPDATE ci_identifiers SET position = $1 WHERE kind = $2 AND value = $3 AND ci_id = $4`, len(moveIdents),
		func(i int) []any { r := moveIdents[i]; return []any{r.position, string(r.v.Kind), r.v.Value, r.ciID} }); err != nil {
		return err
	}
	if err := s.insertIdentifiers(ctx, addIdents); err != nil {
		return err
	}
	if err := s.execEach(ctx, `DELETE FROM ci_tags WHERE ci_id = $1 AND tag = $2`, len(dropTags),
		func(i int) []any { return []any{dropTags[i].ciID, dropTags[i].tag} }); err != nil {
		return err
	}
	return s.insertTags(ctx, addTags)
}

// updateColumns are the columns an update writes from each row of a
// VALUES list, after the id (column1); the expected old version is last.
// Each value is CAST so PostgreSQL knows its type: parameters in a VALUES
// list in FROM have no column to take one from.
var updateColumns = []struct{ name, typ string }{
	{"name", "TEXT"}, {"name_lower", "TEXT"}, {"kind", "TEXT"}, {"description", "TEXT"}, {"environment", "TEXT"},
	{"owner_id", "BIGINT"}, {"support_group_id", "BIGINT"}, {"criticality", "INTEGER"},
	{"data_classification", "TEXT"}, {"internet_exposed", "BOOLEAN"}, {"supplier", "TEXT"},
	{"lifecycle_status", "TEXT"}, {"attributes", "TEXT"}, {"sources", "TEXT"}, {"version", "BIGINT"}, {"search", "TEXT"},
}

// updateRows writes the CI rows of changes, many per statement where the
// engine likes that (see Dialect.BulkParams): on PostgreSQL one round trip per CI
// would cap a re-import at a few thousand CIs a second. The form
//
//	UPDATE cis SET ... FROM (VALUES (...), (...)) AS v WHERE cis.id = v.column1 AND cis.version = v.columnN
//
// runs on both engines (SQLite 3.33+); VALUES columns are named column1,
// column2... by both. One statement writes changes with the same
// UpdatedAt, bound once, since a time cannot be CAST portably.
func (s *cmdbStore) updateRows(ctx context.Context, changes []cmdb.CIChange) error {
	cols := len(updateColumns) + 2
	per := max(1, s.tx.Dialect().BulkParams/cols)
	codec := sourcesCodec{}
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	for start := 0; start < len(changes); {
		end := start + 1
		for end < len(changes) && end-start < per && changes[end].After.UpdatedAt.Equal(changes[start].After.UpdatedAt) {
			end++
		}
		batch := changes[start:end]
		st := stmts[len(batch)]
		if st == nil {
			var err error
			if st, err = s.tx.Prepare(ctx, updateStatement(len(batch))); err != nil {
				return err
			}
			stmts[len(batch)] = st
		}
		args := []any{store.At(batch[0].After.UpdatedAt)}
		for _, ch := range batch {
			ci := ch.After
			attrs, err := json.Marshal(ci.Attributes)
			if err != nil {
				return fmt.Errorf("CI %s attributes: %w", ci.Key, err)
			}
			if ci.Attributes == nil {
				attrs = []byte("{}")
			}
			sources, err := codec.encode(ci.Sources)
			if err != nil {
				return fmt.Errorf("CI %s: %w", ci.Key, err)
			}
			args = append(args, ch.Before.ID, ci.Name, nameLower(ci.Name), string(ci.Kind), ci.Description, ci.Environment,
				store.Null(ci.OwnerID), store.Null(ci.SupportGroupID), ci.Criticality, ci.DataClassification, ci.InternetExposed,
				ci.Supplier, ci.LifecycleStatus, string(attrs), sources, ci.Version, searchText(ci), ch.Before.Version)
		}
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return store.MapError(fmt.Errorf("update CIs: %w", err))
		}
		n, err := res.RowsAffected()
		if err != nil {
			return store.MapError(err)
		}
		if int(n) != len(batch) {
			return s.staleError(ctx, batch)
		}
		start = end
	}
	return nil
}

func updateStatement(rows int) string {
	var b strings.Builder
	b.WriteString("UPDATE cis SET ")
	for i, c := range updateColumns {
		fmt.Fprintf(&b, "%s = v.column%d, ", c.name, i+2)
	}
	b.WriteString("updated_at = $1 FROM (VALUES ")
	p := 2
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(CAST($%d AS BIGINT)", p)
		p++
		for _, c := range updateColumns {
			fmt.Fprintf(&b, ", CAST($%d AS %s)", p, c.typ)
			p++
		}
		fmt.Fprintf(&b, ", CAST($%d AS BIGINT))", p)
		p++
	}
	fmt.Fprintf(&b, ") AS v WHERE cis.id = v.column1 AND cis.version = v.column%d", len(updateColumns)+2)
	return b.String()
}

// staleError names the CIs of a batch whose stored version moved on.
func (s *cmdbStore) staleError(ctx context.Context, batch []cmdb.CIChange) error {
	var stale []string
	for _, ch := range batch {
		var v int64
		err := s.tx.QueryRow(ctx, `SELECT version FROM cis WHERE id = $1`, ch.Before.ID).Scan(&v)
		if err != nil || v != ch.After.Version {
			stale = append(stale, ch.Before.Key)
		}
	}
	return errs.E(errs.Conflict, "%s changed meanwhile: reload and try again", strings.Join(stale, ", "))
}

// diffIdentifiers lists identifiers to add, drop, and keep at a new
// position.
func diffIdentifiers(ciID int64, before, after cmdb.Identifiers) (add, drop, move []identRow) {
	old := map[cmdb.IdentifierValue]int{}
	for _, r := range appendIdentRows(nil, ciID, before) {
		old[r.v] = r.position
	}
	for _, r := range appendIdentRows(nil, ciID, after) {
		pos, ok := old[r.v]
		switch {
		case !ok:
			add = append(add, r)
		case pos != r.position:
			move = append(move, r)
		}
		delete(old, r.v)
	}
	for v, pos := range old {
		drop = append(drop, identRow{ciID, v, pos})
	}
	return add, drop, move
}

func diffTags(ciID int64, before, after []string) (add, drop []tagRow) {
	old := map[string]bool{}
	for _, t := range before {
		old[t] = true
	}
	for _, t := range after {
		if !old[t] {
			add = append(add, tagRow{ciID, t})
		}
		delete(old, t)
	}
	for t := range old {
		drop = append(drop, tagRow{ciID, t})
	}
	return add, drop
}

// execEach runs one prepared statement n times.
func (s *cmdbStore) execEach(ctx context.Context, sqlText string, n int, args func(i int) []any) error {
	if n == 0 {
		return nil
	}
	st, err := s.tx.Prepare(ctx, sqlText)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := 0; i < n; i++ {
		if _, err := st.ExecContext(ctx, args(i)...); err != nil {
			return store.MapError(err)
		}
	}
	return nil
}

// DeleteCI deletes one CI and leaves its tombstone; foreign keys cascade
// to its identifiers, tags and relations.
func (s *cmdbStore) DeleteCI(ctx context.Context, id int64) error {
	if _, err := s.tx.Exec(ctx, `INSERT INTO ci_tombstones (key, owner_id, deleted_at)
		SELECT key, owner_id, $2 FROM cis WHERE id = $1`, id, store.At(s.tx.Now())); err != nil {
		return err
	}
	res, err := s.tx.Exec(ctx, `DELETE FROM cis WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "not found")
	}
	return nil
}

package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// The two migration folders must describe one schema. This test migrates
// an empty SQLite file and an empty PostgreSQL database and compares what
// the engines report, as sets, listing every difference:
//
//   - the same tables;
//   - in each table the same columns, each with the same nullability and
//     the same type family;
//   - the same primary key and unique constraints, by their column lists
//     (in order) and whether they are partial;
//   - the same B-tree indexes made by CREATE INDEX, by name, column list
//     (in order), uniqueness and partial predicate (normalised: case,
//     brackets, spacing and PostgreSQL's casts do not count). Each engine's
//     own substring-search index is left out: SQLite's FTS5 tables beside
//     PostgreSQL's trigram GIN indexes;
//   - the same CHECK constraints, by the columns they read and the
//     literals they name (so BETWEEN 1 AND 5 matches PostgreSQL's
//     ">= 1 AND <= 5", and IN (...) its "= ANY (ARRAY[...])").
//
// Type families: integer (any INT type), text, boolean, time, real, blob.
// SQLite has no time type: times are TEXT in a fixed UTC layout
// (store/time.go), so an SQLite TEXT column counts as time when it is
// named "at" or ends in "_at" or "_until" (locked_until), the naming rule
// every migration follows for times.
// PostgreSQL is taken as declared (timestamptz is time, text is text), so
// a PostgreSQL time column declared TEXT by mistake still shows up.
//
// Nullability: a primary key column counts as NOT NULL in both. SQLite
// reports notnull = 0 for PRIMARY KEY columns not declared NOT NULL;
// INTEGER PRIMARY KEY is the rowid and can never be NULL, and the store
// never writes NULL into the few TEXT primary keys.
//
// schema_migrations is left out: Migrate creates it from one statement for
// both engines, outside the migration files.
//
// A column missing from one dialect appears in the diff as "table.column
// only in sqlite" (or postgres), so the test fails; TestSchemaDiff proves
// the comparison reports it.
func TestMigratedSchemasMatch(t *testing.T) {
	if !slices.Contains(storetest.Backends(t), "postgres") {
		t.Skipf("needs PostgreSQL (%s)", storetest.PostgresEnv)
	}
	lite := migratedSchema(t, storetest.Target(t, "sqlite"))
	pg := migratedSchema(t, storetest.EmptyPostgres(t))
	if len(lite.tables) < 5 {
		t.Fatalf("sqlite schema has %d tables: did the migration run?", len(lite.tables))
	}
	for _, d := range diffSchemas(lite, pg) {
		t.Error(d)
	}
}

// TestSchemaDiff shows the comparison fails on the differences it exists
// for, using the real SQLite schema with one thing changed at a time.
func TestSchemaDiff(t *testing.T) {
	base := migratedSchema(t, storetest.Target(t, "sqlite"))
	tests := []struct {
		name   string
		change func(s *schema)
		want   string
	}{
		{"same", func(*schema) {}, ""},
		{"column missing", func(s *schema) { delete(s.tables["jobs"], "last_error") }, "jobs.last_error only in sqlite"},
		{"nullability", func(s *schema) {
			c := s.tables["jobs"]["locked_by"]
			c.notNull = true
			s.tables["jobs"]["locked_by"] = c
		}, "jobs.locked_by: sqlite nullable, postgres NOT NULL"},
		{"type family", func(s *schema) {
			c := s.tables["audit_log"]["at"]
			c.family = "text"
			s.tables["audit_log"]["at"] = c
		}, "audit_log.at: sqlite time, postgres text"},
		{"unique index missing", func(s *schema) { delete(s.unique, "jobs unique (unique_key)") }, "jobs unique (unique_key) only in sqlite"},
		{"table missing", func(s *schema) { delete(s.tables, "jobs") }, "table jobs only in sqlite"},
		{"index missing", func(s *schema) { delete(s.indexes, "cis index cis_updated (updated_at, id)") }, "cis index cis_updated (updated_at, id) only in sqlite"},
		{"index columns", func(s *schema) {
			delete(s.indexes, "cis index cis_kind (kind, name_lower, id)")
			s.indexes["cis index cis_kind (kind)"] = true
		}, "cis index cis_kind (kind, name_lower, id) only in sqlite"},
		{"index predicate", func(s *schema) {
			delete(s.indexes, "cis index cis_owner (owner_id) where owner_id is not null")
			s.indexes["cis index cis_owner (owner_id)"] = true
		}, "cis index cis_owner (owner_id) where owner_id is not null only in sqlite"},
		{"index uniqueness", func(s *schema) {
			delete(s.indexes, "jobs index jobs_unique_key (unique_key) unique")
			s.indexes["jobs index jobs_unique_key (unique_key)"] = true
		}, "jobs index jobs_unique_key (unique_key) unique only in sqlite"},
		{"check missing", func(s *schema) { delete(s.checks, "cis check (criticality) [1 5]") }, "cis check (criticality) [1 5] only in sqlite"},
		{"check values", func(s *schema) {
			delete(s.checks, "cis check (criticality) [1 5]")
			s.checks["cis check (criticality) [1 9]"] = true
		}, "cis check (criticality) [1 5] only in sqlite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			other := base.clone()
			tc.change(&other)
			got := strings.Join(diffSchemas(base, other), "\n")
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("diff = %q, want %q", got, tc.want)
			}
		})
	}
}

type column struct {
	family  string
	notNull bool
}

// schema is what the test compares: columns per table, and the sets of
// keys ("table pk (a, b)", "table unique (c) partial"), indexes ("table
// index name (a, b) unique where a is not null") and checks ("table check
// (kind) ['a' 'b']").
type schema struct {
	tables  map[string]map[string]column
	unique  map[string]bool
	indexes map[string]bool
	checks  map[string]bool
}

func (s schema) clone() schema {
	c := schema{tables: map[string]map[string]column{}, unique: maps.Clone(s.unique),
		indexes: maps.Clone(s.indexes), checks: maps.Clone(s.checks)}
	for t, cols := range s.tables {
		c.tables[t] = maps.Clone(cols)
	}
	return c
}

func migratedSchema(t *testing.T, target string) schema {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, target, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", db.Dialect.Name, err)
	}
	var s schema
	if db.Dialect.Name == "postgres" {
		s, err = postgresSchema(db.SQL())
	} else {
		s, err = sqliteSchema(db.SQL())
	}
	if err != nil {
		t.Fatalf("read %s schema: %v", db.Dialect.Name, err)
	}
	if db.Dialect.Name == "postgres" {
		err = postgresIndexesAndChecks(db.SQL(), &s)
	} else {
		err = sqliteIndexesAndChecks(db.SQL(), &s)
	}
	if err != nil {
		t.Fatalf("read %s indexes and checks: %v", db.Dialect.Name, err)
	}
	delete(s.tables, "schema_migrations")
	for _, set := range []map[string]bool{s.unique, s.indexes, s.checks} {
		for k := range set {
			if strings.HasPrefix(k, "schema_migrations ") {
				delete(set, k)
			}
		}
	}
	return s
}

func isTimeName(col string) bool {
	return col == "at" || strings.HasSuffix(col, "_at") || strings.HasSuffix(col, "_until")
}

func sqliteFamily(col, declared string) string {
	d := strings.ToUpper(declared)
	switch {
	case strings.Contains(d, "INT"):
		return "integer"
	case strings.Contains(d, "BOOL"):
		return "boolean"
	case strings.Contains(d, "TIME"), strings.Contains(d, "DATE"):
		return "time"
	case strings.Contains(d, "CHAR"), strings.Contains(d, "TEXT"), strings.Contains(d, "CLOB"):
		if isTimeName(col) {
			return "time"
		}
		return "text"
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"), strings.Contains(d, "NUMERIC"):
		return "real"
	case d == "" || strings.Contains(d, "BLOB"):
		return "blob"
	}
	return "unknown " + declared
}

func postgresFamily(dataType string) string {
	switch dataType {
	case "smallint", "integer", "bigint":
		return "integer"
	case "boolean":
		return "boolean"
	case "text", "character varying", "character", "json", "jsonb":
		return "text"
	case "timestamp with time zone", "timestamp without time zone", "date":
		return "time"
	case "real", "double precision", "numeric":
		return "real"
	case "bytea":
		return "blob"
	}
	return "unknown " + dataType
}

func keyName(table, kind string, cols []string, partial bool) string {
	k := fmt.Sprintf("%s %s (%s)", table, kind, strings.Join(cols, ", "))
	if partial {
		k += " partial"
	}
	return k
}

func sqliteSchema(db *sql.DB) (schema, error) {
	s := schema{tables: map[string]map[string]column{}, unique: map[string]bool{}}
	// Ordinary tables only: a full-text (FTS5) table and its shadow tables
	// are SQLite's index for substring search, as a GIN index is on
	// PostgreSQL, so they are left out like plain indexes.
	tables, err := strings1(db, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		return s, err
	}
	for _, tbl := range tables {
		cols := map[string]column{}
		var pk []string
		rows, err := db.Query(`SELECT name, type, "notnull", pk FROM pragma_table_info($1) ORDER BY pk, cid`, tbl)
		if err != nil {
			return s, err
		}
		for rows.Next() {
			var name, typ string
			var notNull bool
			var pkPos int
			if err := rows.Scan(&name, &typ, &notNull, &pkPos); err != nil {
				rows.Close()
				return s, err
			}
			cols[name] = column{family: sqliteFamily(name, typ), notNull: notNull || pkPos > 0}
			if pkPos > 0 {
				pk = append(pk, name)
			}
		}
		rows.Close()
		s.tables[tbl] = cols
		if len(pk) > 0 {
			s.unique[keyName(tbl, "pk", pk, false)] = true
		}
		type index struct {
			name    string
			partial bool
		}
		var uniques []index
		rows, err = db.Query(`SELECT name, partial FROM pragma_index_list($1) WHERE "unique" = 1 AND origin <> 'pk'`, tbl)
		if err != nil {
			return s, err
		}
		for rows.Next() {
			var ix index
			if err := rows.Scan(&ix.name, &ix.partial); err != nil {
				rows.Close()
				return s, err
			}
			uniques = append(uniques, ix)
		}
		rows.Close()
		for _, ix := range uniques {
			cols, err := strings1(db, `SELECT name FROM pragma_index_info($1) ORDER BY seqno`, ix.name)
			if err != nil {
				return s, err
			}
			s.unique[keyName(tbl, "unique", cols, ix.partial)] = true
		}
	}
	return s, nil
}

func postgresSchema(db *sql.DB) (schema, error) {
	s := schema{tables: map[string]map[string]column{}, unique: map[string]bool{}}
	rows, err := db.Query(`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO'
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var tbl, name, typ string
		var notNull bool
		if err := rows.Scan(&tbl, &name, &typ, &notNull); err != nil {
			rows.Close()
			return s, err
		}
		if s.tables[tbl] == nil {
			s.tables[tbl] = map[string]column{}
		}
		s.tables[tbl][name] = column{family: postgresFamily(typ), notNull: notNull}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	rows, err = db.Query(`SELECT t.relname, ix.indisprimary, ix.indpred IS NOT NULL,
			array_to_string(ARRAY(
				SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
				JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
				ORDER BY k.ord), ',')
		FROM pg_index ix
		JOIN pg_class t ON t.oid = ix.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = 'public' AND ix.indisunique`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var tbl, cols string
		var primary, partial bool
		if err := rows.Scan(&tbl, &primary, &partial, &cols); err != nil {
			return s, err
		}
		kind := "unique"
		if primary {
			kind = "pk"
		}
		s.unique[keyName(tbl, kind, strings.Split(cols, ","), partial)] = true
	}
	return s, rows.Err()
}

func strings1(db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// diffSchemas lists every difference between a (sqlite) and b (postgres),
// sorted so the output is stable.
func diffSchemas(a, b schema) []string {
	var out []string
	for tbl, acols := range a.tables {
		bcols, ok := b.tables[tbl]
		if !ok {
			out = append(out, fmt.Sprintf("table %s only in sqlite", tbl))
			continue
		}
		for name, ac := range acols {
			bc, ok := bcols[name]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s.%s only in sqlite", tbl, name))
			case ac.family != bc.family:
				out = append(out, fmt.Sprintf("%s.%s: sqlite %s, postgres %s", tbl, name, ac.family, bc.family))
			case ac.notNull != bc.notNull:
				out = append(out, fmt.Sprintf("%s.%s: sqlite %s, postgres %s", tbl, name, nullability(ac.notNull), nullability(bc.notNull)))
			}
		}
		for name := range bcols {
			if _, ok := acols[name]; !ok {
				out = append(out, fmt.Sprintf("%s.%s only in postgres", tbl, name))
			}
		}
	}
	for tbl := range b.tables {
		if _, ok := a.tables[tbl]; !ok {
			out = append(out, fmt.Sprintf("table %s only in postgres", tbl))
		}
	}
	for _, sets := range [][2]map[string]bool{{a.unique, b.unique}, {a.indexes, b.indexes}, {a.checks, b.checks}} {
		for k := range sets[0] {
			if !sets[1][k] {
				out = append(out, k+" only in sqlite")
			}
		}
		for k := range sets[1] {
			if !sets[0][k] {
				out = append(out, k+" only in postgres")
			}
		}
	}
	slices.Sort(out)
	return out
}

func nullability(notNull bool) string {
	if notNull {
		return "NOT NULL"
	}
	return "nullable"
}

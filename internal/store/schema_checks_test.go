package store_test

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/storetest"
)

// closedLists are the CHECK constraints that may list text values: closed
// facts of Rampart's own making, not enumerations that grow with what it
// describes. Roles, CI kinds, identifier kinds, relation types and the like
// are validated in Go, so adding one is a code change, not a table rebuild
// (SQLite cannot alter a constraint).
var closedLists = []string{
	"jobs check (status) ['dead' 'done' 'queued' 'running']",                                               // a job's life cycle, which the runner's code is
	"imports check (status) ['done' 'failed' 'running']",                                                   // an import run's life cycle
	"findings check (state) ['false_positive' 'fixed' 'in_remediation' 'open' 'reopened' 'risk_accepted']", // a finding's life cycle (vuln.States)
}

// No SQLite table keeps an open enumeration as a CHECK list.
func TestNoOpenEnumerationChecks(t *testing.T) {
	s := migratedSchema(t, storetest.Target(t, "sqlite"))
	if len(s.checks) == 0 {
		t.Fatal("no CHECK constraints read: the reader is broken")
	}
	for k := range s.checks {
		if strings.Contains(k, "'") && !slices.Contains(closedLists, k) {
			t.Errorf("%s lists values in the schema; validate them in Go (or add the constraint to closedLists if the set is closed)", k)
		}
	}
}

// indexKey names an index for comparison: table, name, columns in order,
// uniqueness and normalised predicate.
func indexKey(table, name string, cols []string, unique bool, pred string) string {
	k := fmt.Sprintf("%s index %s (%s)", table, name, strings.Join(cols, ", "))
	if unique {
		k += " unique"
	}
	if p := normalizeSQL(pred); p != "" {
		k += " where " + p
	}
	return k
}

var (
	castRE   = regexp.MustCompile(`::[a-z ]+(\[\])?`)
	spacesRE = regexp.MustCompile(`\s+`)
	stringRE = regexp.MustCompile(`'([^']*)'`)
	numberRE = regexp.MustCompile(`\b\d+(\.\d+)?\b`)
	wordRE   = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
)

// normalizeSQL makes an expression comparable across engines: lower case,
// without PostgreSQL's casts, brackets or repeated spaces.
func normalizeSQL(s string) string {
	s = castRE.ReplaceAllString(strings.ToLower(s), "")
	s = strings.NewReplacer("(", " ", ")", " ", `"`, "").Replace(s)
	return strings.TrimSpace(spacesRE.ReplaceAllString(s, " "))
}

// checkKey names a CHECK constraint by what both engines agree on however
// they print it: the table's columns it reads and the literals it names.
func checkKey(table string, columns map[string]column, expr string) string {
	var lits []string
	for _, m := range stringRE.FindAllStringSubmatch(expr, -1) {
		lits = append(lits, "'"+m[1]+"'")
	}
	rest := stringRE.ReplaceAllString(expr, " ")
	lits = append(lits, numberRE.FindAllString(rest, -1)...)
	var cols []string
	for _, w := range wordRE.FindAllString(rest, -1) {
		if _, ok := columns[strings.ToLower(w)]; ok {
			cols = append(cols, strings.ToLower(w))
		}
	}
	slices.Sort(cols)
	slices.Sort(lits)
	return fmt.Sprintf("%s check (%s) [%s]", table, strings.Join(slices.Compact(cols), ", "), strings.Join(slices.Compact(lits), " "))
}

var commentRE = regexp.MustCompile(`--[^\n]*`)

// sqliteChecks finds the CHECK (...) clauses in a CREATE TABLE statement,
// as stored with its comments.
func sqliteChecks(createSQL string) []string {
	createSQL = commentRE.ReplaceAllString(createSQL, "")
	var out []string
	upper := strings.ToUpper(createSQL)
	for i := 0; ; {
		j := strings.Index(upper[i:], "CHECK")
		if j < 0 {
			return out
		}
		start := i + j + len("CHECK")
		open := strings.IndexByte(createSQL[start:], '(')
		if open < 0 || strings.TrimSpace(createSQL[start:start+open]) != "" {
			i = start
			continue
		}
		depth, k := 0, start+open
		for ; k < len(createSQL); k++ {
			switch createSQL[k] {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 {
				break
			}
		}
		out = append(out, createSQL[start+open:k+1])
		i = k + 1
	}
}

func sqliteIndexesAndChecks(db *sql.DB, s *schema) error {
	s.indexes, s.checks = map[string]bool{}, map[string]bool{}
	rows, err := db.Query(`SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		return err
	}
	type object struct{ typ, name, table, sql string }
	var objs []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.typ, &o.name, &o.table, &o.sql); err != nil {
			rows.Close()
			return err
		}
		objs = append(objs, o)
	}
	rows.Close()
	for _, o := range objs {
		if o.typ == "table" {
			for _, c := range sqliteChecks(o.sql) {
				s.checks[checkKey(o.table, s.tables[o.table], c)] = true
			}
			continue
		}
		if o.sql == "" {
			continue // made by a constraint, compared as a key
		}
		cols, err := strings1(db, `SELECT name FROM pragma_index_info($1) ORDER BY seqno`, o.name)
		if err != nil {
			return err
		}
		pred := ""
		if i := strings.Index(strings.ToUpper(o.sql), " WHERE "); i >= 0 {
			pred = o.sql[i+len(" WHERE "):]
		}
		s.indexes[indexKey(o.table, o.name, cols, strings.HasPrefix(strings.ToUpper(o.sql), "CREATE UNIQUE"), pred)] = true
	}
	return nil
}

func postgresIndexesAndChecks(db *sql.DB, s *schema) error {
	s.indexes, s.checks = map[string]bool{}, map[string]bool{}
	rows, err := db.Query(`SELECT t.relname, i.relname, ix.indisunique, COALESCE(pg_get_expr(ix.indpred, ix.indrelid, true), ''),
			array_to_string(ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) k ORDER BY k), ',')
		FROM pg_index ix
		JOIN pg_class t ON t.oid = ix.indrelid
		JOIN pg_class i ON i.oid = ix.indexrelid
		JOIN pg_am am ON am.oid = i.relam
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = 'public' AND am.amname = 'btree' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var table, name, pred, cols string
		var unique bool
		if err := rows.Scan(&table, &name, &unique, &pred, &cols); err != nil {
			rows.Close()
			return err
		}
		s.indexes[indexKey(table, name, strings.Split(cols, ","), unique, pred)] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = db.Query(`SELECT t.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = 'public' AND c.contype = 'c'`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var table, def string
		if err := rows.Scan(&table, &def); err != nil {
			return err
		}
		s.checks[checkKey(table, s.tables[table], strings.TrimPrefix(def, "CHECK "))] = true
	}
	return rows.Err()
}

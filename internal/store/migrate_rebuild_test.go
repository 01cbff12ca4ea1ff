package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// Migration 7 drops the CHECK lists of open enumerations; on SQLite it
// rebuilds cis, which every identifier, tag and relation references. A
// database filled by the release before keeps every row, and a CI kind,
// relation type or role that the old lists did not have is stored
// afterwards (the store validates them in Go).
func TestOpenEnumerationMigrationKeepsData(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			target := storetest.Empty(t, backend)
			db, err := store.Open(ctx, target, clock.Real{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.MigrateUpTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			const at = "2026-01-01T00:00:00.000000Z"
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.SQL().ExecContext(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			for i, name := range []string{"web-01", "db-01"} {
				// ids 1 and 2: a fresh database numbers from 1.
				exec(`INSERT INTO cis (key, name, name_lower, kind, criticality, created_at, updated_at) VALUES ($1, $2, $2, 'server', 3, $3, $3)`,
					"CI-"+name, name, at)
				exec(`INSERT INTO ci_identifiers (ci_id, kind, value) VALUES ($1, 'hostname', $2)`, i+1, name)
				exec(`INSERT INTO ci_tags (ci_id, tag) VALUES ($1, 'prod')`, i+1)
			}
			exec(`INSERT INTO ci_relations (source_id, target_id, type, created_at) VALUES (1, 2, 'depends_on', $1)`, at)
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO cis (key, name, name_lower, kind, criticality, created_at, updated_at)
				VALUES ('CI-x', 'x', 'x', 'printer', 3, $1, $1)`, at); err == nil {
				t.Fatal("before migration 7 the schema already took an unknown kind")
			}
			// The rebuilt tables keep every index and trigger they had.
			objects := func() []string {
				t.Helper()
				q := `SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger')
					AND tbl_name IN ('cis', 'ci_identifiers', 'ci_relations', 'user_roles') ORDER BY 1`
				if backend == "postgres" {
					q = `SELECT indexname FROM pg_indexes WHERE tablename IN ('cis', 'ci_identifiers', 'ci_relations', 'user_roles') ORDER BY 1`
				}
				rows, err := db.SQL().QueryContext(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				names, err := store.Collect(rows, func(sc store.Scanner) (s string, err error) { return s, sc.Scan(&s) })
				if err != nil {
					t.Fatal(err)
				}
				return names
			}
			before := objects()
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if after := objects(); !slices.Equal(before, after) {
				t.Errorf("indexes and triggers before the rebuild:\n%v\nafter:\n%v", before, after)
			}
			for table, want := range map[string]int{"cis": 2, "ci_identifiers": 2, "ci_tags": 2, "ci_relations": 1} {
				var n int
				if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil || n != want {
					t.Errorf("%s: %d rows (%v), want %d", table, n, err, want)
				}
			}
			exec(`INSERT INTO cis (key, name, name_lower, kind, criticality, created_at, updated_at) VALUES ('CI-p', 'p', 'p', 'printer', 3, $1, $1)`, at)
			exec(`INSERT INTO ci_relations (source_id, target_id, type, created_at) VALUES (2, 1, 'backs_up', $1)`, at)
			exec(`INSERT INTO users (username, created_at, updated_at) VALUES ('nina', $1, $1)`, at)
			exec(`INSERT INTO user_roles (user_id, role) SELECT id, 'night_shift' FROM users WHERE username = 'nina'`)
			// References and closed facts still hold after the rebuild.
			exec(`DELETE FROM cis WHERE id = 1`)
			var n int
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM ci_relations`).Scan(&n); err != nil || n != 0 {
				t.Errorf("relations of a deleted CI: %d (%v), want 0: cascades lost in the rebuild", n, err)
			}
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO cis (key, name, name_lower, kind, criticality, created_at, updated_at)
				VALUES ('CI-c', 'c', 'c', 'server', 9, $1, $1)`, at); err == nil {
				t.Error("criticality 9 accepted: the closed CHECK was lost")
			}
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO ci_identifiers (ci_id, kind, value) VALUES (999, 'hostname', 'ghost')`); err == nil {
				t.Error("an identifier of a missing CI was accepted: foreign keys are off")
			}
		})
	}
}

package auditlog_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

func TestVerifyHoldsForUnitsOfWork(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		svc := service(db)
		if n, err := svc.Verify(context.Background()); err != nil || n != 0 {
			t.Fatalf("empty log: %d, %v", n, err)
		}
		history(t, db, clk)
		if n, err := svc.Verify(context.Background()); err != nil || n != 6 {
			t.Fatalf("verify = %d, %v; want 6 entries, no error", n, err)
		}
	})
}

// dropTrigger removes an append-only trigger the way someone with direct
// database access could.
func dropTrigger(t *testing.T, db *store.DB, name string) {
	t.Helper()
	q := `DROP TRIGGER ` + name
	if db.Dialect.Name == "postgres" {
		q += ` ON audit_log`
	}
	if _, err := db.SQL().Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// The triggers refuse edits; with them dropped, the hash chain still
// names the edited entry.
func TestVerifyFindsAnEditedEntry(t *testing.T) {
	tests := []struct {
		name, set string
	}{
		{"actor", `actor = 'mallory'`},
		{"after state", `after_state = '{"name":"web-01","environment":"dev"}'`},
		{"time", `at = (SELECT at FROM audit_log WHERE seq = 1)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
				history(t, db, clk)
				edit := `UPDATE audit_log SET ` + tc.set + ` WHERE seq = 5`
				_, err := db.SQL().Exec(edit)
				if err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Fatalf("update with trigger in place: err = %v, want the append-only refusal", err)
				}
				dropTrigger(t, db, "audit_log_no_update")
				res, err := db.SQL().Exec(edit)
				if err != nil {
					t.Fatal(err)
				}
				if n, _ := res.RowsAffected(); n != 1 {
					t.Fatalf("edit changed %d rows", n)
				}
				n, err := service(db).Verify(context.Background())
				var b *audit.Break
				if !errors.As(err, &b) || b.Seq != 5 || !strings.Contains(b.Reason, "edited") {
					t.Fatalf("verify = %v, want a break at entry 5 (edited)", err)
				}
				if n != 4 {
					t.Errorf("verified %d entries before the break, want 4", n)
				}
			})
		})
	}
}

func TestVerifyFindsRemovedEntries(t *testing.T) {
	tests := []struct {
		name    string
		where   string
		wantSeq int64
		reason  string
	}{
		{"last two", `seq >= 5`, 5, "removed"},
		{"last one", `seq = 6`, 6, "removed"},
		{"one in the middle", `seq = 3`, 3, "missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
				history(t, db, clk)
				del := `DELETE FROM audit_log WHERE ` + tc.where
				if _, err := db.SQL().Exec(del); err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Fatalf("delete with trigger in place: err = %v, want the append-only refusal", err)
				}
				if db.Dialect.Name == "postgres" {
					dropTrigger(t, db, "audit_log_no_update") // covers UPDATE OR DELETE there
				} else {
					dropTrigger(t, db, "audit_log_no_delete")
				}
				if _, err := db.SQL().Exec(del); err != nil {
					t.Fatal(err)
				}
				_, err := service(db).Verify(context.Background())
				var b *audit.Break
				if !errors.As(err, &b) || b.Seq != tc.wantSeq || !strings.Contains(b.Reason, tc.reason) {
					t.Fatalf("verify = %v, want a break at entry %d (%s)", err, tc.wantSeq, tc.reason)
				}
			})
		})
	}
}

// New entries keep chaining onto the head after earlier units of work, and
// the head's hash is the last entry's.
func TestHeadFollowsTheLastEntry(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		history(t, db, clk)
		err := db.View(context.Background(), func(tx *store.Tx) error {
			seq, hash, err := tx.AuditLog().Head(context.Background())
			if err != nil {
				return err
			}
			var last audit.Entry
			if err := tx.AuditLog().EachEntry(context.Background(), func(e audit.Entry) error { last = e; return nil }); err != nil {
				return err
			}
			if seq != 6 || hash != last.Hash || last.Seq != 6 {
				t.Errorf("head = %d %s, last entry = %d %s", seq, hash, last.Seq, last.Hash)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

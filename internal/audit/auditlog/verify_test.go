package auditlog_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

func TestVerifyHoldsForUnitsOfWork(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		svc := service(db)
		if n, err := svc.VerifyFull(context.Background()); err != nil || n != 0 {
			t.Fatalf("empty log: %d, %v", n, err)
		}
		history(t, db, clk)
		if n, err := svc.VerifyFull(context.Background()); err != nil || n != 6 {
			t.Fatalf("verify = %d, %v; want 6 entries, no error", n, err)
		}
	})
}

// dropTrigger removes an append-only trigger the way someone with direct
// database access could.
func dropTrigger(t *testing.T, db *store.DB, name string) {
	t.Helper()
	dropTriggerOn(t, db, name, "audit_log")
}

func dropTriggerOn(t *testing.T, db *store.DB, name, table string) {
	t.Helper()
	q := `DROP TRIGGER ` + name
	if db.Dialect.Name == "postgres" {
		q += ` ON ` + table
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
				n, err := service(db).VerifyFull(context.Background())
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
				_, err := service(db).VerifyFull(context.Background())
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
			seq, hash, err := tx.AuditLog().Head(context.Background(), audit.StreamGeneral)
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

// hashOf reads entry seq's stored hash.
func hashOf(t *testing.T, db *store.DB, seq int64) string {
	t.Helper()
	var h string
	if err := db.SQL().QueryRow(`SELECT hash FROM audit_log WHERE seq = $1`, seq).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

func mustRefuse(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.SQL().Exec(q, args...); err == nil {
		t.Fatalf("%s: accepted with the triggers in place", q)
	}
}

// The two tamperings a security review found passing verification:
// (a) an entry edited with the update trigger dropped and the head set back
// before it, checked against an anchor of the real head; (b) with every
// trigger in place, a row inserted past the head. Verify walks every row,
// so both are reported; the triggers refuse what the engine can check, and
// the next audited write fails as an internal error, not a conflict.
func TestVerifyCatchesTamperingPastTheHead(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		history(t, db, clk)
		h3 := hashOf(t, db, 3)
		// The head moves only forward, onto the last entry.
		mustRefuse(t, db, `UPDATE audit_heads SET last_seq = 3, last_hash = $1 WHERE stream = 'general'`, h3)
		mustRefuse(t, db, `UPDATE audit_heads SET last_seq = 7 WHERE stream = 'general'`)
		mustRefuse(t, db, `DELETE FROM audit_heads`)
		mustRefuse(t, db, `INSERT INTO audit_heads (stream, last_seq, last_hash) VALUES ('other', 3, $1)`, h3)
		t.Run("edited entry, head set back", func(t *testing.T) {
			real := audit.Anchor{Stream: audit.StreamGeneral, Seq: 6, Hash: hashOf(t, db, 6)}
			dropTrigger(t, db, "audit_log_no_update")
			dropTriggerOn(t, db, "audit_heads_follow_log", "audit_heads")
			for _, q := range []string{`UPDATE audit_log SET actor = 'mallory' WHERE seq = 5`,
				`UPDATE audit_heads SET last_seq = 3, last_hash = '` + h3 + `' WHERE stream = 'general'`} {
				if _, err := db.SQL().Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			for _, anchors := range [][]audit.Anchor{nil, {real}} {
				r := verifyGeneral(t, db, anchors)
				if r.OK || r.BrokenAt != 4 || !strings.Contains(r.Reason, "past the chain head") {
					t.Fatalf("verify with %d anchors = %+v, want a break at entry 4 (past the head)", len(anchors), r)
				}
			}
		})
	})
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		history(t, db, clk)
		h6 := hashOf(t, db, 6)
		forge := `INSERT INTO audit_log (stream, seq, at, actor, action, record_kind, record_key, format, prev_hash, hash)
			SELECT stream, 7, at, 'mallory', action, record_kind, record_key, format, $1, $2 FROM audit_log WHERE seq = 6`
		deadbeef := strings.Repeat("deadbeef", 8)
		mustRefuse(t, db, forge, deadbeef, deadbeef) // does not link to the head
		if _, err := db.SQL().Exec(forge, h6, deadbeef); err != nil {
			t.Fatalf("forged entry linking to the head: %v (SQL cannot check its hash)", err)
		}
		for _, anchors := range [][]audit.Anchor{nil, {{Stream: audit.StreamGeneral, Seq: 6, Hash: h6}}} {
			if r := verifyGeneral(t, db, anchors); r.OK || r.BrokenAt != 7 {
				t.Fatalf("verify with %d anchors = %+v, want a break at entry 7", len(anchors), r)
			}
		}
		err := db.InTx(context.Background(), func(tx *store.Tx) error {
			return tx.Audit().Append(audit.Record{Actor: "ann", Action: audit.ActionCreate, Kind: "ci", Key: "CI-9"})
		})
		if k := errs.KindOf(err); k != errs.Internal {
			t.Fatalf("audited write after a forged entry: %v (kind %q), want an internal error", err, k)
		}
	})
}

// verifyGeneral walks the general stream in full with anchors.
func verifyGeneral(t *testing.T, db *store.DB, anchors []audit.Anchor) auditlog.StreamResult {
	t.Helper()
	res, err := service(db).Verify(context.Background(), auditlog.VerifyOptions{Full: true, Anchors: anchors, Streams: []audit.Stream{audit.StreamGeneral}})
	if err != nil || len(res) != 1 {
		t.Fatalf("verify: %v, %v", res, err)
	}
	return res[0]
}

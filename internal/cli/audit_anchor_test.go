package cli

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
)

// Someone with full database access rewrites an entry and re-hashes the
// whole chain after it: the chain is consistent again, so plain verify
// passes, but an anchor recorded before the rewrite catches it.
func TestAnchorCatchesARehashedLog(t *testing.T) {
	data := t.TempDir()
	if out, err := runRoot(t, "demo", "--data", data); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	out, err := runRoot(t, "audit", "verify", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`general: OK \d+ entries, head (general:\d+:[0-9a-f]{64})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("verify printed no head: %q", out)
	}
	anchor := m[1]

	rewriteChain(t, filepath.Join(data, "rampart.db"), 3, "someone-else")

	// Going on from the last verification, the entry it ended at differs.
	if out, err := runRoot(t, "audit", "verify", "--data", data); err == nil || !strings.Contains(out, "rewritten") {
		t.Fatalf("incremental verify of a rewritten log = %v\n%s", err, out)
	}
	if out, err := runRoot(t, "audit", "verify", "--full", "--data", data); err != nil {
		t.Fatalf("the re-hashed chain should still be consistent: %v\n%s", err, out)
	}
	out, err = runRoot(t, "audit", "verify", "--data", data, "--anchor", anchor)
	if err == nil || !strings.Contains(out, "anchor") {
		t.Fatalf("verify with the recorded anchor = %v, want a break naming the anchor\n%s", err, out)
	}
	if _, err := runRoot(t, "audit", "verify", "--data", data, "--anchor", "7:nothex"); err == nil {
		t.Fatal("a malformed anchor was accepted")
	}
}

// rewriteChain changes entry seq's actor and recomputes every hash from
// there, as an attacker with the database (but no outside record) can.
func rewriteChain(t *testing.T, path string, seq int64, actor string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	var entries []audit.Entry
	err = db.View(ctx, func(tx *store.Tx) error {
		return tx.AuditLog().EachEntry(ctx, func(e audit.Entry) error {
			entries = append(entries, e)
			return nil
		})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DROP TRIGGER audit_log_no_update`); err != nil {
		t.Fatal(err)
	}
	prev := audit.GenesisHash
	for _, e := range entries {
		if e.Stream != audit.StreamGeneral {
			continue
		}
		if e.Seq == seq {
			e.Actor = actor
		}
		e.PrevHash = prev
		e.Hash = audit.ComputeHash(prev, e)
		if _, err := raw.Exec(`UPDATE audit_log SET actor = $1, prev_hash = $2, hash = $3 WHERE stream = 'general' AND seq = $4`, e.Actor, e.PrevHash, e.Hash, e.Seq); err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
	if _, err := raw.Exec(`UPDATE audit_heads SET last_hash = $1 WHERE stream = 'general'`, prev); err != nil {
		t.Fatal(err)
	}
}

package web_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

func TestAuditLogPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("aud", auth.RoleAuditor)
		e.user("ann", auth.RoleAgent)
		ci := e.ci(cmdb.CI{Name: "web-01", Kind: cmdb.KindServer})
		name := "web-02"
		if _, err := e.cmdb.UpdateCI(t.Context(), auth.System, ci.Key, cmdb.Update{Name: &name}); err != nil {
			t.Fatal(err)
		}
		c := e.login("aud")

		doc := c.mustGet("/audit?kind=ci&key=" + ci.Key)
		rows := doc.Find("#audit-table > tbody > tr")
		if rows.Length() != 2 {
			t.Fatalf("%d entries for %s, want 2", rows.Length(), ci.Key)
		}
		// Newest first: the update, with its diff.
		first := rows.First()
		if first.Find(".badge").Text() != "update" || first.Find(`a[href="/cis/`+ci.Key+`"]`).Length() != 1 {
			t.Fatalf("first row: %q", first.Text())
		}
		diff := first.Find("table.diff tr")
		if diff.Length() != 1 || diff.Find("th").Text() != "name" || diff.Find(".from").Text() != "web-01" || diff.Find(".to").Text() != "web-02" {
			t.Fatalf("diff: %q", diff.Text())
		}
		if first.Find("time[datetime]").Length() != 1 {
			t.Error("no machine-readable time")
		}
		if n := c.mustGet("/audit?actor=nobody").Find("#audit-table > tbody > tr[data-seq]").Length(); n != 0 {
			t.Errorf("actor filter shows %d rows", n)
		}

		doc = c.mustGet(doc.Find("#verify-chain").AttrOr("href", ""))
		if !strings.Contains(doc.Find("#verify-result.ok").Text(), "holds") {
			t.Fatalf("verify: %q", doc.Find("#verify-result").Text())
		}

		rec, _ := c.get(doc.Find("#export-audit").AttrOr("href", ""))
		wantStatus(t, rec, http.StatusOK)
		if ct := rec.Header().Get("Content-Type"); ct != "application/x-ndjson" {
			t.Fatalf("export content type %q", ct)
		}
		var n int
		sc := bufio.NewScanner(rec.Body)
		for sc.Scan() {
			var entry audit.Entry
			if err := json.Unmarshal(sc.Bytes(), &entry); err != nil {
				t.Fatalf("line %d: %v", n+1, err)
			}
			n++
		}
		if n < 4 { // two users, a CI create and update
			t.Fatalf("export has %d lines", n)
		}

		// Agents may not read the audit log, nor export it.
		a := e.login("ann")
		for _, path := range []string{"/audit", "/audit/verify", "/audit/export.ndjson"} {
			rec, _ := a.get(path)
			wantStatus(t, rec, http.StatusForbidden)
		}
	})
}

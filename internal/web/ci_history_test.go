package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// TestCIHistory: a CI's page shows its audit entries newest first, who
// and when, field by field, paged; viewers who may not read the audit log
// see no history.
func TestCIHistory(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("aud", auth.RoleAuditor)
		e.user("ann", auth.RoleAgent)
		admin := e.user("ada", auth.RoleAdmin)
		ctx := context.Background()
		ci := e.ci(cmdb.CI{Name: "mail-01", Kind: cmdb.KindServer, Criticality: 2})
		other := e.ci(cmdb.CI{Name: "mail-02", Kind: cmdb.KindServer})
		for i := range 24 {
			if _, err := e.cmdb.UpdateCI(ctx, admin, ci.Key, cmdb.Update{Description: ptr(fmt.Sprintf("note %d", i))}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.cmdb.UpdateCI(ctx, admin, ci.Key, cmdb.Update{Criticality: ptr(5), Environment: ptr("production")}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.cmdb.UpdateCI(ctx, admin, other.Key, cmdb.Update{Description: ptr("elsewhere")}); err != nil {
			t.Fatal(err)
		}
		c := e.login("aud")
		doc := c.mustGet("/cis/" + ci.Key)
		rows := doc.Find("#history tr.history-entry")
		if rows.Length() != 20 || !strings.HasPrefix(doc.Find("#history h2 .count").Text(), "26 ") {
			t.Fatalf("%d rows, count %q", rows.Length(), doc.Find("#history h2 .count").Text())
		}
		newest := rows.First()
		if newest.Find(".actor").Text() != "ada" || newest.Find(".badge").Text() != "update" {
			t.Fatalf("newest entry %q", newest.Text())
		}
		diff := map[string]string{}
		newest.Find("table.diff tr").Each(func(_ int, tr *goquery.Selection) {
			diff[tr.Find("th").Text()] = tr.Find("td.from").Text() + "→" + tr.Find("td.to").Text()
		})
		if diff["business_criticality"] != "2→5" || diff["environment"] != "→production" || len(diff) != 2 {
			t.Fatalf("changes %v", diff)
		}
		if strings.Contains(doc.Find("#history").Text(), "elsewhere") {
			t.Fatal("another CI's entry in the history")
		}
		older := doc.Find(`#history .pager a[rel=next]`).AttrOr("href", "")
		if older == "" {
			t.Fatal("no link to older entries")
		}
		if !strings.HasSuffix(older, "#history") {
			t.Fatalf("older link %q does not return to the history", older)
		}
		older, _, _ = strings.Cut(older, "#") // browsers keep the fragment to themselves
		doc = c.mustGet(older)
		rows = doc.Find("#history tr.history-entry")
		if rows.Length() != 6 || rows.Last().Find(".badge").Text() != "create" || doc.Find(`#history .pager a[rel=next]`).Length() != 0 {
			t.Fatalf("second page: %d rows, last %q", rows.Length(), rows.Last().Text())
		}
		if rec, doc := e.login("ann").get("/cis/" + ci.Key); rec.Code != http.StatusOK || doc.Find("#history").Length() != 0 {
			t.Fatalf("an agent, who may not read the audit log, sees the history (status %d)", rec.Code)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// A CI created by an import says so in its history: "by import IMP-n",
// from the entry's via, which is hashed with it.
func TestCIHistoryNamesTheImport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("aud", auth.RoleAuditor)
		rep, err := e.cmdb.Import(context.Background(), auth.System, cmdb.ImportRequest{Format: "json", Filename: "hosts.json",
			Candidates: []cmdb.Candidate{{Row: 1, Label: "row 1", Identifiers: cmdb.Identifiers{Hostnames: []string{"imported-01"}}}}})
		if err != nil || rep.Created != 1 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		page, err := e.cmdb.FindCIs(context.Background(), auth.System, cmdb.Filter{Query: "imported-01"})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("imported CI: %v, %v", page, err)
		}
		doc := e.login("aud").mustGet("/cis/" + page.Items[0].Key)
		if got := doc.Find("#history tr.history-entry .via").Text(); got != "by import "+rep.Key {
			t.Fatalf("history via %q, want %q", got, "by import "+rep.Key)
		}
	})
}

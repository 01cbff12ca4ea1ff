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

const importCSV = `name,kind,ips,business_criticality
web-01,server,10.0.0.1,3
db-01,database,10.0.0.2,4
broken,spaceship,10.0.0.3,3
`

func TestImportPageShowsTheReport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		c := e.login("ann")
		if c.mustGet("/imports").Find("#import-form").Length() != 1 {
			t.Fatal("no upload form for an agent")
		}

		rec := c.upload("/imports", map[string]string{"format": "auto"}, "assets.csv", []byte(importCSV))
		wantStatus(t, rec, http.StatusSeeOther)
		doc := c.mustGet(location(rec))
		counts := map[string]string{}
		doc.Find("#import-counts [data-count]").Each(func(_ int, s *goquery.Selection) {
			counts[s.AttrOr("data-count", "")] = s.Text()
		})
		if counts["created"] != "2" || counts["rejected"] != "1" || counts["updated"] != "0" {
			t.Fatalf("counts %v", counts)
		}
		rej := doc.Find("#rejected-rows tbody tr")
		if rej.Length() != 1 || !strings.Contains(rej.Find("ul.reasons").Text(), "kind") {
			t.Fatalf("rejected rows: %q", rej.Text())
		}
		if doc.Find("#import-status").Length() != 0 {
			t.Errorf("a finished import shows a status alert: %q", doc.Find("#import-status").Text())
		}

		// The second run of the same file changes nothing, and is listed.
		rec = c.upload("/imports", map[string]string{"format": "csv"}, "assets.csv", []byte(importCSV))
		wantStatus(t, rec, http.StatusSeeOther)
		doc = c.mustGet(location(rec))
		if got := doc.Find(`[data-count=unchanged]`).Text(); got != "2" {
			t.Errorf("second run: unchanged %q", got)
		}
		if n := c.mustGet("/imports").Find("#import-table tbody a[href^='/imports/IMP-']").Length(); n != 2 {
			t.Errorf("%d imports listed, want 2", n)
		}
		if e.count() != 2 {
			t.Fatalf("%d CIs after two imports, want 2", e.count())
		}
	})
}

func TestStrictImportAppliesNothing(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		c := e.login("ann")
		rec := c.upload("/imports", map[string]string{"format": "csv", "strict": "1"}, "assets.csv", []byte(importCSV))
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		doc := parse(t, rec)
		if doc.Find("#strict-refused").Length() != 1 || doc.Find("#rejected-rows tbody tr").Length() != 1 {
			t.Fatal("strict refusal not explained")
		}
		if e.count() != 0 {
			t.Fatal("strict import applied rows")
		}
	})
}

// A report keeps its rejected rows, shown a page at a time.
func TestImportReportPagesItsRows(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		c := e.login("ann")
		var b strings.Builder
		b.WriteString("name,kind,ips\n")
		for i := 1; i <= 60; i++ {
			fmt.Fprintf(&b, "bad-%d,spaceship,10.9.0.%d\n", i, i)
		}
		rec := c.upload("/imports", map[string]string{"format": "csv"}, "bad.csv", []byte(b.String()))
		wantStatus(t, rec, http.StatusSeeOther)
		first := c.mustGet(location(rec))
		next := first.Find(`.pager a[rel=next]`).AttrOr("href", "")
		if n := first.Find("#rejected-rows tbody tr").Length(); n != 50 || next == "" {
			t.Fatalf("first page: %d rows, next %q", n, next)
		}
		second := c.mustGet(next)
		rows := second.Find("#rejected-rows tbody tr")
		if rows.Length() != 10 || strings.TrimSpace(rows.First().Find("td.num").Text()) != "51" || second.Find(`.pager a[rel=next]`).Length() != 0 {
			t.Errorf("second page: %d rows from %q", rows.Length(), rows.First().Find("td.num").Text())
		}
	})
}

func TestUnparsableUploadIsExplained(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		c := e.login("ann")
		for _, tc := range []struct{ format, name, body string }{
			{"csv", "x.csv", "color,shape\nred,round\n"},
			{"nmap", "scan.xml", "<nmaprun><host>"},
			{"auto", "notes.txt", "hello"},
		} {
			rec := c.upload("/imports", map[string]string{"format": tc.format}, tc.name, []byte(tc.body))
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			if parse(t, rec).Find("#import-form .ferr").Length() == 0 {
				t.Errorf("%s: no message on the form", tc.name)
			}
		}
		if e.count() != 0 {
			t.Fatal("a broken file created CIs")
		}
	})
}

// A CI a person named keeps its name through an import from a named
// source: the report shows the field kept and why, and the CI's page says
// who set each field.
func TestImportShowsFieldsKept(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ann := e.user("ann", auth.RoleAgent)
		rtr, err := e.cmdb.CreateCI(context.Background(), ann, cmdb.CI{Name: "edge-rtr-02", Kind: cmdb.KindNetworkDevice,
			Identifiers: cmdb.Identifiers{IPs: []string{"10.20.0.2"}}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.login("ann")
		csv := "name,ips,environment\ndhcp-10-20-0-2,10.20.0.2,production\n"
		rec := c.upload("/imports", map[string]string{"format": "csv", "source": "Discovery"}, "scan.csv", []byte(csv))
		wantStatus(t, rec, http.StatusSeeOther)
		doc := c.mustGet(location(rec))
		if got := doc.Find("#import-source").Text(); got != "discovery" {
			t.Errorf("source %q", got)
		}
		kept := doc.Find("#kept-rows tbody tr")
		if kept.Length() != 1 || !strings.Contains(kept.Text(), "set manually by ann") || !strings.Contains(kept.Text(), "dhcp-10-20-0-2") {
			t.Fatalf("kept rows: %q", kept.Text())
		}
		page := c.mustGet("/cis/" + rtr.Key)
		if got := page.Find("h1").Text(); !strings.Contains(got, "edge-rtr-02") {
			t.Errorf("renamed: %q", got)
		}
		if got := page.Find("#name-source").Text(); got != "Name set by hand by ann" {
			t.Errorf("name source %q", got)
		}
		if got := page.Find("#ci-props .field-source").Text(); !strings.Contains(got, "from discovery (IMP-1)") {
			t.Errorf("field sources %q", got)
		}

		rec = c.upload("/imports", map[string]string{"format": "csv", "source": "no spaces"}, "scan.csv", []byte(csv))
		wantStatus(t, rec, http.StatusUnprocessableEntity)
	})
}

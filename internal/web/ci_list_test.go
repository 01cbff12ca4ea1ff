package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

func TestCIListFilters(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		exposed := true
		web := e.ci(cmdb.CI{Name: "web-01", Kind: cmdb.KindServer, Environment: "production", Criticality: 4, InternetExposed: exposed,
			Tags: []string{"pci"}, Identifiers: cmdb.Identifiers{IPs: []string{"10.1.2.3"}}})
		db := e.ci(cmdb.CI{Name: "db-01", Kind: cmdb.KindDatabase, Environment: "production", Criticality: 5})
		dev := e.ci(cmdb.CI{Name: "web-dev", Kind: cmdb.KindServer, Environment: "development", Criticality: 1})
		c := e.login("ann")

		cases := []struct {
			query string
			want  []string
		}{
			{"", []string{web.Key, db.Key, dev.Key}},
			{"q=web", []string{web.Key, dev.Key}},
			{"q=10.1.2", []string{web.Key}},
			{"kind=database", []string{db.Key}},
			{"environment=development", []string{dev.Key}},
			{"min_criticality=4", []string{web.Key, db.Key}},
			{"exposed=yes", []string{web.Key}},
			{"exposed=no", []string{db.Key, dev.Key}},
			{"tag=pci", []string{web.Key}},
			{"kind=server&environment=production", []string{web.Key}},
		}
		for _, tc := range cases {
			doc := c.mustGet("/cis?" + tc.query)
			got := keys(doc.Find("tr.ci-row"))
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%q: rows %v, want %v", tc.query, got, want)
			}
			if count := doc.Find("h1 .count").Text(); !strings.HasPrefix(count, fmt.Sprint(len(want))+" ") {
				t.Errorf("%q: count %q, want %d", tc.query, count, len(want))
			}
		}
		// The filter form shows what is applied.
		doc := c.mustGet("/cis?kind=database&exposed=no&q=db")
		if doc.Find(`select[name=kind] option[selected]`).AttrOr("value", "") != "database" ||
			doc.Find(`select[name=exposed] option[selected]`).AttrOr("value", "") != "no" ||
			doc.Find(`input[name=q]`).AttrOr("value", "") != "db" {
			t.Error("filter form does not echo the filters")
		}
		// Rows link to their CI and show its facts.
		row := doc.Find(`tr.ci-row[data-key="` + db.Key + `"]`)
		if row.Find(`a[href="/cis/`+db.Key+`"]`).Length() == 0 || row.Find(".crit-5").Length() != 1 {
			t.Error("row lacks its link or criticality")
		}
	})
}

func TestCIListPaging(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		for i := range 120 {
			kind := cmdb.KindServer
			if i%2 == 1 {
				kind = cmdb.KindVirtualMachine
			}
			e.ci(cmdb.CI{Name: fmt.Sprintf("host-%03d", i), Kind: kind})
		}
		c := e.login("ann")

		// Walk forward through every page of servers, then back again.
		var pages [][]string
		next, path := "", "/cis?kind=server"
		for path != "" {
			doc := c.mustGet(path)
			pages = append(pages, keys(doc.Find("tr.ci-row")))
			if got := doc.Find("h1 .count").Text(); got != "60 matching CIs" {
				t.Fatalf("count %q", got)
			}
			next = doc.Find(`.pager a[rel=next]`).AttrOr("href", "")
			if len(pages) == 1 && doc.Find(`.pager a[rel=prev]`).Length() != 0 {
				t.Fatal("first page offers Previous")
			}
			if next != "" && !strings.Contains(next, "kind=server") {
				t.Fatalf("next link %q loses the filter", next)
			}
			path = next
			if len(pages) > 5 {
				t.Fatal("paging does not end")
			}
		}
		if len(pages) != 2 || len(pages[0]) != 50 || len(pages[1]) != 10 {
			t.Fatalf("page sizes %d pages: %v", len(pages), lens(pages))
		}
		var all []string
		for _, p := range pages {
			all = append(all, p...)
		}
		sorted := slices.Clone(all)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != 60 {
			t.Fatal("pages repeat or miss CIs")
		}
		// Previous from the last page returns the first page.
		doc := c.mustGet("/cis?kind=server")
		doc = c.mustGet(doc.Find(`.pager a[rel=next]`).AttrOr("href", ""))
		prev := doc.Find(`.pager a[rel=prev]`).AttrOr("href", "")
		if prev == "" {
			t.Fatal("no Previous on page 2")
		}
		if got := keys(c.mustGet(prev).Find("tr.ci-row")); !slices.Equal(got, pages[0]) {
			t.Fatal("Previous does not return to page 1")
		}
	})
}

func lens(pages [][]string) []int {
	var n []int
	for _, p := range pages {
		n = append(n, len(p))
	}
	return n
}

func TestCIListPagingThreePagesBack(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		for i := range 130 {
			e.ci(cmdb.CI{Name: fmt.Sprintf("h-%03d", i), Kind: cmdb.KindServer})
		}
		c := e.login("ann")
		p1 := c.mustGet("/cis")
		p2 := c.mustGet(p1.Find(`.pager a[rel=next]`).AttrOr("href", ""))
		p3 := c.mustGet(p2.Find(`.pager a[rel=next]`).AttrOr("href", ""))
		if n := p3.Find("tr.ci-row").Length(); n != 30 {
			t.Fatalf("page 3 has %d rows", n)
		}
		back := c.mustGet(p3.Find(`.pager a[rel=prev]`).AttrOr("href", ""))
		if !slices.Equal(keys(back.Find("tr.ci-row")), keys(p2.Find("tr.ci-row"))) {
			t.Fatal("Previous from page 3 is not page 2")
		}
		first := p3.Find(`.pager a[rel=first]`).AttrOr("href", "")
		if u, _ := url.Parse(first); u.Query().Get("cursor") != "" {
			t.Fatalf("First link %q carries a cursor", first)
		}
	})
}

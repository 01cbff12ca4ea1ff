package web_test

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// TestCIListHonoursURL: every filter the API knows, the sort and the page
// size given in the URL shape the list; headings sort; a filter the CMDB
// cannot apply is an error page, never a silently unfiltered list.
func TestCIListHonoursURL(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		e.user("olga", auth.RoleRequester)
		a := e.ci(cmdb.CI{Name: "alpha", Kind: cmdb.KindServer, Environment: "staging", Criticality: 2, Owner: "olga",
			Identifiers: cmdb.Identifiers{Hostnames: []string{"alpha-host"}, IPs: []string{"10.9.0.1"}}})
		b := e.ci(cmdb.CI{Name: "bravo", Kind: cmdb.KindDatabase, Environment: "production", Criticality: 5, LifecycleStatus: "retired"})
		c := e.ci(cmdb.CI{Name: "charlie", Kind: cmdb.KindApplication, Environment: "production", Criticality: 3, InternetExposed: true})
		ann := e.login("ann")
		cases := []struct {
			query string
			want  []string // keys in row order
		}{
			{"", []string{a.Key, b.Key, c.Key}},
			{"sort=-name", []string{c.Key, b.Key, a.Key}},
			{"sort=kind", []string{c.Key, b.Key, a.Key}},
			{"sort=-criticality", []string{b.Key, c.Key, a.Key}},
			{"sort=environment", []string{b.Key, c.Key, a.Key}},
			{"sort=-updated", []string{c.Key, b.Key, a.Key}},
			{"limit=2", []string{a.Key, b.Key}},
			{"lifecycle_status=retired", []string{b.Key}},
			{"owner=olga", []string{a.Key}},
			{"internet_exposed=true", []string{c.Key}},
			{"internet_exposed=false&sort=-name", []string{b.Key, a.Key}},
			{"q=harl", []string{c.Key}},
			{"q=9.0", []string{a.Key}},
		}
		for _, tc := range cases {
			doc := ann.mustGet("/cis?" + tc.query)
			if got := keys(doc.Find("tr.ci-row")); !slices.Equal(got, tc.want) {
				t.Errorf("%q: rows %v, want %v", tc.query, got, tc.want)
			}
		}
		t.Run("headings sort and reverse", func(t *testing.T) {
			doc := ann.mustGet("/cis?sort=criticality&kind=")
			th := doc.Find(`#ci-table th[data-sort=criticality]`)
			if th.AttrOr("aria-sort", "") != "ascending" || doc.Find(`#ci-table th[aria-sort]`).Length() != 1 {
				t.Fatal("the sorted column is not marked")
			}
			if href := th.Find("a").AttrOr("href", ""); href != "/cis?sort=-criticality" {
				t.Fatalf("criticality heading links to %q", href)
			}
			if href := doc.Find(`#ci-table th[data-sort=name] a`).AttrOr("href", ""); href != "/cis" {
				t.Fatalf("name heading links to %q", href)
			}
			doc = ann.mustGet("/cis?environment=production&limit=25")
			if href := doc.Find(`#ci-table th[data-sort=updated] a`).AttrOr("href", ""); href != "/cis?environment=production&limit=25&sort=-updated" {
				t.Fatalf("updated heading links to %q: filters must stay", href)
			}
			if doc.Find(`select[name=limit] option[selected]`).AttrOr("value", "") != "25" {
				t.Fatal("page size not shown")
			}
		})
		t.Run("host and IP column", func(t *testing.T) {
			row := ann.mustGet("/cis").Find(`tr.ci-row[data-key="` + a.Key + `"] td.addr`)
			if !strings.Contains(row.Text(), "alpha-host") || row.Find("code.ip").Text() != "10.9.0.1" {
				t.Fatalf("address cell %q", row.Text())
			}
		})
		t.Run("slash focuses search", func(t *testing.T) {
			if ann.mustGet("/cis").Find(`input[type=search][name=q][aria-keyshortcuts="/"]`).Length() != 1 {
				t.Fatal("the search box does not declare the / shortcut")
			}
		})
		t.Run("a filter the CMDB cannot apply is refused", func(t *testing.T) {
			for _, q := range []string{"sort=colour", "lifecycle_status=zombie", "kind=toaster", "internet_exposed=maybe", "updated_since=yesterday", "min_criticality=x"} {
				rec, doc := ann.get("/cis?" + q)
				if rec.Code != http.StatusUnprocessableEntity || doc.Find("tr.ci-row").Length() != 0 {
					t.Errorf("%s: status %d with %d rows", q, rec.Code, doc.Find("tr.ci-row").Length())
				}
			}
		})
	})
}

// TestCIExportCSV: the export holds what the list's filters select, in
// its order, as the viewer may see it, with formula-like cells defused.
func TestCIExportCSV(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		e.user("olga", auth.RoleRequester)
		evil := e.ci(cmdb.CI{Name: "=HYPERLINK(\"http://x\")", Kind: cmdb.KindServer, Supplier: "+cmd", Owner: "olga",
			Tags: []string{"@sum"}, Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.1"}, Hostnames: []string{"h1"}}})
		dash := e.ci(cmdb.CI{Name: "-minus", Kind: cmdb.KindServer, Description: "x"})
		plain := e.ci(cmdb.CI{Name: "plain", Kind: cmdb.KindDatabase})
		read := func(c *client, path string) [][]string {
			t.Helper()
			rec, _ := c.get(path)
			if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
				t.Fatalf("%s: status %d, type %q", path, rec.Code, rec.Header().Get("Content-Type"))
			}
			rows, err := csv.NewReader(rec.Body).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		ann := e.login("ann")
		rows := read(ann, "/cis/export.csv?kind=server&sort=-name&limit=1")
		if len(rows) != 3 || rows[0][0] != "key" || rows[1][0] != evil.Key || rows[2][0] != dash.Key {
			t.Fatalf("rows %q", rows)
		}
		col := func(name string) int { return slices.Index(rows[0], name) }
		for _, cell := range []struct{ got, want string }{
			{rows[1][col("name")], `'=HYPERLINK("http://x")`},
			{rows[1][col("supplier")], "'+cmd"},
			{rows[1][col("tags")], "'@sum"},
			{rows[1][col("ips")], "10.0.0.1"},
			{rows[1][col("hostnames")], "h1"},
			{rows[2][col("name")], "'-minus"},
		} {
			if cell.got != cell.want {
				t.Errorf("cell %q, want %q", cell.got, cell.want)
			}
		}
		if got := read(ann, "/cis/export.csv"); len(got) != 4 || got[3][0] != plain.Key {
			t.Fatalf("unfiltered export: %q", got)
		}
		// An export walks the order's index through the search's matches.
		if got := read(ann, "/cis/export.csv?q=inus&sort=-name"); len(got) != 2 || got[1][0] != dash.Key {
			t.Fatalf("export of a search: %q", got)
		}
		if got := read(e.login("olga"), "/cis/export.csv"); len(got) != 2 || got[1][0] != evil.Key {
			t.Fatalf("requester's export holds %q", got)
		}
		doc := ann.mustGet("/cis?kind=server&limit=1")
		doc = ann.mustGet(doc.Find(`.pager a[rel=next]`).AttrOr("href", ""))
		if href := doc.Find("#export-csv").AttrOr("href", ""); href != "/cis/export.csv?kind=server" {
			t.Fatalf("export link %q", href)
		}
	})
}

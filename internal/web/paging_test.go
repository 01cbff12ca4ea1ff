package web_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// Every paged list honours ?limit= (corrected rather than refused when it
// is out of range) and keeps it on the way to the next page.
func TestListsHonourLimit(t *testing.T) {
	lists := []struct {
		path, rows string
		all        int // rows on one page when nothing limits them
	}{
		{"/cis", "tr.ci-row", 3},
		{"/admin/users", "#user-table tr[data-user]", 3},
		{"/imports", `a[href^="/imports/IMP-"]`, 3},
		{"/audit?kind=ci", "tr[data-seq]", 3},
	}
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("root", auth.RoleAdmin)
		e.user("ann", auth.RoleAgent)
		e.user("aud", auth.RoleAuditor)
		for i := range 3 {
			e.ci(cmdb.CI{Name: fmt.Sprintf("host-%d", i), Kind: cmdb.KindServer})
			host := fmt.Sprintf("imported-%d", i)
			_, err := e.cmdb.Import(context.Background(), auth.System, cmdb.ImportRequest{Format: "json", Filename: host + ".json",
				Candidates: []cmdb.Candidate{{Row: 1, Label: "row 1", Identifiers: cmdb.Identifiers{Hostnames: []string{host}}}}})
			if err != nil {
				t.Fatal(err)
			}
		}
		c := e.login("root")
		for _, l := range lists {
			sep := "?"
			if u, _ := url.Parse(l.path); u.RawQuery != "" {
				sep = "&"
			}
			cases := []struct {
				limit string
				rows  int
			}{
				{"2", 2}, {"9999", l.all}, {"ten", l.all}, {"", l.all},
			}
			for _, tc := range cases {
				path := l.path
				if tc.limit != "" {
					path += sep + "limit=" + tc.limit
				}
				doc := c.mustGet(path)
				if n := doc.Find(l.rows).Length(); n < tc.rows || (tc.limit == "2" && n != 2) {
					t.Errorf("%s: %d rows, want %d", path, n, tc.rows)
				}
				if tc.limit != "2" {
					continue
				}
				next := doc.Find(`.pager a[rel=next]`).AttrOr("href", "")
				u, err := url.Parse(next)
				if next == "" || err != nil || u.Query().Get("limit") != "2" {
					t.Errorf("%s: next link %q does not keep limit=2", path, next)
					continue
				}
				if n := c.mustGet(next).Find(l.rows).Length(); n < 1 || n > 2 {
					t.Errorf("%s: %d rows on the next page", next, n)
				}
			}
		}
	})
}

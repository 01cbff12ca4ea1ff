package httpapi

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// An import's answer and its stored report carry counts and the rejected
// rows only, a page at a time.
func TestImportReportRowsArePaged(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var b strings.Builder
		b.WriteString("name,kind,ips\n")
		for i := 1; i <= 130; i++ {
			kind := "server"
			if i%2 == 0 {
				kind = "spaceship" // every second row is rejected
			}
			fmt.Fprintf(&b, "h-%d,%s,10.7.%d.%d\n", i, kind, i>>8, i&255)
		}
		var rep cmdb.ImportReport
		e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/csv", body: b.String(), headers: csvType}, 201).decode(t, &rep)
		if rep.Created != 65 || rep.Rejected != 65 || rep.Status != "done" || rep.AppliedThrough != 130 ||
			len(rep.Rows) != 50 || rep.NextCursor == "" || rep.Rows[0].Row != 2 {
			t.Fatalf("answer: %d rows, next %q, %+v", len(rep.Rows), rep.NextCursor, rep)
		}
		var rows []int
		cursor := ""
		for {
			var page cmdb.ImportReport
			e.must(req{as: asAuditor, method: "GET", path: "/api/v1/imports/" + rep.Key + "?limit=20&cursor=" + url.QueryEscape(cursor)}, 200).decode(t, &page)
			for _, r := range page.Rows {
				if r.Action != "rejected" || len(r.Errors) == 0 || r.Errors[0].Field != "kind" {
					t.Fatalf("row %+v", r)
				}
				rows = append(rows, r.Row)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if len(rows) != 65 || rows[0] != 2 || rows[64] != 130 {
			t.Errorf("paged %d rows: %v", len(rows), rows)
		}
		e.must(req{as: asAgent, method: "GET", path: "/api/v1/imports/" + rep.Key + "?limit=0"}, 400)
	})
}

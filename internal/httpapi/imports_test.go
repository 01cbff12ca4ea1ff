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

// Through the API: a person's name survives an import from a named
// source, the answer says why, and the order of sources is read and set
// at /api/v1/cmdb/source-precedence.
func TestImportKeepsManualFieldsOverHTTP(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var ci cmdb.CI
		e.must(req{as: asAgent, method: "POST", path: "/api/v1/cis", body: map[string]any{"name": "edge-rtr-02", "kind": "network_device",
			"identifiers": map[string]any{"ips": []string{"10.20.0.2"}}}}, 201).decode(t, &ci)
		if ci.Sources["name"].Source != cmdb.SourceManual {
			t.Fatalf("sources of a CI created through the API: %+v", ci.Sources)
		}
		var prec cmdb.Precedence
		e.must(req{as: asAdmin, method: "PUT", path: "/api/v1/cmdb/source-precedence", body: map[string]any{"sources": []string{"Cmdb-Sync", "nmap"}}}, 200).decode(t, &prec)
		e.must(req{as: asAuditor, method: "GET", path: "/api/v1/cmdb/source-precedence"}, 200).decode(t, &prec)
		if fmt.Sprint(prec.Sources) != "[cmdb-sync nmap]" {
			t.Fatalf("order %v", prec.Sources)
		}
		e.must(req{as: asAdmin, method: "PUT", path: "/api/v1/cmdb/source-precedence", body: map[string]any{"sources": []string{"manual"}}}, 422)
		e.must(req{as: asAdmin, method: "PUT", path: "/api/v1/cmdb/source-precedence", body: map[string]any{}}, 422)

		csv := "name,ips,environment\ndhcp-10-20-0-2,10.20.0.2,production\n"
		var rep cmdb.ImportReport
		e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/csv?source=Discovery", body: csv, headers: csvType}, 201).decode(t, &rep)
		if rep.Source != "discovery" || rep.Updated != 1 || rep.Kept != 1 || len(rep.Rows) != 1 ||
			fmt.Sprint(rep.Rows[0].Kept) != "[name kept: set manually by "+asAgent+"]" {
			t.Fatalf("report %+v", rep)
		}
		e.must(req{as: asAgent, method: "GET", path: "/api/v1/cis/" + ci.Key}, 200).decode(t, &ci)
		if ci.Name != "edge-rtr-02" || ci.Environment != "production" || ci.Sources["environment"].Import != rep.Key {
			t.Errorf("after the import: %+v", ci)
		}
		e.must(req{as: asAgent, method: "POST", path: "/api/v1/imports/csv?source=manual", body: csv, headers: csvType}, 422)
	})
}

package cmdb_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func host(row int, hostname, ip string) cmdb.Candidate {
	c := cmdb.Candidate{Row: row, Label: fmt.Sprintf("host %s", ip)}
	if hostname != "" {
		c.Identifiers.Hostnames = []string{hostname}
	}
	if ip != "" {
		c.Identifiers.IPs = []string{ip}
	}
	return c
}

// rowOf returns the kept row numbered n of a report, or a zero row.
func rowOf(rep cmdb.ImportReport, n int) cmdb.ImportRow {
	for _, r := range rep.Rows {
		if r.Row == n {
			return r
		}
	}
	return cmdb.ImportRow{}
}

// keptRows lists the row numbers a report keeps.
func keptRows(rep cmdb.ImportReport) []int {
	var out []int
	for _, r := range rep.Rows {
		out = append(out, r.Row)
	}
	return out
}

// ciHolding returns the CI that holds an identifier (a host name, an IP...).
func (e *env) ciHolding(t *testing.T, value string) cmdb.CI {
	t.Helper()
	page, err := e.svc.FindCIs(e.ctx, e.admin, cmdb.Filter{Query: value, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var found []cmdb.CI
	for _, ci := range page.Items {
		for _, v := range ci.Identifiers.Values() {
			if v.Value == value {
				found = append(found, ci)
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d CIs hold %s", len(found), value)
	}
	return found[0]
}

func TestImportSameDataTwiceCreatesNothingNew(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cands := []cmdb.Candidate{
			host(1, "web-01", "10.0.0.1"),
			host(2, "web-02", "10.0.0.2"),
			// The same host again, seen by another address: one CI.
			{Row: 3, Identifiers: cmdb.Identifiers{Hostnames: []string{"WEB-01"}, IPs: []string{"10.0.0.11"}}},
		}
		cands[1].Fields = cmdb.Update{Kind: ptr(cmdb.KindVirtualMachine), Environment: ptr("Prod"), Owner: ptr("alice"),
			SupportGroup: ptr("NOC"), Tags: &[]string{"scan"}, Attributes: &map[string]any{"os": "linux"}}
		rep, err := e.svc.Import(e.ctx, e.agent, cmdb.ImportRequest{Format: "csv", Filename: "hosts.csv", Candidates: cands})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Key != "IMP-1" || rep.Created != 2 || rep.Updated != 1 || rep.Actor != "nico" || rep.Status != cmdb.ImportDone ||
			rep.AppliedThrough != 3 || len(rep.Rows) != 0 {
			t.Fatalf("first run: %+v", rep)
		}
		web1 := e.ciHolding(t, "10.0.0.11")
		if web1.Name != "web-01" || web1.Kind != cmdb.KindServer || web1.Criticality != 3 || fmt.Sprint(web1.Identifiers.IPs) != "[10.0.0.1 10.0.0.11]" {
			t.Fatalf("web-01 = %+v", web1)
		}
		web2 := e.ciHolding(t, "10.0.0.2")
		if web2.Kind != cmdb.KindVirtualMachine || web2.Environment != "prod" || web2.Owner != "alice" || web2.SupportGroup != "NOC" ||
			fmt.Sprint(web2.Tags) != "[scan]" || web2.Attributes["os"] != "linux" {
			t.Fatalf("web-02 = %+v", web2)
		}
		first := e.auditEntries()
		auditBefore := len(first)
		if auditBefore != 3 { // two CIs created (the third row folded into the first) and the import
			t.Fatalf("%d audit entries after the first import, want 3", auditBefore)
		}
		for _, en := range first {
			if en.Kind == cmdb.AuditKindCI && (en.Via != "import IMP-1" || en.Actor != "nico") {
				t.Fatalf("CI entry of an import: actor %q via %q, want nico via import IMP-1", en.Actor, en.Via)
			}
		}

		rep2, err := e.svc.Import(e.ctx, e.agent, cmdb.ImportRequest{Format: "csv", Filename: "hosts.csv", Candidates: cands})
		if err != nil {
			t.Fatal(err)
		}
		if rep2.Key != "IMP-2" || rep2.Created != 0 || rep2.Updated != 0 || rep2.Unchanged != 3 {
			t.Fatalf("second run: %+v", rep2)
		}
		if e.count("cis") != 2 {
			t.Fatalf("%d CIs after importing twice", e.count("cis"))
		}
		after := e.auditEntries()
		if len(after) != auditBefore+1 || after[len(after)-1].Kind != cmdb.AuditKindImport || after[len(after)-1].Key != "IMP-2" {
			t.Fatalf("second import audited %d entries, want only the import", len(after)-auditBefore)
		}
		again, _ := e.svc.FindCIByKey(e.ctx, e.admin, web1.Key)
		if again.Version != web1.Version {
			t.Fatalf("unchanged CI version moved %d -> %d", web1.Version, again.Version)
		}
	})
}

func TestImportReconciliation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.mustCreate(cmdb.CI{Name: "alpha", Kind: cmdb.KindServer, Description: "kept", Criticality: 5, Tags: []string{"manual"},
			Attributes:  map[string]any{"rack": "r1", "os": "old"},
			Identifiers: cmdb.Identifiers{Hostnames: []string{"alpha"}, IPs: []string{"10.1.0.1"}, Serial: "SN-A"}})
		b := e.mustCreate(cmdb.CI{Name: "beta", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{Hostnames: []string{"beta"}, IPs: []string{"10.1.0.2"}}})
		cands := []cmdb.Candidate{
			// Matches alpha by IP only: identifiers merged, given fields set,
			// the rest kept; os was set by hand, so it is kept too.
			{Row: 1, Identifiers: cmdb.Identifiers{IPs: []string{"10.1.0.1", "10.1.0.100"}, MACs: []string{"AA:BB:CC:00:00:01"}},
				Fields: cmdb.Update{Supplier: ptr("Dell"), Tags: &[]string{"scanned"}, Attributes: &map[string]any{"os": "debian"}}},
			// Matches alpha and beta: a conflict naming both.
			{Row: 2, Label: "row 2 (mixed)", Identifiers: cmdb.Identifiers{Hostnames: []string{"alpha"}, IPs: []string{"10.1.0.2"}}},
			// Parse problems reject the row as they are.
			{Row: 3, Identifiers: cmdb.Identifiers{IPs: []string{"10.1.0.3"}}, Problems: []errs.FieldError{{Field: "port", Message: "not a number"}}},
			// Invalid identifier.
			{Row: 4, Identifiers: cmdb.Identifiers{IPs: []string{"10.1.0"}}},
			// Nothing to match on.
			{Row: 5, Fields: cmdb.Update{Name: ptr("nameless")}},
			// Unknown owner.
			{Row: 6, Identifiers: cmdb.Identifiers{Hostnames: []string{"gamma"}}, Fields: cmdb.Update{Owner: ptr("ghost")}},
			// Another serial than the CI it matched: not the same asset.
			{Row: 7, Identifiers: cmdb.Identifiers{Hostnames: []string{"alpha"}, Serial: "SN-OTHER"}},
			// Bad field value.
			{Row: 8, Identifiers: cmdb.Identifiers{Hostnames: []string{"delta"}}, Fields: cmdb.Update{Kind: ptr(cmdb.Kind("toaster"))}},
			// A new host with a name given.
			{Row: 9, Identifiers: cmdb.Identifiers{FQDNs: []string{"eps.example.com"}}, Fields: cmdb.Update{Name: ptr("Epsilon"), Criticality: ptr(2)}},
			// Blank name and kind cells change nothing.
			{Row: 10, Identifiers: cmdb.Identifiers{Hostnames: []string{"beta"}}, Fields: cmdb.Update{Name: ptr(" "), Kind: ptr(cmdb.Kind(""))}},
		}
		rep, err := e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "json", Candidates: cands})
		if err != nil {
			t.Fatal(err)
		}
		// The report keeps the rejected rows and those that kept a field;
		// the rest are counted.
		if fmt.Sprint(keptRows(rep)) != "[1 2 3 4 5 6 7 8]" || rep.Created != 1 || rep.Updated != 1 || rep.Rejected != 7 || rep.Unchanged != 1 || rep.Kept != 1 {
			t.Fatalf("kept rows %v, report %+v", keptRows(rep), rep)
		}
		wantErrField := map[int]string{3: "port", 4: "identifiers.ips[0]", 5: "identifiers", 6: "owner", 7: "identifiers.serial", 8: "kind"}
		for row, field := range wantErrField {
			r := rowOf(rep, row)
			if r.Action != cmdb.ActionRejected || len(r.Errors) == 0 || r.Errors[0].Field != field {
				t.Errorf("row %d %s with errors %+v, want rejected naming %s", row, r.Action, r.Errors, field)
			}
		}
		if c := rowOf(rep, 2); fmt.Sprint(c.Conflict) != fmt.Sprint([]string{a.Key, b.Key}) || c.Label != "row 2 (mixed)" {
			t.Errorf("conflict row = %+v", c)
		}
		if k := rowOf(rep, 1).Kept; fmt.Sprint(k) != "[attributes.os kept: set manually by ada]" || k[0].Value != "debian" {
			t.Errorf("row 1 kept %+v", k)
		}
		if rowOf(rep, 4).Label != "row 4" {
			t.Errorf("default label = %q", rowOf(rep, 4).Label)
		}

		got, _ := e.svc.FindCIByKey(e.ctx, e.admin, a.Key)
		wantIDs := cmdb.Identifiers{Hostnames: []string{"alpha"}, IPs: []string{"10.1.0.1", "10.1.0.100"}, MACs: []string{"aa:bb:cc:00:00:01"}, Serial: "SN-A"}
		if !reflect.DeepEqual(got.Identifiers, wantIDs) {
			t.Errorf("identifiers = %+v, want merged %+v", got.Identifiers, wantIDs)
		}
		if got.Description != "kept" || got.Criticality != 5 || got.Supplier != "Dell" || fmt.Sprint(got.Tags) != "[manual scanned]" ||
			got.Attributes["rack"] != "r1" || got.Attributes["os"] != "old" || got.Version != 2 {
			t.Errorf("alpha after import = %+v", got)
		}
		eps := e.ciHolding(t, "eps.example.com")
		if eps.Name != "Epsilon" || eps.Criticality != 2 || eps.Kind != cmdb.KindServer {
			t.Errorf("created = %+v", eps)
		}
		if up := e.auditFor(cmdb.AuditKindCI, a.Key); len(up) != 2 || up[1].Action != "update" || up[1].Actor != "ada" {
			t.Errorf("alpha audit = %+v", up)
		}

		stored, err := e.svc.FindImport(e.ctx, e.auditor, rep.Key, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(stored, rep) {
			t.Errorf("stored report differs:\n%+v\n%+v", stored, rep)
		}
		if entries := e.auditFor(cmdb.AuditKindImport, rep.Key); len(entries) != 1 || jsonField(t, entries[0].After, "rejected") != 7.0 {
			t.Errorf("import audit = %+v", entries)
		}
	})
}

func TestImportStrictAppliesNothingOnRejection(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cands := []cmdb.Candidate{host(1, "ok-1", "10.2.0.1"), host(2, "bad", "10.2.0.999"), host(3, "ok-3", "10.2.0.3")}
		rep, err := e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "csv", Candidates: cands, Strict: true})
		wantKind(t, err, errs.Invalid)
		if !hasField(err, "row 2: identifiers.ips[0]") {
			t.Fatalf("err = %v", err)
		}
		if rep.Key != "" || rep.Rejected != 1 || rep.Created != 2 || fmt.Sprint(keptRows(rep)) != "[2]" {
			t.Fatalf("refused report = %+v", rep)
		}
		for _, table := range []string{"cis", "ci_identifiers", "imports", "audit_log"} {
			if n := e.count(table); n != 0 {
				t.Errorf("%s has %d rows after a refused strict import", table, n)
			}
		}
		// Without the bad row, strict mode applies everything.
		rep, err = e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "csv", Candidates: []cmdb.Candidate{cands[0], cands[2]}, Strict: true})
		if err != nil || rep.Created != 2 || rep.Key == "" {
			t.Fatalf("strict import = %+v, %v", rep, err)
		}
	})
}

func TestImportValidationAndListing(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, err := e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "xlsx"})
		wantKind(t, err, errs.Invalid)
		if !hasField(err, "format") {
			t.Fatalf("err = %v", err)
		}
		for i := 1; i <= 3; i++ {
			if _, err := e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "nmap", Filename: fmt.Sprintf("scan-%d.xml", i),
				Candidates: []cmdb.Candidate{host(1, "", fmt.Sprintf("10.3.0.%d", i))}}); err != nil {
				t.Fatal(err)
			}
		}
		page1, next, err := e.svc.FindImports(e.ctx, e.agent, "", 2)
		if err != nil || len(page1) != 2 || next == "" || page1[0].Key != "IMP-3" || page1[1].Key != "IMP-2" || page1[0].Rows != nil {
			t.Fatalf("page 1 = %+v, %q, %v", page1, next, err)
		}
		page2, next, err := e.svc.FindImports(e.ctx, e.agent, next, 2)
		if err != nil || len(page2) != 1 || next != "" || page2[0].Key != "IMP-1" || page2[0].Filename != "scan-1.xml" || page2[0].Created != 1 {
			t.Fatalf("page 2 = %+v, %q, %v", page2, next, err)
		}
		_, err = e.svc.FindImport(e.ctx, e.agent, "IMP-99", "", 0)
		wantKind(t, err, errs.NotFound)
		rep, err := e.svc.FindImport(e.ctx, e.agent, "imp-1", "", 0)
		if err != nil || rep.Created != 1 || rep.Status != cmdb.ImportDone || rep.AppliedThrough != 1 || len(rep.Rows) != 0 {
			t.Fatalf("report = %+v, %v", rep, err)
		}
	})
}

// A rejected row lists every problem it has, wherever each was found
// (parsing, matching, the fields), not only the first.
func TestImportRowReportsEveryProblem(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.mustCreate(cmdb.CI{Name: "alpha", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{Hostnames: []string{"alpha"}, Serial: "SN-A", CloudID: "i-alpha"}})
		e.mustCreate(cmdb.CI{Name: "beta", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{Hostnames: []string{"beta"}}})
		long := strings.Repeat("x", 300)
		tests := []struct {
			name   string
			cand   cmdb.Candidate
			fields []string
		}{
			{"parse problem, unknown owner and team, long supplier",
				cmdb.Candidate{Identifiers: cmdb.Identifiers{Hostnames: []string{"gamma"}}, Problems: []errs.FieldError{{Field: "business_criticality", Message: "must be a whole number from 1 to 5, not 7"}},
					Fields: cmdb.Update{Owner: ptr("ghost"), SupportGroup: ptr("Nobody"), Supplier: &long}},
				[]string{"business_criticality", "supplier", "owner", "support_group"}},
			{"bad identifier and bad kind",
				cmdb.Candidate{Identifiers: cmdb.Identifiers{Hostnames: []string{"delta"}, IPs: []string{"10.1.0"}}, Fields: cmdb.Update{Kind: ptr(cmdb.Kind("toaster"))}},
				[]string{"identifiers.ips[0]", "kind"}},
			{"another serial and cloud id than the CI matched, and a bad classification",
				cmdb.Candidate{Identifiers: cmdb.Identifiers{Hostnames: []string{"alpha"}, Serial: "SN-B", CloudID: "i-other"}, Fields: cmdb.Update{DataClassification: ptr("secret")}},
				[]string{"identifiers.cloud_id", "identifiers.serial", "data_classification"}},
			{"nothing to match on and an unknown owner",
				cmdb.Candidate{Fields: cmdb.Update{Name: ptr("nameless"), Owner: ptr("ghost")}},
				[]string{"identifiers", "owner"}},
			{"two CIs matched and a criticality of 0",
				cmdb.Candidate{Identifiers: cmdb.Identifiers{Hostnames: []string{"alpha", "beta"}}, Fields: cmdb.Update{Criticality: ptr(0)}},
				[]string{"identifiers", "business_criticality"}},
		}
		cands := make([]cmdb.Candidate, len(tests))
		for i, tt := range tests {
			cands[i] = tt.cand
			cands[i].Row = i + 1
		}
		rep, err := e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "json", Candidates: cands})
		if err != nil {
			t.Fatal(err)
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				row := rep.Rows[i]
				var got []string
				for _, fe := range row.Errors {
					got = append(got, fe.Field)
				}
				if row.Action != cmdb.ActionRejected || !slices.Equal(got, tt.fields) {
					t.Errorf("%s with problems in %v (%+v), want %v", row.Action, got, row.Errors, tt.fields)
				}
			})
		}
		if rep.Rejected != len(tests) || e.count("cis") != 2 {
			t.Errorf("%d rejected, %d CIs", rep.Rejected, e.count("cis"))
		}
	})
}

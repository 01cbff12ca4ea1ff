package cmdb_test

import (
	"fmt"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// importAs runs a non-strict import of cands from a named source.
func (e *env) importAs(source string, cands ...cmdb.Candidate) cmdb.ImportReport {
	e.t.Helper()
	rep, err := e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "csv", SourceName: source, Candidates: cands})
	if err != nil {
		e.t.Fatalf("import from %s: %v", source, err)
	}
	return rep
}

// row is a CSV-like candidate matched by its IP.
func row(n int, ip string, f cmdb.Update) cmdb.Candidate {
	return cmdb.Candidate{Row: n, Identifiers: cmdb.Identifiers{IPs: []string{ip}}, Fields: f}
}

// keptText lists a row's kept fields as the CLI prints them.
func keptText(rep cmdb.ImportReport, n int) string { return fmt.Sprint(rowOf(rep, n).Kept) }

// The story of the first-time user: a discovery import renamed the
// hand-maintained edge-rtr-02 because a CSV row carried its IP. A field a
// person set is theirs: the import sets what nobody holds, keeps the rest,
// and its report says what it kept and why.
func TestImportKeepsWhatPeopleSet(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		rtr, err := e.svc.CreateCI(e.ctx, e.agent, cmdb.CI{Name: "edge-rtr-02", Kind: cmdb.KindNetworkDevice, Criticality: 5,
			Attributes:  map[string]any{"site": "ams-1"},
			Identifiers: cmdb.Identifiers{Hostnames: []string{"edge-rtr-02"}, IPs: []string{"10.20.0.2"}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := rtr.Sources["name"]; got != (cmdb.FieldSource{Source: cmdb.SourceManual, By: "nico"}) {
			t.Fatalf("name source after a create by hand = %+v", got)
		}
		if _, ok := rtr.Sources["environment"]; ok {
			t.Fatalf("a field not given has a source: %+v", rtr.Sources)
		}
		rep := e.importAs("", row(1, "10.20.0.2", cmdb.Update{Name: ptr("dhcp-10-20-0-2"), Kind: ptr(cmdb.KindServer),
			Environment: ptr("production"), Criticality: ptr(2),
			Attributes: &map[string]any{"site": "unknown", "os": "ios-xe"}}))
		if rep.Source != "csv" || rep.Updated != 1 || rep.Kept != 1 {
			t.Fatalf("report %+v", rep)
		}
		want := "[name kept: set manually by nico kind kept: set manually by nico business_criticality kept: set manually by nico " +
			"attributes.site kept: set manually by nico]"
		if got := keptText(rep, 1); got != want {
			t.Errorf("kept\n got %s\nwant %s", got, want)
		}
		if k := rowOf(rep, 1).Kept[0]; k.Value != "dhcp-10-20-0-2" || k.HeldBy.Source != cmdb.SourceManual || k.HeldBy.By != "nico" {
			t.Errorf("kept name = %+v", k)
		}
		got, err := e.svc.FindCIByKey(e.ctx, e.admin, rtr.Key)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "edge-rtr-02" || got.Kind != cmdb.KindNetworkDevice || got.Criticality != 5 || got.Attributes["site"] != "ams-1" {
			t.Errorf("curated fields overwritten: %+v", got)
		}
		if got.Environment != "production" || got.Attributes["os"] != "ios-xe" {
			t.Errorf("fields nobody held were not set: %+v", got)
		}
		imp := cmdb.FieldSource{Source: "csv", By: "ada", Import: rep.Key}
		if got.Sources["environment"] != imp || got.Sources["attributes.os"] != imp || got.Sources["name"].Source != cmdb.SourceManual {
			t.Errorf("sources = %+v", got.Sources)
		}
		stored, err := e.svc.FindImport(e.ctx, e.auditor, rep.Key, "", 0)
		if err != nil || fmt.Sprint(stored.Rows) != fmt.Sprint(rep.Rows) || stored.Kept != 1 || stored.Source != "csv" {
			t.Errorf("stored report %+v, %v", stored, err)
		}

		// The same file again keeps the same fields and changes nothing.
		again := e.importAs("", row(1, "10.20.0.2", cmdb.Update{Name: ptr("dhcp-10-20-0-2"), Environment: ptr("production")}))
		if again.Unchanged != 1 || keptText(again, 1) != "[name kept: set manually by nico]" {
			t.Errorf("second import %+v", again)
		}

		// A person's edit makes the field theirs; the rest stay the import's.
		if _, err := e.svc.UpdateCI(e.ctx, e.admin, rtr.Key, cmdb.Update{Environment: ptr("staging"), Name: ptr("edge-rtr-02")}); err != nil {
			t.Fatal(err)
		}
		got, _ = e.svc.FindCIByKey(e.ctx, e.admin, rtr.Key)
		if got.Sources["environment"] != (cmdb.FieldSource{Source: cmdb.SourceManual, By: "ada"}) || got.Sources["name"].By != "nico" ||
			got.Sources["attributes.os"] != imp {
			t.Errorf("sources after an edit = %+v", got.Sources)
		}
		third := e.importAs("", row(1, "10.20.0.2", cmdb.Update{Environment: ptr("production"), Attributes: &map[string]any{"os": "ios-xe 17"}}))
		if third.Updated != 1 || keptText(third, 1) != "[environment kept: set manually by ada]" {
			t.Errorf("third import %+v", third)
		}

		// An attribute a person removed stays removed.
		if _, err := e.svc.UpdateCI(e.ctx, e.admin, rtr.Key, cmdb.Update{Attributes: &map[string]any{"site": "ams-1"}}); err != nil {
			t.Fatal(err)
		}
		fourth := e.importAs("", row(1, "10.20.0.2", cmdb.Update{Attributes: &map[string]any{"os": "ios-xe 18"}}))
		got, _ = e.svc.FindCIByKey(e.ctx, e.admin, rtr.Key)
		if _, ok := got.Attributes["os"]; ok || fourth.Unchanged != 1 || keptText(fourth, 1) != "[attributes.os kept: set manually by ada]" {
			t.Errorf("removed attribute came back: %+v, report %+v", got.Attributes, fourth)
		}
	})
}

// Import sources rank as the admin orders them: a source never overwrites
// what a higher one set, always what it set itself or a lower one did;
// sources not listed rank below, equal among themselves.
func TestImportSourcePrecedence(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		if _, err := e.svc.SetSourcePrecedence(e.ctx, e.admin, cmdb.Precedence{Sources: []string{"cmdb-sync", " NMAP "}}); err != nil {
			t.Fatal(err)
		}
		e.importAs("nmap", row(1, "10.9.0.1", cmdb.Update{Environment: ptr("lab"), Supplier: ptr("scan")}))
		steps := []struct {
			source, env, wantEnv, wantKept string
		}{
			{"cmdb-sync", "production", "production", "[]"}, // above nmap
			{"nmap", "lab", "production", "[environment kept: set by import source cmdb-sync (IMP-2 by ada), which ranks above nmap]"},
			{"inventory", "test", "production", "[environment kept: set by import source cmdb-sync (IMP-2 by ada), which ranks above inventory]"},
			{"cmdb-sync", "staging", "staging", "[]"}, // its own value
		}
		for _, s := range steps {
			rep := e.importAs(s.source, row(1, "10.9.0.1", cmdb.Update{Environment: ptr(s.env)}))
			ci := e.ciHolding(t, "10.9.0.1")
			if ci.Environment != s.wantEnv || keptText(rep, 1) != s.wantKept {
				t.Errorf("%s offering %s: environment %s, kept %s; want %s, kept %q", s.source, s.env, ci.Environment, keptText(rep, 1), s.wantEnv, s.wantKept)
			}
		}
		// Unlisted sources are equals: the latest wins.
		e.importAs("inventory", row(1, "10.9.0.1", cmdb.Update{Description: ptr("rack 4")}))
		e.importAs("asset-db", row(1, "10.9.0.1", cmdb.Update{Description: ptr("rack 5"), Supplier: ptr("globex")}))
		if ci := e.ciHolding(t, "10.9.0.1"); ci.Description != "rack 5" || ci.Sources["description"].Source != "asset-db" ||
			ci.Supplier != "scan" {
			t.Errorf("description %q from %+v, supplier %q", ci.Description, ci.Sources["description"], ci.Supplier)
		}
		// A strict import keeps fields the same way; keeping is not a rejection.
		rep, err := e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "csv", SourceName: "nmap", Strict: true,
			Candidates: []cmdb.Candidate{row(1, "10.9.0.1", cmdb.Update{Environment: ptr("lab")})}})
		if err != nil || rep.Unchanged != 1 || rep.Kept != 1 {
			t.Errorf("strict import %+v, %v", rep, err)
		}
	})
}

func TestSetSourcePrecedence(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		got, err := e.svc.SourcePrecedence(e.ctx, e.auditor)
		if err != nil || got.Sources == nil || len(got.Sources) != 0 {
			t.Fatalf("initial order %+v, %v", got, err)
		}
		_, err = e.svc.SetSourcePrecedence(e.ctx, e.agent, cmdb.Precedence{Sources: []string{"a"}})
		wantKind(t, err, errs.Forbidden)
		_, err = e.svc.SourcePrecedence(e.ctx, e.alice)
		wantKind(t, err, errs.Forbidden)
		for _, bad := range []struct {
			list  []string
			field string
		}{
			{[]string{"manual"}, "sources[0]"},
			{[]string{"nmap", "NMAP"}, "sources[1]"},
			{[]string{"a b"}, "sources[0]"},
			{[]string{""}, "sources[0]"},
		} {
			_, err := e.svc.SetSourcePrecedence(e.ctx, e.admin, cmdb.Precedence{Sources: bad.list})
			if !errs.Is(err, errs.Invalid) || !hasField(err, bad.field) {
				t.Errorf("%q: %v, want Invalid naming %s", bad.list, err, bad.field)
			}
		}
		if _, err := e.svc.SetSourcePrecedence(e.ctx, e.admin, cmdb.Precedence{Sources: []string{"cmdb-sync", "vmware", "nmap"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SetSourcePrecedence(e.ctx, e.admin, cmdb.Precedence{Sources: []string{"vmware", "nmap"}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.svc.SourcePrecedence(e.ctx, e.agent); fmt.Sprint(got.Sources) != "[vmware nmap]" {
			t.Errorf("order = %v", got.Sources)
		}
		// Saving the same order again records nothing.
		if _, err := e.svc.SetSourcePrecedence(e.ctx, e.admin, cmdb.Precedence{Sources: []string{"vmware", "nmap"}}); err != nil {
			t.Fatal(err)
		}
		entries := e.auditFor(cmdb.AuditKindSourcePrecedence, "import-sources")
		if len(entries) != 2 || entries[1].Actor != "ada" || fmt.Sprint(jsonField(t, entries[1].Before, "sources")) != "[cmdb-sync vmware nmap]" ||
			fmt.Sprint(jsonField(t, entries[1].After, "sources")) != "[vmware nmap]" {
			t.Errorf("audit = %+v", entries)
		}
		_, err = e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "csv", SourceName: "manual", Candidates: []cmdb.Candidate{row(1, "10.0.0.1", cmdb.Update{})}})
		if !hasField(err, "source") {
			t.Errorf("import from source manual: %v", err)
		}
	})
}

// A field handed back to imports is set by the next import that gives it.
func TestReleaseFields(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ci := e.mustCreate(cmdb.CI{Name: "core-sw-01", Kind: cmdb.KindNetworkDevice, Environment: "lab",
			Identifiers: cmdb.Identifiers{IPs: []string{"10.30.0.1"}}})
		_, err := e.svc.ReleaseFields(e.ctx, e.auditor, ci.Key, []string{"environment"})
		wantKind(t, err, errs.Forbidden)
		_, err = e.svc.ReleaseFields(e.ctx, e.agent, ci.Key, []string{"environment", "colour", "attributes."})
		if !hasField(err, "fields[1]") || !hasField(err, "fields[2]") || hasField(err, "fields[0]") {
			t.Fatalf("bad fields: %v", err)
		}
		_, err = e.svc.ReleaseFields(e.ctx, e.alice, ci.Key, []string{"environment"})
		wantKind(t, err, errs.Forbidden)

		got, err := e.svc.ReleaseFields(e.ctx, e.agent, ci.Key, []string{"environment", "supplier"})
		if err != nil {
			t.Fatal(err)
		}
		if _, held := got.Sources["environment"]; held || got.Sources["name"].Source != cmdb.SourceManual || got.Version != ci.Version+1 {
			t.Fatalf("after release: %+v", got)
		}
		// Nothing held among the fields: nothing written.
		again, err := e.svc.ReleaseFields(e.ctx, e.agent, ci.Key, []string{"environment"})
		if err != nil || again.Version != got.Version {
			t.Fatalf("second release: version %d, %v", again.Version, err)
		}
		rep := e.importAs("", row(1, "10.30.0.1", cmdb.Update{Environment: ptr("production"), Name: ptr("sw-10-30-0-1")}))
		if keptText(rep, 1) != "[name kept: set manually by ada]" {
			t.Errorf("kept %s", keptText(rep, 1))
		}
		if ci := e.ciHolding(t, "10.30.0.1"); ci.Environment != "production" || ci.Sources["environment"].Source != "csv" {
			t.Errorf("released field not set by the import: %+v", ci)
		}
		entries := e.auditFor(cmdb.AuditKindCI, ci.Key)
		if len(entries) != 3 || entries[1].Action != cmdb.ActionReleaseSources || entries[1].Actor != "nico" {
			t.Errorf("audit %+v", entries)
		}
	})
}

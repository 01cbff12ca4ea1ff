package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

func TestRequesterSeesOnlyOwnCIs(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("rita", auth.RoleRequester)
		e.user("sam", auth.RoleRequester)
		mine := e.ci(cmdb.CI{Name: "rita-laptop", Kind: cmdb.KindEndpoint, Owner: "rita"})
		theirs := e.ci(cmdb.CI{Name: "sam-laptop", Kind: cmdb.KindEndpoint, Owner: "sam"})
		server := e.ci(cmdb.CI{Name: "payroll-db", Kind: cmdb.KindDatabase})
		e.relate(theirs.Key, cmdb.RelDependsOn, mine.Key)
		c := e.login("rita")

		doc := c.mustGet("/cis")
		if got := keys(doc.Find("tr.ci-row")); !slices.Equal(got, []string{mine.Key}) {
			t.Fatalf("list shows %v, want only %s", got, mine.Key)
		}
		if got := doc.Find("h1 .count").Text(); got != "1 CI" {
			t.Fatalf("count %q leaks other CIs", got)
		}
		// Searching for another's CI by name finds nothing either.
		if n := c.mustGet("/cis?q=sam").Find("tr.ci-row").Length(); n != 0 {
			t.Fatalf("search shows %d of another's CIs", n)
		}
		for _, path := range []string{"/cis/" + theirs.Key, "/cis/" + server.Key, "/cis/" + theirs.Key + "/impact", "/cis/" + server.Key + "/edit"} {
			rec, _ := c.get(path)
			if rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
				t.Errorf("GET %s: status %d", path, rec.Code)
			}
		}
		// Their own CI's page does not reveal who depends on it.
		doc = c.mustGet("/cis/" + mine.Key)
		if doc.Find("#rel-in a[href='/cis/"+theirs.Key+"']").Length() != 0 {
			t.Error("relationship to another's CI shown")
		}
		// Requesters get no imports, audit or admin navigation, nor write buttons.
		for _, sel := range []string{`.nav a[href="/imports"]`, `.nav a[href="/audit"]`, `.nav a[href="/admin/users"]`, "#edit-ci", "#rel-form"} {
			if doc.Find(sel).Length() != 0 {
				t.Errorf("requester sees %s", sel)
			}
		}
	})
}

func TestAuditorCannotWrite(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("aud", auth.RoleAuditor)
		ci := e.ci(cmdb.CI{Name: "web-01", Kind: cmdb.KindServer})
		other := e.ci(cmdb.CI{Name: "db-01", Kind: cmdb.KindDatabase})
		c := e.login("aud")

		doc := c.mustGet("/cis")
		if doc.Find("#new-ci").Length() != 0 {
			t.Error("auditor sees New CI")
		}
		if doc.Find(`.nav a[href="/audit"]`).Length() != 1 || doc.Find(`.nav a[href="/imports"]`).Length() != 1 {
			t.Error("auditor lacks the audit or imports navigation")
		}
		doc = c.mustGet("/cis/" + ci.Key)
		for _, sel := range []string{"#edit-ci", "#delete-ci", "#rel-form", "form[data-confirm]"} {
			if doc.Find(sel).Length() != 0 {
				t.Errorf("auditor sees %s", sel)
			}
		}
		if c.mustGet("/imports").Find("#import-form").Length() != 0 {
			t.Error("auditor sees the upload form")
		}
		for _, path := range []string{"/cis/new", "/cis/" + ci.Key + "/edit", "/cis/" + ci.Key + "/delete"} {
			rec, _ := c.get(path)
			wantStatus(t, rec, http.StatusForbidden)
		}
		posts := []struct {
			path string
			form url.Values
		}{
			{"/cis", url.Values{"name": {"x"}, "kind": {"server"}}},
			{"/cis/" + ci.Key, url.Values{"name": {"renamed"}, "kind": {"server"}, "criticality": {"3"}}},
			{"/cis/" + ci.Key + "/delete", nil},
			{"/cis/" + ci.Key + "/relations", url.Values{"type": {"depends_on"}, "other": {other.Key}}},
		}
		for _, p := range posts {
			rec := c.post(p.path, p.form)
			wantStatus(t, rec, http.StatusForbidden)
		}
		rec := c.upload("/imports", map[string]string{"format": "csv"}, "x.csv", []byte("name,kind\nx,server\n"))
		wantStatus(t, rec, http.StatusForbidden)
		got, err := e.cmdb.FindCIByKey(t.Context(), auth.System, ci.Key)
		if err != nil || got.Name != "web-01" {
			t.Fatalf("CI changed by an auditor: %+v %v", got, err)
		}
		if n := e.count(); n != 2 {
			t.Fatalf("%d CIs, want 2", n)
		}
	})
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/httpapi"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// apiServer is a real Rampart API on a real database, with an admin's,
// an agent's and an auditor's token.
type apiServer struct {
	url                   string
	admin, agent, auditor string
	cmdb                  *cmdb.Service
	auth                  *auth.Service
}

func startAPI(t *testing.T, db *store.DB, clk clock.Clock) *apiServer {
	t.Helper()
	ctx := context.Background()
	svc := services.New(db, clk)
	svc.Jobs = nil // the CLI has no job verbs: serve the API without them
	cm, au := svc.CMDB, svc.Auth
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{Services: svc, Clock: clk}))
	t.Cleanup(srv.Close)
	s := &apiServer{url: srv.URL, cmdb: cm, auth: au}
	for _, u := range []struct {
		name string
		role auth.Role
		tok  *string
	}{{"root", auth.RoleAdmin, &s.admin}, {"agent", auth.RoleAgent, &s.agent}, {"auditor", auth.RoleAuditor, &s.auditor}} {
		if _, err := au.CreateUser(ctx, auth.System, auth.NewUser{Username: u.name, Password: "correct horse battery", Roles: []auth.Role{u.role}}); err != nil {
			t.Fatal(err)
		}
		tok, _, err := au.CreateToken(ctx, auth.System, u.name, "cli", nil)
		if err != nil {
			t.Fatal(err)
		}
		*u.tok = tok
	}
	return s
}

// ci creates a CI through the service and returns its key.
func (s *apiServer) ci(t *testing.T, name string, kind cmdb.Kind) string {
	t.Helper()
	ci, err := s.cmdb.CreateCI(context.Background(), auth.System, cmdb.CI{Name: name, Kind: kind})
	if err != nil {
		t.Fatal(err)
	}
	return ci.Key
}

// run executes a client verb the way a user would and returns its output.
func run(t *testing.T, cmd *cobra.Command, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func countCIs(t *testing.T, s *apiServer) int {
	t.Helper()
	p, err := s.cmdb.FindCIs(context.Background(), auth.System, cmdb.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

func TestCICommands(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		conn := []string{"--url", s.url, "--token", s.agent}
		ci := func(args ...string) (string, string, error) {
			return run(t, NewCICmd(), "", append(args, conn...)...)
		}

		out, _, err := ci("create", "--name", "db-01", "--kind", "database", "--criticality", "5",
			"--ip", "10.0.0.5", "--hostname", "db-01", "--tag", "pci", "--attr", "os=debian")
		if err != nil || !strings.Contains(out, "created CI-1") || !strings.Contains(out, "10.0.0.5") {
			t.Fatalf("create: %v\n%s", err, out)
		}
		out, _, err = run(t, NewCICmd(), `{"name": "shop", "kind": "business_service", "business_criticality": 4}`,
			append([]string{"create", "--file", "-", "--output", "json"}, conn...)...)
		var created cmdb.CI
		if err != nil || json.Unmarshal([]byte(out), &created) != nil || created.Key != "CI-2" {
			t.Fatalf("create --file: %v\n%s", err, out)
		}
		_, _, err = ci("create", "--name", "bad", "--kind", "server", "--criticality", "9")
		if err == nil || !strings.Contains(err.Error(), "business_criticality") || !strings.Contains(err.Error(), "422") {
			t.Errorf("invalid create: %v", err)
		}
		_, _, err = run(t, NewCICmd(), `{"name": "x", "kind": "server", "colour": "red"}`, append([]string{"create", "--file", "-"}, conn...)...)
		if err == nil || !strings.Contains(err.Error(), "colour: unknown field") {
			t.Errorf("unknown field: %v", err)
		}

		out, _, err = ci("list")
		if err != nil || !strings.Contains(out, "CI-1") || !strings.Contains(out, "db-01") || !strings.Contains(out, "2 of 2 CIs") {
			t.Errorf("list: %v\n%s", err, out)
		}
		out, _, err = ci("list", "--kind", "business_service", "--output", "json")
		var page cmdb.Page
		if err != nil || json.Unmarshal([]byte(out), &page) != nil || page.Total != 1 || page.Items[0].Name != "shop" {
			t.Errorf("list --kind: %v\n%s", err, out)
		}
		out, _, err = ci("list", "--limit", "1", "--all")
		if err != nil || !strings.Contains(out, "CI-1") || !strings.Contains(out, "CI-2") {
			t.Errorf("list --all: %v\n%s", err, out)
		}
		if _, _, err = ci("list", "--min-criticality", "9"); err == nil || !strings.Contains(err.Error(), "min_criticality") {
			t.Errorf("bad filter: %v", err)
		}

		out, _, err = ci("show", "CI-1")
		for _, want := range []string{"db-01", "attr.os", `"debian"`, "pci"} {
			if err != nil || !strings.Contains(out, want) {
				t.Errorf("show lacks %q: %v\n%s", want, err, out)
			}
		}
		if _, _, err = ci("show", "CI-99"); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("show missing: %v", err)
		}

		// The auditor may read but not delete.
		if _, _, err = run(t, NewCICmd(), "", "delete", "CI-2", "--url", s.url, "--token", s.auditor); err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("auditor delete: %v", err)
		}
		if out, _, err = ci("delete", "CI-2"); err != nil || !strings.Contains(out, "deleted CI-2") {
			t.Errorf("delete: %v %s", err, out)
		}
		if countCIs(t, s) != 1 {
			t.Error("CI-2 not deleted")
		}
	})
}

func TestClientCredentials(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		t.Setenv("RAMPART_URL", s.url)
		t.Setenv("RAMPART_TOKEN", "")
		if _, _, err := run(t, NewCICmd(), "", "list"); err == nil || !strings.Contains(err.Error(), "RAMPART_TOKEN") {
			t.Errorf("no token: %v", err)
		}
		if _, _, err := run(t, NewCICmd(), "", "list", "--token", "rmp_wrongwrongwrongwrongwrongwrong"); err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("bad token: %v", err)
		}
		t.Setenv("RAMPART_TOKEN", s.agent)
		if _, _, err := run(t, NewCICmd(), "", "list"); err != nil {
			t.Errorf("token from the environment: %v", err)
		}
		if _, _, err := run(t, NewCICmd(), "", "list", "--url", "ftp://nowhere"); err == nil {
			t.Error("a non-http URL was accepted")
		}
		if _, _, err := run(t, NewCICmd(), "", "list", "--output", "yaml"); err == nil {
			t.Error("--output yaml was accepted")
		}
	})
}

func TestImportCommand(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		conn := []string{"--url", s.url, "--token", s.agent}
		// Row 2 has three problems found at three stages: a criticality
		// the parser refuses, an owner nobody has, and no identifier.
		csv := writeFile(t, "hosts.csv", "name,kind,ips,business_criticality,owner\nweb-01,server,10.1.0.1,3,\nbad,server,,7,ghost\nweb-02,server,10.1.0.3,,\n")
		rowTwo := []string{"row 2 (bad)", "business_criticality: must be a whole number from 1 to 5, not 7", `owner: no user named "ghost"`, "identifiers: no identifier to match on"}

		_, stderr, err := run(t, NewImportCmd(), "", append([]string{"csv", csv, "--strict"}, conn...)...)
		if exitCode(err) != ExitRejected || !strings.Contains(err.Error(), "nothing imported: 1 of 3 rows rejected") {
			t.Errorf("strict: exit %d, %v", exitCode(err), err)
		}
		for _, want := range rowTwo {
			if !strings.Contains(stderr, want) {
				t.Errorf("strict import's stderr lacks %q:\n%s", want, stderr)
			}
		}
		if countCIs(t, s) != 0 {
			t.Fatal("a refused strict import created CIs")
		}
		out, _, err := run(t, NewImportCmd(), "", append([]string{"csv", csv}, conn...)...)
		if exitCode(err) != ExitRejected || !strings.Contains(err.Error(), "IMP-1: 1 of 3 rows rejected, the rest imported") {
			t.Errorf("import with a rejected row: exit %d, %v", exitCode(err), err)
		}
		for _, want := range append([]string{"IMP-1 (csv, hosts.csv): 2 created, 0 updated, 0 unchanged, 1 rejected", "rejected rows:"}, rowTwo...) {
			if !strings.Contains(out, want) {
				t.Errorf("import output lacks %q:\n%s", want, out)
			}
		}
		out, _, err = run(t, NewImportCmd(), "", append([]string{"csv", csv, "--output", "json"}, conn...)...)
		var rep cmdb.ImportReport
		if exitCode(err) != ExitRejected || json.Unmarshal([]byte(out), &rep) != nil || rep.Unchanged != 2 || rep.Created != 0 || len(rep.Rows) != 1 || len(rep.Rows[0].Errors) != 3 {
			t.Errorf("second import: %v\n%s", err, out)
		}
		clean := writeFile(t, "clean.csv", "name,kind,ips\nweb-03,server,10.1.0.4\n")
		if _, _, err = run(t, NewImportCmd(), "", append([]string{"csv", clean}, conn...)...); exitCode(err) != ExitOK {
			t.Errorf("clean import: exit %d, %v", exitCode(err), err)
		}
		// Every rejected row is listed, beyond the first page of the report.
		var many strings.Builder
		many.WriteString("name,kind,ips\n")
		for i := 1; i <= 120; i++ {
			fmt.Fprintf(&many, "bad-%d,spaceship,10.8.0.%d\n", i, i)
		}
		out, _, err = run(t, NewImportCmd(), "", append([]string{"csv", writeFile(t, "many.csv", many.String())}, conn...)...)
		if exitCode(err) != ExitRejected || strings.Count(out, "    kind: ") != 120 || !strings.Contains(out, "row 120") {
			t.Errorf("120 rejected rows: %v, %d listed\n%s", err, strings.Count(out, "    kind: "), out)
		}
		broken := writeFile(t, "scan.xml", `<?xml version="1.0"?><nmaprun scanner="nmap"><host><status state="up"/>`)
		if _, _, err = run(t, NewImportCmd(), "", append([]string{"nmap", broken}, conn...)...); exitCode(err) != ExitFailure || !strings.Contains(err.Error(), "400") {
			t.Errorf("broken nmap: exit %d, %v", exitCode(err), err)
		}
		if _, _, err = run(t, NewImportCmd(), "", append([]string{"xlsx", csv}, conn...)...); err == nil {
			t.Error("unknown format accepted")
		}
		if _, _, err = run(t, NewImportCmd(), "", append([]string{"csv", "/no/such/file"}, conn...)...); err == nil {
			t.Error("missing file accepted")
		}
		if countCIs(t, s) != 3 {
			t.Errorf("CIs = %d, want 3", countCIs(t, s))
		}
	})
}

func TestImpactCommand(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		ctx := context.Background()
		mk := func(name string, kind cmdb.Kind) string { return s.ci(t, name, kind) }
		shop, app, dbKey, crm := mk("Web shop", cmdb.KindBusinessService), mk("shop-app", cmdb.KindApplication), mk("db-01", cmdb.KindDatabase), mk("CRM", cmdb.KindBusinessService)
		for _, r := range [][3]string{{shop, "depends_on", app}, {app, "depends_on", dbKey}, {crm, "depends_on", dbKey}} {
			if _, err := s.cmdb.AddRelation(ctx, auth.System, cmdb.Relation{Source: r[0], Type: cmdb.RelationType(r[1]), Target: r[2]}); err != nil {
				t.Fatal(err)
			}
		}
		conn := []string{"--url", s.url, "--token", s.agent}
		out, _, err := run(t, NewImpactCmd(), "", append([]string{strings.ToLower(dbKey)}, conn...)...)
		for _, want := range []string{
			dbKey + " db-01 (database",
			"├── " + app + " shop-app", "│   └── " + shop + " Web shop", "└── " + crm + " CRM",
			"3 CIs affected if it fails",
			"business services (2):", "path: " + dbKey + " → " + app + " → " + shop,
		} {
			if err != nil || !strings.Contains(out, want) {
				t.Errorf("impact output lacks %q: %v\n%s", want, err, out)
			}
		}
		out, _, err = run(t, NewImpactCmd(), "", append([]string{shop, "--upstream", "--depth", "1"}, conn...)...)
		if err != nil || !strings.Contains(out, "└── "+app) || strings.Contains(out, "db-01") || !strings.Contains(out, "truncated") {
			t.Errorf("upstream: %v\n%s", err, out)
		}
		// A business service opens on what it is built on; --downstream
		// still asks what depends on it.
		out, _, err = run(t, NewImpactCmd(), "", append([]string{strings.ToLower(shop)}, conn...)...)
		if err != nil || !strings.Contains(out, "└── "+app) || !strings.Contains(out, "2 CIs it is built on") {
			t.Errorf("service by default: %v\n%s", err, out)
		}
		out, _, err = run(t, NewImpactCmd(), "", append([]string{shop, "--downstream"}, conn...)...)
		if err != nil || !strings.Contains(out, "0 CIs affected if it fails") {
			t.Errorf("service --downstream: %v\n%s", err, out)
		}
		if _, _, err = run(t, NewImpactCmd(), "", append([]string{"CI-404"}, conn...)...); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("missing CI: %v", err)
		}
	})
}

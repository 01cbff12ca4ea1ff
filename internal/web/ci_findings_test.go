package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// A CI's page lists its active vulnerability findings to staff, and not
// to requesters, who may not read findings.
func TestCIFindings(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		e.user("rita", auth.RoleRequester)
		ci := e.ci(cmdb.CI{Name: "web-01", Kind: cmdb.KindServer, Owner: "rita", Identifiers: cmdb.Identifiers{IPs: []string{"10.0.101.2"}}})
		report := `<report><results><result><host>10.0.101.2</host><port>443/tcp</port><threat>High</threat><severity>7.5</severity>
			<nvt oid="1.3.6.1.4.1.25623.1.0.1"><name>Weak TLS</name></nvt></result></results></report>`
		if _, err := e.vuln.Import(context.Background(), auth.System, vuln.ImportRequest{Format: "openvas",
			Read: scanner.Source("openvas", strings.NewReader(report), scanner.Options{})}); err != nil {
			t.Fatal(err)
		}
		doc := e.login("ann").mustGet("/cis/" + ci.Key)
		if rows := doc.Find("#findings tr.finding"); rows.Length() != 1 || !strings.Contains(rows.Text(), "1.3.6.1.4.1.25623.1.0.1") {
			t.Fatalf("findings on the CI page: %q", doc.Find("#findings").Text())
		}
		if e.login("rita").mustGet("/cis/"+ci.Key).Find("#findings").Length() != 0 {
			t.Error("a requester sees findings")
		}
	})
}

package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// The vulnerability dashboard counts active findings by priority and
// draws the trend server-side; requesters may not open it.
func TestVulnDashboard(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		e.user("rita", auth.RoleRequester)
		report := `{"SchemaVersion":2,"ArtifactName":"app:1","ArtifactType":"container_image","Results":[{"Target":"app:1","Class":"os-pkgs","Type":"debian",
			"Vulnerabilities":[{"VulnerabilityID":"CVE-2024-0001","PkgName":"a","InstalledVersion":"1","Severity":"HIGH"},
			{"VulnerabilityID":"CVE-2024-0002","PkgName":"b","InstalledVersion":"1","Severity":"LOW"}]}]}`
		if _, err := e.vuln.Import(context.Background(), auth.System, vuln.ImportRequest{Format: "trivy",
			Read: scanner.Source("trivy", strings.NewReader(report), scanner.Options{})}); err != nil {
			t.Fatal(err)
		}
		doc := e.login("ann").mustGet("/vulnerabilities")
		if got := doc.Find("#vuln-active").Text(); got != "2" {
			t.Errorf("active %q", got)
		}
		if bars := doc.Find("#vuln-trend g.day"); bars.Length() != vuln.TrendDays || bars.Last().AttrOr("data-opened", "") != "2" {
			t.Errorf("trend: %d days, today %q", bars.Length(), bars.Last().AttrOr("data-opened", ""))
		}
		rec, _ := e.login("rita").get("/vulnerabilities")
		if rec.Code != 403 && rec.Code != 404 {
			t.Errorf("requester: %d", rec.Code)
		}
	})
}

package vuln_test

import (
	"os/exec"
	"strings"
	"testing"
)

// vuln and its sub-packages are domain code: no SQL, no HTTP, no store.
// (The project-wide architecture test in internal/app lists the domain
// packages it checks; this one covers every package under vuln.)
func TestVulnStaysFreeOfAdapters(t *testing.T) {
	const module = "github.com/rampart-itsm/rampart/internal/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{"net/http", "database/sql", module + "store", module + "httpapi", module + "web", module + "app", module + "cli"}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 4 {
		t.Fatalf("go list found %d packages under vuln", len(lines))
	}
	for _, line := range lines {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, dep := range strings.Fields(imports) {
			for _, f := range forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("%s imports %s", pkg, dep)
				}
			}
		}
	}
}

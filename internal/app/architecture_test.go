package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// Domain packages own rules and types; they must not reach HTTP, SQL or the
// store, or business rules start leaking into adapters and back.
func TestDomainPackagesStayFreeOfAdapters(t *testing.T) {
	const module = "github.com/rampart-itsm/rampart/internal/"
	domains := []string{"cmdb", "auth", "audit", "jobs"}
	forbidden := []string{"net/http", "database/sql", module + "store", module + "httpapi", module + "web", module + "app"}
	for _, d := range domains {
		t.Run(d, func(t *testing.T) {
			// Direct imports: libraries such as the Prometheus client may
			// use net/http themselves without breaking the rule.
			out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, module+d).CombinedOutput()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, out)
			}
			deps := strings.Fields(string(out))
			for _, dep := range deps {
				for _, f := range forbidden {
					if dep == f {
						t.Errorf("%s depends on %s", d, f)
					}
				}
			}
		})
	}
}

package app_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/rampart-itsm/rampart/"

// adapters are the packages under internal/ that are not practices: the
// database, the HTTP and web adapters, wiring, the CLI and the small
// shared infrastructure every layer may use. Every other package under
// internal/ (cmdb, auth, audit, jobs and each practice added later, with
// its sub-packages) is a domain package and is checked below without
// being listed anywhere.
var adapters = []string{
	"store", "storetest", "services", "httpapi", "httpauth", "web", "app", "cli", "client", "e2e", "demo",
	"config", "errs", "clock", "uow",
}

// pkg is one package of the module and what it imports.
type pkg struct {
	path    string // relative to the module: internal/cmdb
	imports []string
}

// modulePackages lists every package of the module with its direct
// non-test imports. Direct only: libraries such as the Prometheus client
// may use net/http themselves without breaking a rule here.
func modulePackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var pkgs []pkg
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkgs = append(pkgs, pkg{path: strings.TrimPrefix(f[0], module), imports: f[1:]})
	}
	return pkgs
}

// under reports whether path is dir or inside it.
func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }

// domainPackages derives the practice packages: everything under
// internal/ that is not an adapter or inside one.
func domainPackages(pkgs []pkg) []pkg {
	var out []pkg
	for _, p := range pkgs {
		if !strings.HasPrefix(p.path, "internal/") {
			continue
		}
		if !slices.ContainsFunc(adapters, func(a string) bool { return under(p.path, "internal/"+a) }) {
			out = append(out, p)
		}
	}
	return out
}

// Domain packages own rules and types; they must not reach HTTP, SQL or the
// store, or business rules start leaking into adapters and back.
func TestDomainPackagesStayFreeOfAdapters(t *testing.T) {
	domains := domainPackages(modulePackages(t))
	for _, want := range []string{"internal/cmdb", "internal/auth", "internal/audit", "internal/jobs"} {
		if !slices.ContainsFunc(domains, func(p pkg) bool { return p.path == want }) {
			t.Fatalf("%s is not among the derived domain packages %v", want, domains)
		}
	}
	forbidden := func(dep string) bool {
		if dep == "net/http" || dep == "database/sql" {
			return true
		}
		for _, a := range []string{"store", "storetest", "services", "httpapi", "httpauth", "web", "app"} {
			if under(dep, module+"internal/"+a) {
				return true
			}
		}
		return false
	}
	for _, d := range domains {
		t.Run(d.path, func(t *testing.T) {
			for _, dep := range d.imports {
				if forbidden(dep) {
					t.Errorf("%s depends on %s", d.path, dep)
				}
			}
		})
	}
}

// The store core holds what every practice's SQL shares; it knows no
// practice beyond what the unit of work itself needs: audit (the log every
// unit writes, and its reads), auth (visibility), errs, clock, uow and
// paging (the cap every list total counts to).
// Practice SQL lives in internal/store/<practice>store, which only the
// wiring (app, services) and tests import, so no adapter can reach round
// a practice's service to its tables.
func TestStoreLayout(t *testing.T) {
	pkgs := modulePackages(t)
	allowed := []string{"internal/audit", "internal/auth", "internal/errs", "internal/clock", "internal/uow", "internal/paging"}
	wiring := []string{"internal/app", "internal/services"}
	for _, p := range pkgs {
		for _, dep := range p.imports {
			rel, ok := strings.CutPrefix(dep, module)
			if !ok {
				continue
			}
			if p.path == "internal/store" && !slices.ContainsFunc(allowed, func(a string) bool { return under(rel, a) }) {
				t.Errorf("the store core imports %s", rel)
			}
			if under(rel, "internal/store") && rel != "internal/store" && !slices.Contains(wiring, p.path) {
				t.Errorf("%s imports %s; only %v may", p.path, rel, wiring)
			}
		}
	}
}

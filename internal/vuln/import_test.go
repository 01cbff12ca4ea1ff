package vuln_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/feed"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
	"github.com/rampart-itsm/rampart/internal/vuln/vulntest"
)

type env struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	clk   *clock.Fake
	svc   services.Services
	admin auth.Principal
}

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		e := &env{t: t, ctx: context.Background(), db: db, clk: clk, svc: services.New(db, clk)}
		var id int64
		now := clk.Now().Format("2006-01-02T15:04:05.000000Z")
		if err := db.SQL().QueryRow(`INSERT INTO users (username, created_at, updated_at) VALUES ('ada', $1, $1) RETURNING id`, now).Scan(&id); err != nil {
			t.Fatal(err)
		}
		e.admin = auth.Principal{UserID: id, Username: "ada", Roles: []auth.Role{auth.RoleAdmin}}
		fn(t, e)
	})
}

func (e *env) importReport(format, name string, data []byte) (vuln.ImportReport, error) {
	return e.svc.Vuln.Import(e.ctx, e.admin, vuln.ImportRequest{Format: format, Filename: name,
		Read: scanner.Source(format, bytes.NewReader(data), scanner.Options{})})
}

func (e *env) mustImport(format, name string, data []byte) vuln.ImportReport {
	e.t.Helper()
	rep, err := e.importReport(format, name, data)
	if err != nil {
		e.t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

func (e *env) list(f vuln.Filter) []vuln.Record {
	e.t.Helper()
	f.Limit = 500
	page, err := e.svc.Vuln.FindFindings(e.ctx, e.admin, f)
	if err != nil {
		e.t.Fatal(err)
	}
	return page.Items
}

func (e *env) auditCount() int {
	var n int
	if err := e.db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func fixture(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join(vulntest.SharedFixtures(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// imageReport is a Trivy report of one image with the given CVEs in
// package lib.
func imageReport(image string, cves ...string) []byte {
	var vulns []string
	for _, c := range cves {
		vulns = append(vulns, `{"VulnerabilityID":"`+c+`","PkgName":"lib","InstalledVersion":"1.0","FixedVersion":"1.1","Severity":"HIGH",
			"CVSS":{"nvd":{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}}`)
	}
	return []byte(`{"SchemaVersion":2,"ArtifactName":"` + image + `","ArtifactType":"container_image","Results":[{"Target":"` + image +
		` (debian 12)","Class":"os-pkgs","Type":"debian","Vulnerabilities":[` + strings.Join(vulns, ",") + `]}]}`)
}

// Importing a report creates ranked findings with due dates; importing it
// again writes nothing but the import's own report and audit entry.
func TestImportIsIdempotent(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		data := fixture(t, "trivy-severity-prio.json")
		rep := e.mustImport("trivy", "prio.json", data)
		if rep.Created != 2 || rep.Status != vuln.ImportDone || rep.Key == "" || len(rep.Detail.SHA256) != 0 && len(rep.Detail.SHA256) != 64 {
			t.Fatalf("first import: %+v", rep)
		}
		first := e.list(vuln.Filter{})
		if len(first) != 2 {
			t.Fatalf("findings: %d", len(first))
		}
		for _, f := range first {
			if f.CVSS == nil || f.CVSS.Score == nil || f.Priority == "" || len(f.PriorityReasons) == 0 || f.DueAt == nil || !strings.HasPrefix(f.Key, "VUL-") {
				t.Errorf("finding lacks ranking: %+v", f)
			}
		}
		audits := e.auditCount()
		e.clk.Advance(time.Hour)
		again := e.mustImport("trivy", "prio.json", data)
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != 2 {
			t.Errorf("re-import: %+v", again)
		}
		if n := e.auditCount(); n != audits+1 {
			t.Errorf("re-import wrote %d audit entries, want 1", n-audits)
		}
		second := e.list(vuln.Filter{})
		for i := range second {
			if !second[i].UpdatedAt.Equal(first[i].UpdatedAt) {
				t.Errorf("%s rewritten by a re-import", second[i].Key)
			}
			if !second[i].LastSeen.After(first[i].LastSeen) {
				t.Errorf("%s last_seen did not move with the scan", second[i].Key)
			}
		}
	})
}

// A later scan of the same image that no longer reports a finding fixes
// it; a scan reporting it again reopens it. Targets match CIs by
// identifier, and the CI's criticality ranks the finding.
func TestFixedReopenedAndMatched(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ci, err := e.svc.CMDB.CreateCI(e.ctx, e.admin, cmdb.CI{Name: "web image", Kind: "container", Criticality: 5, InternetExposed: true,
			Identifiers: cmdb.Identifiers{CloudID: "registry.example/web:1.0"}})
		if err != nil {
			t.Fatal(err)
		}
		rep := e.mustImport("trivy", "a", imageReport("registry.example/web:1.0", "CVE-2024-0001", "CVE-2024-0002"))
		if rep.Detail.Unmatched != 0 || rep.Detail.Targets != 1 {
			t.Fatalf("matching: %+v", rep.Detail)
		}
		other := e.mustImport("trivy", "b", imageReport("registry.example/other:2", "CVE-2024-0001"))
		if other.Detail.Unmatched != 1 {
			t.Fatalf("unmatched: %+v", other.Detail)
		}
		onCI := e.list(vuln.Filter{CI: ci.Key})
		if len(onCI) != 2 || onCI[0].CI != ci.Key {
			t.Fatalf("findings of %s: %+v", ci.Key, onCI)
		}
		unknown := e.list(vuln.Filter{CVE: "CVE-2024-0001"})
		if len(unknown) != 2 || vuln.PriorityRank(unknown[0].Priority) > vuln.PriorityRank(unknown[1].Priority) || unknown[0].CI != ci.Key {
			t.Fatalf("the critical, exposed CI's finding should rank first: %+v", unknown)
		}

		rep = e.mustImport("trivy", "a2", imageReport("registry.example/web:1.0", "CVE-2024-0001"))
		if rep.Detail.Fixed != 1 || rep.Unchanged != 1 {
			t.Fatalf("rescan: %+v", rep)
		}
		if fixed := e.list(vuln.Filter{State: []vuln.State{vuln.StateFixed}}); len(fixed) != 1 || fixed[0].Identifier != "CVE-2024-0002" || fixed[0].FixedAt == nil {
			t.Fatalf("fixed: %+v", fixed)
		}
		rep = e.mustImport("trivy", "a3", imageReport("registry.example/web:1.0", "CVE-2024-0001", "CVE-2024-0002"))
		if rep.Detail.Reopened != 1 {
			t.Fatalf("reopen: %+v", rep)
		}
		if st := e.list(vuln.Filter{State: []vuln.State{vuln.StateReopened}}); len(st) != 1 {
			t.Fatalf("reopened: %+v", st)
		}
	})
}

// KEV membership flags a finding, and its earlier due date wins.
func TestKEVRanksAndDue(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		kev := fixture(t, "kev.json")
		if _, err := e.svc.Vuln.ImportKEV(e.ctx, e.admin, vuln.FeedRequest{Filename: "kev.json"}, feed.KEVSource(bytes.NewReader(kev))); err != nil {
			t.Fatal(err)
		}
		again, err := e.svc.Vuln.ImportKEV(e.ctx, e.admin, vuln.FeedRequest{Filename: "kev.json"}, feed.KEVSource(bytes.NewReader(kev)))
		if err != nil || again.Created != 0 || again.Updated != 0 || again.Unchanged == 0 {
			t.Fatalf("KEV again: %+v %v", again, err)
		}
		if _, err := e.svc.Vuln.ImportEPSS(e.ctx, e.admin, vuln.FeedRequest{}, feed.EPSSSource(bytes.NewReader(fixture(t, "epss-sample.csv")))); err != nil {
			t.Fatal(err)
		}
		e.mustImport("trivy", "log4j", imageReport("app:1", "CVE-2021-44228", "CVE-2024-0003"))
		kevOnly := e.list(vuln.Filter{KEV: ptr(true)})
		if len(kevOnly) != 1 || kevOnly[0].Identifier != "CVE-2021-44228" || kevOnly[0].KEV == nil || kevOnly[0].DueSource != "kev" {
			t.Fatalf("KEV findings: %+v", kevOnly)
		}
		if !kevOnly[0].Overdue {
			t.Errorf("a KEV due date in the past makes the finding overdue")
		}
		all := e.list(vuln.Filter{})
		if all[0].Identifier != "CVE-2021-44228" {
			t.Errorf("KEV finding should rank first: %s", all[0].Identifier)
		}
	})
}

// A truncated report is refused and writes nothing.
func TestBadReportChangesNothing(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		data := fixture(t, "trivy-cvss-severity-source.json")
		_, err := e.importReport("trivy", "trunc", data[:700])
		if !errs.Is(err, errs.Invalid) {
			t.Fatalf("truncated: %v", err)
		}
		if n := len(e.list(vuln.Filter{})); n != 0 {
			t.Errorf("truncated report left %d findings", n)
		}
		if _, err := e.importReport("sarif", "wrong", data); !errs.Is(err, errs.Invalid) {
			t.Errorf("wrong format: %v", err)
		}
		var imports int
		if err := e.db.SQL().QueryRow(`SELECT COUNT(*) FROM imports`).Scan(&imports); err != nil || imports != 0 {
			t.Errorf("refused reports left %d imports (%v)", imports, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

package vulnstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/authstore"
	"github.com/rampart-itsm/rampart/internal/store/vulnstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
	vt "github.com/rampart-itsm/rampart/internal/storetest/visibilitytest"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// Findings are shown to staff and to nobody else, in every read of the
// store: the list, a lookup by key, remediation tasks and the dashboard's
// counts.
func TestStoreQueriesApplyVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		viewers := vt.Users(t, ctx, auth.NewService(store.Bind(db, authstore.Bind), clock.Real{}), nil)
		svc := services.New(db, clock.Real{})
		report := `{"SchemaVersion":2,"ArtifactName":"app:1","ArtifactType":"container_image","Results":[{"Target":"app:1","Class":"os-pkgs","Type":"debian",
			"Vulnerabilities":[{"VulnerabilityID":"VTMARKER-1","PkgName":"vtmarker-lib","InstalledVersion":"1","FixedVersion":"2","Severity":"HIGH"}]}]}`
		if _, err := svc.Vuln.Import(ctx, auth.System, vuln.ImportRequest{Format: "trivy",
			Read: scanner.Source("trivy", strings.NewReader(report), scanner.Options{})}); err != nil {
			t.Fatal(err)
		}
		bound := store.Bind(db, vulnstore.Bind)
		read := func(t *testing.T, v vt.Viewer, fn func(vuln.Store, auth.Visibility) (bool, error)) bool {
			return vt.InView(t, bound, func(tx vuln.Tx) (bool, error) { return fn(tx.Vuln(), auth.VisibilityFor(v.P, auth.KindFinding)) })
		}
		vt.Run(t, viewers, vt.Kind{Name: "finding", Marker: "VTMARKER-1", Sees: vt.Staff(), Reads: []vt.Read{
			{Name: "FindFindings", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, func(st vuln.Store, vis auth.Visibility) (bool, error) {
					page, err := st.FindFindings(ctx, vuln.Filter{Limit: 50}, vis)
					return vt.Contains("VTMARKER-1", page.Items) && page.Total == 1, err
				})
			}},
			{Name: "FindFindingByKey", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, func(st vuln.Store, vis auth.Visibility) (bool, error) {
					r, err := st.FindFindingByKey(ctx, "VUL-1", vis)
					return r.Identifier == "VTMARKER-1", err
				})
			}},
			{Name: "FindRemediations", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, func(st vuln.Store, vis auth.Visibility) (bool, error) {
					rs, err := st.FindRemediations(ctx, "", 50, vis)
					return vt.Contains("vtmarker-lib", rs), err
				})
			}},
			{Name: "CountActive", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, func(st vuln.Store, vis auth.Visibility) (bool, error) {
					c, err := st.CountActive(ctx, clock.Real{}.Now(), vis)
					return len(c) > 0, err
				})
			}},
		}})
	})
}

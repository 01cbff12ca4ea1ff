package store_test

import (
	"context"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/authstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
	vt "github.com/rampart-itsm/rampart/internal/storetest/visibilitytest"
)

// Audit entries join the restricted-record contract: an entry of the
// security stream and a restricted entry of the general one are read only
// by those cleared for them (admin, security_auditor); a plain entry by
// everyone who reads the audit log. Every query of the log, at the store
// and through the service, as every role.
func TestAuditQueriesApplyVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		viewers := vt.Users(t, ctx, auth.NewService(store.Bind(db, authstore.Bind), clock.Real{}), nil)
		bound := store.Bind(db, func(tx *store.Tx) auditlog.Tx { return tx })
		svc := auditlog.NewService(bound)
		recs := []audit.Record{
			{Actor: "system", Action: "sign_in", Kind: "session", Key: "vtmarker-security", Stream: audit.StreamSecurity},
			{Actor: "system", Action: audit.ActionCreate, Kind: "incident", Key: "vtmarker-restricted", Restricted: true,
				After: map[string]string{"title": "vtmarker-restricted-title"}},
			{Actor: "system", Action: audit.ActionCreate, Kind: "ci", Key: "vtmarker-plain"},
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			for _, r := range recs {
				if err := tx.Audit().Append(r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		reads := func(marker string, f auditlog.Filter) []vt.Read {
			vis := func(v vt.Viewer) auth.Visibility { return auth.VisibilityFor(v.P, auth.KindAudit) }
			return []vt.Read{
				{Name: "FindEntries", Shown: func(t *testing.T, v vt.Viewer) bool {
					return vt.InView(t, bound, func(tx auditlog.Tx) (bool, error) {
						page, err := tx.AuditReader().FindEntries(ctx, vis(v), auditlog.Filter{Stream: f.Stream, Key: f.Key, Limit: 100})
						return vt.Contains(marker, page.Items) || (f.Key != "" && page.Total > 0), err
					})
				}},
				{Name: "ExportEntries", Shown: func(t *testing.T, v vt.Viewer) bool {
					return vt.InView(t, bound, func(tx auditlog.Tx) (bool, error) {
						es, err := tx.AuditReader().ExportEntries(ctx, vis(v), auditlog.Filter{Stream: f.Stream}, 0, 100)
						return vt.Contains(marker, es), err
					})
				}},
				{Name: "service Find", Shown: func(t *testing.T, v vt.Viewer) bool {
					page, err := svc.Find(ctx, v.P, auditlog.Filter{Key: f.Key})
					return !vt.Hidden(t, err) && page.Total > 0
				}},
				{Name: "service Export", Shown: func(t *testing.T, v vt.Viewer) bool {
					shown := false
					err := svc.Export(ctx, v.P, auditlog.Filter{}, func(e audit.Entry) error {
						shown = shown || vt.Contains(marker, e)
						return nil
					})
					return !vt.Hidden(t, err) && shown
				}},
			}
		}
		cleared := []string{string(auth.RoleAdmin), string(auth.RoleSecurityAuditor)}
		readers := append([]string{string(auth.RoleAuditor)}, cleared...)
		vt.Run(t, viewers,
			vt.Kind{Name: "security stream entry", Marker: "vtmarker-security", Sees: cleared, Reads: reads("vtmarker-security", auditlog.Filter{Key: "vtmarker-security"})},
			vt.Kind{Name: "restricted general entry", Marker: "vtmarker-restricted", Sees: cleared, Reads: reads("vtmarker-restricted", auditlog.Filter{Key: "vtmarker-restricted"})},
			vt.Kind{Name: "plain general entry", Marker: "vtmarker-plain", Sees: readers, Reads: reads("vtmarker-plain", auditlog.Filter{Key: "vtmarker-plain"})},
		)
		// Both streams chain and verify.
		res, err := svc.Verify(ctx, auditlog.VerifyOptions{Full: true})
		if err != nil || len(res) != 2 || !res[0].OK || !res[1].OK || res[1].Stream != audit.StreamSecurity || res[1].Entries != 1 {
			t.Fatalf("verify: %+v, %v", res, err)
		}
	})
}

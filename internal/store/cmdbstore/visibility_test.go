package cmdbstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
	vt "github.com/rampart-itsm/rampart/internal/storetest/visibilitytest"
)

// Every query method of the CMDB store applies the visibility it is given:
// a CI owned by "other" shows to staff and to other, never to the other
// requester; an import report to staff only; a team to staff and its
// members.
func TestStoreQueriesApplyVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := services.New(db, clock.Real{})
		if _, err := svc.Auth.CreateTeam(ctx, auth.System, auth.Team{Name: "vtmarker-team"}); err != nil {
			t.Fatal(err)
		}
		viewers := vt.Users(t, ctx, svc.Auth, map[string][]string{vt.Other: {"vtmarker-team"}, "agent": {"vtmarker-team"}})
		since := time.Now().Add(-time.Hour)
		shop, err := svc.CMDB.CreateCI(ctx, auth.System, cmdb.CI{Name: "shop-app", Kind: cmdb.KindApplication})
		if err != nil {
			t.Fatal(err)
		}
		marked, err := svc.CMDB.CreateCI(ctx, auth.System, cmdb.CI{Name: "vtmarker-ci laptop", Kind: cmdb.KindEndpoint,
			Owner: vt.Other, Identifiers: cmdb.Identifiers{Hostnames: []string{"vtmarker-host"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CMDB.AddRelation(ctx, auth.System, cmdb.Relation{Source: marked.Key, Type: cmdb.RelDependsOn, Target: shop.Key}); err != nil {
			t.Fatal(err)
		}
		// A relation shows when both its ends do: this one joins the
		// marked CI to another of other's CIs.
		phone, err := svc.CMDB.CreateCI(ctx, auth.System, cmdb.CI{Name: "phone", Kind: cmdb.KindEndpoint, Owner: vt.Other})
		if err != nil {
			t.Fatal(err)
		}
		rel, err := svc.CMDB.AddRelation(ctx, auth.System, cmdb.Relation{Source: marked.Key, Type: cmdb.RelConnectsTo, Target: phone.Key})
		if err != nil {
			t.Fatal(err)
		}
		imp, err := svc.CMDB.Import(ctx, auth.System, cmdb.ImportRequest{Format: "json", Filename: "vtmarker-import.json",
			Candidates: []cmdb.Candidate{{Row: 1, Label: "row 1", Identifiers: cmdb.Identifiers{Hostnames: []string{"imported-host"}}}}})
		if err != nil {
			t.Fatal(err)
		}

		// A deleted CI of other's leaves a tombstone only staff and other see.
		gone, err := svc.CMDB.CreateCI(ctx, auth.System, cmdb.CI{Name: "tablet", Kind: cmdb.KindEndpoint, Owner: vt.Other})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.CMDB.DeleteCI(ctx, auth.System, gone.Key); err != nil {
			t.Fatal(err)
		}

		bound := store.Bind(db, cmdbstore.Bind)
		// read runs fn on the CMDB store with v's visibility of kind k.
		read := func(t *testing.T, v vt.Viewer, k auth.RecordKind, fn func(cmdb.Store, auth.Visibility) (bool, error)) bool {
			return vt.InView(t, bound, func(tx cmdb.Tx) (bool, error) { return fn(tx.CMDB(), auth.VisibilityFor(v.P, k)) })
		}
		ciRead := func(name string, fn func(cmdb.Store, auth.Visibility) (bool, error)) vt.Read {
			return vt.Read{Name: name, Shown: func(t *testing.T, v vt.Viewer) bool { return read(t, v, auth.KindCI, fn) }}
		}
		page := func(f cmdb.Filter) func(st cmdb.Store, vis auth.Visibility) (cmdb.Page, error) {
			return func(st cmdb.Store, vis auth.Visibility) (cmdb.Page, error) {
				f.Limit = 100
				return st.FindCIs(ctx, f, vis)
			}
		}
		listShows := func(f cmdb.Filter) func(cmdb.Store, auth.Visibility) (bool, error) {
			return func(st cmdb.Store, vis auth.Visibility) (bool, error) {
				p, err := page(f)(st, vis)
				return vt.Contains("vtmarker-ci", p.Items), err
			}
		}
		// totalCounts reports whether the total counts the marked CI:
		// the filter matches it and nothing else.
		totalCounts := func(f cmdb.Filter) func(cmdb.Store, auth.Visibility) (bool, error) {
			return func(st cmdb.Store, vis auth.Visibility) (bool, error) {
				p, err := page(f)(st, vis)
				return p.Total > 0, err
			}
		}
		ciKind := vt.Kind{Name: "CI owned by other", Marker: "vtmarker-ci", Sees: vt.Staff(vt.Other), Reads: []vt.Read{
			ciRead("FindCIByKey", func(st cmdb.Store, vis auth.Visibility) (bool, error) {
				ci, err := st.FindCIByKey(ctx, marked.Key, vis)
				return ci.Key == marked.Key, err
			}),
			ciRead("FindCIs list", listShows(cmdb.Filter{})),
			ciRead("FindCIs search by name", listShows(cmdb.Filter{Query: "vtmarker"})),
			ciRead("FindCIs search by identifier", listShows(cmdb.Filter{Query: "vtmarker-host"})),
			ciRead("FindCIs search by key", listShows(cmdb.Filter{Query: marked.Key})),
			ciRead("FindCIs filter by owner", listShows(cmdb.Filter{Owner: vt.Other})),
			ciRead("FindCIs updated_since", listShows(cmdb.Filter{UpdatedSince: since})),
			ciRead("FindCIs total", totalCounts(cmdb.Filter{Query: "vtmarker"})),
			ciRead("FindCIs tombstones", func(st cmdb.Store, vis auth.Visibility) (bool, error) {
				p, err := page(cmdb.Filter{UpdatedSince: since, IncludeDeleted: true})(st, vis)
				return slices.ContainsFunc(p.Deleted, func(d cmdb.Tombstone) bool { return d.Key == gone.Key }), err
			}),
			ciRead("FindCIs total by kind", totalCounts(cmdb.Filter{Kind: cmdb.KindEndpoint})),
			ciRead("MatchIdentifiers names the holder", func(st cmdb.Store, vis auth.Visibility) (bool, error) {
				ms, err := st.MatchIdentifiers(ctx, []cmdb.IdentifierValue{{Kind: cmdb.IDHostname, Value: "vtmarker-host"}}, vis)
				return slices.ContainsFunc(ms, func(m cmdb.IdentifierMatch) bool { return m.CIKey == marked.Key }), err
			}),
			ciRead("FindRelations of a CI related to it", func(st cmdb.Store, vis auth.Visibility) (bool, error) {
				rels, err := st.FindRelations(ctx, shop.ID, vis)
				return vt.Contains(marked.Key, rels), err
			}),
			ciRead("FindRelationByID", func(st cmdb.Store, vis auth.Visibility) (bool, error) {
				r, err := st.FindRelationByID(ctx, rel.ID, vis)
				return r.ID == rel.ID, err
			}),
			ciRead("Neighbours", func(st cmdb.Store, vis auth.Visibility) (bool, error) {
				es, err := st.Neighbours(ctx, []int64{shop.ID}, cmdb.Downstream, vis)
				return slices.ContainsFunc(es, func(e cmdb.Edge) bool { return e.SourceID == marked.ID }), err
			}),
			ciRead("Summaries", func(st cmdb.Store, vis auth.Visibility) (bool, error) {
				sums, err := st.Summaries(ctx, []int64{marked.ID}, vis)
				return vt.Contains("vtmarker-ci", sums), err
			}),
		}}
		importKind := vt.Kind{Name: "import report", Marker: "vtmarker-import", Sees: vt.Staff(), Reads: []vt.Read{
			{Name: "FindImports", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, auth.KindImport, func(st cmdb.Store, vis auth.Visibility) (bool, error) {
					reps, _, err := st.FindImports(ctx, "", 100, vis)
					return vt.Contains("vtmarker-import", reps), err
				})
			}},
			{Name: "FindImportByKey", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, auth.KindImport, func(st cmdb.Store, vis auth.Visibility) (bool, error) {
					rep, err := st.FindImportByKey(ctx, imp.Key, vis)
					return rep.Key == imp.Key, err
				})
			}},
		}}
		// A requester sees only themselves and their own teams, so the
		// names a CI write may resolve follow the same rule.
		userKind := vt.Kind{Name: "user other", Marker: vt.Other, Sees: vt.Staff(vt.Other), Reads: []vt.Read{
			{Name: "UserIDs", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, auth.KindUser, func(st cmdb.Store, vis auth.Visibility) (bool, error) {
					ids, err := st.UserIDs(ctx, []string{vt.Other}, vis)
					return ids[vt.Other] != 0, err
				})
			}},
		}}
		teamKind := vt.Kind{Name: "team of other and agent", Marker: "vtmarker-team", Sees: vt.Staff(vt.Other), Reads: []vt.Read{
			{Name: "TeamIDs", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, v, auth.KindTeam, func(st cmdb.Store, vis auth.Visibility) (bool, error) {
					ids, err := st.TeamIDs(ctx, []string{"vtmarker-team"}, vis)
					return ids["vtmarker-team"] != 0, err
				})
			}},
		}}
		vt.Run(t, viewers, ciKind, importKind, userKind, teamKind)
	})
}

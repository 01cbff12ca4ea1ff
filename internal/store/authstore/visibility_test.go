package authstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/authstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
	vt "github.com/rampart-itsm/rampart/internal/storetest/visibilitytest"
)

// Every query method of the auth store applies the visibility it is given:
// the user "other" shows to staff and to themselves, never to the other
// requester; a team to staff and its members (and of its members a
// requester sees only themselves); a token to its user and token managers.
func TestStoreQueriesApplyVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := auth.NewService(store.Bind(db, authstore.Bind), clock.Real{})
		if _, err := svc.CreateTeam(ctx, auth.System, auth.Team{Name: "vtmarker-team"}); err != nil {
			t.Fatal(err)
		}
		since := time.Now().Add(-time.Hour)
		viewers := vt.Users(t, ctx, svc, map[string][]string{vt.Other: {"vtmarker-team"}, "admin": {"vtmarker-team"}})
		_, tok, err := svc.CreateToken(ctx, auth.System, vt.Other, "vtmarker-token", nil)
		if err != nil {
			t.Fatal(err)
		}
		var otherID int64
		for _, v := range viewers {
			if v.Name == vt.Other {
				otherID = v.P.UserID
			}
		}

		bound := store.Bind(db, authstore.Bind)
		read := func(t *testing.T, fn func(auth.Store) (bool, error)) bool {
			return vt.InView(t, bound, func(tx auth.Tx) (bool, error) { return fn(tx.Auth()) })
		}
		const otherJSON = `"username":"other"`
		users := func(name string, f auth.UserFilter) vt.Read {
			return vt.Read{Name: name, Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, func(st auth.Store) (bool, error) {
					p, err := st.FindUsers(ctx, auth.VisibilityFor(v.P, auth.KindUser), f)
					return vt.Contains(otherJSON, p.Items), err
				})
			}}
		}
		userKind := vt.Kind{Name: "user other", Marker: otherJSON, Sees: vt.Staff(vt.Other), Reads: []vt.Read{
			{Name: "FindUser", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, func(st auth.Store) (bool, error) {
					u, err := st.FindUser(ctx, auth.VisibilityFor(v.P, auth.KindUser), vt.Other)
					return u.Username == vt.Other, err
				})
			}},
			users("FindUsers", auth.UserFilter{}),
			users("FindUsers search", auth.UserFilter{Query: "othe"}),
			users("FindUsers by role", auth.UserFilter{Role: auth.RoleRequester}),
			users("FindUsers by team", auth.UserFilter{Team: "vtmarker-team"}),
			users("FindUsers updated_since", auth.UserFilter{UpdatedSince: since}),
			{Name: "FindUsers total", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, func(st auth.Store) (bool, error) {
					p, err := st.FindUsers(ctx, auth.VisibilityFor(v.P, auth.KindUser), auth.UserFilter{Query: "othe"})
					return p.Total > 0, err
				})
			}},
			// Team member lists follow the user rule: a requester in a
			// team sees only themselves among its members.
			{Name: "FindTeams members", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, func(st auth.Store) (bool, error) {
					ts, err := st.FindTeams(ctx, auth.VisibilityFor(v.P, auth.KindTeam), auth.VisibilityFor(v.P, auth.KindUser))
					return slices.ContainsFunc(ts, func(tm auth.Team) bool { return slices.Contains(tm.Members, vt.Other) }), err
				})
			}},
		}}
		teamKind := vt.Kind{Name: "team of other and admin", Marker: "vtmarker-team", Sees: vt.Staff(vt.Other), Reads: []vt.Read{
			{Name: "FindTeams", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, func(st auth.Store) (bool, error) {
					ts, err := st.FindTeams(ctx, auth.VisibilityFor(v.P, auth.KindTeam), auth.VisibilityFor(v.P, auth.KindUser))
					return vt.Contains("vtmarker-team", ts), err
				})
			}},
			{Name: "FindTeam", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, func(st auth.Store) (bool, error) {
					tm, err := st.FindTeam(ctx, auth.VisibilityFor(v.P, auth.KindTeam), auth.VisibilityFor(v.P, auth.KindUser), "vtmarker-team")
					return tm.Name == "vtmarker-team", err
				})
			}},
		}}
		tokenKind := vt.Kind{Name: "token of other", Marker: "vtmarker-token", Sees: []string{"admin", vt.Other}, Reads: []vt.Read{
			{Name: "FindTokens", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, func(st auth.Store) (bool, error) {
					ts, err := st.FindTokens(ctx, auth.VisibilityFor(v.P, auth.KindToken), otherID)
					return vt.Contains("vtmarker-token", ts), err
				})
			}},
			{Name: "FindTokenByID", Shown: func(t *testing.T, v vt.Viewer) bool {
				return read(t, func(st auth.Store) (bool, error) {
					got, err := st.FindTokenByID(ctx, auth.VisibilityFor(v.P, auth.KindToken), tok.ID)
					return got.ID == tok.ID, err
				})
			}},
		}}
		vt.Run(t, viewers, userKind, teamKind, tokenKind)
	})
}

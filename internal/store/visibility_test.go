package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// Principals of the visibility tests. Ids are those of the rows below.
var (
	visAdmin     = auth.Principal{UserID: 1, Username: "root", Roles: []auth.Role{auth.RoleAdmin}}
	visAnalyst   = auth.Principal{UserID: 2, Username: "sam", Roles: []auth.Role{auth.RoleSecurityAnalyst}, TeamIDs: []int64{10}}
	visAgent     = auth.Principal{UserID: 3, Username: "alice", Roles: []auth.Role{auth.RoleAgent}, TeamIDs: []int64{20}}
	visSOCAgent  = auth.Principal{UserID: 4, Username: "bob", Roles: []auth.Role{auth.RoleAgent}, TeamIDs: []int64{10, 20}}
	visRequester = auth.Principal{UserID: 5, Username: "dave", Roles: []auth.Role{auth.RoleRequester}, TeamIDs: []int64{30}}
	visAuditor   = auth.Principal{UserID: 7, Username: "carol", Roles: []auth.Role{auth.RoleAuditor}}
	visNoRoles   = auth.Principal{UserID: 6, Username: "eve"}
)

// widgetColumns describes the test table: every part of a rule at once.
var widgetColumns = store.Columns{
	Kind:       auth.KindIncident,
	Restricted: "w.restricted",
	Owner:      "w.owner_id",
	Team:       "w.team_id",
	Share:      &store.Share{Table: "widget_shares", Record: "widget_id", ID: "w.id", User: "user_id", Team: "team_id"},
}

// The predicate reads as the rule: (NOT restricted AND base) OR shared,
// with the restricted part gone for the cleared and the base part true
// for staff.
func TestVisibleRendersTheRule(t *testing.T) {
	const shareMe = "EXISTS (SELECT 1 FROM widget_shares sh WHERE sh.widget_id = w.id AND sh.user_id = $1)"
	tests := []struct {
		name string
		v    auth.Visibility
		cols store.Columns
		want string
		args []any
	}{
		{"admin sees everything", auth.VisibilityFor(visAdmin, auth.KindIncident), widgetColumns, "1 = 1", nil},
		{"security analyst sees everything", auth.VisibilityFor(visAnalyst, auth.KindIncident), widgetColumns, "1 = 1", nil},
		{"unrestricted sees everything", auth.Unrestricted("test"), widgetColumns, "1 = 1", nil},
		{"agent: non-restricted, or shared with them or a team of theirs", auth.VisibilityFor(visAgent, auth.KindIncident), widgetColumns,
			"((NOT (w.restricted)) OR EXISTS (SELECT 1 FROM widget_shares sh WHERE sh.widget_id = w.id AND (sh.user_id = $1 OR sh.team_id IN ($2))))",
			[]any{int64(3), int64(20)}},
		{"auditor reads like an agent", auth.VisibilityFor(visAuditor, auth.KindIncident), widgetColumns,
			"((NOT (w.restricted)) OR " + shareMe + ")", []any{int64(7)}},
		{"requester: own non-restricted, or shared", auth.VisibilityFor(visRequester, auth.KindIncident), widgetColumns,
			"((NOT (w.restricted) AND (w.owner_id = $1 OR w.team_id IN ($2))) OR EXISTS (SELECT 1 FROM widget_shares sh WHERE sh.widget_id = w.id AND (sh.user_id = $3 OR sh.team_id IN ($4))))",
			[]any{int64(5), int64(30), int64(5), int64(30)}},
		{"requester on a kind without restricted rows or shares", auth.VisibilityFor(visRequester, auth.KindCI),
			store.Columns{Kind: auth.KindCI, Owner: "cis.owner_id"}, "(cis.owner_id = $1)", []any{int64(5)}},
		{"agent on a kind without restricted rows", auth.VisibilityFor(visAgent, auth.KindCI),
			store.Columns{Kind: auth.KindCI, Owner: "cis.owner_id"}, "1 = 1", nil},
		{"staff see every team", auth.VisibilityFor(visSOCAgent, auth.KindTeam), store.Columns{Kind: auth.KindTeam, Team: "teams.id"}, "1 = 1", nil},
		{"requesters see their teams", auth.VisibilityFor(visRequester, auth.KindTeam), store.Columns{Kind: auth.KindTeam, Team: "teams.id"},
			"(teams.id IN ($1))", []any{int64(30)}},
		{"no read permission", auth.VisibilityFor(visNoRoles, auth.KindIncident), widgetColumns, "1 = 0", nil},
		{"the zero visibility", auth.Visibility{}, widgetColumns, "1 = 0", nil},
		{"a visibility of another kind", auth.VisibilityFor(visAdmin, auth.KindCI), widgetColumns, "1 = 0", nil},
		{"audit for an auditor", auth.VisibilityFor(visAuditor, auth.KindAudit),
			store.Columns{Kind: auth.KindAudit, Restricted: "a.restricted"}, "(NOT (a.restricted))", nil},
		{"audit for an admin", auth.VisibilityFor(visAdmin, auth.KindAudit),
			store.Columns{Kind: auth.KindAudit, Restricted: "a.restricted"}, "1 = 1", nil},
		{"audit for an agent", auth.VisibilityFor(visAgent, auth.KindAudit),
			store.Columns{Kind: auth.KindAudit, Restricted: "a.restricted"}, "1 = 0", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var q store.Query
			if got := store.Visible(&q, tc.v, tc.cols); got != tc.want {
				t.Errorf("Visible =\n  %s\nwant\n  %s", got, tc.want)
			}
			if !slices.Equal(q.Args(), tc.args) {
				t.Errorf("args %v, want %v", q.Args(), tc.args)
			}
		})
	}
}

// The rule holds against real rows on both engines, with numbered and
// anonymous placeholders alike.
func TestVisibleOnRealRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, stmt := range []string{
			`CREATE TABLE widgets (id BIGINT PRIMARY KEY, title TEXT NOT NULL, restricted BOOLEAN NOT NULL,
				owner_id BIGINT, team_id BIGINT)`,
			`CREATE TABLE widget_shares (widget_id BIGINT NOT NULL, user_id BIGINT, team_id BIGINT)`,
			`INSERT INTO widgets VALUES
				(1, 'open-mine', FALSE, 5, NULL),
				(2, 'open-alices', FALSE, 3, NULL),
				(3, 'open-shared-with-dave', FALSE, 3, NULL),
				(4, 'open-of-daves-team', FALSE, NULL, 30),
				(5, 'secret-daves', TRUE, 5, NULL),
				(6, 'secret-of-daves-team', TRUE, NULL, 30),
				(7, 'secret-shared-with-alice', TRUE, NULL, NULL),
				(8, 'secret-shared-with-soc', TRUE, 1, NULL),
				(9, 'secret-unshared', TRUE, NULL, 20)`,
			`INSERT INTO widget_shares VALUES (3, 5, NULL), (7, 3, NULL), (8, NULL, 10), (9, 6, NULL)`,
		} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		all := []string{"open-alices", "open-mine", "open-of-daves-team", "open-shared-with-dave", "secret-daves",
			"secret-of-daves-team", "secret-shared-with-alice", "secret-shared-with-soc", "secret-unshared"}
		open := []string{"open-alices", "open-mine", "open-of-daves-team", "open-shared-with-dave"}
		tests := []struct {
			name string
			v    auth.Visibility
			want []string
		}{
			{"admin", auth.VisibilityFor(visAdmin, auth.KindIncident), all},
			{"security analyst", auth.VisibilityFor(visAnalyst, auth.KindIncident), all},
			{"unrestricted", auth.Unrestricted("test"), all},
			{"agent", auth.VisibilityFor(visAgent, auth.KindIncident), append(slices.Clone(open), "secret-shared-with-alice")},
			{"agent in the SOC team", auth.VisibilityFor(visSOCAgent, auth.KindIncident), append(slices.Clone(open), "secret-shared-with-soc")},
			{"auditor", auth.VisibilityFor(visAuditor, auth.KindIncident), open},
			{"requester", auth.VisibilityFor(visRequester, auth.KindIncident), []string{"open-mine", "open-of-daves-team", "open-shared-with-dave"}},
			// Row 9 is shared with eve, but eve may not read the kind.
			{"no read permission", auth.VisibilityFor(visNoRoles, auth.KindIncident), nil},
			{"another kind's visibility", auth.VisibilityFor(visAdmin, auth.KindCI), nil},
		}
		for _, tc := range tests {
			for _, anon := range []bool{false, true} {
				name := tc.name
				if anon {
					name += "/list query"
				}
				t.Run(name, func(t *testing.T) {
					var got []string
					err := db.View(ctx, func(tx *store.Tx) error {
						var q store.Query
						if anon {
							q = tx.ListQuery()
						}
						// A condition before and after the predicate
						// proves its placeholders are numbered in place.
						q.And("w.id > " + q.Arg(0))
						q.And(store.Visible(&q, tc.v, widgetColumns))
						q.And("w.id < " + q.Arg(100))
						rows, err := tx.Query(ctx, `SELECT w.title FROM widgets w`+q.Where()+` ORDER BY w.title`, q.Args()...)
						if err != nil {
							return err
						}
						got, err = store.Collect(rows, func(sc store.Scanner) (s string, err error) { return s, sc.Scan(&s) })
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(got, tc.want) {
						t.Errorf("sees %s\nwant %s", strings.Join(got, ", "), strings.Join(tc.want, ", "))
					}
				})
			}
		}
	})
}

package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

func TestRelationCommands(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		ctx := context.Background()
		app, dbKey := s.ci(t, "shop-app", cmdb.KindApplication), s.ci(t, "shop-db", cmdb.KindDatabase)
		conn := []string{"--url", s.url, "--token", s.agent}
		rel := func(args ...string) (string, error) {
			out, _, err := run(t, NewRelationCmd(), "", append(args, conn...)...)
			return out, err
		}
		rels := func() []string {
			found, err := s.cmdb.FindRelations(ctx, auth.System, app)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range found {
				out = append(out, fmt.Sprintf("%s %s %s", r.Source, r.Type, r.Target))
			}
			slices.Sort(out)
			return out
		}

		out, err := rel("add", strings.ToLower(app), "depends_on", dbKey)
		if err != nil || !strings.Contains(out, "added "+app+" depends_on "+dbKey) {
			t.Fatalf("add: %v\n%s", err, out)
		}
		if out, err = rel("add", app, "Runs-On", strings.ToLower(dbKey)); err != nil || !strings.Contains(out, "runs_on") {
			t.Fatalf("add with a type as people write it: %v\n%s", err, out)
		}
		if got := rels(); !slices.Equal(got, []string{app + " depends_on " + dbKey, app + " runs_on " + dbKey}) {
			t.Fatalf("relations %v", got)
		}
		if out, err = rel("list", dbKey); err != nil || !strings.Contains(out, app) || !strings.Contains(out, "runs_on") {
			t.Errorf("list: %v\n%s", err, out)
		}
		for _, bad := range []struct {
			args []string
			want string
		}{
			{[]string{"add", app, "depends_on", dbKey}, "409"},
			{[]string{"add", app, "likes", dbKey}, "type"},
			{[]string{"add", app, "depends_on", "CI-404"}, "no CI CI-404"},
			{[]string{"remove", app, "connects_to", dbKey}, "no relation"},
			{[]string{"remove", app, "depends_on"}, "SOURCE TYPE TARGET"},
			{[]string{"remove", "seven"}, "not a relation id"},
		} {
			if _, err := rel(bad.args...); err == nil || !strings.Contains(err.Error(), bad.want) {
				t.Errorf("%v: %v, want %q", bad.args, err, bad.want)
			}
		}
		if _, _, err := run(t, NewRelationCmd(), "", "remove", app, "depends_on", dbKey, "--url", s.url, "--token", s.auditor); err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("auditor remove: %v", err)
		}
		if out, err = rel("remove", app, "depends_on", strings.ToLower(dbKey)); err != nil || !strings.Contains(out, "removed "+app+" depends_on "+dbKey) {
			t.Errorf("remove: %v\n%s", err, out)
		}
		found, _ := s.cmdb.FindRelations(ctx, auth.System, app)
		if out, err = rel("remove", fmt.Sprint(found[0].ID)); err != nil || !strings.Contains(out, "removed relation") {
			t.Errorf("remove by id: %v\n%s", err, out)
		}
		if got := rels(); len(got) != 0 {
			t.Errorf("relations left: %v", got)
		}
	})
}

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

func TestCIUpdateCommand(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		ctx := context.Background()
		orig, err := s.cmdb.CreateCI(ctx, auth.System, cmdb.CI{Name: "db-01", Kind: cmdb.KindDatabase, Tags: []string{"pci", "old"},
			Attributes: map[string]any{"os": "debian", "rack": "r1"}, Identifiers: cmdb.Identifiers{Hostnames: []string{"db-01"}, IPs: []string{"10.0.0.5"}}})
		if err != nil {
			t.Fatal(err)
		}
		key := strings.ToLower(orig.Key) // keys in any case
		conn := []string{"--url", s.url, "--token", s.agent}
		update := func(args ...string) (cmdb.CI, error) {
			out, _, err := run(t, NewCICmd(), "", append(append([]string{"update", key}, args...), append(conn, "--output", "json")...)...)
			var ci cmdb.CI
			if err == nil {
				err = json.Unmarshal([]byte(out), &ci)
			}
			return ci, err
		}

		cases := []struct {
			name  string
			args  []string
			check func(ci cmdb.CI) string
		}{
			{"scalar fields", []string{"--criticality", "5", "--environment", "Production", "--internet-exposed", "--description", "orders"},
				func(ci cmdb.CI) string {
					return fmt.Sprint(ci.Criticality, ci.Environment, ci.InternetExposed, ci.Description, ci.Name)
				}},
			{"tags added and removed", []string{"--add-tag", "backup", "--remove-tag", "old"},
				func(ci cmdb.CI) string { return strings.Join(ci.Tags, ",") }},
			{"attributes merged and unset", []string{"--attr", "os=rhel", "--attr", "zone=b", "--unset-attr", "rack"},
				func(ci cmdb.CI) string { b, _ := json.Marshal(ci.Attributes); return string(b) }},
			{"one identifier list replaced", []string{"--ip", "10.0.0.6,10.0.0.7"},
				func(ci cmdb.CI) string { return fmt.Sprint(ci.Identifiers.Hostnames, ci.Identifiers.IPs) }},
		}
		want := []string{"5productiontrueordersdb-01", "backup,pci", `{"os":"rhel","zone":"b"}`, "[db-01] [10.0.0.6 10.0.0.7]"}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ci, err := update(tc.args...)
				if err != nil {
					t.Fatal(err)
				}
				if got := tc.check(ci); got != want[i] {
					t.Errorf("got %q, want %q", got, want[i])
				}
				if ci.Version != int64(i+2) {
					t.Errorf("version %d, want %d", ci.Version, i+2)
				}
			})
		}
		out, _, err := run(t, NewCICmd(), `{"supplier": "Dell"}`, append([]string{"update", key, "--file", "-"}, conn...)...)
		if err != nil || !strings.Contains(out, "updated "+orig.Key+" (version 6)") || !strings.Contains(out, "Dell") {
			t.Errorf("update --file: %v\n%s", err, out)
		}

		// Someone else edits after this user looked at version 6: the
		// update pinned to version 6 is refused and changes nothing.
		if _, err := s.cmdb.UpdateCI(ctx, auth.System, orig.Key, cmdb.Update{Description: ptrTo("changed elsewhere")}); err != nil {
			t.Fatal(err)
		}
		_, err = update("--version", "6", "--owner", "root")
		if err == nil || !strings.Contains(err.Error(), "changed by someone else") {
			t.Errorf("stale version: %v", err)
		}
		now, _ := s.cmdb.FindCIByKey(ctx, auth.System, orig.Key)
		if now.Owner != "" || now.Description != "changed elsewhere" || now.Version != 7 {
			t.Errorf("a refused update changed the CI: %+v", now)
		}
		if _, err = update("--version", "7", "--owner", "root"); err != nil {
			t.Errorf("current version: %v", err)
		}

		for _, bad := range []struct {
			args []string
			want string
		}{
			{nil, "nothing to change"},
			{[]string{"--criticality", "9"}, "business_criticality"},
			{[]string{"--attr", "novalue"}, "want key=value"},
			{[]string{"--file", "-", "--name", "x"}, "none of the others can be"},
		} {
			if _, err := update(bad.args...); err == nil || !strings.Contains(err.Error(), bad.want) {
				t.Errorf("update %v: %v, want %q", bad.args, err, bad.want)
			}
		}
		if _, _, err := run(t, NewCICmd(), "", "update", key, "--description", "x", "--url", s.url, "--token", s.auditor); err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("auditor update: %v", err)
		}
		if _, _, err := run(t, NewCICmd(), "", append([]string{"update", "CI-404", "--description", "x"}, conn...)...); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("missing CI: %v", err)
		}
	})
}

func ptrTo[T any](v T) *T { return &v }

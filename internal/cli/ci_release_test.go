package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// ci show says who set each field; ci release hands fields back to imports.
func TestCIReleaseCommand(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		orig, err := s.cmdb.CreateCI(context.Background(), auth.System, cmdb.CI{Name: "edge-rtr-02", Kind: cmdb.KindNetworkDevice,
			Environment: "lab", Identifiers: cmdb.Identifiers{IPs: []string{"10.20.0.2"}}})
		if err != nil {
			t.Fatal(err)
		}
		conn := []string{"--url", s.url, "--token", s.agent}
		out, _, err := run(t, NewCICmd(), "", append([]string{"show", orig.Key}, conn...)...)
		if err != nil || !strings.Contains(strings.Join(strings.Fields(out), " "), "source of environment set by hand by system") {
			t.Fatalf("show: %v\n%s", err, out)
		}
		out, _, err = run(t, NewCICmd(), "", append([]string{"release", strings.ToLower(orig.Key), "environment"}, conn...)...)
		if err != nil || !strings.Contains(out, orig.Key+": the next import") {
			t.Fatalf("release: %v\n%s", err, out)
		}
		ci, err := s.cmdb.FindCIByKey(context.Background(), auth.System, orig.Key)
		if _, held := ci.Sources["environment"]; err != nil || held || ci.Sources["name"].Source != cmdb.SourceManual {
			t.Errorf("sources after release: %+v, %v", ci.Sources, err)
		}
		if _, _, err := run(t, NewCICmd(), "", append([]string{"release", orig.Key, "colour"}, conn...)...); err == nil {
			t.Error("releasing an unknown field succeeded")
		}
	})
}

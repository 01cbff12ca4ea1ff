package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

func TestIncidentCommands(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		ciKey := s.ci(t, "orders-db", cmdb.KindDatabase)
		conn := []string{"--url", s.url, "--token", s.agent}
		inc := func(args ...string) (string, string, error) {
			return run(t, NewIncidentCmd(), "", append(args, conn...)...)
		}
		out, _, err := inc("create", "--short-description", "orders slow", "--impact", "1", "--urgency", "2", "--ci", strings.ToLower(ciKey))
		if err != nil || !strings.Contains(out, "created INC-1") || !strings.Contains(out, "P2") || !strings.Contains(out, ciKey) {
			t.Fatalf("create: %v\n%s", err, out)
		}
		_, _, err = inc("update", "INC-1", "--state", "closed")
		if err == nil || !strings.Contains(err.Error(), "409") || !strings.Contains(err.Error(), "in_progress") {
			t.Errorf("refused transition: %v", err)
		}
		out, _, err = inc("update", "inc-1", "--state", "on_hold", "--on-hold-reason", "awaiting_vendor", "--output", "json")
		var got incident.Incident
		if err != nil || json.Unmarshal([]byte(out), &got) != nil || got.State != incident.StateOnHold || got.OnHoldReason != "awaiting_vendor" {
			t.Fatalf("update: %v\n%s", err, out)
		}
		if out, _, err = inc("note", "INC-1", "vendor called back"); err != nil || !strings.Contains(out, "added work note") {
			t.Errorf("note: %v\n%s", err, out)
		}
		if _, _, err = inc("note", "INC-1", "--comment", "we are on it"); err != nil {
			t.Errorf("comment: %v", err)
		}
		out, _, err = inc("show", "INC-1", "--timeline")
		for _, want := range []string{"orders slow", "on_hold", "vendor called back", "we are on it", "new → on_hold"} {
			if err != nil || !strings.Contains(out, want) {
				t.Errorf("show --timeline lacks %q: %v\n%s", want, err, out)
			}
		}
		out, _, err = inc("list", "--state", "open")
		if err != nil || !strings.Contains(out, "INC-1") || !strings.Contains(out, "1 of 1 incidents") {
			t.Errorf("list: %v\n%s", err, out)
		}
		// An auditor reads but cannot raise.
		_, _, err = run(t, NewIncidentCmd(), "", "create", "--short-description", "x", "--url", s.url, "--token", s.auditor)
		if err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("auditor create: %v", err)
		}
	})
}

package incident_test

import (
	"errors"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
)

// Another practice raises an incident inside its own unit of work: both
// commit together, or neither does.
func TestCreateInAnotherPracticesUnit(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		boom := errors.New("later step failed")
		outer := store.Bind(e.db, cmdbstore.Bind)
		var key string
		err := outer.InTx(e.ctx, func(tx cmdb.Tx) error {
			inc, err := e.inc.CreateIncidentIn(e.ctx, tx, e.agent, incident.Incident{ShortDescription: "from an alert"})
			key = inc.Key
			if err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || key != "INC-1" {
			t.Fatalf("err %v key %q", err, key)
		}
		if page, _ := e.inc.FindIncidents(e.ctx, e.admin, incident.Filter{}); page.Total != 0 {
			t.Errorf("rolled-back unit left %d incidents", page.Total)
		}
		err = outer.InTx(e.ctx, func(tx cmdb.Tx) error {
			inc, err := e.inc.CreateIncidentIn(e.ctx, tx, e.agent, incident.Incident{ShortDescription: "from an alert"})
			key = inc.Key
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.inc.FindIncidentByKey(e.ctx, e.agent, key); err != nil {
			t.Errorf("committed incident: %v", err)
		}
	})
}

func TestAutoCloseAndSightings(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		inc := e.create(e.agent, incident.Incident{ShortDescription: "resolved long ago"})
		e.update(e.agent, inc.Key, incident.Update{State: ptr(incident.StateResolved), ResolutionCode: ptr("fixed"), ResolutionNotes: ptr("done")})
		if n, err := e.inc.CloseResolved(e.ctx); err != nil || n != 0 {
			t.Fatalf("closed %d too early, %v", n, err)
		}
		e.clk.Advance(incident.DefaultOptions.AutoCloseAfter + time.Minute)
		if n, err := e.inc.CloseResolved(e.ctx); err != nil || n != 1 {
			t.Fatalf("closed %d, %v", n, err)
		}
		got, _ := e.inc.FindIncidentByKey(e.ctx, e.agent, inc.Key)
		if got.State != incident.StateClosed || got.ClosedAt == nil {
			t.Errorf("state %s", got.State)
		}

		if _, err := e.svc.CMDB.CreateCI(e.ctx, e.admin, cmdb.CI{Name: "mail-gw", Kind: cmdb.KindServer,
			Identifiers: cmdb.Identifiers{IPs: []string{"203.0.113.7"}}}); err != nil {
			t.Fatal(err)
		}
		ip := []incident.Observable{{Kind: "ip", Value: "203.0.113.7"}}
		a := e.create(e.analyst, incident.Incident{ShortDescription: "beacon to C2", Security: true, Observables: ip})
		b := e.create(e.analyst, incident.Incident{ShortDescription: "second beacon", Security: true, Observables: ip,
			Techniques: []string{"t1071.001"}})
		if b.Techniques[0] != "T1071.001" {
			t.Errorf("technique %v", b.Techniques)
		}
		ss, err := e.inc.Sightings(e.ctx, e.analyst, a.Key)
		if err != nil || len(ss) != 1 || len(ss[0].Incidents) != 1 || ss[0].Incidents[0] != b.Key || len(ss[0].CIs) != 1 {
			t.Errorf("sightings %+v, %v", ss, err)
		}
	})
}

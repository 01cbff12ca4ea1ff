package incidentstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/services"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/incidentstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
	vt "github.com/rampart-itsm/rampart/internal/storetest/visibilitytest"
)

// Every query method of the incident store applies the visibility it is
// given: a security incident raised for other and shared with a team the
// agent is in shows to admins, security analysts and the agent, never to
// other (its caller) or anyone else; an ordinary incident of other's shows
// to staff and other.
func TestStoreQueriesApplyVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := services.New(db, clock.Real{})
		if _, err := svc.Auth.CreateTeam(ctx, auth.System, auth.Team{Name: "vt-share-team"}); err != nil {
			t.Fatal(err)
		}
		viewers := vt.Users(t, ctx, svc.Auth, map[string][]string{"agent": {"vt-share-team"}})
		since := time.Now().Add(-time.Hour)
		laptop, err := svc.CMDB.CreateCI(ctx, auth.System, cmdb.CI{Name: "laptop", Kind: cmdb.KindEndpoint, Owner: vt.Other})
		if err != nil {
			t.Fatal(err)
		}
		sir, err := svc.Incidents.CreateIncident(ctx, auth.System, incident.Incident{ShortDescription: "vtmarker-sir beacon",
			Category: "malware", Caller: vt.Other, CIs: []string{laptop.Key}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Incidents.ShareIncident(ctx, auth.System, sir.Key, "", "vt-share-team"); err != nil {
			t.Fatal(err)
		}
		open, err := svc.Incidents.CreateIncident(ctx, auth.System, incident.Incident{ShortDescription: "vtmarker-inc slow laptop",
			Caller: vt.Other, CIs: []string{laptop.Key}})
		if err != nil {
			t.Fatal(err)
		}
		// An incident that became a security incident leaves a tombstone
		// for those who lose it: staff without clearance and its caller.
		moved, err := svc.Incidents.CreateIncident(ctx, auth.System, incident.Incident{ShortDescription: "odd mail", Caller: vt.Other})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Incidents.UpdateIncident(ctx, auth.System, moved.Key, incident.Update{Security: ptr(true)}); err != nil {
			t.Fatal(err)
		}

		bound := store.Bind(db, incidentstore.Bind)
		read := func(t *testing.T, v vt.Viewer, fn func(incident.Store, incident.Views) (bool, error)) bool {
			return vt.InView(t, bound, func(tx incident.Tx) (bool, error) {
				return fn(tx.Incidents(), incident.Views{Incidents: auth.VisibilityFor(v.P, auth.KindIncident), CIs: auth.VisibilityFor(v.P, auth.KindCI)})
			})
		}
		reads := func(marker, key string, id func() int64) []vt.Read {
			r := func(name string, fn func(incident.Store, incident.Views) (bool, error)) vt.Read {
				return vt.Read{Name: name, Shown: func(t *testing.T, v vt.Viewer) bool { return read(t, v, fn) }}
			}
			list := func(f incident.Filter) func(incident.Store, incident.Views) (bool, error) {
				return func(st incident.Store, vs incident.Views) (bool, error) {
					if f.Sort == "" {
						f.Sort = "-created"
					}
					f.Limit = 100
					p, err := st.FindIncidents(ctx, f, vs)
					return vt.Contains(marker, p.Items), err
				}
			}
			total := func(f incident.Filter) func(incident.Store, incident.Views) (bool, error) {
				return func(st incident.Store, vs incident.Views) (bool, error) {
					f.Sort, f.Limit = "-created", 100
					p, err := st.FindIncidents(ctx, f, vs)
					return p.Total > 0, err
				}
			}
			return []vt.Read{
				r("FindIncidentByKey", func(st incident.Store, vs incident.Views) (bool, error) {
					inc, err := st.FindIncidentByKey(ctx, key, vs)
					return inc.Key == key, err
				}),
				r("FindIncidents list", list(incident.Filter{})),
				r("FindIncidents by priority", list(incident.Filter{Sort: "priority"})),
				r("FindIncidents search", list(incident.Filter{Query: marker})),
				r("FindIncidents search by key", list(incident.Filter{Query: key})),
				r("FindIncidents updated_since", list(incident.Filter{UpdatedSince: since, Sort: "-updated"})),
				r("FindIncidents by CI", list(incident.Filter{CIID: laptop.ID})),
				r("FindIncidents open", list(incident.Filter{State: "open"})),
				r("FindIncidents total of a search", total(incident.Filter{Query: marker})),
				r("IncidentIDs", func(st incident.Store, vs incident.Views) (bool, error) {
					ids, err := st.IncidentIDs(ctx, []string{key}, vs.Incidents)
					return ids[key] == id(), err
				}),
			}
		}
		find := func(key string) func() int64 {
			return func() int64 {
				var id int64
				_ = db.SQL().QueryRow(`SELECT id FROM incidents WHERE key = $1`, key).Scan(&id)
				return id
			}
		}
		sirKind := vt.Kind{Name: "security incident shared with a team", Marker: "vtmarker-sir",
			Sees: []string{"admin", "security_analyst", "agent"}, Reads: reads("vtmarker-sir", sir.Key, find(sir.Key))}
		openKind := vt.Kind{Name: "incident of other's", Marker: "vtmarker-inc",
			Sees: vt.Staff(vt.Other), Reads: reads("vtmarker-inc", open.Key, find(open.Key))}
		tombKind := vt.Kind{Name: "tombstone of an incident that became a security incident", Marker: moved.Key,
			// Those cleared for security incidents still see it; the
			// others learn it left their view. The requester never saw it.
			Sees: []string{"agent", "change_manager", "approver", "auditor", "security_auditor", vt.Other}, Reads: []vt.Read{
				{Name: "FindIncidents tombstones", Shown: func(t *testing.T, v vt.Viewer) bool {
					return read(t, v, func(st incident.Store, vs incident.Views) (bool, error) {
						p, err := st.FindIncidents(ctx, incident.Filter{UpdatedSince: since, IncludeDeleted: true, Sort: "-created", Limit: 100}, vs)
						return slices.ContainsFunc(p.Deleted, func(d incident.Tombstone) bool { return d.Key == moved.Key }), err
					})
				}},
			}}
		vt.Run(t, viewers, sirKind, openKind, tombKind)
	})
}

func ptr[T any](v T) *T { return &v }

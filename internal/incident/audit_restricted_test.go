package incident_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/incident"
)

// A security incident's entries (the incident, its notes, its shares) are
// restricted: an auditor without clearance reads none of them, in either
// stream, while a security auditor reads them all. An ordinary incident's
// entries stay readable by every auditor.
func TestSecurityIncidentEntriesAreRestricted(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		const marker = "zz-restricted-marker-4417"
		sir := e.create(e.analyst, incident.Incident{ShortDescription: marker, Impact: 2, Urgency: 2, Security: true, Category: "phishing"})
		if _, err := e.inc.AddNote(e.ctx, e.analyst, sir.Key, incident.NoteWork, marker+" note"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.inc.ShareIncident(e.ctx, e.analyst, sir.Key, "nico", ""); err != nil {
			t.Fatal(err)
		}
		inc := e.create(e.agent, incident.Incident{ShortDescription: "zz-ordinary-4417", Impact: 3, Urgency: 3})
		secAud := e.user("secaud", auth.RoleSecurityAuditor)

		for _, tc := range []struct {
			name    string
			p       auth.Principal
			wantSee bool
			streams []audit.Stream
		}{
			{"auditor", e.auditor, false, []audit.Stream{audit.StreamGeneral}},
			{"security auditor", secAud, true, []audit.Stream{audit.StreamGeneral, audit.StreamSecurity}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var all strings.Builder
				for _, st := range tc.streams {
					err := e.svc.Audit.Export(context.Background(), tc.p, auditlog.Filter{Stream: st}, func(en audit.Entry) error {
						b, _ := json.Marshal(en)
						all.Write(b)
						return nil
					})
					if err != nil {
						t.Fatalf("export %s: %v", st, err)
					}
				}
				got := all.String()
				if strings.Contains(got, marker) != tc.wantSee || strings.Contains(got, sir.Key) != tc.wantSee {
					t.Errorf("%s sees the security incident in the audit log: %v, want %v", tc.name, !tc.wantSee, tc.wantSee)
				}
				if !strings.Contains(got, inc.Key) {
					t.Errorf("%s does not see the ordinary incident %s in the audit log", tc.name, inc.Key)
				}
			})
		}
	})
}

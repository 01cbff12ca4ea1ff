package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/services"
)

// incidents is the incident service over the env's database.
func (e *env) incidents() *incident.Service { return services.New(e.db, e.db.Clock()).Incidents }

func TestIncidentQueueAndPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.user("ana", auth.RoleAgent)
		if _, err := e.auth.CreateTeam(ctx, auth.System, auth.Team{Name: "Service Desk", Members: []string{"ana"}}); err != nil {
			t.Fatal(err)
		}
		db := e.ci(cmdb.CI{Name: "orders-db", Kind: cmdb.KindDatabase, SupportGroup: "Service Desk"})
		c := e.login("ana")

		// Raise one through the form.
		res := c.post("/incidents", url.Values{"short_description": {"orders slow"}, "impact": {"1"}, "urgency": {"1"},
			"cis": {db.Key}, "assignment_group": {"Service Desk"}, "assignee": {"ana"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("create: status %d: %s", res.Code, res.Body)
		}
		loc := res.Header().Get("Location")
		key := strings.TrimPrefix(strings.Split(loc, "?")[0], "/incidents/")
		doc := c.mustGet("/incidents/" + key)
		if got := doc.Find("#inc-priority").Text(); got != "P1" {
			t.Errorf("priority %q", got)
		}
		if !strings.Contains(doc.Find("#cmdb-context").Text(), db.Key) {
			t.Error("CMDB context lacks the CI")
		}
		var buttons []string
		doc.Find("#state-actions button").Each(func(_ int, s *goquery.Selection) { buttons = append(buttons, s.AttrOr("data-state", "")) })
		if !slices.Equal(buttons, []string{"in_progress", "on_hold", "resolved", "cancelled"}) {
			t.Errorf("state buttons %v", buttons)
		}
		// A refused change shows the reason on the page, nothing is written.
		res = c.post("/incidents/"+key, url.Values{"state": {"resolved"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "resolution") {
			t.Errorf("resolve without a code: %d", res.Code)
		}
		res = c.post("/incidents/"+key, url.Values{"state": {"in_progress"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("start work: %d", res.Code)
		}
		// The queue: my work holds it, unassigned does not.
		if got := keys(c.mustGet("/incidents?view=mine").Find("tr.incident-row")); !slices.Equal(got, []string{key}) {
			t.Errorf("my work %v", got)
		}
		if n := c.mustGet("/incidents?view=unassigned").Find("tr.incident-row").Length(); n != 0 {
			t.Errorf("unassigned shows %d", n)
		}
		if rec, _ := c.get("/incidents?view=nonsense"); rec.Code != http.StatusBadRequest && rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("a bad view: status %d", rec.Code)
		}
	})
}

func TestRequesterPortal(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.user("rick", auth.RoleRequester)
		svc := e.incidents()
		other, err := svc.CreateIncident(ctx, auth.System, incident.Incident{ShortDescription: "someone else's"})
		if err != nil {
			t.Fatal(err)
		}
		sir, err := svc.CreateIncident(ctx, auth.System, incident.Incident{ShortDescription: "secret beacon", Security: true, Caller: "rick"})
		if err != nil {
			t.Fatal(err)
		}
		c := e.login("rick")
		form := c.mustGet("/incidents/new")
		for _, sel := range []string{`select[name=assignment_group]`, `input[name=assignee]`, `input[name=security]`, `input[name=caller]`} {
			if form.Find(sel).Length() != 0 {
				t.Errorf("portal form offers %s", sel)
			}
		}
		res := c.post("/incidents", url.Values{"short_description": {"printer jams"}, "impact": {"3"}, "urgency": {"2"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("report: %d %s", res.Code, res.Body)
		}
		key := strings.TrimPrefix(strings.Split(res.Header().Get("Location"), "?")[0], "/incidents/")
		if _, err := svc.AddNote(ctx, auth.System, key, incident.NoteWork, "internal musing"); err != nil {
			t.Fatal(err)
		}
		if c.post("/incidents/"+key+"/notes", url.Values{"body": {"it jams again"}}).Code != http.StatusSeeOther {
			t.Error("requester cannot comment")
		}
		if c.post("/incidents/"+key+"/notes", url.Values{"body": {"sneaky"}, "kind": {"work_note"}}).Code != http.StatusForbidden {
			t.Error("requester writes a work note")
		}
		doc := c.mustGet("/incidents")
		if got := keys(doc.Find("tr.incident-row")); !slices.Equal(got, []string{key}) {
			t.Errorf("requester's list %v", got)
		}
		page := c.mustGet("/incidents/" + key)
		text := page.Find("#timeline").Text()
		if !strings.Contains(text, "it jams again") || strings.Contains(text, "internal musing") {
			t.Errorf("timeline %q", text)
		}
		if page.Find("#state-actions, #assign-form").Length() != 0 {
			t.Error("requester sees desk controls")
		}
		for _, k := range []string{other.Key, sir.Key} {
			if rec, _ := c.get("/incidents/" + k); rec.Code != http.StatusNotFound {
				t.Errorf("GET %s: %d", k, rec.Code)
			}
		}
	})
}

package e2e_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/incident"
)

// TestBrowserIncidentLifeCycleAndRequesterView drives the incident pages
// as the desk and as a requester: an agent raises an incident on a CI
// through the form and takes it from New to Closed with the state buttons;
// a requester then sees their own incident with its comment, never its
// work note, and no trace of a security incident raised for them.
func TestBrowserIncidentLifeCycleAndRequesterView(t *testing.T) {
	b := newTab(t)
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{
		Target: filepath.Join(t.TempDir(), "rampart.db"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	keys := seed(t, a)
	const password = "browser test password"
	for _, u := range []auth.NewUser{
		{Username: "ana", DisplayName: "Ana Agent", Roles: []auth.Role{auth.RoleAgent}, Teams: []string{"Service Desk"}},
		{Username: "rick", DisplayName: "Rick Requester", Roles: []auth.Role{auth.RoleRequester}},
	} {
		u.Password = password
		if _, err := a.Auth.CreateUser(ctx, auth.System, u); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	signIn := func(user string) {
		b.do("sign in as "+user,
			chromedp.Navigate(srv.URL+"/incidents"),
			chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name=username]`), user),
			chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.ID("incident-table")),
		)
	}
	state := func() string { return value(b, "read the state", chromedp.Text(chromedp.ID("inc-state"))) }
	press := func(name, st string, before ...chromedp.Action[chromedp.Void]) {
		steps := append(before,
			chromedp.Click(chromedp.CSS(`#state-actions button[data-state="`+st+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#inc-state.state-`+st)),
		)
		b.do(name, steps...)
	}

	signIn("ana")
	b.do("raise an incident on a CI through the form",
		chromedp.Click(chromedp.ID("new-incident")),
		chromedp.WaitVisible(chromedp.ID("incident-form")),
		chromedp.SendKeys(chromedp.CSS(`#incident-form input[name=short_description]`), "Checkout fails with 502"),
		chromedp.SetValue(chromedp.CSS(`#incident-form select[name=impact]`), "1"),
		chromedp.SetValue(chromedp.CSS(`#incident-form select[name=urgency]`), "2"),
		chromedp.SendKeys(chromedp.CSS(`#incident-form input[name=cis]`), keys["checkout-api"]),
		chromedp.SetValue(chromedp.CSS(`#incident-form select[name=assignment_group]`), "Service Desk"),
		chromedp.SendKeys(chromedp.CSS(`#incident-form input[name=assignee]`), "ana"),
		chromedp.Click(chromedp.ID("f-submit")),
		chromedp.WaitVisible(chromedp.ID("inc-props")),
	)
	key := value(b, "read the key", chromedp.Text(chromedp.CSS(`h1 .key`)))
	if !strings.HasPrefix(key, "INC-") || state() != "New" {
		t.Fatalf("new incident page: key %q state %q", key, state())
	}
	if p := value(b, "read the priority", chromedp.Text(chromedp.ID("inc-priority"))); p != "P2" {
		t.Errorf("impact 1 urgency 2 shows %s, want P2", p)
	}
	ctxText := value(b, "read the CMDB context", chromedp.Text(chromedp.ID("cmdb-context")))
	for _, want := range []string{keys["checkout-api"], keys["Online shop"], "Platform"} {
		if !strings.Contains(ctxText, want) {
			t.Errorf("CMDB context lacks %s: %q", want, ctxText)
		}
	}
	press("start work", "in_progress")
	press("put on hold awaiting the vendor", "on_hold",
		chromedp.SetValue(chromedp.CSS(`#state-actions select[name=on_hold_reason]`), "awaiting_vendor"))
	press("resume", "in_progress")
	b.do("a work note",
		chromedp.SendKeys(chromedp.ID("note-body"), "restarted the pods"),
		chromedp.Click(chromedp.ID("note-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#timeline li.tl-work_note`)),
	)
	press("resolve", "resolved",
		chromedp.SetValue(chromedp.CSS(`#resolve-form select[name=resolution_code]`), "fixed"),
		chromedp.SendKeys(chromedp.ID("resolution-notes"), "pods restarted, checkout back"))
	press("close", "closed")
	if s := state(); s != "Closed" {
		t.Errorf("state %q after closing", s)
	}
	tl := value(b, "read the timeline", chromedp.Text(chromedp.ID("timeline")))
	for _, want := range []string{"new → in_progress", "in_progress → on_hold", "resolved → closed", "restarted the pods"} {
		if !strings.Contains(tl, want) {
			t.Errorf("timeline lacks %q: %q", want, tl)
		}
	}
	b.screenshot("/tmp/rampart-incident.png")
	b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))

	// Rick's own incident carries a comment and a work note; a security
	// incident raised for him stays out of his sight.
	mine, err := a.Incidents.CreateIncident(ctx, auth.System, incident.Incident{ShortDescription: "Laptop will not boot", Caller: "rick"})
	if err != nil {
		t.Fatal(err)
	}
	for kind, body := range map[string]string{incident.NoteWork: "suspect the disk, internal", incident.NoteComment: "we are looking at it"} {
		if _, err := a.Incidents.AddNote(ctx, auth.System, mine.Key, kind, body); err != nil {
			t.Fatal(err)
		}
	}
	sir, err := a.Incidents.CreateIncident(ctx, auth.System, incident.Incident{ShortDescription: "Phishing mail opened by rick",
		Category: "phishing", Caller: "rick"})
	if err != nil {
		t.Fatal(err)
	}
	signIn("rick")
	list := value(b, "read his list", chromedp.Text(chromedp.ID("incident-table")))
	if !strings.Contains(list, mine.Key) || strings.Contains(list, sir.Key) || strings.Contains(list, "Phishing") || strings.Contains(list, key) {
		t.Errorf("requester's list: %q", list)
	}
	b.do("open his incident",
		chromedp.Click(chromedp.CSS(`tr[data-key="`+mine.Key+`"] a.name`)),
		chromedp.WaitVisible(chromedp.ID("timeline")),
	)
	tl = value(b, "read his timeline", chromedp.Text(chromedp.ID("timeline")))
	if !strings.Contains(tl, "we are looking at it") || strings.Contains(tl, "suspect the disk") {
		t.Errorf("requester's timeline: %q", tl)
	}
	if n := value(b, "count state buttons", chromedp.Evaluate[int](`document.querySelectorAll("#state-actions button").length`)); n != 0 {
		t.Errorf("requester sees %d state buttons", n)
	}
	b.do("ask for the security incident", chromedp.Navigate(srv.URL+"/incidents/"+sir.Key), chromedp.WaitReady(chromedp.CSS(`main`)))
	if body := value(b, "read the page", chromedp.Text(chromedp.CSS(`main`))); strings.Contains(body, "Phishing") {
		t.Errorf("requester reads the security incident: %q", body)
	}
}

package e2e_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

const (
	adminUser     = "admin"
	adminPassword = "browser test password"
)

// TestBrowserSignInCreateCIAndImpact drives the real application in
// Chromium the way a NOC engineer would: sign in through the form, create a
// CI through the form, relate it, find it in the CMDB list and open its
// impact picture. It leaves two screenshots in /tmp for people to look at.
func TestBrowserSignInCreateCIAndImpact(t *testing.T) {
	b := newTab(t)
	a, err := app.Open(context.Background(), app.Config{
		Target: filepath.Join(t.TempDir(), "rampart.db"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.Auth.CreateUser(context.Background(), auth.System, auth.NewUser{
		Username: adminUser, DisplayName: "Alex Admin", Password: adminPassword, Roles: []auth.Role{auth.RoleAdmin},
	}); err != nil {
		t.Fatal(err)
	}
	keys := seed(t, a)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)

	// Asking for the CMDB leads to the sign-in form, and back after it.
	b.do("open the CMDB", chromedp.Navigate(srv.URL+"/cis"), chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
	b.do("sign in",
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), adminUser),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), adminPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("ci-table")),
	)
	if loc := value(b, "location", chromedp.Location()); !strings.HasSuffix(loc, "/cis") {
		t.Fatalf("after sign-in at %s, want the CMDB", loc)
	}

	b.do("create a CI through the form",
		chromedp.Click(chromedp.ID("new-ci")),
		chromedp.WaitVisible(chromedp.ID("ci-form")),
		chromedp.SendKeys(chromedp.CSS(`#ci-form input[name=name]`), "orders-db"),
		chromedp.SetValue(chromedp.CSS(`#ci-form select[name=kind]`), "database"),
		chromedp.SetValue(chromedp.CSS(`#ci-form select[name=criticality]`), "5"),
		chromedp.SendKeys(chromedp.CSS(`#ci-form input[name=support_group]`), "DBA"),
		chromedp.SendKeys(chromedp.CSS(`#ci-form input[name=ips]`), "10.20.0.15"),
		chromedp.Click(chromedp.CSS(`#ci-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("ci-props")),
	)
	key := value(b, "read the new key", chromedp.Text(chromedp.CSS(`h1 .key`)))
	if !strings.HasPrefix(key, "CI-") {
		t.Fatalf("new CI page shows key %q", key)
	}

	// Relate it both ways through the form on its page.
	b.do("add: checkout-api depends on it",
		chromedp.SetValue(chromedp.CSS(`#rel-form select[name=direction]`), "incoming"),
		chromedp.SetValue(chromedp.CSS(`#rel-form select[name=type]`), "depends_on"),
		chromedp.SendKeys(chromedp.CSS(`#rel-form input[name=other]`), keys["checkout-api"]),
		chromedp.Click(chromedp.CSS(`#rel-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rel-in a[href="/cis/`+keys["checkout-api"]+`"]`)),
	)
	b.do("add: it runs on db-vm-01, picked by name",
		chromedp.SetValue(chromedp.CSS(`#rel-form select[name=direction]`), "outgoing"),
		chromedp.SetValue(chromedp.CSS(`#rel-form select[name=type]`), "runs_on"),
		chromedp.SendKeys(chromedp.CSS(`#rel-form input[name=other]`), "db-vm"),
		// The type-ahead offers it as one types...
		chromedp.WaitReady(chromedp.CSS(`#ci-options option[value="`+keys["db-vm-01"]+`"]`)),
		// ...and the form takes its name.
		chromedp.SendKeys(chromedp.CSS(`#rel-form input[name=other]`), "-01"),
		chromedp.Click(chromedp.CSS(`#rel-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rel-out a[href="/cis/`+keys["db-vm-01"]+`"]`)),
	)

	b.do("see it in the CMDB list",
		chromedp.Navigate(srv.URL+"/cis"),
		chromedp.WaitVisible(chromedp.CSS(`tr.ci-row[data-key="`+key+`"]`)),
	)
	// The page script localises times; a time still showing the server's
	// UTC label means the script did not run (a CSP or asset problem).
	if utc := value(b, "count UTC labels", chromedp.Evaluate[int](`[...document.querySelectorAll("time")].filter(t => t.textContent.endsWith("UTC")).length`)); utc != 0 {
		t.Errorf("%d times not localised: the page script did not run", utc)
	}
	b.screenshot("/tmp/rampart-cmdb-list.png")

	// "/" as a page receives it (CDP's synthetic key would type the
	// character into whatever the keydown focused, unlike a keyboard).
	if notTaken := value(b, "press /", chromedp.Evaluate[bool](`document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "/", bubbles: true, cancelable: true}))`)); notTaken {
		t.Error(`the page did not take "/" to focus its search box`)
	}
	b.do("search for a word inside its name, typed where / put the focus",
		chromedp.KeyEvent("rders-d"),
		chromedp.Submit(chromedp.CSS(`input[name=q]`)),
		// "Clear" appears only on the filtered page, so this waits for
		// that page rather than finding the row on the one before.
		chromedp.WaitVisible(chromedp.CSS(`.filters a[href="/cis"]`)),
		chromedp.WaitVisible(chromedp.CSS(`tr.ci-row[data-key="`+key+`"]`)),
	)
	if n := value(b, "count rows", chromedp.Evaluate[int](`document.querySelectorAll("tr.ci-row").length`)); n != 1 {
		t.Errorf("search shows %d rows, want 1", n)
	}

	b.do("open its impact view",
		chromedp.Click(chromedp.CSS(`tr.ci-row[data-key="`+key+`"] a.name`)),
		chromedp.WaitVisible(chromedp.ID("impact-link")),
		chromedp.Click(chromedp.ID("impact-link")),
		chromedp.WaitVisible(chromedp.CSS(`svg#impact-graph a.ci-node`)),
	)
	nodes := value(b, "read graph nodes", chromedp.Evaluate[[]string](`[...document.querySelectorAll("svg#impact-graph a.ci-node")].map(n => n.dataset.key)`))
	for _, want := range []string{key, keys["checkout-api"], keys["Online shop"], keys["Mobile banking"]} {
		if !slices.Contains(nodes, want) {
			t.Errorf("impact graph lacks %s: %v", want, nodes)
		}
	}
	b.screenshot("/tmp/rampart-impact.png")

	b.do("switch to upstream",
		chromedp.Click(chromedp.CSS(`.segmented a:last-child`)),
		chromedp.WaitVisible(chromedp.CSS(`svg#impact-graph a.ci-node[data-key="`+keys["esx-cluster-a"]+`"]`)),
	)

	// A scanner report of the new CI's address, then the vulnerability
	// dashboard: its finding counts as active and the trend draws today.
	report := `<report><results><result><host>10.20.0.15</host><port>5432/tcp</port><threat>High</threat><severity>8.1</severity>
		<nvt oid="1.3.6.1.4.1.25623.1.0.2"><name>Outdated PostgreSQL</name><cvss_base>8.1</cvss_base></nvt></result></results></report>`
	if _, err := a.Vuln.Import(context.Background(), auth.System, vuln.ImportRequest{Format: "openvas",
		Read: scanner.Source("openvas", strings.NewReader(report), scanner.Options{})}); err != nil {
		t.Fatal(err)
	}
	b.do("open the vulnerability dashboard from the menu",
		chromedp.Navigate(srv.URL+"/cis"),
		chromedp.Click(chromedp.CSS(`nav.nav a[href="/vulnerabilities"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg#vuln-trend g.day`)),
	)
	if active := value(b, "read active findings", chromedp.Text(chromedp.ID("vuln-active"))); strings.TrimSpace(active) != "1" {
		t.Errorf("dashboard shows %q active findings, want 1", active)
	}
	if h := value(b, "today's bar", chromedp.Evaluate[float64](`document.querySelector("svg#vuln-trend g.day:last-of-type rect.opened").getBBox().height`)); h <= 0 {
		t.Errorf("today's bar of opened findings is %v high", h)
	}
	b.screenshot("/tmp/rampart-vulnerabilities.png")
	b.do("the CI's page lists the finding",
		chromedp.Navigate(srv.URL+"/cis/"+key),
		chromedp.WaitVisible(chromedp.CSS(`#findings tr.finding`)),
	)
}

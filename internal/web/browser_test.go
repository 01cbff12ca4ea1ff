package web_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// chromiumPath finds the browser: $RAMPART_CHROMIUM, or Debian's chromium.
// Outside CI a missing browser skips the test; in CI it fails it, so the
// browser test can never silently stop running there.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("RAMPART_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found (install Debian's chromium, or set RAMPART_CHROMIUM): CI must run the browser test")
	}
	t.Skip("chromium not found; install Debian's chromium to run the browser test")
	return ""
}

// browser starts a headless Chromium with a fresh profile. Every action
// the test runs is bounded by step; the whole browser by the test's limit.
func browser(t *testing.T) (context.Context, func(name string, steps ...chromedp.Action[chromedp.Void])) {
	t.Helper()
	exe := chromiumPath(t)
	life, stop := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(stop)
	alloc, cancelAlloc := chromedp.NewExecAllocator(life,
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	// The first Run starts the browser; it must not carry a short timeout,
	// which would end the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	do := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%s: timed out", name)
			}
			t.Fatalf("%s: %v", name, err)
		}
	}
	return ctx, do
}

// run runs one value-returning action within the step limit.
func run[T any](t *testing.T, ctx context.Context, name string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// TestBrowserSignInCreateCIAndImpact drives the real UI in Chromium: sign
// in through the form, create a CI through the form, relate it, find it in
// the CMDB list and open its impact picture.
func TestBrowserSignInCreateCIAndImpact(t *testing.T) {
	ctx, do := browser(t)
	e := newEnv(t, storetest.Open(t, "sqlite"))
	e.user("admin", auth.RoleAdmin)
	seedDemo(t, e)
	srv := httptest.NewServer(e.h)
	t.Cleanup(srv.Close)

	// Asking for the CMDB leads to the sign-in form, and back after it.
	do("open the CMDB", chromedp.Navigate(srv.URL+"/cis"), chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
	do("sign in",
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("ci-table")),
	)
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(loc, "/cis") {
		t.Fatalf("after sign-in at %s, want the CMDB", loc)
	}

	do("create a CI",
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
	key := run(t, ctx, "read the new key", chromedp.Text(chromedp.CSS(`h1 .key`)))
	if !strings.HasPrefix(key, "CI-") {
		t.Fatalf("new CI page shows key %q", key)
	}

	// Relate it both ways through the form on its page.
	do("add: checkout-api depends on it",
		chromedp.SetValue(chromedp.CSS(`#rel-form select[name=direction]`), "incoming"),
		chromedp.SetValue(chromedp.CSS(`#rel-form select[name=type]`), "depends_on"),
		chromedp.SendKeys(chromedp.CSS(`#rel-form input[name=other]`), e.keyOf("checkout-api")),
		chromedp.Click(chromedp.CSS(`#rel-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rel-in a[href="/cis/`+e.keyOf("checkout-api")+`"]`)),
	)
	do("add: it runs on db-vm-01",
		chromedp.SetValue(chromedp.CSS(`#rel-form select[name=direction]`), "outgoing"),
		chromedp.SetValue(chromedp.CSS(`#rel-form select[name=type]`), "runs_on"),
		chromedp.SendKeys(chromedp.CSS(`#rel-form input[name=other]`), e.keyOf("db-vm-01")),
		chromedp.Click(chromedp.CSS(`#rel-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rel-out a[href="/cis/`+e.keyOf("db-vm-01")+`"]`)),
	)

	do("find it in the CMDB list",
		chromedp.Navigate(srv.URL+"/cis"),
		chromedp.WaitVisible(chromedp.CSS(`tr.ci-row[data-key="`+key+`"]`)),
	)
	// The script localises times: none still shows the server's UTC label.
	if utc := run(t, ctx, "count UTC labels", chromedp.Evaluate[int](`[...document.querySelectorAll("time")].filter(t => t.textContent.endsWith("UTC")).length`)); utc != 0 {
		t.Errorf("%d times not localised: the script did not run", utc)
	}
	screenshot(t, ctx, "/tmp/rampart-cmdb-list.png")

	do("search for it",
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "orders"),
		chromedp.Submit(chromedp.CSS(`input[name=q]`)),
		// "Clear" appears only on the filtered page, so this waits for it
		// rather than finding the row on the page before.
		chromedp.WaitVisible(chromedp.CSS(`.filters a[href="/cis"]`)),
		chromedp.WaitVisible(chromedp.CSS(`tr.ci-row[data-key="`+key+`"]`)),
	)
	if n := run(t, ctx, "count rows", chromedp.Evaluate[int](`document.querySelectorAll("tr.ci-row").length`)); n != 1 {
		t.Errorf("search shows %d rows, want 1", n)
	}

	do("open its impact view",
		chromedp.Click(chromedp.CSS(`tr.ci-row[data-key="`+key+`"] a.name`)),
		chromedp.WaitVisible(chromedp.ID("impact-link")),
		chromedp.Click(chromedp.ID("impact-link")),
		chromedp.WaitVisible(chromedp.CSS(`svg#impact-graph a.ci-node`)),
	)
	nodes := run(t, ctx, "read graph nodes", chromedp.Evaluate[[]string](`[...document.querySelectorAll("svg#impact-graph a.ci-node")].map(n => n.dataset.key)`))
	for _, want := range []string{key, e.keyOf("checkout-api"), e.keyOf("Online shop")} {
		if !contains(nodes, want) {
			t.Errorf("impact graph lacks %s: %v", want, nodes)
		}
	}
	screenshot(t, ctx, "/tmp/rampart-impact.png")

	do("switch to upstream",
		chromedp.Click(chromedp.CSS(`.segmented a:last-child`)),
		chromedp.WaitVisible(chromedp.CSS(`svg#impact-graph a.ci-node[data-key="`+e.keyOf("esx-cluster-a")+`"]`)),
	)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// screenshot saves the whole page as PNG.
func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png := run(t, ctx, "screenshot", chromedp.FullScreenshot(100))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// seedDemo fills the CMDB with a small, realistic estate.
func seedDemo(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	for _, team := range []string{"Service Desk", "NOC", "SOC", "DBA", "Platform"} {
		if _, err := e.auth.CreateTeam(ctx, auth.System, auth.Team{Name: team}); err != nil {
			t.Fatal(err)
		}
	}
	cis := []cmdb.CI{
		{Name: "Online shop", Kind: cmdb.KindBusinessService, Criticality: 5, SupportGroup: "Service Desk", Environment: "production", InternetExposed: true},
		{Name: "Mobile banking", Kind: cmdb.KindBusinessService, Criticality: 5, SupportGroup: "Service Desk", Environment: "production", InternetExposed: true},
		{Name: "Partner portal", Kind: cmdb.KindBusinessService, Criticality: 3, SupportGroup: "Service Desk", Environment: "production"},
		{Name: "checkout-api", Kind: cmdb.KindApplication, Criticality: 4, SupportGroup: "Platform", Environment: "production", Tags: []string{"pci"}},
		{Name: "mobile-gateway", Kind: cmdb.KindApplication, Criticality: 4, SupportGroup: "Platform", Environment: "production", InternetExposed: true},
		{Name: "db-vm-01", Kind: cmdb.KindVirtualMachine, Criticality: 4, SupportGroup: "Platform", Environment: "production", Identifiers: cmdb.Identifiers{IPs: []string{"10.20.0.11"}}},
		{Name: "esx-cluster-a", Kind: cmdb.KindCluster, Criticality: 5, SupportGroup: "Platform", Environment: "production"},
		{Name: "core-sw-01", Kind: cmdb.KindNetworkDevice, Criticality: 5, SupportGroup: "NOC", Environment: "production", Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.1"}}},
		{Name: "edge-fw-01", Kind: cmdb.KindNetworkDevice, Criticality: 5, SupportGroup: "NOC", Environment: "production", InternetExposed: true},
		{Name: "Okta", Kind: cmdb.KindIdentityProvider, Criticality: 5, SupportGroup: "SOC", Supplier: "Okta", Environment: "production"},
		{Name: "siem-collector", Kind: cmdb.KindServer, Criticality: 3, SupportGroup: "SOC", Environment: "production"},
		{Name: "jira-cloud", Kind: cmdb.KindSaaSApplication, Criticality: 2, SupportGroup: "Service Desk", Supplier: "Atlassian"},
		{Name: "laptop-ann", Kind: cmdb.KindEndpoint, Criticality: 1, SupportGroup: "Service Desk", Environment: "production"},
		{Name: "staging-web-01", Kind: cmdb.KindServer, Criticality: 2, SupportGroup: "Platform", Environment: "staging"},
		{Name: "s3-invoices", Kind: cmdb.KindCloudResource, Criticality: 4, SupportGroup: "Platform", Environment: "production", Identifiers: cmdb.Identifiers{CloudID: "arn:aws:s3:::invoices"}},
	}
	for _, ci := range cis {
		e.ci(ci)
	}
	for _, r := range [][3]string{
		{"Online shop", "depends_on", "checkout-api"},
		{"Mobile banking", "depends_on", "mobile-gateway"},
		{"mobile-gateway", "depends_on", "checkout-api"},
		{"Partner portal", "depends_on", "checkout-api"},
		{"checkout-api", "depends_on", "Okta"},
		{"checkout-api", "runs_on", "db-vm-01"},
		{"db-vm-01", "hosted_on", "esx-cluster-a"},
		{"esx-cluster-a", "connects_to", "core-sw-01"},
		{"core-sw-01", "connects_to", "edge-fw-01"},
	} {
		e.relate(e.keyOf(r[0]), cmdb.RelationType(r[1]), e.keyOf(r[2]))
	}
}

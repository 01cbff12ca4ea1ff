package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

func TestRelationshipsOnTheCIPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		app := e.ci(cmdb.CI{Name: "shop-app", Kind: cmdb.KindApplication})
		db := e.ci(cmdb.CI{Name: "shop-db", Kind: cmdb.KindDatabase})
		host := e.ci(cmdb.CI{Name: "vm-7", Kind: cmdb.KindVirtualMachine})
		c := e.login("ann")

		// From app's page: app depends on db. From vm-7's page, as
		// incoming, with a lower-case key: db runs on vm-7.
		wantStatus(t, c.post("/cis/"+app.Key+"/relations", url.Values{"direction": {"outgoing"}, "type": {"depends_on"}, "other": {db.Key}}), http.StatusSeeOther)
		wantStatus(t, c.post("/cis/"+host.Key+"/relations", url.Values{"direction": {"incoming"}, "type": {"runs_on"}, "other": {strings.ToLower(db.Key)}}), http.StatusSeeOther)

		doc := c.mustGet("/cis/" + db.Key)
		if got := doc.Find(`#rel-out a`).Text(); got != host.Key {
			t.Errorf("db needs %q, want %s", got, host.Key)
		}
		if got := doc.Find(`#rel-in a`).Text(); got != app.Key {
			t.Errorf("db needed by %q, want %s", got, app.Key)
		}
		// A bad target is explained next to the form.
		rec := c.post("/cis/"+db.Key+"/relations", url.Values{"type": {"depends_on"}, "other": {"CI-9999"}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if parse(t, rec).Find("#rel-form .ferr").Length() == 0 {
			t.Error("no message by the relationship form")
		}
		// Removing goes through the row's form, and only from a page of
		// one of the relationship's CIs.
		action := doc.Find(`#rel-in form`).AttrOr("action", "")
		wrongPage := strings.Replace(action, "/cis/"+db.Key+"/", "/cis/"+host.Key+"/", 1)
		wantStatus(t, c.post(wrongPage, nil), http.StatusNotFound)
		wantStatus(t, c.post(action, nil), http.StatusSeeOther)
		if c.mustGet("/cis/"+db.Key).Find(`#rel-in a`).Length() != 0 {
			t.Error("relationship not removed")
		}
	})
}

func TestImpactPageDrawsTheGraph(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		shop := e.ci(cmdb.CI{Name: "Web shop", Kind: cmdb.KindBusinessService, Criticality: 5})
		app := e.ci(cmdb.CI{Name: "shop-app", Kind: cmdb.KindApplication, Criticality: 4})
		db := e.ci(cmdb.CI{Name: "shop-db", Kind: cmdb.KindDatabase, Criticality: 4})
		other := e.ci(cmdb.CI{Name: "unrelated", Kind: cmdb.KindServer})
		e.relate(shop.Key, cmdb.RelDependsOn, app.Key)
		e.relate(app.Key, cmdb.RelDependsOn, db.Key)
		c := e.login("ann")

		doc := c.mustGet("/cis/" + db.Key + "/impact")
		svg := doc.Find("svg#impact-graph")
		if svg.Length() != 1 {
			t.Fatal("no SVG")
		}
		nodes := keys(svg.Find("a.ci-node"))
		slices.Sort(nodes)
		want := []string{shop.Key, app.Key, db.Key}
		slices.Sort(want)
		if !slices.Equal(nodes, want) {
			t.Fatalf("graph nodes %v, want %v", nodes, want)
		}
		if !strings.Contains(svg.Find(`a.ci-node[data-key="`+shop.Key+`"] rect`).AttrOr("class", ""), "service") {
			t.Error("business service not highlighted")
		}
		if !strings.Contains(svg.Find(`a.ci-node[data-key="`+db.Key+`"] rect`).AttrOr("class", ""), "root") {
			t.Error("root not marked")
		}
		if n := svg.Find("path.edge").Length(); n != 2 {
			t.Errorf("%d edges drawn, want 2", n)
		}
		if got := svg.Find("text.edge-label").First().Text(); got != "Depends on" {
			t.Errorf("edge label %q", got)
		}
		// The table gives each affected CI its path; services are listed.
		row := doc.Find(`#impact-table tr[data-key="` + shop.Key + `"]`)
		var path []string
		row.Find("td.path a").Each(func(_ int, s *goquery.Selection) { path = append(path, s.Text()) })
		if !slices.Equal(path, []string{db.Key, app.Key, shop.Key}) {
			t.Errorf("path %v", path)
		}
		if doc.Find(`#impact-services td:first-child a[href="/cis/`+shop.Key+`"]`).Length() != 1 {
			t.Error("business service not listed")
		}

		// Upstream from the service reaches the database, not the unrelated CI.
		doc = c.mustGet("/cis/" + shop.Key + "/impact?direction=upstream&depth=3")
		nodes = keys(doc.Find("svg#impact-graph a.ci-node"))
		if !slices.Contains(nodes, db.Key) || slices.Contains(nodes, other.Key) {
			t.Errorf("upstream nodes %v", nodes)
		}
		if doc.Find(`.segmented a[aria-current]`).Text() != "Upstream" {
			t.Error("direction toggle does not show upstream")
		}
		// Depth 1 stops after the first step.
		doc = c.mustGet("/cis/" + db.Key + "/impact?depth=1")
		if n := doc.Find("svg#impact-graph a.ci-node").Length(); n != 2 {
			t.Errorf("depth 1 draws %d nodes, want 2", n)
		}
	})
}

// A business service opens on what it is built on (nothing depends on a
// service, so "downstream" would be empty); other CIs open on what depends
// on them; the toggle still chooses either.
func TestImpactOpensTheUsefulDirection(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		shop := e.ci(cmdb.CI{Name: "Web shop", Kind: cmdb.KindBusinessService})
		app := e.ci(cmdb.CI{Name: "shop-app", Kind: cmdb.KindApplication})
		e.relate(shop.Key, cmdb.RelDependsOn, app.Key)
		c := e.login("ann")
		for _, tc := range []struct {
			path, want string
			reaches    string
		}{
			{"/cis/" + shop.Key + "/impact", "Upstream", app.Key},
			{"/cis/" + app.Key + "/impact", "Downstream", shop.Key},
			{"/cis/" + shop.Key + "/impact?direction=downstream", "Downstream", ""},
			{"/cis/" + app.Key + "/impact?direction=upstream", "Upstream", ""},
		} {
			doc := c.mustGet(tc.path)
			if got := doc.Find(`#impact-controls .segmented a[aria-current]`).Text(); got != tc.want {
				t.Errorf("%s opens %q, want %q", tc.path, got, tc.want)
			}
			if got := doc.Find(`#impact-controls input[name=direction]`).AttrOr("value", ""); got != strings.ToLower(tc.want) {
				t.Errorf("%s: depth form keeps direction %q", tc.path, got)
			}
			nodes := keys(doc.Find("svg#impact-graph a.ci-node"))
			if tc.reaches != "" && !slices.Contains(nodes, tc.reaches) {
				t.Errorf("%s draws %v, want %s", tc.path, nodes, tc.reaches)
			}
			if tc.reaches == "" && len(nodes) != 1 {
				t.Errorf("%s draws %v, want only the CI", tc.path, nodes)
			}
		}
	})
}

// A crowded row shows what fits the page and a "+N more" box linking to
// the same picture with that row drawn in full.
func TestImpactCrowdedRowExpands(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		db := e.ci(cmdb.CI{Name: "orders-db", Kind: cmdb.KindDatabase})
		var apps []string
		for i := range 12 {
			app := e.ci(cmdb.CI{Name: fmt.Sprintf("app-%02d", i), Kind: cmdb.KindApplication})
			e.relate(app.Key, cmdb.RelDependsOn, db.Key)
			apps = append(apps, app.Key)
		}
		c := e.login("ann")
		doc := c.mustGet("/cis/" + db.Key + "/impact")
		svg := doc.Find("svg#impact-graph")
		if w, err := strconv.Atoi(svg.AttrOr("width", "")); err != nil || w > 1350 {
			t.Errorf("picture %q px wide, the page has 1350", svg.AttrOr("width", ""))
		}
		drawn := len(keys(svg.Find("a.ci-node"))) - 1
		more := svg.Find("a.more-node")
		if more.Length() != 1 || strings.TrimSpace(more.Text()) == "" || !strings.Contains(more.Find("text").Text(), fmt.Sprintf("+%d more", 12-drawn)) {
			t.Fatalf("%d apps drawn, \"more\" box %q", drawn, more.Find("text").Text())
		}
		href := more.AttrOr("href", "")
		if !strings.Contains(href, "expand=1") || !strings.Contains(href, "direction=downstream") {
			t.Fatalf("\"more\" links to %q", href)
		}
		doc = c.mustGet(href)
		nodes := keys(doc.Find("svg#impact-graph a.ci-node"))
		for _, k := range apps {
			if !slices.Contains(nodes, k) {
				t.Errorf("expanded row lacks %s: %v", k, nodes)
			}
		}
		if doc.Find("svg#impact-graph a.more-node").Length() != 0 {
			t.Error("expanded row still has a \"more\" box")
		}
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

func TestCreateCIThroughTheForm(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		c := e.login("ann")
		doc := c.mustGet("/cis/new")
		if doc.Find(`#ci-form select[name=kind] option[selected]`).AttrOr("value", "") != "server" {
			t.Error("new form does not default to a server")
		}

		// Field errors land next to their fields; the typed values stay.
		rec := c.post("/cis", url.Values{"name": {""}, "kind": {"server"}, "criticality": {"3"}, "ips": {"10.0.0.1, not-an-ip"},
			"attributes": {"{broken"}, "description": {"keep me"}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		doc = parse(t, rec)
		if doc.Find(`input[name=attributes] ~ .ferr, textarea[name=attributes] ~ .ferr`).Length() != 1 {
			t.Error("no error by the attributes field")
		}
		if doc.Find(`textarea[name=description]`).Text() != "keep me" {
			t.Error("typed values lost")
		}
		rec = c.post("/cis", url.Values{"name": {""}, "kind": {"server"}, "criticality": {"3"}, "ips": {"10.0.0.1, not-an-ip"}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		doc = parse(t, rec)
		if doc.Find(`input[name=name] ~ .ferr`).Length() != 1 {
			t.Errorf("no error by the name field: %s", doc.Find(".alert").Text())
		}
		if doc.Find(`input[name=ips] ~ .ferr`).Length() != 1 {
			t.Errorf("no error by the IP field: %s", doc.Find(".alert").Text())
		}
		if e.count() != 0 {
			t.Fatal("an invalid CI was created")
		}

		rec = c.post("/cis", url.Values{"name": {"web-01"}, "kind": {"server"}, "criticality": {"4"}, "environment": {"production"},
			"ips": {"10.0.0.1"}, "tags": {"pci, web"}, "internet_exposed": {"1"}, "attributes": {`{"ports":[{"port":443,"protocol":"tcp","service":"https"}]}`}})
		wantStatus(t, rec, http.StatusSeeOther)
		key := strings.TrimSuffix(strings.TrimPrefix(location(rec), "/cis/"), "?done=created")
		doc = c.mustGet(location(rec))
		if doc.Find(".flash").Text() != "Created." {
			t.Error("no confirmation")
		}
		if got := doc.Find("h1 .key").Text(); got != key {
			t.Fatalf("page shows %q, want %q", got, key)
		}
		ports := doc.Find(`table.attr-table[data-attr=ports]`)
		if ports.Find("th").First().Text() != "Port" || ports.Find("tbody td").First().Text() != "443" {
			t.Errorf("open ports not shown as a table: %q", ports.Text())
		}
		if doc.Find("#ci-props .badge.exposed").Length() != 1 {
			t.Error("exposure not shown")
		}
	})
}

func TestEditAndDeleteCI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		ci := e.ci(cmdb.CI{Name: "web-01", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{Hostnames: []string{"web01"}}})
		c := e.login("ann")

		doc := c.mustGet("/cis/" + ci.Key + "/edit")
		form := url.Values{}
		doc.Find("#ci-form input, #ci-form select, #ci-form textarea").Each(func(_ int, s *goquery.Selection) {
			name, _ := s.Attr("name")
			switch {
			case name == "" || name == "csrf_token":
			case goquery.NodeName(s) == "select":
				form.Set(name, s.Find("option[selected]").AttrOr("value", ""))
			case goquery.NodeName(s) == "textarea":
				form.Set(name, s.Text())
			case s.AttrOr("type", "") == "checkbox":
				if _, on := s.Attr("checked"); on {
					form.Set(name, s.AttrOr("value", "1"))
				}
			default:
				form.Set(name, s.AttrOr("value", ""))
			}
		})
		if form.Get("hostnames") != "web01" || form.Get("version") == "" {
			t.Fatalf("edit form not filled: %v", form)
		}
		stale := url.Values{}
		for k, v := range form {
			stale[k] = v
		}
		form.Set("name", "web-01-renamed")
		wantStatus(t, c.post("/cis/"+ci.Key, form), http.StatusSeeOther)
		if got, _ := e.cmdb.FindCIByKey(t.Context(), auth.System, ci.Key); got.Name != "web-01-renamed" || got.Identifiers.Hostnames[0] != "web01" {
			t.Fatalf("after edit: %+v", got)
		}
		// Saving a form read before that change is refused, not merged.
		stale.Set("name", "lost update")
		rec := c.post("/cis/"+ci.Key, stale)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if parse(t, rec).Find(".alert.error li").Length() == 0 {
			t.Error("no conflict message")
		}

		doc = c.mustGet("/cis/" + ci.Key + "/delete")
		if doc.Find("#confirm-delete").Length() != 1 {
			t.Fatal("no confirmation step")
		}
		rec = c.post("/cis/"+ci.Key+"/delete", nil)
		wantStatus(t, rec, http.StatusSeeOther)
		if rec, _ := c.get("/cis/" + ci.Key); rec.Code != http.StatusNotFound {
			t.Fatalf("deleted CI still shown: %d", rec.Code)
		}
	})
}

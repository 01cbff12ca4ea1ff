package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// TestPickByName: relationship targets and owners are chosen by name. The
// form accepts a name without any script (one match, or one exact name);
// several matches are offered to pick from; /pick/* feeds the type-ahead.
func TestPickByName(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.user("ann", auth.RoleAgent)
		e.user("olga", auth.RoleRequester)
		if _, err := e.auth.CreateUser(context.Background(), auth.System, auth.NewUser{Username: "mbrown",
			DisplayName: "Maria Brown", Password: testPassword, Roles: []auth.Role{auth.RoleAgent}}); err != nil {
			t.Fatal(err)
		}
		app := e.ci(cmdb.CI{Name: "orders-app", Kind: cmdb.KindApplication})
		db := e.ci(cmdb.CI{Name: "orders-db", Kind: cmdb.KindDatabase})
		dbReplica := e.ci(cmdb.CI{Name: "orders-db-replica", Kind: cmdb.KindDatabase})
		cache := e.ci(cmdb.CI{Name: "Session Cache", Kind: cmdb.KindDatabase})
		hidden := e.ci(cmdb.CI{Name: "olga-laptop", Kind: cmdb.KindEndpoint, Owner: "olga"})
		c := e.login("ann")
		relate := func(other string) (*int, string) {
			rec := c.post("/cis/"+app.Key+"/relations", url.Values{"direction": {"outgoing"}, "type": {"depends_on"}, "other": {other}})
			code := rec.Code
			return &code, rec.Body.String()
		}
		targets := func() []string {
			rels, err := e.cmdb.FindRelations(context.Background(), auth.System, app.Key)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rels {
				out = append(out, r.Target)
			}
			return out
		}
		t.Run("an exact name among several matches", func(t *testing.T) {
			if code, body := relate("orders-db"); *code != http.StatusSeeOther {
				t.Fatalf("status %d: %s", *code, body)
			}
			if got := targets(); len(got) != 1 || got[0] != db.Key {
				t.Fatalf("targets %v", got)
			}
		})
		t.Run("the only match of a part of a name, any case", func(t *testing.T) {
			if code, body := relate("session"); *code != http.StatusSeeOther {
				t.Fatalf("status %d: %s", *code, body)
			}
		})
		t.Run("a suggestion as the type-ahead fills it in", func(t *testing.T) {
			if code, body := relate(strings.ToLower(dbReplica.Key) + " orders-db-replica"); *code != http.StatusSeeOther {
				t.Fatalf("status %d: %s", *code, body)
			}
			if got := targets(); len(got) != 3 {
				t.Fatalf("targets %v, want 3 (%s, %s, %s)", got, db.Key, cache.Key, dbReplica.Key)
			}
		})
		t.Run("ambiguous: the candidates are offered", func(t *testing.T) {
			rec := c.post("/cis/"+cache.Key+"/relations", url.Values{"type": {"depends_on"}, "other": {"orders"}})
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", rec.Code)
			}
			doc := parse(t, rec)
			if n := doc.Find(`#rel-form datalist#ci-options option`).Length(); n != 3 {
				t.Fatalf("%d options offered", n)
			}
			if !strings.Contains(doc.Find("#rel-form").Text(), "matches 3 CIs") {
				t.Fatalf("form says %q", doc.Find("#rel-form").Text())
			}
		})
		t.Run("a CI the viewer may not see is not found by name", func(t *testing.T) {
			olga := e.login("olga")
			rec, _ := olga.get("/pick/cis?q=orders")
			var opts []map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &opts); err != nil || len(opts) != 0 {
				t.Fatalf("olga is offered %v (%v)", opts, err)
			}
			rec, _ = olga.get("/pick/cis?q=laptop")
			if !strings.Contains(rec.Body.String(), `"value":"`+hidden.Key+`"`) {
				t.Fatalf("olga is not offered her laptop: %s", rec.Body)
			}
		})
		t.Run("type-ahead endpoints", func(t *testing.T) {
			for _, tc := range []struct{ path, want string }{
				{"/pick/cis?q=rders-d", `{"value":"` + db.Key + `","label":"orders-db · Database"}`},
				{"/pick/users?q=maria", `{"value":"mbrown","label":"Maria Brown"}`},
			} {
				rec, _ := c.get(tc.path)
				if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" || !strings.Contains(rec.Body.String(), tc.want) {
					t.Errorf("%s: %d %s", tc.path, rec.Code, rec.Body)
				}
			}
			if rec, _ := c.get("/pick/nothing"); rec.Code != http.StatusNotFound {
				t.Errorf("unknown picker: %d", rec.Code)
			}
		})
		t.Run("owner by display name in the CI form", func(t *testing.T) {
			rec := c.post("/cis", url.Values{"name": {"billing"}, "kind": {"application"}, "criticality": {"3"}, "owner": {"maria brown"}})
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			ci, err := e.cmdb.FindCIByKey(context.Background(), auth.System, strings.TrimSuffix(strings.TrimPrefix(location(rec), "/cis/"), "?done=created"))
			if err != nil || ci.Owner != "mbrown" {
				t.Fatalf("owner %q, %v", ci.Owner, err)
			}
			doc := c.mustGet("/cis/new")
			if doc.Find(`input[name=owner][list=user-options][data-pick="/pick/users"]`).Length() != 1 ||
				doc.Find(`input[name=support_group][list=teams]`).Length() != 1 {
				t.Fatal("owner and support group are not pickers")
			}
			if doc := c.mustGet("/cis/" + app.Key); doc.Find(`#rel-form input[name=other][list=ci-options][data-pick="/pick/cis"]`).Length() != 1 {
				t.Fatal("relationship target is not a picker")
			}
		})
	})
}

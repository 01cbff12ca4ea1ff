package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// TestTokenPages: /account/tokens lists your own tokens with last use and
// revokes them; /admin/tokens lists everyone's for admins only; nobody
// revokes another user's token from their own page.
func TestTokenPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.user("root", auth.RoleAdmin)
		e.user("ann", auth.RoleAgent)
		e.user("bob", auth.RoleAgent)
		mk := func(user, name string) auth.Token {
			raw, tok, err := e.auth.CreateToken(ctx, auth.System, user, name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if name == "used" {
				if _, err := e.auth.TokenPrincipal(ctx, raw); err != nil {
					t.Fatal(err)
				}
			}
			return tok
		}
		used, unused, bobs := mk("ann", "used"), mk("ann", "unused"), mk("bob", "bob's")
		ann := e.login("ann")
		doc := ann.mustGet("/account/tokens")
		if n := doc.Find("#token-table tr[data-token]").Length(); n != 2 {
			t.Fatalf("ann sees %d tokens", n)
		}
		row := doc.Find(`tr[data-token="` + strconv.FormatInt(used.ID, 10) + `"]`)
		if row.Find("time").Length() != 3 {
			t.Fatalf("used token row lacks created, expiry and last use: %s", row.Text())
		}
		if !strings.Contains(doc.Find(`tr[data-token="`+strconv.FormatInt(unused.ID, 10)+`"]`).Text(), "never") {
			t.Fatal("unused token does not say never used")
		}
		wantStatus(t, ann.post("/account/tokens/"+strconv.FormatInt(bobs.ID, 10)+"/revoke", nil), http.StatusNotFound)
		wantStatus(t, ann.post("/account/tokens/"+strconv.FormatInt(unused.ID, 10)+"/revoke", nil), http.StatusSeeOther)
		doc = ann.mustGet("/account/tokens")
		if !strings.Contains(doc.Find(`tr[data-token="`+strconv.FormatInt(unused.ID, 10)+`"]`).Text(), "revoked") {
			t.Fatal("revoked token not shown as revoked")
		}
		rec, _ := ann.get("/admin/tokens")
		wantStatus(t, rec, http.StatusForbidden)

		root := e.login("root")
		doc = root.mustGet("/admin/tokens")
		if n := doc.Find("#token-table tr[data-token]").Length(); n != 3 {
			t.Fatalf("admin sees %d tokens", n)
		}
		wantStatus(t, root.post("/admin/tokens/"+strconv.FormatInt(bobs.ID, 10)+"/revoke", nil), http.StatusSeeOther)
		toks, _ := e.auth.FindTokens(ctx, auth.System, "bob")
		if toks[0].RevokedAt == nil {
			t.Fatal("admin's revoke did not revoke bob's token")
		}
	})
}

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// TestSignInThrottledAndUnlocked: repeated failures on the sign-in form
// answer 429 with Retry-After and say when to try again; a locked account
// shows on the Users page with an Unlock button that lifts the lock.
func TestSignInThrottledAndUnlocked(t *testing.T) {
	t.Parallel()
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		e := newEnv(t, db)
		e.user("root", auth.RoleAdmin)
		e.user("ann", auth.RoleAgent)
		e.user("bob", auth.RoleAgent)
		anon := e.anon()
		wrong := url.Values{"username": {"ann"}, "password": {"wrong password!"}}
		for range auth.AccountPolicy.Free {
			wantStatus(t, anon.postForm("/login", wrong), http.StatusUnauthorized)
		}
		rec := anon.postForm("/login", url.Values{"username": {"ann"}, "password": {testPassword}})
		wantStatus(t, rec, http.StatusTooManyRequests)
		if got := rec.Header().Get("Retry-After"); got != "1" {
			t.Fatalf("Retry-After %q", got)
		}
		if msg := parse(t, rec).Find(".alert.error").Text(); !strings.Contains(msg, "wait 1s") {
			t.Fatalf("message %q", msg)
		}

		// Lock it: more failures, each after its delay.
		for range auth.AccountPolicy.LockAt - auth.AccountPolicy.Free {
			clk.Advance(auth.AccountPolicy.MaxDelay)
			_, _, _ = e.auth.Login(context.Background(), "ann", "wrong password!")
		}
		admin := e.login("root")
		doc := admin.mustGet("/admin/users")
		row := doc.Find(`tr[data-user="ann"]`)
		if !strings.Contains(row.Find(".badge.bad").Text(), "locked until") || row.Find(`form[action="/admin/users/ann/unlock"]`).Length() != 1 {
			t.Fatalf("ann's row shows no lock or no Unlock button: %s", row.Text())
		}
		if doc.Find(`tr[data-user="root"] form[action$="/unlock"]`).Length() != 0 {
			t.Fatal("an unlocked user has an Unlock button")
		}
		wantStatus(t, e.login("bob").post("/admin/users/ann/unlock", nil), http.StatusForbidden)
		rec = admin.post("/admin/users/ann/unlock", nil)
		wantStatus(t, rec, http.StatusSeeOther)
		e.login("ann")
	})
}

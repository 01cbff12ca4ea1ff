package auth_test

import (
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// TestCredentialChangesRevoke: an admin's reset ends every session and
// revokes every token of the user; changing your own password ends your
// other sessions and keeps this one; disabling revokes tokens for good.
func TestCredentialChangesRevoke(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		admin := f.user("root", auth.RoleAdmin)
		f.user("alice", auth.RoleAgent)
		token := func() string {
			raw, _, err := f.svc.CreateToken(f.ctx, auth.System, "alice", "script", nil)
			if err != nil {
				t.Fatal(err)
			}
			return raw
		}
		works := func(what, raw string, want bool) {
			t.Helper()
			if _, err := f.svc.TokenPrincipal(f.ctx, raw); (err == nil) != want {
				t.Fatalf("%s: token works = %v, want %v", what, err == nil, want)
			}
		}
		live := func(what, sid string, want bool) {
			t.Helper()
			if _, _, err := f.svc.SessionPrincipal(f.ctx, sid); (err == nil) != want {
				t.Fatalf("%s: session live = %v, want %v", what, err == nil, want)
			}
		}

		// Own change: other sessions end, this one and tokens stay.
		here, there := f.login("alice", testPassword), f.login("alice", testPassword)
		tok := token()
		p, _, err := f.svc.SessionPrincipal(f.ctx, here)
		if err != nil {
			t.Fatal(err)
		}
		wantKind(t, f.svc.ChangePassword(f.ctx, p, testPassword, "alice chose this one"), "")
		live("own change, this session", here, true)
		live("own change, other session", there, false)
		works("own change", tok, true)

		// Admin reset: every session and token.
		if _, err := f.svc.ResetPassword(f.ctx, admin, "alice"); err != nil {
			t.Fatal(err)
		}
		live("after reset", here, false)
		works("after reset", tok, false)

		// Disable, enable: the token stays revoked.
		tok = token()
		for _, disabled := range []bool{true, false} {
			if _, err := f.svc.UpdateUser(f.ctx, admin, "alice", auth.UserUpdate{Disabled: ptr(disabled)}); err != nil {
				t.Fatal(err)
			}
		}
		works("disabled then enabled", tok, false)
		toks, _ := f.svc.FindTokens(f.ctx, admin, "alice")
		for _, tk := range toks {
			if tk.RevokedAt == nil {
				t.Fatalf("token %d not revoked", tk.ID)
			}
		}
		if n := f.scalar(`SELECT COUNT(*) FROM audit_log WHERE action = 'revoke' AND record_kind = 'token'`); n != "2" {
			t.Fatalf("revoke entries: %s", n)
		}
	})
}

// TestTokenLifetime: tokens expire 90 days after creation unless told,
// at most 365 days; a session with a temporary password issues none.
func TestTokenLifetime(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		_, tok, err := f.svc.CreateToken(f.ctx, auth.System, "alice", "default", nil)
		if err != nil || tok.ExpiresAt == nil || !tok.ExpiresAt.Equal(f.after(auth.DefaultTokenLifetime)) {
			t.Fatalf("default expiry %v, %v", tok.ExpiresAt, err)
		}
		_, _, err = f.svc.CreateToken(f.ctx, auth.System, "alice", "forever", ptr(f.after(auth.MaxTokenLifetime+time.Hour)))
		wantKind(t, err, errs.Invalid)
		_, tok, err = f.svc.CreateToken(f.ctx, auth.System, "alice", "a year", ptr(f.after(auth.MaxTokenLifetime)))
		if err != nil || !tok.ExpiresAt.Equal(f.after(auth.MaxTokenLifetime)) {
			t.Fatalf("a year: %v %v", tok.ExpiresAt, err)
		}

		pw, _ := f.svc.ResetPassword(f.ctx, auth.System, "alice")
		p, _, err := f.svc.SessionPrincipal(f.ctx, f.login("alice", pw))
		if err != nil || !p.MustChangePassword {
			t.Fatalf("temporary session %+v %v", p, err)
		}
		_, _, err = f.svc.CreateToken(f.ctx, p, "", "sneaky", nil)
		wantKind(t, err, errs.Forbidden)
	})
}

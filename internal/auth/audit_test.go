package auth_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
)

// TestAuditTrailIsCompleteAndSecretFree makes every kind of auth write and
// sign-in event and checks each left an entry, and that no password (tried
// or set), password hash, session id, token or token hash reached the
// audit log.
func TestAuditTrailIsCompleteAndSecretFree(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		admin := f.user("root", auth.RoleAdmin)
		alice := f.user("alice", auth.RoleAgent)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		var secrets []string
		_, _, err := f.svc.Login(f.ctx, "alice", "a wrong password")
		wantKind(t, err, errs.Unauthenticated)
		secrets = append(secrets, "a wrong password")
		sid := f.login("alice", testPassword)
		secrets = append(secrets, sid, auth.HashToken(sid))
		must(f.svc.Logout(f.ctx, sid))
		_, err = f.svc.CreateTeam(f.ctx, admin, auth.Team{Name: "NOC", Members: []string{"alice"}})
		must(err)
		_, err = f.svc.UpdateTeam(f.ctx, admin, "NOC", auth.TeamUpdate{Description: ptr("Network operations")})
		must(err)
		_, err = f.svc.UpdateUser(f.ctx, admin, "alice", auth.UserUpdate{Password: ptr("reset password 123"), Email: ptr("a@example.org")})
		must(err)
		secrets = append(secrets, f.scalar(`SELECT password_hash FROM users WHERE username = 'alice'`), "reset password 123")
		must(f.svc.ChangePassword(f.ctx, alice, "reset password 123", "alice's own secret"))
		secrets = append(secrets, f.scalar(`SELECT password_hash FROM users WHERE username = 'alice'`), "alice's own secret", testPassword)
		raw, tok, err := f.svc.CreateToken(f.ctx, alice, "", "laptop", nil)
		must(err)
		secrets = append(secrets, raw, auth.HashToken(raw))
		must(f.svc.RevokeToken(f.ctx, admin, tok.ID))
		raw2, tok2, err := f.svc.CreateToken(f.ctx, alice, "", "second", nil)
		must(err)
		secrets = append(secrets, raw2, auth.HashToken(raw2))
		_, err = f.svc.UpdateUser(f.ctx, admin, "alice", auth.UserUpdate{Disabled: ptr(true)})
		must(err)
		must(f.svc.DeleteTeam(f.ctx, admin, "NOC"))
		must(f.svc.DeleteUser(f.ctx, admin, "alice"))
		secrets = append(secrets, f.scalar(`SELECT password_hash FROM users WHERE username = 'root'`))

		got := f.strings(`SELECT actor || ' ' || action || ' ' || record_kind || ' ' || record_key FROM audit_log ORDER BY seq`)
		tokenKey, token2Key := fmt.Sprint(tok.ID), fmt.Sprint(tok2.ID)
		want := []string{
			"system create user root",
			"system create user alice",
			"anonymous login_failed user alice",
			"alice login user alice",
			"alice logout user alice",
			"root create team NOC",
			"root update team NOC",
			"root update user alice",
			"root reset_password user alice",
			"alice change_password user alice",
			"alice create token " + tokenKey,
			"root revoke token " + tokenKey,
			"alice create token " + token2Key,
			"root revoke token " + token2Key,
			"root update user alice",
			"root delete team NOC",
			"root delete user alice",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("audit entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		text := f.tableText("audit_log")
		for _, s := range secrets {
			if s == "" || strings.Contains(text, s) {
				t.Fatalf("secret %q is in the audit log (or was not captured)", s)
			}
		}
		states := strings.Join(f.strings(`SELECT COALESCE(before_state, '') || COALESCE(after_state, '') || COALESCE(changes, '') FROM audit_log`), "\n")
		for _, field := range []string{"password", "hash", "token_", "secret"} {
			if strings.Contains(strings.ReplaceAll(states, "must_change_password", ""), field) {
				t.Fatalf("an audited state has a %q field:\n%s", field, states)
			}
		}
		var n int64
		must(f.db.View(f.ctx, func(tx *store.Tx) (err error) {
			n, err = audit.Verify(f.ctx, tx.AuditLog())
			return err
		}))
		if n != int64(len(want)) {
			t.Fatalf("verified %d entries", n)
		}
	})
}

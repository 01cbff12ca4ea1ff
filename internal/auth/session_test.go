package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestSessionExpiry(t *testing.T) {
	// steps: move the clock by each duration, then use the session; the
	// last use must fail with want (or succeed when want is "").
	cases := []struct {
		name  string
		steps []time.Duration
		want  errs.Kind
	}{
		{"used within the idle timeout", []time.Duration{auth.SessionIdleTimeout - time.Minute}, ""},
		{"idle for the idle timeout", []time.Duration{auth.SessionIdleTimeout}, errs.Unauthenticated},
		{"use slides the idle expiry", []time.Duration{11 * time.Hour, 11 * time.Hour, 11 * time.Hour}, ""},
		{"a touch within a minute does not slide", []time.Duration{11 * time.Hour, 30 * time.Second, time.Hour}, ""},
		{"used steadily until just before the absolute limit", repeat(14, 12*time.Hour-time.Minute), ""},
		{"used steadily past the absolute limit", repeat(15, 12*time.Hour-time.Minute), errs.Unauthenticated},
	}
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				id := f.login("alice", testPassword)
				var err error
				for _, d := range c.steps {
					f.clk.Advance(d)
					_, _, err = f.svc.SessionPrincipal(f.ctx, id)
					if err != nil {
						break
					}
				}
				wantKind(t, err, c.want)
			})
		}
	})
}

func repeat(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestSessionActivityWrittenAtMostOncePerMinute(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		start := f.clk.Now()
		id := f.login("alice", testPassword)
		seen := func() string {
			return f.scalar(`SELECT last_seen_at FROM sessions WHERE id_hash = $1`, auth.HashToken(id))
		}
		first := seen()
		f.clk.Advance(59 * time.Second)
		_, sess, err := f.svc.SessionPrincipal(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if seen() != first || !sess.ExpiresAt.Equal(start.Add(auth.SessionIdleTimeout)) {
			t.Fatalf("activity written within a minute: %s → %s, expires %v", first, seen(), sess.ExpiresAt)
		}
		f.clk.Advance(time.Second)
		_, sess, err = f.svc.SessionPrincipal(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if seen() == first || !sess.ExpiresAt.Equal(f.clk.Now().Add(auth.SessionIdleTimeout)) {
			t.Fatalf("activity not written after a minute: %s, expires %v", seen(), sess.ExpiresAt)
		}
	})
}

func TestSessionIDStoredOnlyHashed(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		id := f.login("alice", testPassword)
		if got := f.scalar(`SELECT id_hash FROM sessions`); got != auth.HashToken(id) {
			t.Fatalf("stored %q, want the hash of the id", got)
		}
		if strings.Contains(f.dbText(), id) {
			t.Fatal("the session id is stored in the clear")
		}
	})
}

func TestLogoutAndSignOutEverywhere(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		f.user("bob", auth.RoleAgent)
		id := f.login("alice", testPassword)
		other := f.login("alice", testPassword)
		if err := f.svc.Logout(f.ctx, id); err != nil {
			t.Fatal(err)
		}
		_, _, err := f.svc.SessionPrincipal(f.ctx, id)
		wantKind(t, err, errs.Unauthenticated)
		wantKind(t, f.svc.Logout(f.ctx, id), "") // twice is harmless
		if _, _, err := f.svc.SessionPrincipal(f.ctx, other); err != nil {
			t.Fatalf("logout ended another session: %v", err)
		}

		// Disabling a user or resetting their password ends their sessions.
		for _, u := range []auth.UserUpdate{{Disabled: ptr(true)}, {Password: ptr("a fresh password 1")}} {
			bob := f.login("bob", testPassword)
			if _, err := f.svc.UpdateUser(f.ctx, auth.System, "bob", u); err != nil {
				t.Fatal(err)
			}
			_, _, err := f.svc.SessionPrincipal(f.ctx, bob)
			wantKind(t, err, errs.Unauthenticated)
			if _, err := f.svc.UpdateUser(f.ctx, auth.System, "bob", auth.UserUpdate{Disabled: ptr(false), Password: ptr(testPassword)}); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err = f.svc.SessionPrincipal(f.ctx, "")
		wantKind(t, err, errs.Unauthenticated)
		_, _, err = f.svc.SessionPrincipal(f.ctx, "made-up")
		wantKind(t, err, errs.Unauthenticated)
	})
}

func TestPurgeSessions(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		f.login("alice", testPassword)
		f.clk.Advance(time.Hour)
		live := f.login("alice", testPassword)
		if n, err := f.svc.PurgeSessions(f.ctx); err != nil || n != 0 {
			t.Fatalf("purge before expiry: %d %v", n, err)
		}
		f.clk.Advance(auth.SessionIdleTimeout - time.Hour)
		if n, err := f.svc.PurgeSessions(f.ctx); err != nil || n != 1 {
			t.Fatalf("purge: %d %v, want 1", n, err)
		}
		if _, _, err := f.svc.SessionPrincipal(f.ctx, live); err != nil {
			t.Fatalf("purge removed a live session: %v", err)
		}
	})
}

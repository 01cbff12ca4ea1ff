package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/authstore"
)

// from is a context whose requests come from addr.
func (f *fixture) from(addr string) context.Context { return auth.WithClientAddr(f.ctx, addr) }

// attempt signs in from ctx and returns the error kind ("" on success)
// and the Retry-After it carried.
func (f *fixture) attempt(ctx context.Context, name, password string) (errs.Kind, time.Duration) {
	f.t.Helper()
	_, _, err := f.svc.Login(ctx, name, password)
	if err == nil {
		return "", 0
	}
	e, _ := errs.As(err)
	if e == nil {
		f.t.Fatalf("login %s: %v", name, err)
	}
	return e.Kind, e.RetryAfter
}

// TestSignInThrottlePerAccount: five free failures, then a delay that
// doubles with each failure, then a lock at the tenth; while blocked even
// the right password is refused with 429 and a Retry-After, without
// counting; an admin's unlock lifts the lock at once.
func TestSignInThrottlePerAccount(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		admin := f.user("root", auth.RoleAdmin)
		f.user("alice", auth.RoleAgent)
		// Each failure from its own address, so only the account counts.
		addr := func(i int) context.Context { return f.from("192.0.2." + string(rune('0'+i%10))) }
		for i := 1; i <= auth.AccountPolicy.Free; i++ {
			if k, _ := f.attempt(addr(i), "alice", "wrong password!"); k != errs.Unauthenticated {
				t.Fatalf("free failure %d: %s", i, k)
			}
		}
		delays := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
		for i, d := range delays {
			k, wait := f.attempt(addr(i), "alice", testPassword)
			if k != errs.TooMany || wait != d {
				t.Fatalf("after %d failures, right password: %s retry %v, want too_many_requests retry %v", auth.AccountPolicy.Free+i, k, wait, d)
			}
			f.clk.Advance(d)
			if k, _ := f.attempt(addr(i), "alice", "wrong password!"); k != errs.Unauthenticated {
				t.Fatalf("failure after waiting %v: %s", d, k)
			}
		}
		// That was the 9th; after its delay the 10th failure locks.
		f.clk.Advance(16 * time.Second)
		f.attempt(addr(0), "alice", "wrong password!")
		k, wait := f.attempt(addr(1), "alice", testPassword)
		if k != errs.TooMany || wait != auth.LockDuration {
			t.Fatalf("locked account: %s retry %v, want too_many_requests %v", k, wait, auth.LockDuration)
		}
		locks, err := f.svc.AccountLocks(f.ctx, admin)
		if err != nil || !locks["alice"].Equal(f.after(auth.LockDuration)) {
			t.Fatalf("locks = %v, %v", locks, err)
		}
		wantKind(t, f.svc.Unlock(f.ctx, auth.Principal{UserID: 99, Username: "alice", Roles: []auth.Role{auth.RoleAgent}}, "alice"), errs.Forbidden)
		wantKind(t, f.svc.Unlock(f.ctx, admin, "nobody"), errs.NotFound)
		wantKind(t, f.svc.Unlock(f.ctx, admin, "alice"), "")
		if k, _ := f.attempt(addr(2), "alice", testPassword); k != "" {
			t.Fatalf("after unlock: %s", k)
		}
		got := f.strings(`SELECT actor || ' ' || action || ' ' || record_key FROM audit_log WHERE action IN ('login', 'login_failed', 'lock', 'unlock') ORDER BY seq`)
		want := strings.Repeat("anonymous login_failed alice\n", 10) + "system lock alice\nroot unlock alice\nalice login alice"
		if strings.Join(got, "\n") != want {
			t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
		}
		if text := f.tableText("audit_log"); strings.Contains(text, "wrong password!") || strings.Contains(text, testPassword) {
			t.Fatal("a tried password reached the audit log")
		}
	})
}

// TestSignInLockIsBounded: a lock runs out by itself after LockDuration,
// and the count starts again, so nobody (an admin included) is locked
// out for good by someone guessing.
func TestSignInLockIsBounded(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("root", auth.RoleAdmin)
		for i := 0; i < auth.AccountPolicy.LockAt; i++ {
			f.attempt(f.ctx, "root", "wrong password!")
			f.clk.Advance(auth.AccountPolicy.MaxDelay)
		}
		if k, _ := f.attempt(f.ctx, "root", testPassword); k != errs.TooMany {
			t.Fatalf("locked: %s", k)
		}
		f.clk.Advance(auth.LockDuration)
		if k, _ := f.attempt(f.ctx, "root", testPassword); k != "" {
			t.Fatalf("after the lock ran out: %s", k)
		}
		// The success started the count again: five free failures.
		for i := 0; i < auth.AccountPolicy.Free; i++ {
			if k, _ := f.attempt(f.ctx, "root", "wrong password!"); k != errs.Unauthenticated {
				t.Fatalf("failure %d after sign-in: %s", i+1, k)
			}
		}
	})
}

// TestSignInThrottlePerAddress: one address guessing across many accounts
// (names that exist or not alike) is delayed and then locked, while the
// same accounts stay open from elsewhere; IPv6 counts by /64.
func TestSignInThrottlePerAddress(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		for _, c := range []struct{ addr, same string }{
			{"198.51.100.7", "198.51.100.7"},
			{"2001:db8:1:2::1", "2001:db8:1:2:ffff::9"},
		} {
			for i := 0; i < auth.AddressPolicy.Free; i++ {
				name := "guess" + string(rune('a'+i))
				if k, _ := f.attempt(f.from(c.addr), name, "wrong password!"); k != errs.Unauthenticated {
					t.Fatalf("%s failure %d: %s", c.addr, i+1, k)
				}
			}
			if k, wait := f.attempt(f.from(c.same), "alice", testPassword); k != errs.TooMany || wait != time.Second {
				t.Fatalf("%s: %s %v, want too_many_requests 1s", c.same, k, wait)
			}
			if k, _ := f.attempt(f.from("203.0.113.1"), "alice", testPassword); k != "" {
				t.Fatalf("alice from another address: %s", k)
			}
		}
	})
}

// TestThrottleSharedByReplicas: two services on one database (two
// replicas) see the same counts.
func TestThrottleSharedByReplicas(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		other := auth.NewService(store.Bind(f.db, authstore.Bind), f.clk)
		for i := 0; i < auth.AccountPolicy.Free; i++ {
			svc := f.svc
			if i%2 == 1 {
				svc = other
			}
			if _, _, err := svc.Login(f.ctx, "alice", "wrong password!"); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		for _, svc := range []*auth.Service{f.svc, other} {
			if _, _, err := svc.Login(f.ctx, "alice", testPassword); !errs.Is(err, errs.TooMany) {
				t.Fatalf("replica after 5 shared failures: %v", err)
			}
		}
	})
}

// TestPasswordChangeThrottled: guessing the current password on the
// change form counts like failed sign-ins and is refused with 429.
func TestPasswordChangeThrottled(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		alice := f.signedIn(f.user("alice", auth.RoleAgent).Username)
		for i := 0; i < auth.AccountPolicy.Free; i++ {
			wantKind(t, f.svc.ChangePassword(f.ctx, alice, "wrong password!", "a brand new password"), errs.Invalid)
		}
		err := f.svc.ChangePassword(f.ctx, alice, testPassword, "a brand new password")
		if secs, ok := errs.RetryAfterSeconds(err); !errs.Is(err, errs.TooMany) || !ok || secs != 1 {
			t.Fatalf("right password after 5 wrong: %v", err)
		}
		if k, _ := f.attempt(f.ctx, "alice", testPassword); k != errs.TooMany {
			t.Fatalf("sign-in shares the account's count: %s", k)
		}
		f.clk.Advance(time.Second)
		wantKind(t, f.svc.ChangePassword(f.ctx, alice, testPassword, "a brand new password"), "")
		if n := f.scalar(`SELECT COUNT(*) FROM audit_log WHERE action = 'change_password_failed' AND actor = 'alice'`); n != "5" {
			t.Fatalf("change_password_failed entries: %s", n)
		}
	})
}

// TestHashingBounded: with every hashing slot taken, a sign-in is refused
// at once with 503 and a Retry-After, and counts as no failure.
func TestHashingBounded(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		alice := f.user("alice", auth.RoleAgent)
		f.svc.LimitHashing(2, 0)
		release := f.svc.HoldHashSlots()
		_, _, err := f.svc.Login(f.ctx, "alice", testPassword)
		if secs, ok := errs.RetryAfterSeconds(err); !errs.Is(err, errs.Unavailable) || !ok || secs < 1 {
			t.Fatalf("sign-in with no slot free: %v", err)
		}
		wantKind(t, f.svc.ChangePassword(f.ctx, alice, testPassword, "another good password"), errs.Unavailable)
		release()
		if n := f.scalar(`SELECT COUNT(*) FROM sign_in_throttle`); n != "0" {
			t.Fatalf("refused checks counted as failures: %s rows", n)
		}
		f.login("alice", testPassword)
	})
}

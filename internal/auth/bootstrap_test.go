package auth_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
)

func TestBootstrapCreatesOneAdminOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		password, created, err := f.svc.Bootstrap(f.ctx)
		if err != nil || !created {
			t.Fatalf("first bootstrap: created=%v err=%v", created, err)
		}
		if len(password) < auth.MinPasswordLength {
			t.Fatalf("one-time password %q is shorter than the policy", password)
		}
		hash := f.scalar(`SELECT password_hash FROM users WHERE username = 'admin'`)
		if !strings.HasPrefix(hash, "$argon2id$v=19$m=65536,t=3,p=4$") || strings.Contains(hash, password) {
			t.Fatalf("stored password is not an argon2id PHC hash: %q", hash)
		}
		u, err := f.svc.FindUserByName(f.ctx, auth.System, "admin")
		if err != nil {
			t.Fatal(err)
		}
		if !u.MustChangePassword || len(u.Roles) != 1 || u.Roles[0] != auth.RoleAdmin {
			t.Fatalf("admin = %+v, want role admin and must_change_password", u)
		}
		p, _, err := f.svc.SessionPrincipal(f.ctx, f.login("admin", password))
		if err != nil || !p.Can(auth.UserManage) {
			t.Fatalf("admin signs in: %+v, %v", p, err)
		}

		again, created, err := f.svc.Bootstrap(f.ctx)
		if err != nil || created || again != "" {
			t.Fatalf("second bootstrap: %q created=%v err=%v", again, created, err)
		}
		if n := f.scalar(`SELECT COUNT(*) FROM users`); n != "1" {
			t.Fatalf("%s users after two bootstraps", n)
		}
		if n := f.scalar(`SELECT COUNT(*) FROM audit_log WHERE record_kind = 'user' AND action = 'create' AND actor = 'system'`); n != "1" {
			t.Fatalf("%s audit entries for the bootstrap", n)
		}
	})
}

func TestBootstrapSkipsWhenUsersExist(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		_, created, err := f.svc.Bootstrap(f.ctx)
		if err != nil || created {
			t.Fatalf("bootstrap with a user present: created=%v err=%v", created, err)
		}
	})
}

func TestBootstrapConcurrentReplicasCreateOneAdmin(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		const replicas = 3
		var wg sync.WaitGroup
		created := make([]bool, replicas)
		errors := make([]error, replicas)
		for i := range replicas {
			wg.Go(func() { _, created[i], errors[i] = f.svc.Bootstrap(f.ctx) })
		}
		wg.Wait()
		n := 0
		for i := range replicas {
			if errors[i] != nil {
				t.Fatalf("replica %d: %v", i, errors[i])
			}
			if created[i] {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d replicas created the admin, want exactly 1", n)
		}
		if c := f.scalar(`SELECT COUNT(*) FROM users`); c != "1" {
			t.Fatalf("%s users", c)
		}
	})
}

package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

func TestUserResetPasswordCommand(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		ctx := context.Background()
		// The auditor's password, so the agent's token below is untouched
		// whatever a reset does to the user's tokens.
		out, _, err := run(t, NewUserCmd(), "", "reset-password", "Auditor", "--url", s.url, "--token", s.admin)
		if err != nil {
			t.Fatal(err)
		}
		var pw string
		if _, err := fmt.Sscanf(out, "auditor password: %s\n", &pw); err != nil || len(pw) < auth.MinPasswordLength || !strings.Contains(out, "must choose a new password") {
			t.Fatalf("output %q: %v", out, err)
		}
		if _, _, err := s.auth.Login(ctx, "auditor", "correct horse battery"); err == nil {
			t.Error("the old password still works")
		}
		if _, _, err := s.auth.Login(ctx, "auditor", pw); err != nil {
			t.Errorf("the printed password does not work: %v", err)
		}
		if u, _ := s.auth.FindUserByName(ctx, auth.System, "auditor"); !u.MustChangePassword {
			t.Error("the new password need not be changed")
		}
		if _, _, err := run(t, NewUserCmd(), "", "reset-password", "root", "--url", s.url, "--token", s.agent); err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("agent reset: %v", err)
		}
		if _, _, err := run(t, NewUserCmd(), "", "reset-password", "nobody", "--url", s.url, "--token", s.admin); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("unknown user: %v", err)
		}
	})
}

// TestUserUnlockCommand: user unlock lifts a lock from failed sign-ins.
func TestUserUnlockCommand(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		s := startAPI(t, db, clk)
		ctx := context.Background()
		for range auth.AccountPolicy.LockAt {
			_, _, _ = s.auth.Login(ctx, "auditor", "not the password")
			clk.Advance(auth.AccountPolicy.MaxDelay)
		}
		if _, _, err := s.auth.Login(ctx, "auditor", "correct horse battery"); err == nil {
			t.Fatal("not locked")
		}
		out, _, err := run(t, NewUserCmd(), "", "unlock", "Auditor", "--url", s.url, "--token", s.admin)
		if err != nil || !strings.Contains(out, "auditor may sign in again") {
			t.Fatalf("unlock: %q %v", out, err)
		}
		if _, _, err := s.auth.Login(ctx, "auditor", "correct horse battery"); err != nil {
			t.Fatalf("after unlock: %v", err)
		}
		if _, _, err := run(t, NewUserCmd(), "", "unlock", "auditor", "--url", s.url, "--token", s.agent); err == nil || !strings.Contains(err.Error(), "403") {
			t.Errorf("agent unlock: %v", err)
		}
	})
}

package cli

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
)

// serveUntilRunning runs "rampart serve ARGS…" until it says it is
// running, stops it as Ctrl-C would, and returns what it printed.
func serveUntilRunning(t *testing.T, args ...string) string {
	t.Helper()
	pr, pw := io.Pipe()
	root := NewRootCmd(pw, io.Discard)
	root.SetArgs(append([]string{"serve"}, args...))
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	go func() {
		done <- root.ExecuteContext(ctx)
		pw.Close()
	}()
	var out strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "Rampart is running at") {
			stop()
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, out.String())
	}
	return out.String()
}

// demoLine is how a demo user's one-time password is printed.
var demoLine = regexp.MustCompile(`(?m)^  (\S+) password: (\S+) +roles: (.+)$`)

// serve --demo and rampart demo print each demo user's one-time password
// once, with their roles, the way the first admin's is printed: each signs
// in with it and must then choose their own.
func TestDemoUsersOneTimePasswordsArePrinted(t *testing.T) {
	for _, verb := range []string{"demo", "serve --demo"} {
		t.Run(verb, func(t *testing.T) {
			data := t.TempDir()
			var out string
			if verb == "demo" {
				var err error
				if out, err = runRoot(t, "demo", "--data", data); err != nil {
					t.Fatal(err)
				}
			} else {
				out = serveUntilRunning(t, "--demo", "--data", data, "--addr", "127.0.0.1:0")
				if !strings.Contains(out, "admin password: ") || !strings.Contains(out, "Ctrl-C stops it") {
					t.Errorf("serve output:\n%s", out)
				}
			}
			lines := demoLine.FindAllStringSubmatch(out, -1)
			roles := map[string]string{}
			for _, m := range lines {
				roles[m[1]] = m[3]
			}
			if len(lines) != 7 || roles["alice"] != "agent" || roles["bob"] != "security_analyst" || roles["frank"] != "agent, approver" {
				t.Fatalf("demo users printed: %v\n%s", roles, out)
			}

			ctx := context.Background()
			a, err := app.Open(ctx, app.Config{Target: filepath.Join(data, "rampart.db")})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range lines {
				if _, _, err := a.Auth.Login(ctx, m[1], m[2]); err != nil {
					t.Errorf("%s cannot sign in with the printed password: %v", m[1], err)
				}
				u, err := a.Auth.FindUserByName(ctx, auth.System, m[1])
				if err != nil || !u.MustChangePassword {
					t.Errorf("%s need not change the one-time password: %+v %v", m[1], u, err)
				}
			}
			a.Close()

			again, err := runRoot(t, "demo", "--data", data)
			if err != nil || !strings.Contains(again, "nothing loaded") || strings.Contains(again, "password") {
				t.Errorf("second load printed %q, %v", again, err)
			}
			seen := map[string]bool{}
			for _, m := range lines {
				if seen[m[2]] {
					t.Errorf("demo users share the password %s", m[2])
				}
				seen[m[2]] = true
			}
		})
	}
}

package cli

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// runRoot runs the full command tree as the binary would.
func runRoot(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := NewRootCmd(&out, &errOut)
	root.SetArgs(args)
	err := root.Execute()
	return out.String() + errOut.String(), err
}

// The operator verbs on an embedded database: migrate, demo, token create
// and audit verify, then an edit made behind Rampart's back is caught.
func TestOperatorVerbsAndTamperDetection(t *testing.T) {
	data := t.TempDir()
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "--data", data}, "up to date"},
		{[]string{"demo", "--data", data}, "demo data loaded"},
		{[]string{"demo", "--data", data}, "nothing loaded"},
		{[]string{"token", "create", "--user", "alice", "--data", data}, "rmp_"},
		{[]string{"audit", "verify", "--data", data}, "general: OK"},
	}
	for _, s := range steps {
		out, err := runRoot(t, s.args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", s.args, err, out)
		}
		if !strings.Contains(out, s.want) {
			t.Fatalf("%v printed %q, want %q", s.args, out, s.want)
		}
	}
	if out, err := runRoot(t, "token", "create", "--user", "nobody", "--data", data); err == nil {
		t.Fatalf("token for an unknown user was created: %s", out)
	}

	// An attacker with file access drops the append-only trigger and
	// rewrites who made entry 3.
	db, err := sql.Open("sqlite", filepath.Join(data, "rampart.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	out, err := runRoot(t, "audit", "verify", "--full", "--data", data)
	if err == nil {
		t.Fatalf("verify passed on a tampered log: %s", out)
	}
	if !strings.Contains(err.Error(), "entry 3") || !strings.Contains(out, "general: BROKEN at entry 3") {
		t.Fatalf("verify error %q does not name entry 3\n%s", err, out)
	}
}

func TestUnknownLogLevelIsRefused(t *testing.T) {
	if _, err := runRoot(t, "migrate", "--log-level", "loud", "--data", t.TempDir()); err == nil {
		t.Fatal("an unknown log level was accepted")
	}
}

// token create --scope limits the token: a read token carries only read,
// an unknown scope is refused.
func TestTokenCreateScope(t *testing.T) {
	data := t.TempDir()
	if out, err := runRoot(t, "demo", "--data", data); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	out, err := runRoot(t, "token", "create", "--user", "alice", "--scope", "read", "--data", data)
	if err != nil {
		t.Fatalf("token create --scope read: %v\n%s", err, out)
	}
	a, err := app.Open(context.Background(), app.Config{Target: filepath.Join(data, "rampart.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	p, err := a.Auth.TokenPrincipal(context.Background(), strings.TrimSpace(out))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Scopes, []auth.TokenScope{auth.ScopeRead}) || p.Allows(auth.ScopeFull) {
		t.Fatalf("token scopes %v, want read only", p.Scopes)
	}
	if out, err := runRoot(t, "token", "create", "--user", "alice", "--scope", "everything", "--data", data); err == nil {
		t.Fatalf("an unknown scope was accepted: %s", out)
	}
}

// Verbs that open a database refuse one that is missing or holds no
// Rampart schema, and create nothing: a mistyped --data must not answer
// "audit chain OK: 0 entries" from a database made on the spot. migrate
// and demo create the schema in a database that exists; only serve
// creates the data directory.
func TestVerbsRefuseAMissingDatabase(t *testing.T) {
	verbs := [][]string{
		{"audit", "verify"},
		{"token", "create", "--user", "admin"},
		{"demo"},
		{"migrate"},
	}
	for _, verb := range verbs {
		t.Run(strings.Join(verb, " "), func(t *testing.T) {
			missing := filepath.Join(t.TempDir(), "no-such-dir")
			out, err := runRoot(t, append(slices.Clone(verb), "--data", missing)...)
			if err == nil || !strings.Contains(err.Error(), "does not exist") {
				t.Fatalf("--data of a missing directory: err = %v\n%s", err, out)
			}
			if _, err := os.Stat(missing); !os.IsNotExist(err) {
				t.Fatalf("%s was created", missing)
			}
			if verb[0] == "migrate" || verb[0] == "demo" {
				return // they create the schema in a database that exists
			}
			empty := t.TempDir()
			if out, err := runRoot(t, append(slices.Clone(verb), "--data", empty)...); err == nil {
				t.Fatalf("--data of an empty directory accepted:\n%s", out)
			}
			if entries, _ := os.ReadDir(empty); len(entries) > 0 {
				t.Fatalf("files created in the empty directory: %v", entries)
			}
			for _, backend := range storetest.Backends(t) {
				if backend != "postgres" {
					continue
				}
				dsn := storetest.EmptyPostgres(t)
				_, err := runRoot(t, append(slices.Clone(verb), "--db", dsn)...)
				if err == nil || !strings.Contains(err.Error(), "no schema") {
					t.Fatalf("--db without Rampart's schema: err = %v", err)
				}
			}
		})
	}
	// migrate on an existing directory or an empty PostgreSQL database
	// creates the schema; the other verbs then work.
	data := t.TempDir()
	for _, args := range [][]string{{"migrate", "--data", data}, {"audit", "verify", "--data", data}} {
		if out, err := runRoot(t, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
}

// TestTokenCreateExpires: token create gives 90 days unless --expires
// says otherwise (days or a duration), and refuses more than 365 days or
// a value it cannot read.
func TestTokenCreateExpires(t *testing.T) {
	data := t.TempDir()
	if out, err := runRoot(t, "demo", "--data", data); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	for _, c := range []struct {
		expires string
		want    time.Duration // 0: refused
	}{
		{"", auth.DefaultTokenLifetime},
		{"30d", 30 * 24 * time.Hour},
		{"12h", 12 * time.Hour},
		{"366d", 0},
		{"soon", 0},
		{"0d", 0},
	} {
		args := []string{"token", "create", "--user", "alice", "--name", "exp " + c.expires, "--data", data}
		if c.expires != "" {
			args = append(args, "--expires", c.expires)
		}
		start := time.Now()
		out, err := runRoot(t, args...)
		if c.want == 0 {
			if err == nil {
				t.Errorf("--expires %q accepted: %s", c.expires, out)
			}
			continue
		}
		if err != nil {
			t.Fatalf("--expires %q: %v\n%s", c.expires, err, out)
		}
		a, err := app.Open(context.Background(), app.Config{Target: filepath.Join(data, "rampart.db")})
		if err != nil {
			t.Fatal(err)
		}
		toks, err := a.Auth.FindTokens(context.Background(), auth.System, "alice")
		a.Close()
		if err != nil || toks[0].ExpiresAt == nil {
			t.Fatalf("tokens %v %v", toks, err)
		}
		if at := *toks[0].ExpiresAt; at.Before(start.Add(c.want-time.Minute)) || at.After(time.Now().Add(c.want+time.Minute)) {
			t.Errorf("--expires %q: token expires at %v, want about %v from now", c.expires, at, c.want)
		}
	}
}

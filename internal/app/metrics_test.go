package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// openApp opens an app on a fresh database of backend.
func openApp(t *testing.T, backend string, cfg app.Config) *app.App {
	t.Helper()
	cfg.Target = storetest.Target(t, backend)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// get sends GET path with an optional bearer token.
func get(h http.Handler, path, token string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// /metrics needs a token whose user holds metrics:read (admin, auditor) and
// whose scopes allow metrics; --metrics-public opens it.
func TestMetricsNeedAToken(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			a := openApp(t, backend, app.Config{})
			token := func(user string, role auth.Role, scopes ...auth.TokenScope) string {
				if _, err := a.Auth.CreateUser(ctx, auth.System, auth.NewUser{Username: user, Password: "correct horse battery",
					Roles: []auth.Role{role}}); err != nil {
					t.Fatal(err)
				}
				tok, _, err := a.Auth.CreateToken(ctx, auth.System, user, "scrape", nil, scopes...)
				if err != nil {
					t.Fatal(err)
				}
				return tok
			}
			h := a.Handler()
			cases := []struct {
				name, token string
				want        int
			}{
				{"anonymous", "", 401},
				{"unknown token", "rmp_notatokenatallbutlongenough", 401},
				{"admin", token("root", auth.RoleAdmin), 200},
				{"auditor with a metrics token", token("prometheus", auth.RoleAuditor, auth.ScopeMetrics), 200},
				{"admin with a read token", token("root-read", auth.RoleAdmin, auth.ScopeRead), 200},
				{"agent", token("alice", auth.RoleAgent), 403},
				{"requester with a metrics token", token("dave", auth.RoleRequester, auth.ScopeMetrics), 403},
			}
			for _, c := range cases {
				w := get(h, "/metrics", c.token)
				if w.Code != c.want {
					t.Errorf("%s: status %d, want %d; %s", c.name, w.Code, c.want, w.Body)
				}
				if c.want == 200 && !strings.Contains(w.Body.String(), "go_goroutines") {
					t.Errorf("%s: no metrics in the answer", c.name)
				}
				if c.want == 401 && !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s: 401 without a Bearer challenge", c.name)
				}
			}
			// The metrics token reads nothing else.
			if w := get(h, "/api/v1/cis", cases[3].token); w.Code != 403 {
				t.Errorf("metrics token on the API: status %d, want 403", w.Code)
			}
		})
	}
	t.Run("public", func(t *testing.T) {
		a := openApp(t, "sqlite", app.Config{MetricsPublic: true})
		if w := get(a.Handler(), "/metrics", ""); w.Code != 200 {
			t.Errorf("public metrics: status %d", w.Code)
		}
	})
}

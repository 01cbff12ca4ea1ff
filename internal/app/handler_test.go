package app_test

import (
	"context"
	"crypto/tls"
	"net/http/httptest"
	"testing"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/httpauth"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// Every answer to a request that came over HTTPS tells the browser to stay
// on HTTPS (Strict-Transport-Security): pages, API and health alike; a
// plain-HTTP request, or another client's X-Forwarded-Proto, gets none.
func TestHSTSOverHTTPS(t *testing.T) {
	proxies, _ := httpauth.ParseProxies("10.0.0.0/8")
	a, err := app.Open(context.Background(), app.Config{Target: storetest.Target(t, "sqlite"),
		Transport: httpauth.Transport{Proxies: proxies}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	h := a.Handler()
	for _, path := range []string{"/healthz", "/login", "/api/v1/openapi.json", "/api/v1/cis"} {
		for _, c := range []struct {
			name   string
			tls    bool
			remote string
			proto  string
			want   bool
		}{
			{"TLS", true, "203.0.113.1:1", "", true},
			{"trusted proxy", false, "10.1.2.3:1", "https", true},
			{"plain", false, "203.0.113.1:1", "", false},
			{"untrusted header", false, "203.0.113.1:1", "https", false},
		} {
			r := httptest.NewRequest("GET", path, nil)
			r.RemoteAddr = c.remote
			if c.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if c.proto != "" {
				r.Header.Set("X-Forwarded-Proto", c.proto)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if got := w.Header().Get("Strict-Transport-Security") != ""; got != c.want {
				t.Errorf("%s %s: HSTS sent %v, want %v (status %d)", c.name, path, got, c.want, w.Code)
			}
		}
	}
}

package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// marker is text that only record content carries in this test: a name,
// a description, a search, an import row. It must never reach a log line
// or a metric.
const marker = "vtmarker-9f2c"

// What records hold stays out of logs and metrics: a flow that writes,
// searches, conflicts on, imports, rejects and audits records carrying a
// marker leaves the marker in no log line (at debug level) and nowhere in
// the /metrics answer. Logs name routes, keys, statuses and users; metrics
// are labelled by route pattern; job payloads carry ids.
func TestRecordContentStaysOutOfLogsAndMetrics(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			var logs bytes.Buffer
			a := openApp(t, backend, app.Config{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
			if _, err := a.Auth.CreateUser(ctx, auth.System, auth.NewUser{Username: "root", Password: "correct horse battery",
				Roles: []auth.Role{auth.RoleAdmin}}); err != nil {
				t.Fatal(err)
			}
			token, _, err := a.Auth.CreateToken(ctx, auth.System, "root", "test", nil)
			if err != nil {
				t.Fatal(err)
			}
			h := a.Handler()
			send := func(method, path, contentType, body string, want int) []byte {
				t.Helper()
				r := httptest.NewRequest(method, path, strings.NewReader(body))
				r.Header.Set("Authorization", "Bearer "+token)
				if contentType != "" {
					r.Header.Set("Content-Type", contentType)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != want {
					t.Fatalf("%s %s: status %d, want %d: %s", method, path, w.Code, want, w.Body)
				}
				return w.Body.Bytes()
			}
			const js = "application/json"
			var ci struct{ Key string }
			if err := json.Unmarshal(send("POST", "/api/v1/cis", js,
				`{"name":"`+marker+` laptop","kind":"endpoint","identifiers":{"hostnames":["`+marker+`-host"]}}`, 201), &ci); err != nil {
				t.Fatal(err)
			}
			send("PATCH", "/api/v1/cis/"+ci.Key, js, `{"description":"`+marker+` holds the payroll export"}`, 200)
			send("GET", "/api/v1/cis?q="+marker, "", "", 200)
			send("GET", "/api/v1/cis/"+ci.Key, "", "", 200)
			// A conflict and a rejected value echo the content to the
			// caller, never to the log.
			send("POST", "/api/v1/cis", js, `{"name":"copy","kind":"endpoint","identifiers":{"hostnames":["`+marker+`-host"]}}`, 409)
			send("POST", "/api/v1/cis", js, `{"name":"x","kind":"`+marker+`"}`, 422)
			send("POST", "/api/v1/imports/csv", "text/csv", "name,kind,hostnames\n"+marker+"-imported,server,"+marker+"-imp\nbad,"+marker+",h2\n", 201)
			send("GET", "/api/v1/audit?key="+ci.Key, "", "", 200)
			send("GET", "/cis?q="+marker, "", "", 200) // the web UI
			send("DELETE", "/api/v1/cis/"+ci.Key, "", "", 204)
			if _, err := a.Runner.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			metrics := string(send("GET", "/metrics", "", "", 200))

			if !strings.Contains(logs.String(), `"route":"/api/v1/cis/{key}"`) || !strings.Contains(metrics, "rampart_http_requests_total") {
				t.Fatalf("the flow left no request log or metric; logs:\n%s", logs.String())
			}
			for _, line := range strings.Split(logs.String(), "\n") {
				if strings.Contains(line, marker) {
					t.Errorf("log line carries record content: %s", line)
				}
			}
			if strings.Contains(metrics, marker) {
				t.Errorf("/metrics carries record content")
			}
		})
	}
}

package httpapi

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rampart-itsm/rampart/internal/services"
)

func TestRequestID(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		r := e.must(req{as: asAgent, method: "GET", path: "/api/v1/me", headers: map[string]string{RequestIDHeader: "trace-42"}}, 200)
		if got := r.Header.Get(RequestIDHeader); got != "trace-42" {
			t.Errorf("request id %q, want the caller's", got)
		}
		r = e.must(req{as: asAgent, method: "GET", path: "/api/v1/cis/CI-404", headers: map[string]string{RequestIDHeader: "evil\nheader"}}, 404)
		id := r.Header.Get(RequestIDHeader)
		if id == "" || strings.Contains(id, "evil") {
			t.Errorf("request id %q", id)
		}
		if p := r.problem(t); p.RequestID != id || p.Instance != "/api/v1/cis/CI-404" {
			t.Errorf("problem %+v, want request id %s", p, id)
		}
	})
}

func TestMetricsAndAccessLog(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var logs bytes.Buffer
		reg := prometheus.NewRegistry()
		e.h = New(Deps{Services: services.Services{CMDB: e.cmdb, Auth: e.auth, Audit: e.audit}, Registry: reg, Clock: e.clk,
			Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
		e.must(req{as: asAgent, method: "GET", path: "/api/v1/cis/CI-77"}, 404)
		e.must(req{as: asAgent, method: "GET", path: "/api/v1/cis/CI-78"}, 404)
		e.must(req{method: "GET", path: "/api/v1/nowhere"}, 404)
		if got := counter(t, reg, "rampart_http_requests_total", "GET", "/api/v1/cis/{key}", "404"); got != 2 {
			t.Errorf("requests{route=/api/v1/cis/{key},code=404} = %v, want 2", got)
		}
		if got := counter(t, reg, "rampart_http_requests_total", "GET", "unmatched", "404"); got != 1 {
			t.Errorf("unmatched = %v, want 1", got)
		}
		if n := series(t, reg, "rampart_http_request_duration_seconds"); n != 2 {
			t.Errorf("duration series = %d, want 2 (route patterns, not paths)", n)
		}
		for _, want := range []string{`"route":"/api/v1/cis/{key}"`, `"status":404`, `"user":"agent"`, `"request_id":"`} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("access log lacks %s: %s", want, logs.String())
			}
		}
		if strings.Contains(logs.String(), e.tokens[asAgent]) {
			t.Error("the access log contains a token")
		}
	})
}

// A panicking handler answers a 500 problem that reveals nothing, and the
// process goes on serving.
func TestPanicRecovery(t *testing.T) {
	var logs bytes.Buffer
	a := New(Deps{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}).(*api)
	rt := route{method: "GET", path: "/api/v1/boom", public: true, h: func(http.ResponseWriter, *http.Request) error {
		panic("secret internal state")
	}}
	a.patterns[rt.pattern()] = true
	a.mux.Handle(rt.pattern(), a.handle(rt))
	for range 2 {
		w := httptest.NewRecorder()
		a.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/boom", nil))
		if w.Code != 500 || w.Header().Get("Content-Type") != ProblemContentType {
			t.Fatalf("status %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		if strings.Contains(w.Body.String(), "secret") {
			t.Errorf("panic value leaked: %s", w.Body)
		}
	}
	if !strings.Contains(logs.String(), "secret internal state") {
		t.Error("panic not logged")
	}
}

// counter reads one labelled counter (labels method, route, code).
func counter(t *testing.T, reg *prometheus.Registry, name, method, route, code string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, lp := range m.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			if l["method"] == method && l["route"] == route && l["code"] == code {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// series counts the labelled series of a metric.
func series(t *testing.T, reg *prometheus.Registry, name string) int {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return len(mf.GetMetric())
		}
	}
	return 0
}

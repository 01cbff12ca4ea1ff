package app

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rampart-itsm/rampart/internal/httpapi"
	"github.com/rampart-itsm/rampart/internal/web"
)

// Handler returns the whole HTTP surface: health, metrics, the JSON API
// under /api/ and the web UI everywhere else; answers to requests that came
// over HTTPS carry Strict-Transport-Security.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.healthz)
	// Metrics are aggregates about the process and request handling only;
	// no metric carries record content, so they need no authorisation.
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{Registry: a.Registry}))
	mux.Handle("/api/", httpapi.New(httpapi.Deps{
		Services: a.Services, Logger: a.Logger, Registry: a.Registry, Clock: a.Clock, UploadTimeout: a.cfg.UploadTimeout,
	}))
	mux.Handle("/", web.New(web.Deps{
		Services: a.Services, Logger: a.Logger, Registry: a.Registry, Clock: a.Clock,
		Transport: a.cfg.Transport, UploadTimeout: a.cfg.UploadTimeout,
	}))
	return a.cfg.Transport.HSTS(mux)
}

// healthz answers 200 when the database answers, 503 otherwise, so a load
// balancer takes a replica that lost its database out of rotation.
func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status, body := http.StatusOK, map[string]string{"status": "ok", "database": a.DB.Dialect.Name}
	if err := a.DB.Ping(ctx); err != nil {
		status, body["status"] = http.StatusServiceUnavailable, "database unavailable"
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

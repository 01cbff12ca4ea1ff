package app

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/httpapi"
	"github.com/rampart-itsm/rampart/internal/httpauth"
	"github.com/rampart-itsm/rampart/internal/web"
)

// Handler returns the whole HTTP surface: health, metrics, the JSON API
// under /api/ and the web UI everywhere else; answers to requests that came
// over HTTPS carry Strict-Transport-Security.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.Handle("GET /metrics", a.metrics())
	mux.Handle("/api/", httpapi.New(httpapi.Deps{
		Services: a.Services, Logger: a.Logger, Registry: a.Registry, Clock: a.Clock, UploadTimeout: a.cfg.UploadTimeout,
	}))
	mux.Handle("/", web.New(web.Deps{
		Services: a.Services, Logger: a.Logger, Registry: a.Registry, Clock: a.Clock,
		Transport: a.cfg.Transport, UploadTimeout: a.cfg.UploadTimeout,
	}))
	return a.cfg.Transport.HSTS(a.cfg.Transport.WithClientAddr(mux))
}

// metrics serves the Prometheus registry. Metrics are aggregates about
// the process and request handling, labelled by route pattern, never by
// record: still, request rates and job failures tell an outsider about the
// organisation, so by default the caller needs auth.MetricsRead (admin,
// auditor) with a credential allowed auth.ScopeMetrics (Prometheus sends
// Authorization: Bearer TOKEN; give it a token created with --scope
// metrics). Config.MetricsPublic drops the check for a trusted network.
func (a *App) metrics() http.Handler {
	h := promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{Registry: a.Registry})
	if a.cfg.MetricsPublic {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := httpauth.Identify(r.Context(), a.Auth, r)
		p := id.Principal
		if err == nil && p.UserID == 0 && !p.System {
			err = errs.E(errs.Unauthenticated, "/metrics needs an API token: Authorization: Bearer TOKEN")
		}
		if err == nil {
			err = p.Require(auth.MetricsRead)
		}
		if err == nil {
			err = httpauth.RequireScope(p, auth.ScopeMetrics)
		}
		e, _ := errs.As(err)
		switch {
		case errs.Is(err, errs.Unauthenticated):
			w.Header().Set("WWW-Authenticate", `Bearer realm="rampart"`)
			http.Error(w, e.Message, http.StatusUnauthorized)
		case errs.Is(err, errs.Forbidden):
			http.Error(w, e.Message, http.StatusForbidden)
		case err != nil:
			a.Logger.Error("metrics: identify caller", "error", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
		default:
			h.ServeHTTP(w, r)
		}
	})
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

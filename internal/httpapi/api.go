package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/services"
)

// Deps are the services the API exposes and what it reports to. Jobs may
// be nil: the job routes are then not served (and not documented).
type Deps struct {
	services.Services
	Logger   *slog.Logger
	Registry *prometheus.Registry
	Clock    clock.Clock
	// UploadTimeout is how long an authenticated caller has to send the
	// body of an upload route, beyond the server's read timeout for
	// ordinary requests; 0 keeps the server's.
	UploadTimeout time.Duration
}

// api is the handler New returns.
type api struct {
	d        Deps
	log      *slog.Logger
	clk      clock.Clock
	metrics  *metrics
	routes   []route
	patterns map[string]bool // mux patterns of routes, for metric labels
	mux      *http.ServeMux
	openapi  []byte
}

// New returns the handler for every /api/v1 route. It panics on a broken
// route table or OpenAPI document, which only a programming error causes.
func New(d Deps) http.Handler {
	a := &api{d: d, log: d.Logger, clk: d.Clock, mux: http.NewServeMux(), patterns: map[string]bool{}}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if a.clk == nil {
		a.clk = clock.Real{}
	}
	a.metrics = newMetrics(d.Registry)
	a.routes = a.table()
	checkTable(a.routes)
	for _, rt := range a.routes {
		p := rt.pattern()
		a.patterns[p] = true
		a.mux.Handle(p, a.handle(rt))
	}
	a.openapi = mustOpenAPI(a.routes)
	return a
}

// ServeHTTP runs the middleware every request passes: request id, panic
// recovery, access log and metrics; then the route, or a 404/405 problem.
func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := a.clk.Now()
	info := &reqInfo{id: incomingRequestID(r)}
	r = r.WithContext(withReqInfo(r.Context(), info))
	w.Header().Set(RequestIDHeader, info.id)
	rec := &recorder{ResponseWriter: w}

	_, pattern := a.mux.Handler(r)
	label := "unmatched"
	if a.patterns[pattern] {
		label = pattern[strings.IndexByte(pattern, ' ')+1:]
	}
	defer func() {
		p := recover()
		if p != nil && p != http.ErrAbortHandler {
			a.recovered(rec, r, p)
		}
		a.observe(r, label, rec, start, info)
		if p == http.ErrAbortHandler {
			panic(p)
		}
	}()
	if pattern == "" {
		a.unmatched(rec, r)
		return
	}
	a.mux.ServeHTTP(rec, r)
}

// unmatched answers 405 (with Allow) when the path exists for other
// methods, else 404, both as problems rather than the mux's plain text.
func (a *api) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := a.mux.Handler(probe); a.patterns[p] {
			allow = append(allow, m)
		}
	}
	p := Problem{Instance: r.URL.Path, RequestID: requestID(r.Context())}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		p.Type, p.Title, p.Status = problemTypeBase+string(kindNotAllowed), titles[kindNotAllowed], http.StatusMethodNotAllowed
		p.Detail = r.Method + " is not supported here; use " + strings.Join(allow, ", ")
	} else {
		p.Type, p.Title, p.Status = problemTypeBase+"not_found", "Not found", http.StatusNotFound
		p.Detail = "no API endpoint at this path; see /api/v1/openapi.json"
	}
	sendProblem(w, p)
}

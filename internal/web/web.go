package web

import (
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/httpauth"
	"github.com/rampart-itsm/rampart/internal/services"
)

// Deps are the services the UI calls (the same set the JSON API gets;
// with Jobs nil there is no jobs page) and what it reports to.
type Deps struct {
	services.Services
	Logger   *slog.Logger // nil: logs are discarded
	Registry *prometheus.Registry
	Clock    clock.Clock
	// Transport says when a request came over HTTPS, which marks the
	// session cookie Secure.
	Transport httpauth.Transport
	// UploadTimeout is how long a signed-in user has to send an uploaded
	// file, beyond the server's read timeout for ordinary requests; 0
	// keeps the server's.
	UploadTimeout time.Duration
}

// server holds what every page handler needs.
type server struct {
	Deps
	pages map[string]*template.Template
	log   *slog.Logger
}

// New returns the handler for every UI path. The application mounts it at
// "/" next to the JSON API.
func New(d Deps) http.Handler {
	s := &server{Deps: d, pages: loadTemplates(), log: d.Logger}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.Clock == nil {
		s.Clock = clock.Real{}
	}
	return s.routes()
}

// secure reports whether cookies set in answer to r are marked Secure.
func (s *server) secure(r *http.Request) bool { return s.Transport.SecureCookies(r) }

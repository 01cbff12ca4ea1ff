package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Problem is an RFC 9457 problem detail, the body of every error response.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Instance  string            `json:"instance,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
	Errors    []errs.FieldError `json:"errors,omitempty"`
	// Report is the import report of a refused strict import: every row
	// with what would have happened to it.
	Report any `json:"report,omitempty"`
}

// ProblemContentType is the media type of problem responses.
const ProblemContentType = "application/problem+json"

// problemTypeBase prefixes each problem type; the suffix is the errs kind,
// so clients can branch on "…:not_found" without parsing titles.
const problemTypeBase = "urn:rampart:problem:"

// malformed marks an Invalid error found while reading the request itself
// (JSON syntax, unknown or mistyped fields, bad query parameters, an
// unreadable upload). Those answer 400 Bad Request; an Invalid error from a
// service (a well-formed request whose values break a rule) answers 422
// Unprocessable Content. Clients can tell "fix your encoding" from "fix
// your data".
type malformed struct{ err *errs.Error }

func (m *malformed) Error() string { return m.err.Error() }
func (m *malformed) Unwrap() error { return m.err }

// protocolError is a failure of HTTP itself that no service kind names:
// a body in a media type the route does not take (415), a precondition
// header that does not hold (412), a body that did not arrive in time (408).
type protocolError struct {
	code int
	kind errs.Kind
	err  *errs.Error
}

func (p *protocolError) Error() string { return p.err.Error() }
func (p *protocolError) Unwrap() error { return p.err }

// badRequest wraps an errs.Error (of any kind) as a request-level error.
func badRequest(e *errs.Error) error { return &malformed{err: e} }

// badField is a 400 naming one field of the request.
func badField(field, format string, args ...any) error {
	return badRequest(errs.Field(field, format, args...))
}

// status is the single mapping from errs kinds to HTTP status codes. The
// kind it returns names the problem type; a malformed request has its own.
func status(err error) (int, errs.Kind) {
	kind := errs.KindOf(err)
	var m *malformed
	var pe *protocolError
	if errors.As(err, &pe) {
		return pe.code, pe.kind
	}
	switch kind {
	case errs.Invalid:
		if errors.As(err, &m) {
			return http.StatusBadRequest, kindMalformed
		}
		return http.StatusUnprocessableEntity, kind
	case errs.NotFound:
		return http.StatusNotFound, kind
	case errs.Conflict:
		return http.StatusConflict, kind
	case errs.Forbidden:
		return http.StatusForbidden, kind
	case errs.Unauthenticated:
		return http.StatusUnauthorized, kind
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge, kind
	case errs.Unavailable:
		return http.StatusServiceUnavailable, kind
	case errs.TooMany:
		return http.StatusTooManyRequests, kind
	case errs.Overloaded:
		// 503, not 429: the queue is full for everyone, not because this
		// client sent too much. Retry-After says when to come back.
		return http.StatusServiceUnavailable, kind
	}
	return http.StatusInternalServerError, errs.Internal
}

var titles = map[errs.Kind]string{
	kindMalformed:        "Malformed request",
	errs.Invalid:         "Invalid input",
	errs.NotFound:        "Not found",
	errs.Conflict:        "Conflict",
	errs.Forbidden:       "Forbidden",
	errs.Unauthenticated: "Authentication required",
	errs.TooLarge:        "Request too large",
	errs.Unavailable:     "Service unavailable",
	errs.TooMany:         "Too many requests",
	errs.Overloaded:      "Too busy, try again later",
	errs.Internal:        "Internal server error",
	kindNotAllowed:       "Method not allowed",
	kindUnsupportedMedia: "Unsupported media type",
	kindPrecondition:     "Precondition failed",
	kindTimeout:          "Request timeout",
}

// Problem kinds that are not errs kinds: a request that cannot be read, a
// method the path does not take (which the mux, not a service, finds), a
// body in the wrong media type, a precondition that does not hold and a
// body that stopped arriving.
const (
	kindMalformed        errs.Kind = "malformed"
	kindNotAllowed       errs.Kind = "method_not_allowed"
	kindUnsupportedMedia errs.Kind = "unsupported_media_type"
	kindPrecondition     errs.Kind = "precondition_failed"
	kindTimeout          errs.Kind = "request_timeout"
)

// problemFor turns err into the problem to send. Internal errors keep their
// cause out of the response: the log has it, under the same request id.
func problemFor(err error, r *http.Request) Problem {
	code, kind := status(err)
	p := Problem{Type: problemTypeBase + string(kind), Title: titles[kind], Status: code,
		Instance: r.URL.Path, RequestID: requestID(r.Context())}
	if kind == errs.Internal {
		p.Detail = "something went wrong on our side; quote the request id when reporting it"
		return p
	}
	if e, ok := errs.As(err); ok {
		p.Detail = e.Message
		p.Errors = e.Fields
	}
	return p
}

// writeProblem answers with the problem for err.
func writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := problemFor(err, r)
	if secs, ok := errs.RetryAfterSeconds(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	sendProblem(w, p)
}

func sendProblem(w http.ResponseWriter, p Problem) {
	h := w.Header()
	if p.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="rampart"`)
	}
	writeJSONAs(w, ProblemContentType, p.Status, p)
}

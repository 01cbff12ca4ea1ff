package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// RequestIDHeader carries the request id in both directions: a proxy's id
// is kept, otherwise one is made; it is in every log line and problem.
const RequestIDHeader = "X-Request-Id"

// reqInfo travels in the context so the outer middleware can log what the
// inner ones learned (who the caller was).
type reqInfo struct {
	id   string
	user string
}

type reqInfoKey struct{}

func withReqInfo(ctx context.Context, i *reqInfo) context.Context {
	return context.WithValue(ctx, reqInfoKey{}, i)
}

func infoOf(ctx context.Context) *reqInfo {
	if i, ok := ctx.Value(reqInfoKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

func requestID(ctx context.Context) string { return infoOf(ctx).id }

// incomingRequestID keeps a caller's id when it is short and plain (it is
// echoed into logs and headers), otherwise makes a new one.
func incomingRequestID(r *http.Request) string {
	if id := r.Header.Get(RequestIDHeader); id != "" && len(id) <= 64 && plain(id) {
		return id
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func plain(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush lets streaming answers (NDJSON audit export) reach the client.
func (w *recorder) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *recorder) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// recovered turns a panic into a logged 500 problem (when nothing was
// written yet), so one bad request cannot take the process down.
func (a *api) recovered(w *recorder, r *http.Request, p any) {
	a.log.Error("panic serving request", "request_id", requestID(r.Context()), "method", r.Method,
		"path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	if w.status == 0 {
		writeProblem(w, r, errs.E(errs.Internal, "panic"))
	}
}

// fail writes the problem for a handler's error and logs internal ones with
// their cause, which the response never shows.
func (a *api) fail(w *recorder, r *http.Request, err error) {
	code, _ := status(err)
	if code >= 500 {
		a.log.Error("request failed", "request_id", requestID(r.Context()), "method", r.Method,
			"path", r.URL.Path, "status", code, "error", err)
	}
	if w.status != 0 {
		// A streamed answer already started: the status is gone, the
		// client sees a truncated body.
		a.log.Warn("error after response started", "request_id", requestID(r.Context()), "error", err)
		return
	}
	writeProblem(w, r, err)
}

// observe writes the access log line and the request metrics.
func (a *api) observe(r *http.Request, route string, w *recorder, start time.Time, info *reqInfo) {
	elapsed := a.clk.Now().Sub(start)
	code := w.code()
	a.metrics.observe(r.Method, route, code, elapsed)
	level := slog.LevelInfo
	if code >= 500 {
		level = slog.LevelError
	}
	a.log.LogAttrs(r.Context(), level, "http request",
		slog.String("request_id", info.id), slog.String("method", r.Method), slog.String("route", route),
		slog.String("path", r.URL.Path), slog.Int("status", code), slog.Int64("bytes", w.bytes),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000), slog.String("user", info.user))
}

package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Each error kind answers its status; back-pressure (a full intake queue)
// answers 503 with Retry-After in whole seconds, rounded up, so clients
// and load balancers know when to come back.
func TestProblemStatusAndRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		kind       string
		retryAfter string
	}{
		{"overloaded", errs.Busy(1500*time.Millisecond, "the alert intake queue is full"), http.StatusServiceUnavailable, "overloaded", "2"},
		{"overloaded wrapped", errors.Join(errors.New("ingest"), errs.Busy(time.Second, "full")), http.StatusServiceUnavailable, "overloaded", "1"},
		{"unavailable", errs.E(errs.Unavailable, "database down"), http.StatusServiceUnavailable, "unavailable", ""},
		{"conflict", errs.E(errs.Conflict, "taken"), http.StatusConflict, "conflict", ""},
		{"internal", errors.New("boom"), http.StatusInternalServerError, "internal", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			writeProblem(w, httptest.NewRequest(http.MethodPost, "/api/v1/ingest/x", nil), tc.err)
			var p Problem
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			if w.Code != tc.status || p.Status != tc.status || p.Type != problemTypeBase+tc.kind {
				t.Errorf("answered %d %+v, want %d of kind %s", w.Code, p, tc.status, tc.kind)
			}
			if got := w.Header().Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tc.retryAfter)
			}
		})
	}
}

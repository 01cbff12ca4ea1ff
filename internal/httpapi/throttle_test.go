package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// TestRetryAfterProblems: a throttled caller gets 429 and a server too
// busy checking passwords 503, each with Retry-After in whole seconds.
func TestRetryAfterProblems(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		after  string
	}{
		{errs.Retry(errs.TooMany, 1500*time.Millisecond, "wait"), http.StatusTooManyRequests, "2"},
		{errs.Retry(errs.Unavailable, 2*time.Second, "busy"), http.StatusServiceUnavailable, "2"},
		{errs.E(errs.Unavailable, "database"), http.StatusServiceUnavailable, ""},
	} {
		w := httptest.NewRecorder()
		writeProblem(w, httptest.NewRequest("GET", "/api/v1/me", nil), c.err)
		if w.Code != c.status || w.Header().Get("Retry-After") != c.after {
			t.Errorf("%v: %d Retry-After %q, want %d %q", c.err, w.Code, w.Header().Get("Retry-After"), c.status, c.after)
		}
	}
}

// TestPasswordChangeThrottledOverAPI: guessing the current password
// through POST /api/v1/me/password is throttled like sign-in: 422 for
// each wrong one, then 429 with Retry-After, the right one included.
func TestPasswordChangeThrottledOverAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		wrong := map[string]any{"old_password": "not my password", "new_password": "a brand new password"}
		for range auth.AccountPolicy.Free {
			e.must(req{as: asAgent, method: "POST", path: "/api/v1/me/password", body: wrong}, http.StatusUnprocessableEntity)
		}
		right := map[string]any{"old_password": testPassword, "new_password": "a brand new password"}
		r := e.must(req{as: asAgent, method: "POST", path: "/api/v1/me/password", body: right}, http.StatusTooManyRequests)
		if r.Header.Get("Retry-After") != "1" || r.problem(t).Type != problemTypeBase+"too_many_requests" {
			t.Fatalf("429 without Retry-After 1 or its type: %v %s", r.Header, r.Body)
		}
		e.clk.Advance(time.Second)
		e.must(req{as: asAgent, method: "POST", path: "/api/v1/me/password", body: right}, http.StatusNoContent)
		e.must(req{as: asAdmin, method: "POST", path: "/api/v1/users/agent/unlock"}, http.StatusNoContent)
		e.must(req{as: asAdmin, method: "POST", path: "/api/v1/users/nobody/unlock"}, http.StatusNotFound)
	})
}

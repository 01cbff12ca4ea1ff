package httpapi

import "net/http"

// getOpenAPI: GET /api/v1/openapi.json, public so clients and tools can
// read the contract before they hold a token.
func (a *api) getOpenAPI(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(a.openapi)
	return nil
}

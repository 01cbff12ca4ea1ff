package httpapi

import (
	"encoding/json"
	"net/http"
)

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, code int, v any) {
	writeJSONAs(w, "application/json", code, v)
}

func writeJSONAs(w http.ResponseWriter, contentType string, code int, v any) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	// API answers carry records the caller may see; shared caches must
	// not keep them for someone else.
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the status is sent; a broken connection is the client's loss
}

// created answers 201 with the new resource's location.
func created(w http.ResponseWriter, location string, v any) {
	w.Header().Set("Location", location)
	writeJSON(w, http.StatusCreated, v)
}

// noContent answers 204.
func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// list is the shape of lists that are not paginated (relations, teams,
// tokens, dead jobs): the same fields as a page, without a cursor.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func listOf[T any](items []T) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: len(items)}
}

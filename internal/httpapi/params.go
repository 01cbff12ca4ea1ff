package httpapi

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// queryParams reads query parameters and collects every bad one, so a
// client learns about all its mistakes in one answer (400, by field).
type queryParams struct {
	v  url.Values
	fe errs.Fields
}

func params(r *http.Request) *queryParams { return &queryParams{v: r.URL.Query()} }

func (q *queryParams) str(name string) string { return strings.TrimSpace(q.v.Get(name)) }

// integer returns the parameter as an int, def when absent.
func (q *queryParams) integer(name string, def, lo, hi int) int {
	s := q.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		q.fe.Add(name, "must be an integer")
	case n < lo || n > hi:
		q.fe.Add(name, "must be between %d and %d", lo, hi)
	default:
		return n
	}
	return def
}

// id returns a path or query value as a positive int64.
func (q *queryParams) id(name, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		q.fe.Add(name, "must be a positive integer")
		return 0
	}
	return n
}

// list reads a parameter given as comma-separated values, repeated or
// not (?state=open,reopened or ?state=open&state=reopened).
func (q *queryParams) list(name string) []string {
	var out []string
	for _, v := range q.v[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// boolean returns nil when the parameter is absent.
func (q *queryParams) boolean(name string) *bool {
	s := q.str(name)
	if s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.fe.Add(name, "must be true or false")
		return nil
	}
	return &b
}

// time reads an RFC 3339 timestamp; the zero time when absent.
func (q *queryParams) time(name string) time.Time {
	s := q.str(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		q.fe.Add(name, "must be an RFC 3339 timestamp such as 2026-03-01T09:00:00Z")
		return time.Time{}
	}
	return t.UTC()
}

// oneOf reads a parameter that must be one of the allowed values ("" too).
func (q *queryParams) oneOf(name string, allowed ...string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	q.fe.Add(name, "must be one of %s", strings.Join(allowed, ", "))
	return ""
}

// page reads ?cursor= and ?limit= by the rule every list follows.
func (q *queryParams) page() paging.Page { return paging.FromQuery(q.v, &q.fe) }

// err returns a 400 naming every bad parameter, or nil.
func (q *queryParams) err() error {
	if err := q.fe.Err(); err != nil {
		e, _ := errs.As(err)
		e.Message = "invalid query parameters"
		return badRequest(e)
	}
	return nil
}

// pathID reads a numeric path parameter ({id}) or answers 400.
func pathID(r *http.Request, name string) (int64, error) {
	q := &queryParams{}
	id := q.id(name, r.PathValue(name))
	if err := q.fe.Err(); err != nil {
		e, _ := errs.As(err)
		return 0, badRequest(e)
	}
	return id, nil
}

// checkRequestText applies the text rule to the route's path keys and to
// every query parameter, documented or not (names and values): one line
// of text each. A 422 names each one that breaks it, so no handler (and
// no query) ever sees NUL or bytes that are not UTF-8.
func checkRequestText(r *http.Request, rt route) error {
	var fe errs.Fields
	for _, name := range pathParams(rt.path) {
		textrule.Line(&fe, name, r.PathValue(name))
	}
	q := r.URL.Query()
	for _, name := range slices.Sorted(maps.Keys(q)) {
		field := textrule.Escape(name)
		if !textrule.Line(&fe, field, name) {
			continue
		}
		for _, v := range q[name] {
			if !textrule.Line(&fe, field, v) {
				break
			}
		}
	}
	return fe.Err()
}

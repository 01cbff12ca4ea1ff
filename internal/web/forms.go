package web

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// fieldErrors are the messages shown next to each form field; the ""
// entry holds messages no field of the form shows.
type fieldErrors map[string][]string

// For returns the messages for one form field.
func (f fieldErrors) For(field string) []string { return f[field] }

// General returns the messages not tied to a shown field.
func (f fieldErrors) General() []string { return f[""] }

// Any reports whether there is any message.
func (f fieldErrors) Any() bool { return len(f) > 0 }

func (f fieldErrors) add(field, msg string) { f[field] = append(f[field], msg) }

// mapFieldErrors spreads a service error over form fields. names maps the
// service's field paths ("identifiers.ips", "business_criticality") to form
// field names; the longest known prefix of a path wins, so
// "identifiers.ips[2]" lands next to the IP field. Anything else is shown
// at the top of the form.
func mapFieldErrors(err error, names map[string]string) fieldErrors {
	out := fieldErrors{}
	e, ok := errs.As(err)
	if !ok {
		out.add("", "The request could not be completed.")
		return out
	}
	if len(e.Fields) == 0 {
		out.add("", e.Message)
	}
	for _, fe := range e.Fields {
		if name, ok := lookupField(fe.Field, names); ok {
			out.add(name, fe.Message)
		} else {
			out.add("", fe.Field+": "+fe.Message)
		}
	}
	return out
}

func lookupField(path string, names map[string]string) (string, bool) {
	p := strings.Trim(strings.ReplaceAll(path, "/", "."), ".")
	if i := strings.IndexByte(p, '['); i >= 0 {
		p = p[:i]
	}
	parts := strings.Split(p, ".")
	for n := len(parts); n > 0; n-- {
		// Skip a trailing array index written as a path segment (ips.0).
		if _, err := strconv.Atoi(parts[n-1]); err == nil {
			continue
		}
		if name, ok := names[strings.Join(parts[:n], ".")]; ok {
			return name, true
		}
	}
	return "", false
}

// splitList reads a list typed into one box, one item per line or
// separated by commas, dropping blanks.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' })
	out := make([]string, 0, len(f))
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// longFormFields are the fields the forms show as text areas: the only
// ones that may hold line breaks.
var longFormFields = map[string]bool{"description": true, "attributes": true, "members": true, "body": true, "resolution_notes": true}

// checkRequestText applies the text rule to everything a request brings:
// the page's path keys, query parameters, form fields and uploaded file
// names. It first turns the CRLF line breaks browsers send from text areas
// into LF, the line break Rampart stores. The Invalid error names each
// input that breaks the rule.
func checkRequestText(r *http.Request) error {
	var fe errs.Fields
	for _, name := range patternKeys(r.Pattern) {
		textrule.Line(&fe, name, r.PathValue(name))
	}
	checkValues(&fe, r.URL.Query())
	if r.PostForm != nil {
		crlfToLF(r.PostForm)
		crlfToLF(r.Form)
		checkValues(&fe, r.PostForm)
	}
	if r.MultipartForm != nil {
		crlfToLF(r.MultipartForm.Value)
		for _, name := range slices.Sorted(maps.Keys(r.MultipartForm.File)) {
			for _, h := range r.MultipartForm.File[name] {
				if !textrule.Line(&fe, textrule.Escape(name), h.Filename) {
					break
				}
			}
		}
	}
	return fe.Err()
}

// checkValues checks query parameters or form fields, names and values.
func checkValues(fe *errs.Fields, v map[string][]string) {
	for _, name := range slices.Sorted(maps.Keys(v)) {
		field := textrule.Escape(name)
		if !textrule.Line(fe, field, name) {
			continue
		}
		for _, s := range v[name] {
			if !textrule.Check(fe, field, s, longFormFields[name]) {
				break
			}
		}
	}
}

func crlfToLF(v map[string][]string) {
	for name, vals := range v {
		if longFormFields[name] {
			for i, s := range vals {
				vals[i] = strings.ReplaceAll(s, "\r\n", "\n")
			}
		}
	}
}

// patternKeys lists the {names} of a mux pattern ("GET /cis/{key}").
func patternKeys(pattern string) []string {
	var names []string
	for _, seg := range strings.Split(pattern, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			name := strings.TrimSuffix(strings.Trim(seg, "{}"), "...")
			if name != "$" {
				names = append(names, name)
			}
		}
	}
	return names
}

package web

import (
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
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

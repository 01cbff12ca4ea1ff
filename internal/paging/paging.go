// Package paging is the one rule for pages of a list, shared by the
// services, which clamp what they are asked for, and the API and web UI,
// which read ?limit= and ?cursor=: a page holds DefaultLimit records unless
// asked for another size, never more than MaxLimit, and continues from the
// opaque cursor the previous page handed out.
package paging

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Page sizes. MaxLimit bounds what one request can make the database read
// and the server hold; with keyset cursors a page costs the same however
// deep into the list it is.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Page asks for one page of a list.
type Page struct {
	Cursor string // the previous page's next cursor; "" for the first page
	Limit  int    // records per page, 1 to MaxLimit
}

// Clamp returns the page size to use for a requested one: DefaultLimit for
// zero or less, MaxLimit at most.
func Clamp(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// Limit is Clamp for a service's callers: zero asks for the default, a
// negative limit is a mistake reported in fe under "limit".
func Limit(fe *errs.Fields, n int) int {
	if n < 0 {
		fe.Add("limit", "must not be negative")
	}
	return Clamp(n)
}

// FromQuery reads ?cursor= and ?limit= from a URL query. With fe, a limit
// that is not a whole number from 1 to MaxLimit is reported there, for an
// API to refuse; with fe nil it is corrected instead (a number past the
// maximum to MaxLimit, anything else to DefaultLimit), for pages people
// reach by editing a URL.
func FromQuery(q url.Values, fe *errs.Fields) Page {
	p := Page{Cursor: strings.TrimSpace(q.Get("cursor")), Limit: DefaultLimit}
	s := strings.TrimSpace(q.Get("limit"))
	if s == "" {
		return p
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil && fe != nil:
		fe.Add("limit", "must be an integer")
	case err != nil:
	case (n < 1 || n > MaxLimit) && fe != nil:
		fe.Add("limit", "must be between 1 and %d", MaxLimit)
	default:
		p.Limit = Clamp(n)
	}
	return p
}

// TotalCap is the most matches a list's total counts. An exact COUNT(*) of
// a broad filter reads every matching index entry on every page: on a
// table of millions that is most of the page's cost and grows with the
// table. Up to the cap a total is exact (what people count); past it the
// list says "10,000+" and the caller narrows the filter.
const TotalCap = 10_000

// TotalText is a total as people read it: "1,234", or "10,000+" when more
// match than TotalCap counts.
func TotalText(n int, capped bool) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if capped {
		s += "+"
	}
	return s
}

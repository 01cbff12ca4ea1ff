package web

import (
	"net/url"
	"slices"
	"strings"
)

// Lists read the page they show with paging.FromQuery(q, nil): the rule
// the API follows, with a bad ?limit= corrected rather than refused. The
// links between pages are built here.

// maxTrail bounds how many earlier pages "Previous" can walk back through.
const maxTrail = 20

// carry copies the first non-empty value of each of q's parameters except
// drop and "done" (a one-time flash message), for links that keep a list's
// filters.
func carry(q url.Values, drop ...string) url.Values {
	v := url.Values{}
	for k, vals := range q {
		if k != "done" && !slices.Contains(drop, k) && len(vals) > 0 && vals[0] != "" {
			v.Set(k, vals[0])
		}
	}
	return v
}

// pageLinks builds first/previous/next links for keyset paging. The
// cursors of earlier pages ride along in "trail" (separated by "~", which
// never occurs in a cursor), so Previous works without offsets.
func pageLinks(base string, q url.Values, next string) (first, prev, nextURL string) {
	cursor := q.Get("cursor")
	var trail []string
	if cursor != "" {
		trail = strings.Split(q.Get("trail"), "~")
	}
	link := func(c string, t []string) string {
		v := carry(q, "cursor", "trail")
		if c != "" {
			v.Set("cursor", c)
			v.Set("trail", strings.Join(t, "~"))
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	if cursor != "" {
		first = link("", nil)
		prev = link(trail[len(trail)-1], trail[:len(trail)-1])
	}
	if next != "" {
		t := append(trail, cursor)
		if len(t) > maxTrail {
			t = t[len(t)-maxTrail:]
		}
		nextURL = link(next, t)
	}
	return first, prev, nextURL
}

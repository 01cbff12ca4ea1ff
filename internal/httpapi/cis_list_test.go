package httpapi

import (
	"net/url"
	"testing"
	"time"
)

// TestListCIsSearchSortAndDeletes: ?q= finds words inside names and
// identifiers, ?sort= orders the list, and include_deleted=true adds the
// tombstones of deleted CIs to an incremental sync, each answer held
// against the document.
func TestListCIsSearchSortAndDeletes(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := e.fixture()
		v := newValidator(t, e)
		e.clk.Advance(time.Minute)
		since := url.QueryEscape(e.clk.Now().Format(time.RFC3339))
		e.clk.Advance(time.Minute)
		e.must(req{as: asAdmin, method: "DELETE", path: "/api/v1/cis/" + f.otherLaptop.Key}, 204)
		e.must(req{as: asAdmin, method: "DELETE", path: "/api/v1/cis/" + f.laptop.Key}, 204)
		tomb := func(key string) string { return `{"key":"` + key + `","deleted_at":"` }
		e.run(t, v, []step{
			{name: "substring of a name", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?q=SHOP"}, want: 200,
				contains: []string{f.shop.Key, f.app.Key, `"total":2`}},
			{name: "substring of an IP", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?q=0.0.5"}, want: 200,
				contains: []string{f.db.Key, `"total":1`}},
			{name: "sort by criticality, highest first", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?sort=-criticality&limit=1"}, want: 200,
				contains: []string{`"key":"` + f.shop.Key + `"`, `"next_cursor"`}},
			{name: "unknown sort", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?sort=colour"}, want: 400, contains: []string{`"field":"sort"`}},
			{name: "sync with deletes", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?updated_since=" + since + "&include_deleted=true"}, want: 200,
				contains: []string{tomb(f.otherLaptop.Key), tomb(f.laptop.Key), `"total":2`}},
			{name: "sync without deletes", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?updated_since=" + since}, want: 200,
				contains: []string{`"items":[]`, `"total":0`}},
			{name: "requester: only the tombstone of her own CI", q: req{as: asRequester, method: "GET", path: "/api/v1/cis?updated_since=" + since + "&include_deleted=true"}, want: 200,
				contains: []string{tomb(f.laptop.Key), `"total":1`}, absent: []string{f.otherLaptop.Key}},
			{name: "sync pages from CIs into tombstones", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?include_deleted=true&limit=3"}, want: 200,
				contains: []string{`"total":5`, `"next_cursor"`}, absent: []string{`"deleted_at"`}},
			{name: "include_deleted not a boolean", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?include_deleted=maybe"}, want: 400,
				contains: []string{`"field":"include_deleted"`}},
		})
		e.clk.Advance(91 * 24 * time.Hour)
		e.run(t, v, []step{
			{name: "sync older than tombstones are kept", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?updated_since=" + since + "&include_deleted=true"}, want: 422,
				contains: []string{`"field":"updated_since"`}},
		})
	})
}

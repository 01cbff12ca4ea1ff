package client

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/vuln"
)

// ListFindings returns one page of findings matching f, highest priority
// first.
func (c *Client) ListFindings(ctx context.Context, f vuln.Filter) (vuln.Page, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("ci", f.CI)
	set("cve", f.CVE)
	set("cursor", f.Cursor)
	var ps, ss []string
	for _, p := range f.Priority {
		ps = append(ps, string(p))
	}
	for _, s := range f.State {
		ss = append(ss, string(s))
	}
	set("priority", strings.Join(ps, ","))
	set("state", strings.Join(ss, ","))
	if f.KEV != nil {
		q.Set("kev", strconv.FormatBool(*f.KEV))
	}
	if f.UpdatedSince != nil {
		q.Set("updated_since", f.UpdatedSince.UTC().Format(time.RFC3339Nano))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var page vuln.Page
	err := c.do(ctx, request{method: "GET", path: "/findings", query: q}, &page)
	return page, err
}

// GetFinding returns one finding with its detail.
func (c *Client) GetFinding(ctx context.Context, key string) (vuln.Record, error) {
	var r vuln.Record
	err := c.do(ctx, request{method: "GET", path: "/findings/" + url.PathEscape(key)}, &r)
	return r, err
}

// ChangeFinding moves a finding to another state.
func (c *Client) ChangeFinding(ctx context.Context, key string, ch vuln.StateChange) (vuln.Record, error) {
	body, err := jsonBody(ch)
	if err != nil {
		return vuln.Record{}, err
	}
	var r vuln.Record
	err = c.do(ctx, request{method: "PATCH", path: "/findings/" + url.PathEscape(key), body: body, contentType: "application/json"}, &r)
	return r, err
}

package client

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// ListCIs returns one page of CIs matching f (see GET /api/v1/cis).
func (c *Client) ListCIs(ctx context.Context, f cmdb.Filter) (cmdb.Page, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("q", f.Query)
	set("kind", string(f.Kind))
	set("environment", f.Environment)
	set("owner", f.Owner)
	set("support_group", f.SupportGroup)
	set("tag", f.Tag)
	set("lifecycle_status", f.LifecycleStatus)
	set("cursor", f.Cursor)
	if f.MinCriticality > 0 {
		q.Set("min_criticality", strconv.Itoa(f.MinCriticality))
	}
	if f.InternetExposed != nil {
		q.Set("internet_exposed", strconv.FormatBool(*f.InternetExposed))
	}
	if !f.UpdatedSince.IsZero() {
		q.Set("updated_since", f.UpdatedSince.UTC().Format(time.RFC3339Nano))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var page cmdb.Page
	err := c.do(ctx, request{method: "GET", path: "/cis", query: q}, &page)
	return page, err
}

// GetCI returns one CI by key.
func (c *Client) GetCI(ctx context.Context, key string) (cmdb.CI, error) {
	var ci cmdb.CI
	err := c.do(ctx, request{method: "GET", path: "/cis/" + url.PathEscape(key)}, &ci)
	return ci, err
}

// CreateCI creates a CI from body: a value encoded as JSON (a map of the
// CIInput fields), or raw JSON bytes (json.RawMessage) sent as they are.
func (c *Client) CreateCI(ctx context.Context, body any) (cmdb.CI, error) {
	r, err := jsonBody(body)
	if err != nil {
		return cmdb.CI{}, err
	}
	var ci cmdb.CI
	err = c.do(ctx, request{method: "POST", path: "/cis", body: r, contentType: "application/json"}, &ci)
	return ci, err
}

// UpdateCI changes the fields body gives (PATCH semantics: absent fields
// stay) on the condition that the CI is still at version: a CI someone
// else changed since is refused (a *Problem, 409 or 412) and left as it is.
func (c *Client) UpdateCI(ctx context.Context, key string, body any, version int64) (cmdb.CI, error) {
	r, err := jsonBody(body)
	if err != nil {
		return cmdb.CI{}, err
	}
	var ci cmdb.CI
	err = c.do(ctx, request{method: "PATCH", path: "/cis/" + url.PathEscape(key), body: r, contentType: "application/json",
		ifMatch: strconv.Quote(strconv.FormatInt(version, 10))}, &ci)
	return ci, err
}

// ReleaseSources hands fields of a CI back to imports.
func (c *Client) ReleaseSources(ctx context.Context, key string, fields []string) (cmdb.CI, error) {
	body, err := jsonBody(map[string][]string{"fields": fields})
	if err != nil {
		return cmdb.CI{}, err
	}
	var ci cmdb.CI
	err = c.do(ctx, request{method: "POST", path: "/cis/" + url.PathEscape(key) + "/release-sources", body: body, contentType: "application/json"}, &ci)
	return ci, err
}

// DeleteCI deletes a CI.
func (c *Client) DeleteCI(ctx context.Context, key string) error {
	return c.do(ctx, request{method: "DELETE", path: "/cis/" + url.PathEscape(key)}, nil)
}

// Impact runs impact analysis from key; depth 0 leaves the server default.
func (c *Client) Impact(ctx context.Context, key string, dir cmdb.Direction, depth int) (cmdb.Impact, error) {
	q := url.Values{}
	if dir != "" {
		q.Set("direction", string(dir))
	}
	if depth > 0 {
		q.Set("depth", strconv.Itoa(depth))
	}
	var imp cmdb.Impact
	err := c.do(ctx, request{method: "GET", path: "/cis/" + url.PathEscape(key) + "/impact", query: q}, &imp)
	return imp, err
}

// ImportOptions are what an import says besides its file: the file name
// recorded in the report, the import source its fields are recorded as
// set by ("" for the server's default, the format), and strict.
type ImportOptions struct {
	Filename, Source string
	Strict           bool
}

// Import uploads a discovery file (format nmap, csv or json) and returns
// the report with the first page of its rows (ImportRows has the rest). A
// refused strict import, or one that stopped part-way, is a *Problem whose
// Report is set.
func (c *Client) Import(ctx context.Context, format string, file io.Reader, opt ImportOptions) (cmdb.ImportReport, error) {
	q := url.Values{}
	if opt.Filename != "" {
		q.Set("filename", opt.Filename)
	}
	if opt.Source != "" {
		q.Set("source", opt.Source)
	}
	if opt.Strict {
		q.Set("strict", "true")
	}
	var rep cmdb.ImportReport
	err := c.do(ctx, request{method: "POST", path: "/imports/" + url.PathEscape(format), query: q, body: file,
		contentType: "application/octet-stream"}, &rep)
	return rep, err
}

// Relations returns the relationships of a CI, both directions.
func (c *Client) Relations(ctx context.Context, key string) ([]cmdb.Relation, error) {
	var out struct {
		Items []cmdb.Relation `json:"items"`
	}
	err := c.do(ctx, request{method: "GET", path: "/cis/" + url.PathEscape(key) + "/relations"}, &out)
	return out.Items, err
}

// AddRelation records "source typ target" (the source needs the target).
func (c *Client) AddRelation(ctx context.Context, source string, typ cmdb.RelationType, target string) (cmdb.Relation, error) {
	r, err := jsonBody(map[string]string{"source": source, "type": string(typ), "target": target})
	if err != nil {
		return cmdb.Relation{}, err
	}
	var rel cmdb.Relation
	err = c.do(ctx, request{method: "POST", path: "/relations", body: r, contentType: "application/json"}, &rel)
	return rel, err
}

// DeleteRelation removes a relationship by id.
func (c *Client) DeleteRelation(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: "/relations/" + strconv.FormatInt(id, 10)}, nil)
}

// ImportRows returns the rows kept with import key after cursor: every
// page from there to the last, at most 500 rows a request; cursor "-"
// starts at the first row.
func (c *Client) ImportRows(ctx context.Context, key, cursor string) ([]cmdb.ImportRow, error) {
	var out []cmdb.ImportRow
	for cursor != "" {
		q := url.Values{"cursor": {cursor}, "limit": {"500"}}
		if cursor == "-" {
			q.Del("cursor")
		}
		var rep cmdb.ImportReport
		if err := c.do(ctx, request{method: "GET", path: "/imports/" + url.PathEscape(key), query: q}, &rep); err != nil {
			return out, err
		}
		out = append(out, rep.Rows...)
		cursor = rep.NextCursor
	}
	return out, nil
}

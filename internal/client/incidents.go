package client

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/rampart-itsm/rampart/internal/incident"
)

// ListIncidents returns one page of incidents matching f (see GET
// /api/v1/incidents).
func (c *Client) ListIncidents(ctx context.Context, f incident.Filter) (incident.Page, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("q", f.Query)
	set("state", f.State)
	set("category", f.Category)
	set("assignment_group", f.AssignmentGroup)
	set("assignee", f.Assignee)
	set("caller", f.Caller)
	set("ci", f.CI)
	set("parent", f.Parent)
	set("sort", f.Sort)
	set("cursor", f.Cursor)
	if f.Priority > 0 {
		q.Set("priority", strconv.Itoa(f.Priority))
	}
	if f.Unassigned {
		q.Set("unassigned", "true")
	}
	if f.MyGroups {
		q.Set("my_groups", "true")
	}
	if f.Security != nil {
		q.Set("security", strconv.FormatBool(*f.Security))
	}
	if f.Major != nil {
		q.Set("major", strconv.FormatBool(*f.Major))
	}
	if !f.UpdatedSince.IsZero() {
		q.Set("updated_since", f.UpdatedSince.UTC().Format(time.RFC3339Nano))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var page incident.Page
	err := c.do(ctx, request{method: "GET", path: "/incidents", query: q}, &page)
	return page, err
}

// GetIncident returns one incident by key.
func (c *Client) GetIncident(ctx context.Context, key string) (incident.Incident, error) {
	var inc incident.Incident
	err := c.do(ctx, request{method: "GET", path: "/incidents/" + url.PathEscape(key)}, &inc)
	return inc, err
}

// CreateIncident raises an incident from body: a value encoded as JSON (a
// map of the IncidentInput fields), or raw JSON bytes sent as they are.
func (c *Client) CreateIncident(ctx context.Context, body any) (incident.Incident, error) {
	r, err := jsonBody(body)
	if err != nil {
		return incident.Incident{}, err
	}
	var inc incident.Incident
	err = c.do(ctx, request{method: "POST", path: "/incidents", body: r, contentType: "application/json"}, &inc)
	return inc, err
}

// UpdateIncident changes an incident with a patch (a map of the
// IncidentPatch fields, or raw JSON).
func (c *Client) UpdateIncident(ctx context.Context, key string, patch any) (incident.Incident, error) {
	r, err := jsonBody(patch)
	if err != nil {
		return incident.Incident{}, err
	}
	var inc incident.Incident
	err = c.do(ctx, request{method: "PATCH", path: "/incidents/" + url.PathEscape(key), body: r, contentType: "application/json"}, &inc)
	return inc, err
}

// AddNote adds a work note or comment to an incident.
func (c *Client) AddNote(ctx context.Context, key, kind, body string) (incident.Note, error) {
	r, err := jsonBody(map[string]string{"kind": kind, "body": body})
	if err != nil {
		return incident.Note{}, err
	}
	var n incident.Note
	err = c.do(ctx, request{method: "POST", path: "/incidents/" + url.PathEscape(key) + "/notes", body: r, contentType: "application/json"}, &n)
	return n, err
}

// Timeline returns an incident's timeline.
func (c *Client) Timeline(ctx context.Context, key string) ([]incident.TimelineEntry, error) {
	var out struct {
		Items []incident.TimelineEntry `json:"items"`
	}
	err := c.do(ctx, request{method: "GET", path: "/incidents/" + url.PathEscape(key) + "/timeline"}, &out)
	return out.Items, err
}

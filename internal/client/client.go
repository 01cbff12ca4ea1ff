// Package client is a small typed client for Rampart's JSON API, used by
// the command-line verbs (rampart ci, relation, import, impact, user) and by tests that
// drive a running server. Error answers come back as *Problem, carrying
// the field list the server reported.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to one Rampart server with one API token.
type Client struct {
	baseURL *url.URL
	token   string
	http    *http.Client
}

// New returns a client for the server at baseURL (scheme and host, any
// path prefix kept) authenticating with token. Errors: a base URL that is
// not an absolute http(s) URL.
func New(baseURL, token string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(baseURL), "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server URL %q: want an absolute http(s) URL such as http://127.0.0.1:8080", baseURL)
	}
	return &Client{baseURL: u, token: strings.TrimSpace(token), http: &http.Client{Timeout: 5 * time.Minute}}, nil
}

// WithHTTPClient replaces the HTTP client (timeouts, transports in tests).
func (c *Client) WithHTTPClient(h *http.Client) *Client {
	c.http = h
	return c
}

// request is one API call.
type request struct {
	method      string
	path        string // below /api/v1
	query       url.Values
	body        io.Reader
	contentType string
	accept      string
	ifMatch     string // entity tag the write is conditional on
}

// do sends r and decodes a successful JSON answer into out (when not nil).
func (c *Client) do(ctx context.Context, r request, out any) error {
	resp, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", r.method, r.path, err)
	}
	return nil
}

// send performs the request and turns error answers into *Problem; the
// caller closes the body of a successful answer.
func (c *Client) send(ctx context.Context, r request) (*http.Response, error) {
	u := *c.baseURL
	u.Path = c.baseURL.Path + "/api/v1" + r.path
	u.RawQuery = r.query.Encode()
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), r.body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.ifMatch != "" {
		req.Header.Set("If-Match", r.ifMatch)
	}
	accept := r.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "rampart-cli")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach Rampart at %s: %w", c.baseURL, err)
	}
	if resp.StatusCode >= 400 {
		defer resp.Body.Close()
		return nil, readProblem(resp)
	}
	return resp, nil
}

// jsonBody encodes v for a request; json.RawMessage and []byte go as is.
func jsonBody(v any) (io.Reader, error) {
	switch b := v.(type) {
	case json.RawMessage:
		return bytes.NewReader(b), nil
	case []byte:
		return bytes.NewReader(b), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return bytes.NewReader(raw), nil
}

// readProblem reads an error answer: the server's problem details, or for
// anything else (a proxy's HTML page) the status and the start of the body.
func readProblem(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	p := &Problem{Status: resp.StatusCode, Title: http.StatusText(resp.StatusCode)}
	if mt == "application/problem+json" || mt == "application/json" {
		if err := json.Unmarshal(body, p); err == nil && p.Status != 0 {
			return p
		}
	}
	text := strings.TrimSpace(string(body))
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	p.Status, p.Detail = resp.StatusCode, text
	return p
}

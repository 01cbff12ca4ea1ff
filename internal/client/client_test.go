package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Answers that are not problem details (a proxy's error page) still come
// back as a *Problem with the status and the start of the body.
func TestNonProblemErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rampart/api/v1/cis/CI-1" || r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("request %s with %q", r.URL.Path, r.Header.Get("Authorization"))
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>upstream down</html>"))
	}))
	defer srv.Close()
	c, err := New(srv.URL+"/rampart/", "tok")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCI(context.Background(), "CI-1")
	var p *Problem
	if !errors.As(err, &p) || p.Status != 502 || !strings.Contains(p.Detail, "upstream down") {
		t.Fatalf("error %v", err)
	}
}

func TestProblemError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"type":"urn:rampart:problem:invalid","title":"Invalid input","status":422,"detail":"invalid input","errors":[{"field":"name","message":"is required"}]}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, "tok")
	_, err := c.CreateCI(context.Background(), map[string]any{})
	var p *Problem
	if !errors.As(err, &p) || p.Kind() != "invalid" || err.Error() != "422 Invalid input: invalid input\n  name: is required" {
		t.Fatalf("error %q", err)
	}
}

func TestNewRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:8080", "ftp://host", "http://"} {
		if _, err := New(u, "t"); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}

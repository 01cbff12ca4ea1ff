package web

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestLocalPath(t *testing.T) {
	cases := []struct{ in, want string }{
		{"/cis?kind=server", "/cis?kind=server"},
		{"/cis/CI-1/impact", "/cis/CI-1/impact"},
		{"", "/cis"},
		{"cis", "/cis"},
		{"//evil.example/", "/cis"},
		{"/\\evil.example", "/cis"},
		{"https://evil.example/", "/cis"},
		{"javascript:alert(1)", "/cis"},
		{"/ok\r\nSet-Cookie: x", "/cis"},
		{"/a\\b", "/cis"},
	}
	for _, tc := range cases {
		if got := localPath(tc.in, "/cis"); got != tc.want {
			t.Errorf("localPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPageLinksCarryTheTrail(t *testing.T) {
	// First page: only Next, which remembers the first page.
	first, prev, next := pageLinks("/cis", url.Values{"kind": {"server"}}, "c2")
	if first != "" || prev != "" || next != "/cis?cursor=c2&kind=server&trail=" {
		t.Fatalf("page 1: %q %q %q", first, prev, next)
	}
	// Page 3 (reached via c2, c3): Previous goes to c2 with the trail before it.
	first, prev, next = pageLinks("/cis", url.Values{"kind": {"server"}, "cursor": {"c3"}, "trail": {"~c2"}}, "")
	if first != "/cis?kind=server" || prev != "/cis?cursor=c2&kind=server&trail=" || next != "" {
		t.Fatalf("page 3: %q %q %q", first, prev, next)
	}
	// Page 2: Previous is the first page, which has no cursor.
	_, prev, _ = pageLinks("/cis", url.Values{"cursor": {"c2"}, "trail": {""}}, "c3")
	if prev != "/cis" {
		t.Fatalf("page 2 previous %q", prev)
	}
	// The trail is bounded however far one pages.
	trail := ""
	for range maxTrail + 5 {
		trail += "~cursor"
	}
	_, _, next = pageLinks("/cis", url.Values{"cursor": {"x"}, "trail": {trail}}, "y")
	u, _ := url.Parse(next)
	if n := len(strings.Split(u.Query().Get("trail"), "~")); n != maxTrail {
		t.Fatalf("trail of %d cursors, want %d", n, maxTrail)
	}
}

func TestMapFieldErrors(t *testing.T) {
	var fe errs.Fields
	fe.Add("name", "is required")
	fe.Add("identifiers.ips[1]", "not an IP")
	fe.Add("/identifiers/macs/0", "not a MAC")
	fe.Add("business_criticality", "must be between 1 and 5")
	fe.Add("mystery", "odd")
	got := mapFieldErrors(fe.Err(), ciFields)
	want := map[string][]string{"name": {"is required"}, "ips": {"not an IP"}, "macs": {"not a MAC"},
		"criticality": {"must be between 1 and 5"}, "": {"mystery: odd"}}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			t.Errorf("%q: %v, want %v", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("extra fields: %v", got)
	}
}

func TestAttributeViews(t *testing.T) {
	v := attributeViews(map[string]any{
		"ports": []any{map[string]any{"service": "ssh", "port": float64(22), "extra": true}},
		"os":    "Debian",
		"dns":   []any{"a", "b"},
		"n":     float64(1.5),
	})
	names := []string{}
	for _, a := range v {
		names = append(names, a.Name)
	}
	if !slices.Equal(names, []string{"dns", "n", "os", "ports"}) {
		t.Fatalf("order %v", names)
	}
	if v[0].Text != "a, b" || v[1].Text != "1.5" || v[2].Text != "Debian" {
		t.Errorf("texts %q %q %q", v[0].Text, v[1].Text, v[2].Text)
	}
	tb := v[3].Table
	if tb == nil || !slices.Equal(tb.Columns, []string{"port", "service", "extra"}) || !slices.Equal(tb.Rows[0], []string{"22", "ssh", "yes"}) {
		t.Fatalf("table %+v", tb)
	}
}

package httpauth_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rampart-itsm/rampart/internal/httpauth"
)

func TestTransport(t *testing.T) {
	proxies, err := httpauth.ParseProxies(" 10.0.0.5, 192.168.0.0/16 ,fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		mode   httpauth.SecureMode
		remote string
		tls    bool
		proto  string // X-Forwarded-Proto
		secure bool   // cookie Secure and HSTS sent
	}{
		{"plain HTTP", httpauth.SecureAuto, "203.0.113.7:5000", false, "", false},
		{"TLS to Rampart itself", httpauth.SecureAuto, "203.0.113.7:5000", true, "", true},
		{"trusted proxy says https", httpauth.SecureAuto, "10.0.0.5:4000", false, "https", true},
		{"trusted proxy in a block, any case", httpauth.SecureAuto, "192.168.3.4:4000", false, "HTTPS", true},
		{"trusted IPv6 proxy", httpauth.SecureAuto, "[fd00::1]:4000", false, "https", true},
		{"IPv4-mapped trusted proxy", httpauth.SecureAuto, "[::ffff:10.0.0.5]:4000", false, "https", true},
		{"appended list keeps the client's scheme first", httpauth.SecureAuto, "10.0.0.5:4000", false, "https, http", true},
		{"trusted proxy says http", httpauth.SecureAuto, "10.0.0.5:4000", false, "http", false},
		{"anyone else's header is ignored", httpauth.SecureAuto, "10.0.0.6:4000", false, "https", false},
		{"a client outside the blocks", httpauth.SecureAuto, "203.0.113.7:5000", false, "https", false},
		{"always, on plain HTTP", httpauth.SecureAlways, "203.0.113.7:5000", false, "", true},
		{"never, even over TLS (cookie only)", httpauth.SecureNever, "203.0.113.7:5000", true, "", false},
	}
	for _, c := range cases {
		tr := httpauth.Transport{Secure: c.mode, Proxies: proxies}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		if got := tr.SecureCookies(r); got != c.secure {
			t.Errorf("%s: Secure = %v, want %v", c.name, got, c.secure)
		}
		w := httptest.NewRecorder()
		tr.HSTS(http.NotFoundHandler()).ServeHTTP(w, r)
		wantHSTS := c.secure || c.mode == httpauth.SecureNever && c.tls
		if got := w.Header().Get("Strict-Transport-Security"); (got == httpauth.HSTSValue) != wantHSTS {
			t.Errorf("%s: Strict-Transport-Security %q, want it %v", c.name, got, wantHSTS)
		}
	}
	// Without trusted proxies nobody's header counts.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr, r.Header["X-Forwarded-Proto"] = "127.0.0.1:1", []string{"https"}
	if (httpauth.Transport{}).SecureCookies(r) {
		t.Error("X-Forwarded-Proto believed with no trusted proxy configured")
	}
}

func TestParseTransportSettings(t *testing.T) {
	for _, bad := range []string{"10.0.0", "10.0.0.0/33", "proxy.example.com", "10.0.0.1;10.0.0.2"} {
		if _, err := httpauth.ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q) accepted", bad)
		}
	}
	if p, err := httpauth.ParseProxies(""); err != nil || len(p) != 0 {
		t.Errorf("empty list: %v %v", p, err)
	}
	for in, want := range map[string]httpauth.SecureMode{"": httpauth.SecureAuto, "auto": httpauth.SecureAuto, "AUTO": httpauth.SecureAuto,
		"true": httpauth.SecureAlways, "1": httpauth.SecureAlways, "false": httpauth.SecureNever, "0": httpauth.SecureNever} {
		if got, err := httpauth.ParseSecureMode(in); err != nil || got != want {
			t.Errorf("ParseSecureMode(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := httpauth.ParseSecureMode("sometimes"); err == nil {
		t.Error("ParseSecureMode accepted sometimes")
	}
}

// TestClientAddr: the peer is the client unless it is a trusted proxy;
// then the last X-Forwarded-For hop that is not a trusted proxy is, and
// hops a client wrote before it are ignored.
func TestClientAddr(t *testing.T) {
	proxies, _ := httpauth.ParseProxies("10.0.0.0/8")
	tr := httpauth.Transport{Proxies: proxies}
	for _, c := range []struct {
		peer, xff, want string
	}{
		{"203.0.113.9:5000", "", "203.0.113.9"},
		{"203.0.113.9:5000", "198.51.100.1", "203.0.113.9"}, // untrusted peer: header ignored
		{"10.0.0.2:5000", "198.51.100.1", "198.51.100.1"},
		{"10.0.0.2:5000", "6.6.6.6, 198.51.100.1, 10.0.0.7", "198.51.100.1"},
		{"10.0.0.2:5000", "", "10.0.0.2"},
		{"[::ffff:203.0.113.9]:5000", "", "203.0.113.9"},
		{"10.0.0.2:5000", "garbage", "10.0.0.2"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := tr.ClientAddr(r); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %q, want %q", c.peer, c.xff, got, c.want)
		}
	}
}

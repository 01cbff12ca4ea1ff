package httpauth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// SecureMode says when session cookies are marked Secure (sent back by the
// browser over HTTPS only).
type SecureMode int

const (
	// SecureAuto marks them Secure when the request came over TLS: to
	// Rampart itself, or to a trusted proxy that says so.
	SecureAuto SecureMode = iota
	// SecureAlways marks them Secure on every request, for a TLS proxy
	// that is not listed as trusted.
	SecureAlways
	// SecureNever never does (plain-HTTP set-ups behind a proxy that
	// claims HTTPS; not for production).
	SecureNever
)

// ParseSecureMode reads the secure-cookies setting: auto, or a boolean
// (true: always, false: never).
func ParseSecureMode(s string) (SecureMode, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "auto" {
		return SecureAuto, nil
	}
	b, err := strconv.ParseBool(s)
	switch {
	case err != nil:
		return SecureAuto, fmt.Errorf("secure cookies %q: want auto, true or false", s)
	case b:
		return SecureAlways, nil
	}
	return SecureNever, nil
}

// ParseProxies reads a comma-separated list of proxy addresses and CIDR
// blocks ("10.0.0.5, 10.1.0.0/16, ::1").
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want an IP address or a CIDR block such as 10.0.0.0/8", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// Transport is how Rampart tells whether a browser reached it over HTTPS,
// which decides the Secure flag of session cookies and whether to send
// Strict-Transport-Security. TLS may end at Rampart (the request has
// TLS state) or at a reverse proxy in front of it, which says so in
// X-Forwarded-Proto; that header is believed only from the proxies listed,
// since any client can send it.
type Transport struct {
	Secure  SecureMode
	Proxies []netip.Prefix
}

// HSTSValue is the Strict-Transport-Security header sent over HTTPS: a
// year, without includeSubDomains (other hosts of the domain are not
// Rampart's to decide for).
const HSTSValue = "max-age=31536000"

// ViaTLS reports whether the request reached the client side over TLS.
func (t Transport) ViaTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !t.fromTrustedProxy(r) {
		return false
	}
	// The first value is the scheme the first proxy saw; proxies that
	// append keep it first.
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

func (t Transport) fromTrustedProxy(r *http.Request) bool {
	a, ok := peerAddr(r)
	return ok && t.trusted(a)
}

// peerAddr is the address of the connection's other end.
func peerAddr(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// trusted reports whether a is one of the listed proxies.
func (t Transport) trusted(a netip.Addr) bool {
	for _, p := range t.Proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// SecureCookies reports whether cookies set in answer to r are Secure.
func (t Transport) SecureCookies(r *http.Request) bool {
	switch t.Secure {
	case SecureAlways:
		return true
	case SecureNever:
		return false
	}
	return t.ViaTLS(r)
}

// HSTS adds Strict-Transport-Security to answers of requests that came
// over TLS (or to every answer when cookies are always Secure, which says
// the site is HTTPS-only; browsers ignore the header over plain HTTP).
func (t Transport) HSTS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t.Secure == SecureAlways || t.ViaTLS(r) {
			w.Header().Set("Strict-Transport-Security", HSTSValue)
		}
		next.ServeHTTP(w, r)
	})
}

// ClientAddr is the address of the client a request came from: the peer,
// or, when the peer is a trusted proxy, the last address in
// X-Forwarded-For that is not itself a trusted proxy (addresses before it
// were written by the client and prove nothing). "" when unreadable.
func (t Transport) ClientAddr(r *http.Request) string {
	peer, ok := peerAddr(r)
	if !ok {
		return ""
	}
	if !t.trusted(peer) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if a = a.Unmap(); !t.trusted(a) {
			return a.String()
		}
	}
	return peer.String()
}

// WithClientAddr puts each request's ClientAddr into its context
// (auth.ClientAddr), for sign-in throttling and the audit log.
func (t Transport) WithClientAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(auth.WithClientAddr(r.Context(), t.ClientAddr(r))))
	})
}

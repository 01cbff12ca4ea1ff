package alert

import (
	"net/netip"
	"net/url"
	"strings"
)

// ObservableKind says what an observable is. The kinds are the security
// incident's observables, so a sighting in an alert and one in an
// incident match.
type ObservableKind string

const (
	ObservableIP     ObservableKind = "ip"
	ObservableDomain ObservableKind = "domain"
	ObservableURL    ObservableKind = "url"
	ObservableHash   ObservableKind = "file_hash"
	ObservableEmail  ObservableKind = "email"
	ObservableUser   ObservableKind = "user_account"
)

// Observable is a value worth looking for elsewhere: an address, a
// domain, a URL, a file hash, an e-mail address or a user account.
type Observable struct {
	Kind  ObservableKind `json:"kind"`
	Value string         `json:"value"`
}

// NormalizeObservable returns the canonical form of an observable, ok
// false when value is not one of its kind: IP addresses canonical (IPv4
// inside IPv6 unmapped), domains, e-mail addresses and hashes in lower
// case, URLs with a scheme and a host, user accounts trimmed. A domain
// that is an IP address becomes an ip observable.
func NormalizeObservable(kind ObservableKind, value string) (Observable, bool) {
	v := strings.TrimSpace(value)
	if v == "" || len(v) > MaxLine {
		return Observable{}, false
	}
	switch kind {
	case ObservableIP:
		ip, err := netip.ParseAddr(v)
		if err != nil {
			return Observable{}, false
		}
		return Observable{kind, ip.Unmap().String()}, true
	case ObservableDomain:
		if ip, err := netip.ParseAddr(v); err == nil {
			return Observable{ObservableIP, ip.Unmap().String()}, true
		}
		d, ok := domain(v)
		return Observable{kind, d}, ok
	case ObservableURL:
		u, err := url.Parse(v)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return Observable{}, false
		}
		return Observable{kind, v}, true
	case ObservableHash:
		switch len(v) {
		case 32, 40, 64, 128: // MD5, SHA-1, SHA-256, SHA-512
		default:
			return Observable{}, false
		}
		for i := 0; i < len(v); i++ {
			if !isHex(v[i]) {
				return Observable{}, false
			}
		}
		return Observable{kind, strings.ToLower(v)}, true
	case ObservableEmail:
		local, host, ok := strings.Cut(v, "@")
		if !ok || local == "" || strings.ContainsAny(local, " @<>\t") {
			return Observable{}, false
		}
		d, ok := domain(host)
		if !ok {
			return Observable{}, false
		}
		return Observable{kind, strings.ToLower(local) + "@" + d}, true
	case ObservableUser:
		if v == "-" || strings.EqualFold(v, "n/a") || strings.EqualFold(v, "(null)") {
			return Observable{}, false
		}
		return Observable{kind, v}, true
	}
	return Observable{}, false
}

// domain checks a DNS name with at least two labels of letters, digits,
// hyphens and underscores, and returns it in lower case without a
// trailing dot.
func domain(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if len(s) > 253 || !strings.Contains(s, ".") {
		return "", false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 {
			return "", false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", false
			}
		}
	}
	return s, true
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

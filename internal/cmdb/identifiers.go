package cmdb

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Values lists the identifiers as kind/value pairs, in precedence order.
func (ids Identifiers) Values() []IdentifierValue {
	n := ids.count()
	if n == 0 {
		return nil
	}
	// Sized up front: an import calls this several times per row.
	out := make([]IdentifierValue, 0, n)
	if ids.CloudID != "" {
		out = append(out, IdentifierValue{IDCloud, ids.CloudID})
	}
	if ids.Serial != "" {
		out = append(out, IdentifierValue{IDSerial, ids.Serial})
	}
	for _, v := range ids.MACs {
		out = append(out, IdentifierValue{IDMAC, v})
	}
	for _, v := range ids.FQDNs {
		out = append(out, IdentifierValue{IDFQDN, v})
	}
	for _, v := range ids.Hostnames {
		out = append(out, IdentifierValue{IDHostname, v})
	}
	for _, v := range ids.IPs {
		out = append(out, IdentifierValue{IDIP, v})
	}
	return out
}

// count is how many identifiers Values lists.
func (ids Identifiers) count() int {
	n := len(ids.MACs) + len(ids.FQDNs) + len(ids.Hostnames) + len(ids.IPs)
	if ids.CloudID != "" {
		n++
	}
	if ids.Serial != "" {
		n++
	}
	return n
}

// Empty reports whether no identifier is set.
func (ids Identifiers) Empty() bool {
	return ids.CloudID == "" && ids.Serial == "" && len(ids.MACs) == 0 && len(ids.FQDNs) == 0 &&
		len(ids.Hostnames) == 0 && len(ids.IPs) == 0
}

// Add puts one identifier into its list (or single field), skipping
// duplicates. It returns false when a single-valued identifier (serial,
// cloud id) already holds a different value.
func (ids *Identifiers) Add(v IdentifierValue) bool {
	add := func(list *[]string) {
		for _, x := range *list {
			if x == v.Value {
				return
			}
		}
		*list = append(*list, v.Value)
	}
	switch v.Kind {
	case IDHostname:
		add(&ids.Hostnames)
	case IDFQDN:
		add(&ids.FQDNs)
	case IDIP:
		add(&ids.IPs)
	case IDMAC:
		add(&ids.MACs)
	case IDSerial:
		if ids.Serial != "" && ids.Serial != v.Value {
			return false
		}
		ids.Serial = v.Value
	case IDCloud:
		if ids.CloudID != "" && ids.CloudID != v.Value {
			return false
		}
		ids.CloudID = v.Value
	}
	return true
}

// Merge adds every identifier of other that ids lacks. A serial or cloud id
// already set is kept; the caller decides whether a different one is an
// error (see Add).
func (ids Identifiers) Merge(other Identifiers) Identifiers {
	out := ids.clone()
	for _, v := range other.Values() {
		out.Add(v)
	}
	return out
}

func (ids Identifiers) clone() Identifiers {
	c := ids
	c.Hostnames = cloneStrings(ids.Hostnames)
	c.FQDNs = cloneStrings(ids.FQDNs)
	c.IPs = cloneStrings(ids.IPs)
	c.MACs = cloneStrings(ids.MACs)
	return c
}

func cloneStrings(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return append([]string(nil), s...)
}

// NormalizeIdentifiers returns ids in canonical form: IP addresses as
// net/netip prints them (IPv4-mapped IPv6 unmapped), MACs lower-case with
// colons, host names and FQDNs lower-case without a trailing dot, serial
// and cloud id trimmed; duplicates dropped and empty lists nil. Each
// invalid value is reported under its field, e.g. "identifiers.ips[1]"
// (prefix is prepended to "identifiers").
func NormalizeIdentifiers(ids Identifiers, prefix string, fe *errs.Fields) Identifiers {
	var out Identifiers
	field := prefix + "identifiers"
	list := func(name string, in []string, norm func(string) (string, error)) []string {
		var res []string
		for i, raw := range in {
			v, err := norm(raw)
			if err != nil {
				fe.Add(fmt.Sprintf("%s.%s[%d]", field, name, i), "%v", err)
				continue
			}
			dup := false
			for _, x := range res {
				dup = dup || x == v
			}
			if !dup {
				res = append(res, v)
			}
		}
		return res
	}
	out.Hostnames = list("hostnames", ids.Hostnames, NormalizeHostname)
	out.FQDNs = list("fqdns", ids.FQDNs, NormalizeFQDN)
	out.IPs = list("ips", ids.IPs, NormalizeIP)
	out.MACs = list("macs", ids.MACs, NormalizeMAC)
	var err error
	if out.Serial, err = normalizeOpaque(ids.Serial); err != nil {
		fe.Add(field+".serial", "%v", err)
	}
	if out.CloudID, err = normalizeOpaque(ids.CloudID); err != nil {
		fe.Add(field+".cloud_id", "%v", err)
	}
	return out
}

// NormalizeIP parses an IPv4 or IPv6 address (no zone, no prefix length)
// and returns its canonical text.
func NormalizeIP(s string) (string, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || a.Zone() != "" {
		return "", fmt.Errorf("%q is not an IP address", s)
	}
	return a.Unmap().String(), nil
}

// NormalizeMAC parses a 48- or 64-bit hardware address in colon, hyphen,
// dotted or bare hexadecimal form and returns it lower-case with colons.
func NormalizeMAC(s string) (string, error) {
	t := strings.TrimSpace(s)
	if (len(t) == 12 || len(t) == 16) && isHex(t) {
		var b strings.Builder
		for i := 0; i < len(t); i += 2 {
			if i > 0 {
				b.WriteByte(':')
			}
			b.WriteString(t[i : i+2])
		}
		t = b.String()
	}
	hw, err := net.ParseMAC(t)
	if err != nil || (len(hw) != 6 && len(hw) != 8) {
		return "", fmt.Errorf("%q is not a MAC address", s)
	}
	return hw.String(), nil
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// NormalizeHostname lower-cases a host name and checks it is made of DNS
// labels (letters, digits, hyphens; underscores are tolerated because
// Windows and service records use them).
func NormalizeHostname(s string) (string, error) {
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	if h == "" {
		return "", fmt.Errorf("empty host name")
	}
	if len(h) > 253 {
		return "", fmt.Errorf("host name longer than 253 characters")
	}
	for label := range strings.SplitSeq(h, ".") { // no slice per name: imports check millions
		if label == "" || len(label) > 63 {
			return "", fmt.Errorf("%q is not a valid host name", s)
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			ok := 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || (c == '-' && i > 0 && i < len(label)-1)
			if !ok {
				return "", fmt.Errorf("%q is not a valid host name", s)
			}
		}
	}
	return h, nil
}

// NormalizeFQDN is NormalizeHostname for names with at least two labels.
func NormalizeFQDN(s string) (string, error) {
	h, err := NormalizeHostname(s)
	if err != nil {
		return "", err
	}
	if !strings.Contains(h, ".") {
		return "", fmt.Errorf("%q is not a fully qualified domain name", s)
	}
	return h, nil
}

// normalizeOpaque trims a serial number or cloud id; these are compared
// exactly, as their issuers print them.
func normalizeOpaque(s string) (string, error) {
	t := strings.TrimSpace(s)
	if len(t) > 512 {
		return "", fmt.Errorf("longer than 512 characters")
	}
	for _, c := range t {
		if c < 0x20 || c == 0x7f {
			return "", fmt.Errorf("contains control characters")
		}
	}
	return t, nil
}

package importer

import (
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// nmapCandidate maps one <host> to a candidate, or returns why the host is
// not an asset. row is the host's position among the file's <host>
// elements, down hosts included, so rows keep the file's order.
//
// The candidate sets identifiers and attributes only: nmap observes
// addresses, names, services and the operating system, not what a CI is
// called or what kind it is. Name and kind are left to the CMDB's defaults
// for a new CI (first host name, else address; server), so a later scan
// never overwrites a name or kind someone curated.
func nmapCandidate(h *nmapHost, row int) (cmdb.Candidate, string) {
	c := cmdb.Candidate{Row: row}
	var fe errs.Fields
	var ids cmdb.Identifiers
	attrs := map[string]any{}

	for _, a := range h.Addresses {
		switch a.AddrType {
		case "ipv4", "ipv6":
			ip, err := cmdb.NormalizeIP(a.Addr)
			if err != nil {
				fe.Add("address", "%v", err)
				continue
			}
			ids.Add(cmdb.IdentifierValue{Kind: cmdb.IDIP, Value: ip})
		case "mac":
			mac, err := cmdb.NormalizeMAC(a.Addr)
			if err != nil {
				fe.Add("address", "%v", err)
				continue
			}
			ids.Add(cmdb.IdentifierValue{Kind: cmdb.IDMAC, Value: mac})
			if a.Vendor != "" && attrs["mac_vendor"] == nil {
				attrs["mac_vendor"] = clip(a.Vendor, maxXMLText)
			}
		}
	}
	nmapNames(h.Hostnames, &ids)
	c.Label = nmapLabel(h, row)

	if reason := nmapSkip(h, len(ids.MACs) > 0); reason != "" {
		return c, reason
	}
	if len(ids.IPs) == 0 && len(fe) == 0 {
		fe.Add("address", "the host has no IP address")
	}
	if h.Ports != nil {
		nmapPortsAttr(h.Ports, attrs, &fe)
	}
	if os := nmapOS(h.OSMatches); os != nil {
		attrs["os"] = os
	}

	c.Identifiers = ids // matched on and merged into the CI by the CMDB
	if len(attrs) > 0 {
		c.Fields.Attributes = &attrs
	}
	c.Problems = fe
	return c, ""
}

// nmapNames adds the host names: user names (given on the command line)
// and PTR names (reverse DNS). A name with a dot is an FQDN and its first
// label the host name; a name without one is a host name. Names that are
// not valid DNS names are left out rather than rejecting the host.
func nmapNames(names []nmapHostname, ids *cmdb.Identifiers) {
	for _, n := range names {
		name, err := cmdb.NormalizeHostname(n.Name)
		if err != nil {
			continue
		}
		short, _, isFQDN := strings.Cut(name, ".")
		if isFQDN {
			ids.Add(cmdb.IdentifierValue{Kind: cmdb.IDFQDN, Value: name})
		}
		ids.Add(cmdb.IdentifierValue{Kind: cmdb.IDHostname, Value: short})
	}
}

// nmapLabel names the host as nmap's own report does: "host 10.0.0.5
// (web01.example.com)".
func nmapLabel(h *nmapHost, row int) string {
	addr := ""
	for _, a := range h.Addresses {
		if a.AddrType == "ipv4" || a.AddrType == "ipv6" {
			addr = a.Addr
			break
		}
	}
	if addr == "" && len(h.Addresses) > 0 {
		addr = h.Addresses[0].Addr
	}
	label := "host " + strconv.Itoa(row)
	if addr != "" {
		label = "host " + clip(addr, 60)
	}
	for _, n := range h.Hostnames {
		if n.Name != "" {
			return label + " (" + clip(n.Name, 60) + ")"
		}
	}
	return label
}

// nmapSkip says why a host is not an asset, or "" when it is one. Down
// hosts did not answer discovery. A host that is "up" only because nmap
// was told to assume so (-Pn: reason "user-set") is an asset only if
// something answered: a MAC address (ARP/ND reply) or a port that was
// open, closed (a reset came back) or unfiltered. Otherwise every free
// address of a -Pn scan would become a CI.
func nmapSkip(h *nmapHost, hasMAC bool) string {
	if h.Status.State != "up" {
		reason := "host is " + orDefault(h.Status.State, "not up")
		if h.Status.Reason != "" {
			reason += " (" + clip(h.Status.Reason, 60) + ")"
		}
		return reason
	}
	if h.Status.Reason != "user-set" || hasMAC {
		return ""
	}
	if h.Ports != nil {
		for _, pt := range h.Ports.Ports {
			if answered(pt.State.State) {
				return ""
			}
		}
		for _, x := range h.Ports.Extra {
			if answered(x.State) {
				return ""
			}
		}
	}
	return "host was only assumed up (-Pn) and nothing answered"
}

// answered reports whether a port state proves that a host replied.
func answered(state string) bool {
	return state == "open" || state == "closed" || state == "unfiltered"
}

// listedOpen reports whether nmap considers a port possibly open and so
// worth listing as a service: "open", and "open|filtered" (no reply to a
// UDP or similar probe: nmap cannot tell an open port from a dropped one).
// closed, filtered, unfiltered and closed|filtered are not services.
func listedOpen(state string) bool { return state == "open" || state == "open|filtered" }

// nmapPortsAttr sets the "ports" attribute: one object per open or
// open|filtered port, in nmap's order. A port scan with nothing open
// yields an empty list, which is itself information; hosts of a ping scan
// (no <ports>) get no ports attribute, so they leave earlier scan results
// alone.
func nmapPortsAttr(ports *nmapPorts, attrs map[string]any, fe *errs.Fields) {
	list := []any{}
	omitted := 0
	for _, pt := range ports.Ports {
		if !listedOpen(pt.State.State) {
			continue
		}
		n, err := strconv.Atoi(pt.PortID)
		if err != nil || n < 0 || n > 65535 {
			fe.Add("ports", "port %q is not a port number", clip(pt.PortID, 20))
			continue
		}
		if len(list) >= maxPorts {
			omitted++
			continue
		}
		list = append(list, nmapPortObject(pt, n))
	}
	attrs["ports"] = list
	if omitted > 0 {
		attrs["ports_omitted"] = omitted
	}
}

// nmapPortObject is one entry of the ports attribute, e.g.
// {"protocol":"tcp","port":22,"state":"open","service":"ssh",
// "product":"OpenSSH","version":"9.2p1 Debian 2+deb12u3",
// "extrainfo":"protocol 2.0","cpe":["cpe:/a:openbsd:openssh:9.2p1"]}.
// Empty values are left out. "guessed" marks a service name nmap took from
// its port table without probing the service.
func nmapPortObject(pt nmapPort, n int) map[string]any {
	o := map[string]any{"protocol": clip(pt.Protocol, 16), "port": n, "state": pt.State.State}
	s := pt.Service
	if s == nil {
		return o
	}
	put := func(k, v string) {
		if v != "" {
			o[k] = clip(v, maxXMLText)
		}
	}
	put("service", s.Name)
	put("product", s.Product)
	put("version", s.Version)
	put("extrainfo", s.ExtraInfo)
	put("tunnel", s.Tunnel)
	if s.Method == "table" {
		o["guessed"] = true
	}
	if cpe := clipAll(s.CPE); len(cpe) > 0 {
		o["cpe"] = cpe
	}
	return o
}

// nmapOS returns the "os" attribute from nmap's best OS match (nmap lists
// matches best first) and its first class, or nil without -O results.
func nmapOS(matches []nmapOSMatch) map[string]any {
	if len(matches) == 0 {
		return nil
	}
	m := matches[0]
	os := map[string]any{"name": clip(m.Name, maxXMLText)}
	if acc, err := strconv.Atoi(m.Accuracy); err == nil {
		os["accuracy"] = acc
	}
	if len(m.Classes) > 0 {
		cl := m.Classes[0]
		put := func(k, v string) {
			if v != "" {
				os[k] = clip(v, maxXMLText)
			}
		}
		put("vendor", cl.Vendor)
		put("family", cl.OSFamily)
		put("generation", cl.OSGen)
		put("type", cl.Type)
		if cpe := clipAll(cl.CPE); len(cpe) > 0 {
			os["cpe"] = cpe
		}
	}
	return os
}

func clipAll(vals []string) []any {
	var out []any
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" && len(out) < 16 {
			out = append(out, clip(v, maxXMLText))
		}
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return clip(s, 40)
}

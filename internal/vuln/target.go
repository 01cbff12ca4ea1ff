package vuln

import (
	"net/url"
	"strings"
)

// TargetIdentifier is one identifier a CI may hold that names a target, by
// the CMDB's identifier kinds ("ip", "fqdn", "hostname", "cloud_id").
type TargetIdentifier struct {
	Kind  string
	Value string
}

// Identifiers lists what a CI holding the target would carry, most
// specific first; the CMDB normalises them and drops what is not valid
// for the kind:
//   - host: its IP address, FQDN and host name (an FQDN's first label
//     too, as a host name);
//   - url: the host of the URL, as IP, FQDN or host name;
//   - image: the image reference and its digest, as a cloud id;
//   - repository: the repository as a cloud id, as the report spells it
//     and normalised (RepositoryKey);
//   - kubernetes: "k8s:cluster/namespace/Kind/name" as a cloud id;
//   - anything else: its name as a cloud id.
func (t Target) Identifiers() []TargetIdentifier {
	var out []TargetIdentifier
	add := func(kind, v string) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, TargetIdentifier{kind, v})
		}
	}
	host := func(h string) {
		add("ip", h)
		if strings.Contains(h, ".") {
			add("fqdn", h)
			first, _, _ := strings.Cut(h, ".")
			add("hostname", first)
		} else {
			add("hostname", h)
		}
	}
	switch t.Kind {
	case TargetHost:
		add("ip", t.IP)
		add("fqdn", t.FQDN)
		add("hostname", t.Hostname)
		if t.IP == "" && t.FQDN == "" && t.Hostname == "" {
			host(t.Name)
		} else if t.Hostname == "" && t.FQDN != "" {
			first, _, _ := strings.Cut(t.FQDN, ".")
			add("hostname", first)
		}
	case TargetURL:
		if u, err := url.Parse(strings.TrimSpace(t.Name)); err == nil && u.Hostname() != "" {
			host(u.Hostname())
		}
	case TargetImage:
		add("cloud_id", firstNonEmpty(t.Image, t.Name))
		add("cloud_id", t.ImageDigest)
	case TargetRepository:
		repo := firstNonEmpty(t.Repository, t.Name)
		add("cloud_id", repo)
		if k := RepositoryKey(repo); k != strings.TrimSpace(repo) {
			add("cloud_id", k)
		}
	case TargetKubernetes:
		add("cloud_id", t.Key())
	default:
		add("cloud_id", t.Name)
	}
	return out
}

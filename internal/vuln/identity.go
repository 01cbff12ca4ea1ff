package vuln

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
)

// Identity is what makes two findings the same finding: the target, what
// was found (Identifier) and where on the target (Where). Importing a
// report twice yields the same identities, so nothing changes; a report
// that lists the same identity twice counts it once (IdentitySet).
//
// Where depends on the finding's Kind:
//   - dependency: package, installed version and path ("openssl@3.0.2 in
//     app/requirements.txt"), so the same package in two lock files is two
//     findings and an upgraded package is a new one;
//   - code: file and line ("src/db.go:42");
//   - network: the endpoint ("tcp/443", or the URL of a web finding).
//
// The scanner is not part of the identity: two scanners reporting the same
// CVE in the same package of the same image report one finding. Severity,
// CVSS, fixed version and texts are not part of it either: a re-scan that
// only changes those updates the finding.
type Identity struct {
	Target     string `json:"target"`
	Identifier string `json:"identifier"`
	Where      string `json:"where"`
}

// identityVersion is hashed into every key so that a future change to the
// rules above cannot collide with keys computed under these.
const identityVersion = "v1"

// Identity returns the finding's identity.
func (f *Finding) Identity() Identity {
	return Identity{Target: f.Target.Key(), Identifier: f.Identifier, Where: f.where()}
}

func (f *Finding) where() string {
	switch f.Kind {
	case KindDependency:
		w := f.Package + "@" + f.InstalledVersion
		if f.Path != "" {
			w += " in " + f.Path
		}
		return w
	case KindCode:
		if f.Line > 0 {
			return f.Path + ":" + strconv.Itoa(f.Line)
		}
		return f.Path
	}
	return f.Endpoint
}

// String is the identity in readable form, target | identifier | where.
func (id Identity) String() string {
	return id.Target + " | " + id.Identifier + " | " + id.Where
}

// Key is the identity as 32 hexadecimal digits (128 bits of SHA-256 over
// the version and the three parts, each length-prefixed so that no two
// identities share an encoding): the column a store makes unique.
func (id Identity) Key() string {
	sum := id.sum()
	return hex.EncodeToString(sum[:])
}

func (id Identity) sum() [16]byte {
	h := sha256.New()
	var n [20]byte
	for _, part := range [...]string{identityVersion, id.Target, id.Identifier, id.Where} {
		h.Write(strconv.AppendInt(n[:0], int64(len(part)), 10))
		h.Write([]byte{':'})
		h.Write([]byte(part))
	}
	var full [sha256.Size]byte
	h.Sum(full[:0])
	var out [16]byte
	copy(out[:], full[:])
	return out
}

// IdentitySet remembers identities seen in one report, 16 bytes each plus
// map overhead (about 40 MB for a million findings), so an import counts a
// repeated finding once.
type IdentitySet struct{ seen map[[16]byte]struct{} }

// Add records id and reports whether it is new.
func (s *IdentitySet) Add(id Identity) bool {
	if s.seen == nil {
		s.seen = make(map[[16]byte]struct{})
	}
	k := id.sum()
	if _, dup := s.seen[k]; dup {
		return false
	}
	s.seen[k] = struct{}{}
	return true
}

// AddKey is Add that also returns the identity's Key, hashing it once.
func (s *IdentitySet) AddKey(id Identity) (key string, added bool) {
	if s.seen == nil {
		s.seen = make(map[[16]byte]struct{})
	}
	k := id.sum()
	_, dup := s.seen[k]
	if !dup {
		s.seen[k] = struct{}{}
	}
	return hex.EncodeToString(k[:]), !dup
}

// HasKey reports whether an identity with this Key was added.
func (s *IdentitySet) HasKey(key string) bool {
	var k [16]byte
	if n, err := hex.Decode(k[:], []byte(key)); err != nil || n != len(k) {
		return false
	}
	_, ok := s.seen[k]
	return ok
}

// Len is the number of distinct identities added.
func (s *IdentitySet) Len() int { return len(s.seen) }

// Key names the target in a finding's identity. It uses the identifier that
// stays the same from one scan of the target to the next:
//   - image: the reference without digest ("image:python:3.6"), so a
//     rebuilt tag is the same target and what the rebuild fixed closes;
//     the digest only when no reference is known;
//   - host: the IP address, else the FQDN, else the host name (lower-case);
//   - repository: the URL without scheme, credentials, ".git" or trailing
//     slash, lower-case ("repo:github.com/acme/web");
//   - kubernetes: cluster/namespace/kind/name;
//   - url: scheme, host and port ("url:https://shop.example:443");
//   - filesystem and anything else: the name as the report gives it.
func (t Target) Key() string {
	switch t.Kind {
	case TargetImage:
		return "image:" + firstNonEmpty(t.Image, t.ImageDigest, t.Name)
	case TargetHost:
		return "host:" + strings.ToLower(firstNonEmpty(t.IP, t.FQDN, t.Hostname, t.Name))
	case TargetRepository:
		return "repo:" + RepositoryKey(firstNonEmpty(t.Repository, t.Name))
	case TargetKubernetes:
		return "k8s:" + t.Cluster + "/" + t.Namespace + "/" + t.Workload
	case TargetURL:
		return "url:" + originKey(t.Name)
	}
	return string(t.Kind) + ":" + t.Name
}

// RepositoryKey normalises a repository URL so that its spellings agree:
// "https://github.com/Acme/Web.git", "git@github.com:acme/web" and
// "github.com/acme/web/" all give "github.com/acme/web".
func RepositoryKey(repo string) string {
	r := strings.TrimSpace(repo)
	if i := strings.Index(r, "://"); i >= 0 {
		r = r[i+3:]
	} else if at := strings.Index(r, "@"); at >= 0 && strings.Contains(r[at:], ":") {
		r = strings.Replace(r[at+1:], ":", "/", 1) // scp-like git@host:path
	}
	if at := strings.LastIndex(r, "@"); at >= 0 && at < strings.Index(r+"/", "/") {
		r = r[at+1:] // user:token@host
	}
	r = strings.TrimSuffix(strings.TrimRight(r, "/"), ".git")
	return strings.ToLower(r)
}

// originKey is scheme://host:port of a URL with the default port made
// explicit, or the text lower-cased when it is not a URL.
func originKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.ToLower(strings.TrimSpace(raw))
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	scheme := strings.ToLower(u.Scheme)
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

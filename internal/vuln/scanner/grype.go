package scanner

import (
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// The subset of Grype's JSON output (`grype -o json`) the import reads.
// Grype has changed its match records over time: before about 0.40 a
// vulnerability carried cvssV2/cvssV3 objects, "links" and fixedInVersion,
// matchDetails was one object and artifact CPEs were objects; later ones
// carry a "cvss" list, "urls", a "fix" object, matchDetails as a list and
// CPEs as strings. Both are read.

type grypeMatch struct {
	Vulnerability grypeVuln      `json:"vulnerability"`
	Related       []grypeVuln    `json:"relatedVulnerabilities"`
	MatchDetails  jsontext.Value `json:"matchDetails"` // an object or a list; only checked
	Artifact      grypeArtifact  `json:"artifact"`
}

type grypeVuln struct {
	ID          string        `json:"id"`
	DataSource  string        `json:"dataSource"`
	Namespace   string        `json:"namespace"`
	Severity    string        `json:"severity"`
	URLs        []string      `json:"urls"`
	Links       []string      `json:"links"`
	Description string        `json:"description"`
	CVSS        []grypeCVSS   `json:"cvss"`
	CVSSv2      *grypeOldCVSS `json:"cvssV2"`
	CVSSv3      *grypeOldCVSS `json:"cvssV3"`
	Fix         struct {
		Versions []string `json:"versions"`
		State    string   `json:"state"`
	} `json:"fix"`
	FixedInVersion string `json:"fixedInVersion"`
}

type grypeCVSS struct {
	Source  string `json:"source"`
	Version string `json:"version"`
	Vector  string `json:"vector"`
	Metrics struct {
		BaseScore *float64 `json:"baseScore"`
	} `json:"metrics"`
}

type grypeOldCVSS struct {
	BaseScore *float64 `json:"baseScore"`
	Vector    string   `json:"vector"`
}

type grypeArtifact struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Type      string `json:"type"`
	Locations []struct {
		Path string `json:"path"`
	} `json:"locations"`
	PURL string `json:"purl"`
}

type grypeSource struct {
	Type   string         `json:"type"`
	Target jsontext.Value `json:"target"` // an object for images, a string for directories and files
}

type grypeImage struct {
	UserInput      string   `json:"userInput"`
	ManifestDigest string   `json:"manifestDigest"`
	RepoDigests    []string `json:"repoDigests"`
	Tags           []string `json:"tags"`
}

// ParseGrype reads a Grype JSON report. Grype writes its findings
// ("matches") before what was scanned ("source"): from a reader that can
// seek (a file) the report is read twice, once for the source and once for
// the findings, so memory stays flat; from a plain stream the matches are
// held until the source is read (up to 256 MB). Errors: see Parse.
func ParseGrype(r io.Reader, opt Options, sink Sink) (Report, error) {
	rep := Report{Format: "grype", Scanner: "grype"}
	em := newEmitter(&rep, opt, sink)
	j := newJSONReader("Grype", r)
	var target vuln.Target
	haveSource, seen := false, false
	d := jsonDoc{
		format: "Grype",
		isBody: func(name string) bool { return name == "matches" },
		ready:  func() bool { return haveSource },
		header: func(j *jsonReader, name string) error {
			if other := foreignKey(name); other != "" && other != "Grype" {
				return j.errorf("this is not a Grype report: %q is a member of %s reports", name, other)
			}
			switch name {
			case "source":
				var s grypeSource
				if err := j.decode(&s); err != nil {
					return err
				}
				target, haveSource, seen = grypeTarget(s), true, true
				return nil
			case "descriptor":
				var d struct {
					Name    string `json:"name"`
					Version string `json:"version"`
				}
				if err := j.decode(&d); err != nil {
					return err
				}
				rep.ScannerVersion = d.Version
				return nil
			}
			return j.skip()
		},
		body: func(j *jsonReader, _ string) error {
			seen = true
			return j.array("the list of matches", func() error {
				var m grypeMatch
				if err := j.decode(&m); err != nil {
					return err
				}
				return em.emit(grypeFinding(m, target))
			})
		},
	}
	var err error
	if j.kind() != '{' {
		err = j.unexpected("a Grype report (a JSON object with \"matches\")")
	} else if err = d.parse(j, r); err == nil && !seen {
		err = fileError("Grype", "/", "no \"matches\" or \"source\": not a Grype report")
	}
	return finish(rep, err)
}

func grypeTarget(s grypeSource) vuln.Target {
	switch s.Type {
	case "image":
		var img grypeImage
		if err := unmarshalValue(s.Target, &img); err != nil {
			return vuln.Target{Kind: vuln.TargetImage}
		}
		t := vuln.Target{Kind: vuln.TargetImage, Name: img.UserInput}
		t.Image, t.ImageDigest = splitImageRef(img.UserInput)
		for _, d := range img.RepoDigests {
			if _, digest := splitImageRef(d); digest != "" && t.ImageDigest == "" {
				t.ImageDigest = digest
			}
		}
		if t.ImageDigest == "" {
			t.ImageDigest = img.ManifestDigest
		}
		return t
	}
	var path string
	if unmarshalValue(s.Target, &path) != nil {
		var obj struct {
			Path string `json:"path"`
		}
		_ = unmarshalValue(s.Target, &obj)
		path = obj.Path
	}
	return vuln.Target{Kind: vuln.TargetFilesystem, Name: path}
}

func grypeFinding(m grypeMatch, target vuln.Target) vuln.Finding {
	v, a := m.Vulnerability, m.Artifact
	sev, _ := vuln.ParseSeverity(v.Severity)
	f := vuln.Finding{Target: target, Kind: vuln.KindDependency, Identifier: v.ID, Package: a.Name,
		InstalledVersion: a.Version, PackageType: a.Type, PURL: a.PURL, Severity: sev, VendorSeverity: v.Severity,
		Description: v.Description}
	if len(a.Locations) > 0 && !isOSPackageType(a.Type) {
		f.Path = a.Locations[0].Path
	}
	f.FixedVersion = strings.Join(v.Fix.Versions, ", ")
	if f.FixedVersion == "" {
		f.FixedVersion = v.FixedInVersion
	}
	if v.DataSource != "" {
		f.References = append(f.References, v.DataSource)
	}
	f.References = append(append(f.References, v.URLs...), v.Links...)
	grypeCVSSOf(&f, v)
	for _, rv := range m.Related {
		f.Aliases = append(f.Aliases, rv.ID)
		if f.Description == "" {
			f.Description = rv.Description
		}
		grypeCVSSOf(&f, rv)
	}
	return f
}

func grypeCVSSOf(f *vuln.Finding, v grypeVuln) {
	for _, c := range v.CVSS {
		f.AddCVSS(cvssSource(c.Source), c.Vector, c.Metrics.BaseScore)
	}
	if v.CVSSv3 != nil {
		f.AddCVSS(cvssSource(v.Namespace), v.CVSSv3.Vector, v.CVSSv3.BaseScore)
	}
	if v.CVSSv2 != nil {
		f.AddCVSS(cvssSource(v.Namespace), v.CVSSv2.Vector, v.CVSSv2.BaseScore)
	}
}

// cvssSource shortens who scored a vector: "nvd@nist.gov" and "nvd:cpe"
// are NVD; a distribution namespace ("debian:distro:debian:10") keeps its
// first part.
func cvssSource(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(s, "nvd") {
		return "nvd"
	}
	if i := strings.IndexAny(s, ":@"); i > 0 {
		return s[:i]
	}
	return s
}

// isOSPackageType reports package types whose location is the package
// database (/var/lib/dpkg/status), which says nothing about where the
// package is: such findings are identified like Trivy's, without a path.
func isOSPackageType(t string) bool {
	switch t {
	case "deb", "rpm", "apk", "alpm", "portage":
		return true
	}
	return false
}

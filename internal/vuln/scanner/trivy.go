package scanner

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// ParseTrivy reads a Trivy JSON report (`trivy image|fs|repo|k8s
// --format json`): SchemaVersion 2 reports of images, file systems,
// repositories, SBOMs and Kubernetes clusters, and the bare list of
// results (or null) that Trivy wrote before 0.20. Vulnerabilities become
// dependency findings; failed misconfiguration checks and secrets become
// code findings (a secret's matched text is never read). Errors: see Parse.
func ParseTrivy(r io.Reader, opt Options, sink Sink) (Report, error) {
	rep := Report{Format: "trivy", Scanner: "trivy"}
	p := &trivyParser{em: newEmitter(&rep, opt, sink)}
	j := newJSONReader("Trivy", r)
	var err error
	switch j.kind() {
	case 'n', '[':
		rep.FormatVersion = "1"
		err = j.array("the list of results", func() error { return p.result(j) })
		if err == nil {
			err = j.end()
		}
	case '{':
		err = p.document(j, r)
	default:
		err = j.unexpected("a Trivy report (a JSON object, or the list of results of Trivy before 0.20)")
	}
	return finish(rep, err)
}

type trivyParser struct {
	em *emitter
	// From the report's header.
	artifactName, artifactType, cluster string
	meta                                trivyMetadata
	seen                                bool // a member only Trivy writes
	// target of the findings being read: the report's, or the Kubernetes
	// resource's.
	target vuln.Target
}

var trivyBody = map[string]bool{"Results": true, "Resources": true, "Findings": true,
	"Vulnerabilities": true, "Misconfigurations": true}

func (p *trivyParser) document(j *jsonReader, r io.Reader) error {
	d := jsonDoc{
		format: "Trivy",
		isBody: func(name string) bool { return trivyBody[name] },
		ready:  func() bool { return p.artifactName != "" || p.artifactType != "" || p.cluster != "" },
		header: func(j *jsonReader, name string) error { return p.header(j, name) },
		body: func(j *jsonReader, name string) error {
			p.seen = true
			p.target = p.reportTarget()
			if name == "Results" {
				return j.array("the list of results", func() error { return p.result(j) })
			}
			// Kubernetes: Resources (SchemaVersion 2), Findings (the
			// consolidated report), Vulnerabilities and Misconfigurations
			// (Trivy 0.30–0.36), each a list of resources with results.
			return j.array("a list of Kubernetes resources", func() error { return p.resource(j) })
		},
	}
	if err := d.parse(j, r); err != nil {
		return err
	}
	if !p.seen {
		return fileError("Trivy", "/", "no SchemaVersion, ArtifactName, Results or Resources: not a Trivy report")
	}
	return nil
}

func (p *trivyParser) header(j *jsonReader, name string) error {
	if other := foreignKey(name); other != "" && other != "Trivy" {
		return j.errorf("this is not a Trivy report: %q is a member of %s reports", name, other)
	}
	switch name {
	case "SchemaVersion":
		var v int
		if err := j.decode(&v); err != nil {
			return err
		}
		p.em.rep.FormatVersion, p.seen = strconv.Itoa(v), true
	case "Trivy":
		var v struct{ Version string }
		if err := j.decode(&v); err != nil {
			return err
		}
		p.em.rep.ScannerVersion = v.Version
	case "ArtifactName":
		p.seen = true
		return j.decode(&p.artifactName)
	case "ArtifactType":
		return j.decode(&p.artifactType)
	case "ClusterName":
		p.seen = true
		return j.decode(&p.cluster)
	case "Metadata":
		return j.decode(&p.meta)
	default:
		return j.skip()
	}
	return nil
}

// reportTarget is what the report's header says was scanned.
func (p *trivyParser) reportTarget() vuln.Target {
	name := p.artifactName
	switch {
	case p.cluster != "":
		return vuln.Target{Kind: vuln.TargetKubernetes, Name: p.cluster, Cluster: p.cluster}
	case p.artifactType == "container_image":
		t := vuln.Target{Kind: vuln.TargetImage, Name: name}
		t.Image, t.ImageDigest = splitImageRef(name)
		for _, d := range p.meta.RepoDigests {
			if _, digest := splitImageRef(d); digest != "" && t.ImageDigest == "" {
				t.ImageDigest = digest
			}
		}
		return t
	case p.artifactType == "repository" || p.meta.RepoURL != "":
		return vuln.Target{Kind: vuln.TargetRepository, Name: name, Repository: firstOf(p.meta.RepoURL, name)}
	case p.artifactType == "vm":
		return vuln.Target{Kind: vuln.TargetHost, Name: name, Hostname: name}
	case name != "":
		// filesystem, rootfs, and SBOMs (cyclonedx, spdx): the scanned
		// path as named.
		return vuln.Target{Kind: vuln.TargetFilesystem, Name: name}
	}
	return vuln.Target{}
}

// resource reads one Kubernetes resource: {Namespace, Kind, Name, Results}.
func (p *trivyParser) resource(j *jsonReader) error {
	var ns, kind, name string
	var held []jsontext.Value
	err := j.object("a Kubernetes resource", func(member string) error {
		switch member {
		case "Namespace":
			return j.decode(&ns)
		case "Kind":
			return j.decode(&kind)
		case "Name":
			return j.decode(&name)
		case "Results":
			if kind == "" && name == "" {
				raw, err := j.hold()
				held = append(held, raw)
				return err
			}
			p.setWorkload(ns, kind, name)
			return j.array("the list of results", func() error { return p.result(j) })
		}
		return j.skip()
	})
	if err != nil {
		return err
	}
	p.setWorkload(ns, kind, name)
	for _, raw := range held {
		hj := j.replay(raw)
		if err := hj.array("the list of results", func() error { return p.result(hj) }); err != nil {
			return err
		}
	}
	return nil
}

func (p *trivyParser) setWorkload(ns, kind, name string) {
	p.target = vuln.Target{Kind: vuln.TargetKubernetes, Name: p.cluster, Cluster: p.cluster, Namespace: ns, Workload: kind + "/" + name}
}

var trivyFindingLists = map[string]bool{"Vulnerabilities": true, "Misconfigurations": true, "Secrets": true, "Licenses": true}

// result reads one result: the findings in one target (an OS, a lock
// file, a configuration file). Its Target, Class and Type come first in
// Trivy's output; finding lists that precede them (sorted keys) are held
// until the end of the result.
func (p *trivyParser) result(j *jsonReader) error {
	var head trivyResultHead
	haveHead := false
	type held struct {
		name string
		raw  jsontext.Value
	}
	var pending []held
	err := j.object("a result", func(name string) error {
		switch name {
		case "Target":
			haveHead = true
			return j.decode(&head.Target)
		case "Class":
			return j.decode(&head.Class)
		case "Type":
			return j.decode(&head.Type)
		}
		if !trivyFindingLists[name] {
			return j.skip()
		}
		if !haveHead {
			raw, err := j.hold()
			pending = append(pending, held{name, raw})
			return err
		}
		return p.findings(j, name, head)
	})
	if err != nil {
		return err
	}
	for _, h := range pending {
		if err := p.findings(j.replay(h.raw), h.name, head); err != nil {
			return err
		}
	}
	return nil
}

func (p *trivyParser) findings(j *jsonReader, list string, head trivyResultHead) error {
	target := p.target
	if target.Kind == vuln.TargetKubernetes && head.Class == "os-pkgs" {
		target.Image, target.ImageDigest = splitImageRef(imageOfResult(head.Target))
	}
	if target.Kind == "" && head.Target != "" && isOSType(head.Type) {
		// The old list format names no artifact; an OS result is an image.
		target = vuln.Target{Kind: vuln.TargetImage, Name: imageOfResult(head.Target)}
		target.Image, target.ImageDigest = splitImageRef(target.Name)
	}
	switch list {
	case "Vulnerabilities":
		return j.array("a list of vulnerabilities", func() error {
			var v trivyVuln
			if err := j.decode(&v); err != nil {
				return err
			}
			if v.Status == "not_affected" {
				p.em.skip("not affected")
				return nil
			}
			return p.em.emit(trivyVulnFinding(v, head, target))
		})
	case "Misconfigurations":
		return j.array("a list of misconfigurations", func() error {
			var m trivyMisconf
			if err := j.decode(&m); err != nil {
				return err
			}
			if m.Status != "" && m.Status != "FAIL" {
				p.em.skip("check passed")
				return nil
			}
			return p.em.emit(trivyMisconfFinding(m, head, target))
		})
	case "Secrets":
		return j.array("a list of secrets", func() error {
			var s trivySecret
			if err := j.decode(&s); err != nil {
				return err
			}
			sev, _ := vuln.ParseSeverity(s.Severity)
			return p.em.emit(vuln.Finding{Target: target, Kind: vuln.KindCode, Identifier: s.RuleID,
				Path: head.Target, Line: s.StartLine, EndLine: s.EndLine, Severity: sev, VendorSeverity: s.Severity,
				Title: s.Title, Description: "secret of category " + s.Category})
		})
	}
	// Licenses are compliance, not vulnerabilities.
	return j.array("a list", func() error {
		p.em.skip("license")
		return j.skip()
	})
}

func trivyVulnFinding(v trivyVuln, head trivyResultHead, target vuln.Target) vuln.Finding {
	sev, _ := vuln.ParseSeverity(v.Severity)
	f := vuln.Finding{Target: target, Kind: vuln.KindDependency, Identifier: v.VulnerabilityID, Aliases: v.VendorIDs,
		CWEs: v.CweIDs, Package: v.PkgName, InstalledVersion: v.InstalledVersion, FixedVersion: v.FixedVersion,
		PackageType: head.Type, PURL: v.PkgIdentifier.PURL, Path: v.PkgPath, Severity: sev, VendorSeverity: v.Severity,
		Title: v.Title, Description: v.Description}
	if f.Path == "" && head.Class == "lang-pkgs" {
		f.Path = head.Target // the lock file
	}
	if v.PrimaryURL != "" {
		f.References = append(f.References, v.PrimaryURL)
	}
	f.References = append(f.References, v.References...)
	// The source Trivy took the severity from first, then the others in
	// name order: a map has no order of its own.
	sources := make([]string, 0, len(v.CVSS))
	for s := range v.CVSS {
		sources = append(sources, s)
	}
	slices.SortFunc(sources, func(a, b string) int {
		switch {
		case a == v.SeveritySource:
			return -1
		case b == v.SeveritySource:
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, s := range sources {
		c := v.CVSS[s]
		f.AddCVSS(s, c.V40Vector, c.V40Score)
		f.AddCVSS(s, c.V3Vector, c.V3Score)
		f.AddCVSS(s, c.V2Vector, c.V2Score)
	}
	return f
}

func trivyMisconfFinding(m trivyMisconf, head trivyResultHead, target vuln.Target) vuln.Finding {
	sev, _ := vuln.ParseSeverity(m.Severity)
	id := firstOf(m.ID, m.AVDID)
	f := vuln.Finding{Target: target, Kind: vuln.KindCode, Identifier: id, Path: head.Target,
		Line: m.CauseMetadata.StartLine, EndLine: m.CauseMetadata.EndLine, Severity: sev, VendorSeverity: m.Severity,
		Title: m.Title, Description: strings.TrimSpace(m.Message + "\n\n" + m.Description), Solution: m.Resolution,
		PackageType: head.Type}
	if m.AVDID != "" && m.AVDID != id {
		f.Aliases = []string{m.AVDID}
	}
	if m.PrimaryURL != "" {
		f.References = append(f.References, m.PrimaryURL)
	}
	f.References = append(f.References, m.References...)
	return f
}

// imageOfResult strips the OS Trivy appends to an image result's target:
// "python:3.6 (debian 10.9)" → "python:3.6".
func imageOfResult(target string) string {
	if i := strings.LastIndex(target, " ("); i > 0 && strings.HasSuffix(target, ")") {
		return target[:i]
	}
	return target
}

// splitImageRef splits "repo:tag@sha256:…" into the reference without
// digest and the digest; "repo@sha256:…" has no reference part but its
// repository.
func splitImageRef(ref string) (image, digest string) {
	ref = strings.TrimSpace(ref)
	if i := strings.Index(ref, "@"); i >= 0 {
		return ref[:i], ref[i+1:]
	}
	return ref, ""
}

// isOSType reports whether a result type is an operating system's package
// database (alpine, debian, ubuntu, redhat, …) rather than a language's.
func isOSType(t string) bool {
	switch t {
	case "alpine", "debian", "ubuntu", "redhat", "centos", "rocky", "alma", "amazon", "oracle", "photon",
		"suse", "opensuse", "opensuse.leap", "opensuse.tumbleweed", "sles", "cbl-mariner", "azurelinux",
		"wolfi", "chainguard", "fedora", "bottlerocket", "echo", "minimos", "coreos":
		return true
	}
	return false
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// foreignKey names the format a top-level member belongs to, so a report
// given to the wrong parser is named for what it is.
func foreignKey(name string) string {
	switch name {
	case "matches", "ignoredMatches":
		return "Grype"
	case "runs":
		return "SARIF"
	case "template-id", "template", "matcher-status":
		return "Nuclei"
	case "SchemaVersion", "ArtifactName", "Results":
		return "Trivy"
	}
	return ""
}

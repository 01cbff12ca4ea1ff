package vuln_test

import (
	"testing"

	"github.com/rampart-itsm/rampart/internal/vuln"
)

func TestIdentity(t *testing.T) {
	img := vuln.Target{Kind: vuln.TargetImage, Name: "python:3.6", Image: "python:3.6", ImageDigest: "sha256:aa"}
	dep := vuln.Finding{Target: img, Kind: vuln.KindDependency, Identifier: "CVE-2023-1", Package: "curl",
		InstalledVersion: "7.81.0", Path: "app/requirements.txt"}
	code := vuln.Finding{Target: vuln.Target{Kind: vuln.TargetRepository, Repository: "https://github.com/Acme/Web.git"},
		Kind: vuln.KindCode, Identifier: "G101", Path: "main.go", Line: 16}
	net := vuln.Finding{Target: vuln.Target{Kind: vuln.TargetHost, IP: "10.0.0.5", FQDN: "db.example"}, Kind: vuln.KindNetwork,
		Identifier: "142591", Endpoint: "tcp/443"}
	tests := []struct {
		name string
		f    vuln.Finding
		want vuln.Identity
	}{
		{"dependency", dep, vuln.Identity{"image:python:3.6", "CVE-2023-1", "curl@7.81.0 in app/requirements.txt"}},
		{"code", code, vuln.Identity{"repo:github.com/acme/web", "G101", "main.go:16"}},
		{"network", net, vuln.Identity{"host:10.0.0.5", "142591", "tcp/443"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Identity(); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	// What is and is not part of the identity.
	same := func(a, b vuln.Finding) bool { return a.Identity().Key() == b.Identity().Key() }
	changed := func(f vuln.Finding, edit func(*vuln.Finding)) vuln.Finding { edit(&f); return f }
	for name, tc := range map[string]struct {
		a, b vuln.Finding
		same bool
	}{
		"rescan with new severity and fix":  {dep, changed(dep, func(f *vuln.Finding) { f.Severity, f.FixedVersion = vuln.SeverityHigh, "7.88" }), true},
		"another scanner":                   {dep, changed(dep, func(f *vuln.Finding) { f.Scanner = "grype" }), true},
		"rebuilt image, same tag":           {dep, changed(dep, func(f *vuln.Finding) { f.Target.ImageDigest = "sha256:bb" }), true},
		"upgraded package":                  {dep, changed(dep, func(f *vuln.Finding) { f.InstalledVersion = "7.82.0" }), false},
		"same package in another lock file": {dep, changed(dep, func(f *vuln.Finding) { f.Path = "tools/requirements.txt" }), false},
		"code moved a line":                 {code, changed(code, func(f *vuln.Finding) { f.Line = 17 }), false},
		"code column is not identity":       {code, changed(code, func(f *vuln.Finding) { f.Column = 9 }), true},
		"repository spelt differently":      {code, changed(code, func(f *vuln.Finding) { f.Target.Repository = "git@github.com:acme/web" }), true},
		"other port":                        {net, changed(net, func(f *vuln.Finding) { f.Endpoint = "tcp/8443" }), false},
		"host name resolved later":          {net, changed(net, func(f *vuln.Finding) { f.Target.Hostname = "db" }), true},
		"field boundaries matter":           {code, changed(code, func(f *vuln.Finding) { f.Identifier, f.Path = "G10", "1main.go" }), false},
	} {
		if got := same(tc.a, tc.b); got != tc.same {
			t.Errorf("%s: same identity %v, want %v (%s vs %s)", name, got, tc.same, tc.a.Identity(), tc.b.Identity())
		}
	}
	if k := dep.Identity().Key(); len(k) != 32 {
		t.Errorf("key %q is not 32 hex digits", k)
	}
}

func TestIdentitySetCountsRepeatsOnce(t *testing.T) {
	var s vuln.IdentitySet
	a := vuln.Identity{"host:10.0.0.1", "1", "tcp/80"}
	b := vuln.Identity{"host:10.0.0.1", "1", "tcp/81"}
	for i, tc := range []struct {
		id  vuln.Identity
		new bool
	}{{a, true}, {a, false}, {b, true}, {a, false}} {
		if got := s.Add(tc.id); got != tc.new {
			t.Errorf("add %d: new %v, want %v", i, got, tc.new)
		}
	}
	if s.Len() != 2 {
		t.Errorf("len %d", s.Len())
	}
}

func TestTargetKey(t *testing.T) {
	tests := []struct {
		t    vuln.Target
		want string
	}{
		{vuln.Target{Kind: vuln.TargetImage, Name: "ghcr.io/acme/web:1.4@sha256:ab", Image: "ghcr.io/acme/web:1.4", ImageDigest: "sha256:ab"}, "image:ghcr.io/acme/web:1.4"},
		{vuln.Target{Kind: vuln.TargetImage, ImageDigest: "sha256:ab"}, "image:sha256:ab"},
		{vuln.Target{Kind: vuln.TargetHost, Name: "WEB01", Hostname: "WEB01"}, "host:web01"},
		{vuln.Target{Kind: vuln.TargetHost, FQDN: "Web01.Example", Hostname: "web01"}, "host:web01.example"},
		{vuln.Target{Kind: vuln.TargetRepository, Name: "https://user:tok@GitHub.com/Acme/Web/"}, "repo:github.com/acme/web"},
		{vuln.Target{Kind: vuln.TargetKubernetes, Cluster: "prod", Namespace: "shop", Workload: "Deployment/web"}, "k8s:prod/shop/Deployment/web"},
		{vuln.Target{Kind: vuln.TargetURL, Name: "HTTPS://Shop.Example"}, "url:https://shop.example:443"},
		{vuln.Target{Kind: vuln.TargetURL, Name: "http://[::1]:8080/x"}, "url:http://[::1]:8080"},
		{vuln.Target{Kind: vuln.TargetFilesystem, Name: "lib/catalina.jar"}, "filesystem:lib/catalina.jar"},
		{vuln.Target{}, ":"},
	}
	for _, tt := range tests {
		if got := tt.t.Key(); got != tt.want {
			t.Errorf("%+v: key %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	score := 9.8
	f := vuln.Finding{Identifier: " cve-2021-44228 ", Aliases: []string{"GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228", "", "cve-2021-45046"},
		CWEs: []string{"CWE-917", "CWE-20", "CWE-917"}, References: []string{"a", " a", "b", ""}, Line: -3,
		CVSS: []vuln.CVSS{{Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Score: &score, Version: "3.1"}}}
	f.Normalize()
	if f.Identifier != "CVE-2021-44228" || len(f.CVEs) != 2 || f.CVEs[0] != "CVE-2021-44228" || f.CVEs[1] != "CVE-2021-45046" ||
		len(f.Aliases) != 1 || len(f.CWEs) != 2 || len(f.References) != 2 || f.Line != 0 || len(f.Problems) != 1 ||
		f.Severity != vuln.SeverityCritical {
		t.Errorf("%+v", f)
	}
	for id, want := range map[string]bool{"CVE-2021-44228": true, "cve-1999-0001": true, "CVE-2021-4": false, "CVE-20x1-12345": false, "GHSA-x": false} {
		if vuln.IsCVE(id) != want {
			t.Errorf("IsCVE(%q) != %v", id, want)
		}
	}
}

func TestPrimaryCVSS(t *testing.T) {
	var f vuln.Finding
	f.AddCVSS("redhat", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N", nil)
	f.AddCVSS("nvd", "AV:N/AC:L/Au:N/C:P/I:P/A:P", nil)
	f.AddCVSS("nvd", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", nil)
	f.AddCVSS("ghsa", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", nil)
	f.AddCVSS("bad", "CVSS:3.1/AV:N", nil)
	f.AddCVSS("nvd", "  ", nil) // ignored
	for prefer, want := range map[string]string{
		"":       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", // NVD first, its newest version
		"redhat": "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N",
		"ghsa":   "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		"bad":    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", // a malformed vector is never primary
	} {
		if c, ok := f.PrimaryCVSS(prefer); !ok || c.Vector != want {
			t.Errorf("prefer %q: %+v", prefer, c)
		}
	}
	if len(f.CVSS) != 5 || len(f.Problems) != 1 || f.CVSS[4].Score != nil || f.CVSS[4].Problem == "" {
		t.Errorf("vectors %+v, problems %v", f.CVSS, f.Problems)
	}
	var none vuln.Finding
	none.AddCVSS("x", "nonsense", nil)
	if _, ok := none.PrimaryCVSS(""); ok {
		t.Error("a finding with only a malformed vector has a primary CVSS")
	}
}

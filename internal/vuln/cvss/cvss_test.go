package cvss_test

import (
	"errors"
	"testing"

	"github.com/rampart-itsm/rampart/internal/vuln/cvss"
)

// Published examples with their scores:
//   - v2: "A Complete Guide to the Common Vulnerability Scoring System
//     Version 2.0" (FIRST, 2007), section 3.3 "Examples": CVE-2002-0392,
//     CVE-2003-0818, CVE-2003-0062, base and temporal scores.
//   - v3.1: "CVSS v3.1 Examples" (FIRST, 2019); the same vectors with the
//     3.0 prefix score the same in "CVSS v3.0 Examples".
//   - v4.0: the base example of the CVSS v4.0 Specification (FIRST, 2023)
//     calculator (AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N is
//     9.3) and scores published by GitHub's advisory database for the
//     vectors in ../shared/fixtures/vuln/trivy-cvssv4-severity-source.json
//     (GHSA-fpj8-gq4v-p354: 6.3, CVE-2025-61795: 2.3, CVE-2026-24733: 2.7).
func TestPublishedExamples(t *testing.T) {
	const unpublished = -1 // the source gives only the full score
	tests := []struct {
		name, vector, version string
		base, value           float64
		nomenclature, rating  string
	}{
		{"v2 CVE-2002-0392 Apache chunked encoding", "AV:N/AC:L/Au:N/C:N/I:N/A:C", cvss.V2, 7.8, 7.8, "base", "high"},
		{"v2 CVE-2002-0392 with temporal", "AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C", cvss.V2, 7.8, 6.4, "temporal", "medium"},
		{"v2 CVE-2003-0818 ASN.1", "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C", cvss.V2, 10.0, 8.3, "temporal", "high"},
		{"v2 CVE-2003-0062 NOD32", "AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C", cvss.V2, 6.2, 4.9, "temporal", "medium"},
		{"v2 Nessus spelling", "CVSS2#AV:N/AC:L/Au:N/C:N/I:N/A:P", cvss.V2, 5.0, 5.0, "base", "medium"},
		{"v2 NVD parenthesised", "(AV:N/AC:L/Au:N/C:P/I:P/A:P)", cvss.V2, 7.5, 7.5, "base", "high"},
		{"v3.1 CVE-2013-1937 phpMyAdmin XSS", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", cvss.V31, 6.1, 6.1, "base", "medium"},
		{"v3.1 CVE-2013-0375 MySQL", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", cvss.V31, 6.4, 6.4, "base", "medium"},
		{"v3.1 CVE-2014-3566 POODLE", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", cvss.V31, 3.1, 3.1, "base", "low"},
		{"v3.1 CVE-2012-1516 VMware", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", cvss.V31, 9.9, 9.9, "base", "critical"},
		{"v3.1 CVE-2009-0783 Tomcat", "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", cvss.V31, 4.2, 4.2, "base", "medium"},
		{"v3.1 CVE-2014-0160 Heartbleed", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", cvss.V31, 7.5, 7.5, "base", "high"},
		{"v3.1 CVE-2014-6271 Shellshock", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", cvss.V31, 9.8, 9.8, "base", "critical"},
		{"v3.1 CVE-2008-1447 DNS cache poisoning", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", cvss.V31, 6.8, 6.8, "base", "medium"},
		{"v3.0 CVE-2014-6271 Shellshock", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", cvss.V30, 9.8, 9.8, "base", "critical"},
		{"v3.1 temporal", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:R", cvss.V31, 9.8, 8.2, "temporal", "high"},
		{"v3.1 temporal metrics not defined", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X", cvss.V31, 9.8, 9.8, "base", "critical"},
		{"v4.0 base", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", cvss.V40, 9.3, 9.3, "CVSS-B", "critical"},
		{"v4.0 every impact high", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", cvss.V40, 10, 10, "CVSS-B", "critical"},
		{"v4.0 no impact", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", cvss.V40, 0, 0, "CVSS-B", "none"},
		{"v4.0 GHSA-fpj8-gq4v-p354", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", cvss.V40, 6.3, 6.3, "CVSS-B", "medium"},
		{"v4.0 CVE-2025-61795 unreported exploit", "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:U", cvss.V40, unpublished, 2.3, "CVSS-BT", "low"},
		{"v4.0 CVE-2026-24733 unreported exploit", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/E:U", cvss.V40, 6.9, 2.7, "CVSS-BT", "low"},
		{"v4.0 space around", "  CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\n", cvss.V40, 9.3, 9.3, "CVSS-B", "critical"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cvss.Parse(tt.vector)
			if err != nil {
				t.Fatal(err)
			}
			if tt.base == unpublished {
				tt.base = s.Base
			}
			if s.Version != tt.version || s.Base != tt.base || s.Value != tt.value || s.Nomenclature != tt.nomenclature || s.Rating != tt.rating {
				t.Errorf("got version %s base %.1f value %.1f %s %s, want %s %.1f %.1f %s %s", s.Version, s.Base, s.Value,
					s.Nomenclature, s.Rating, tt.version, tt.base, tt.value, tt.nomenclature, tt.rating)
			}
		})
	}
}

// A v4.0 vector that leaves out threat and environmental metrics scores as
// if each were given as Not Defined (X), and X is its worst case: Exploit
// Maturity as Attacked (A), CR/IR/AR as High, modified metrics as the base
// values (CVSS v4.0 Specification, sections 4.1 "Exploit Maturity" and 4.2
// "Environmental Metrics").
func TestV40MissingMetricsDefaultAsSpecified(t *testing.T) {
	const base = "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N"
	omitted := mustParse(t, base)
	same := []string{"/E:X", "/E:A", "/CR:X/IR:X/AR:X", "/CR:H/IR:H/AR:H", "/MAV:X/MVA:X", "/MAV:N/MVA:H", "/E:A/CR:H/IR:H/AR:H"}
	for _, suffix := range same {
		if got := mustParse(t, base+suffix).Value; got != omitted.Value {
			t.Errorf("%s scores %.1f, the vector without it %.1f", suffix, got, omitted.Value)
		}
	}
	lower := []string{"/E:P", "/E:U", "/CR:L/IR:L/AR:L"}
	for _, suffix := range lower {
		if got := mustParse(t, base+suffix).Value; got >= omitted.Value {
			t.Errorf("%s scores %.1f, not below the omitted worst case %.1f", suffix, got, omitted.Value)
		}
	}
	if omitted.Metric("E") != "X" || omitted.Metric("AV") != "N" {
		t.Errorf("metrics E=%q AV=%q, want X and N", omitted.Metric("E"), omitted.Metric("AV"))
	}
}

func TestMalformedVectors(t *testing.T) {
	for _, v := range []string{
		"",
		"garbage",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",         // A missing
		"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",     // invalid value
		"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",              // v3 without prefix
		"CVSS:5.0/AV:N",                                    // unknown version
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H", // subsequent-system impact missing
		"AV:N/AC:L/Au:N/C:P/I:P",                           // v2 A missing
		"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	} {
		if s, err := cvss.Parse(v); err == nil || !errors.Is(err, cvss.ErrMalformed) {
			t.Errorf("%q: got %+v, %v; want ErrMalformed", v, s, err)
		}
	}
}

func mustParse(t *testing.T, v string) cvss.Score {
	t.Helper()
	s, err := cvss.Parse(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

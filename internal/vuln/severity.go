package vuln

import (
	"strconv"
	"strings"
)

// Severity is a finding's normalised severity. Every scanner's own word or
// number is mapped onto these; the original is kept as VendorSeverity.
type Severity string

const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
	// SeverityUnknown: the scanner gave no usable severity (Trivy's
	// UNKNOWN, Grype's Unknown).
	SeverityUnknown Severity = "unknown"
)

// Severities lists the severities from most to least severe.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo, SeverityUnknown}

// Rank orders severities: critical 5 … info 1, unknown 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityCritical:
		return 5
	case SeverityHigh:
		return 4
	case SeverityMedium:
		return 3
	case SeverityLow:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// ParseSeverity maps a scanner's severity word onto a Severity; the words
// of Trivy, Grype, Nuclei, Nessus (risk_factor) and OpenVAS (threat) are
// all recognised, case-insensitively. ok is false for a word it does not
// know, which the caller reports as SeverityUnknown.
func ParseSeverity(word string) (s Severity, ok bool) {
	switch strings.ToLower(strings.TrimSpace(word)) {
	case "critical":
		return SeverityCritical, true
	case "high", "important": // important: Red Hat's word for high
		return SeverityHigh, true
	case "medium", "moderate":
		return SeverityMedium, true
	case "low":
		return SeverityLow, true
	case "info", "informational", "information", "none", "negligible", "log", "note":
		return SeverityInfo, true
	case "unknown", "":
		return SeverityUnknown, true
	}
	return SeverityUnknown, false
}

// SeverityFromScore maps a CVSS-like score (0–10) onto a severity with the
// qualitative rating scale of CVSS v3.1 and v4.0 (FIRST, CVSS v3.1
// Specification, section 5): 0 none (info), 0.1–3.9 low, 4.0–6.9 medium,
// 7.0–8.9 high, 9.0–10.0 critical. Scanners that rate by a number (SARIF
// security-severity, OpenVAS severity) use it.
func SeverityFromScore(score float64) Severity {
	switch {
	case score >= 9.0:
		return SeverityCritical
	case score >= 7.0:
		return SeverityHigh
	case score >= 4.0:
		return SeverityMedium
	case score > 0:
		return SeverityLow
	}
	return SeverityInfo
}

// ParseScore reads a score written as text ("7.5", " 10 "), as SARIF's
// security-severity and the XML formats carry them. ok is false for text
// that is not a number from 0 to 10.
func ParseScore(text string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || v < 0 || v > 10 {
		return 0, false
	}
	return v, true
}

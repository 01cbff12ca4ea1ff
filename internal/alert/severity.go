package alert

import (
	"strconv"
	"strings"
)

// Severity is an alert's normalised severity. Every format's own word or
// number is mapped onto these (docs/alerts.md, "Severity"); the original
// is kept as SeverityRaw.
type Severity string

const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
)

// Severities lists the severities from most to least severe.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

// DefaultSeverity is what an alert gets when its sender gives no
// severity Rampart can read: an alert without one must neither page
// anybody at night nor be filed away unseen.
const DefaultSeverity = SeverityMedium

// Valid reports whether s is one of Severities.
func (s Severity) Valid() bool { return s.Rank() > 0 }

// Rank orders severities: critical 5 … info 1, 0 for anything else.
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

// SeverityWord maps the words monitoring tools use for severity onto a
// Severity, case-insensitively: Alertmanager's severity label
// conventions (critical, warning, info, page), syslog's keywords
// (emerg … debug), CEF's Low/Medium/High/Very-High, priorities P1–P5 and
// the usual synonyms. ok is false for a word it does not know.
func SeverityWord(word string) (Severity, bool) {
	w := strings.ToLower(strings.TrimSpace(word))
	switch w {
	case "critical", "crit", "fatal", "emergency", "emerg", "panic", "alert", "page", "disaster",
		"very-high", "very high", "veryhigh", "p1", "sev1", "s1":
		return SeverityCritical, true
	case "high", "error", "err", "major", "severe", "important", "p2", "sev2", "s2":
		return SeverityHigh, true
	case "medium", "warning", "warn", "moderate", "average", "p3", "sev3", "s3":
		return SeverityMedium, true
	case "low", "minor", "notice", "p4", "sev4", "s4":
		return SeverityLow, true
	case "info", "informational", "information", "debug", "none", "note", "log", "ok", "p5", "sev5", "s5":
		return SeverityInfo, true
	}
	return "", false
}

// SyslogSeverity maps a syslog severity (RFC 5424 section 6.2.1, 0
// Emergency … 7 Debug): 0–2 critical, 3 high, 4 medium, 5 low, 6–7 info.
func SyslogSeverity(n int) Severity {
	switch {
	case n <= 2:
		return SeverityCritical
	case n == 3:
		return SeverityHigh
	case n == 4:
		return SeverityMedium
	case n == 5:
		return SeverityLow
	}
	return SeverityInfo
}

// SyslogSeverityNames are RFC 5424's keywords by severity number.
var SyslogSeverityNames = [8]string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}

// TenScaleSeverity maps a 0–10 severity (CEF, and LEEF's sev 1–10) as the
// CEF specification bands it: 0–3 low, 4–6 medium, 7–8 high, 9–10 very
// high (critical). ok is false for a number outside 0–10.
func TenScaleSeverity(n int) (Severity, bool) {
	switch {
	case n < 0 || n > 10:
		return "", false
	case n <= 3:
		return SeverityLow, true
	case n <= 6:
		return SeverityMedium, true
	case n <= 8:
		return SeverityHigh, true
	}
	return SeverityCritical, true
}

// SeverityText maps a severity given as text, word or number: a word
// SeverityWord knows, else an integer on the 0–10 scale. ok is false when
// it is neither.
func SeverityText(s string) (Severity, bool) {
	if sev, ok := SeverityWord(s); ok {
		return sev, true
	}
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return TenScaleSeverity(n)
	}
	return "", false
}

package alert

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxProblems bounds the notes one alert carries: a payload full of bad
// values needs a few examples, not thousands.
const maxProblems = 20

// clean returns s valid for the project's text rule (internal/textrule):
// what a machine sent is repaired rather than refused, because refusing
// would drop the alert.
func (a *Alert) clean(field, s string, long bool) string {
	limit := MaxLine
	if long {
		limit = MaxLong
	}
	out, cut := cleanText(s, long, limit)
	if cut {
		a.Problem("%s cut to %d bytes", field, limit)
	}
	return out
}

// cleanMap cleans keys (one line) and values, which are not trimmed:
// label values are identities and kept as sent. Empty keys are dropped,
// and beyond MaxLabels entries the last keys in sorted order.
func (a *Alert) cleanMap(kind string, m map[string]string, long bool) map[string]string {
	if len(m) == 0 {
		return nil
	}
	limit := MaxLine
	if long {
		limit = MaxLong
	}
	dirty := len(m) > MaxLabels
	for k, v := range m {
		if k == "" || !isClean(k, MaxLine) || !isClean(v, limit) {
			dirty = true
			break
		}
	}
	if !dirty {
		return m
	}
	out := make(map[string]string, min(len(m), MaxLabels))
	for k, v := range m {
		k = a.clean(kind+" name", k, false)
		if k == "" {
			a.Problem("%s with an empty name dropped", kind)
			continue
		}
		out[k] = a.clean(kind+" "+k, v, long)
	}
	if len(out) > MaxLabels {
		keys := make([]string, 0, len(out))
		for k := range out {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys[MaxLabels:] {
			delete(out, k)
		}
		a.Problem("%d %ss dropped beyond the limit of %d", len(keys)-MaxLabels, kind, MaxLabels)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// isClean reports whether cleanText would return s unchanged: printable
// ASCII within the limit (anything else takes the slow path, which is
// rare in practice).
func isClean(s string, limit int) bool {
	if len(s) > limit {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// cleanText replaces bytes that are not UTF-8 and control characters with
// U+FFFD, keeps TAB, keeps line breaks in long text (CRLF and CR become
// LF) and turns them into spaces in one-line text, and cuts the result to
// limit bytes on a character boundary. cut reports the cut.
func cleanText(s string, long bool, limit int) (out string, cut bool) {
	if isClean(s, limit) {
		return s, false
	}
	var b strings.Builder
	b.Grow(min(len(s), limit))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			r = utf8.RuneError
		case r == '\t':
		case r == '\r' || r == '\n':
			if r == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
				size = 1
			}
			r = '\n'
			if !long {
				r = ' '
			}
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			r = utf8.RuneError
		}
		if b.Len()+utf8.RuneLen(r) > limit {
			return b.String(), true
		}
		b.WriteRune(r)
		i += size
	}
	return b.String(), false
}

// normalizeHostname lower-cases a host name and drops a trailing dot:
// DNS names are case-insensitive and the CMDB matches them so.
func normalizeHostname(h string) string {
	h = strings.TrimSuffix(h, ".")
	for i := 0; i < len(h); i++ {
		if c := h[i]; c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return strings.ToLower(h)
		}
	}
	return h
}

// Problem records a note about this alert's data that did not stop it.
// String arguments are shortened to 80 bytes; an alert keeps at most 20
// notes.
func (a *Alert) Problem(format string, args ...any) {
	if len(a.Problems) >= maxProblems {
		return
	}
	for i, v := range args {
		if s, ok := v.(string); ok && len(s) > 80 {
			args[i] = s[:80] + "…"
		}
	}
	msg, _ := cleanText(fmt.Sprintf(format, args...), false, MaxLine)
	if len(a.Problems) == maxProblems-1 {
		msg = "further problems not recorded"
	}
	a.Problems = append(a.Problems, msg)
}

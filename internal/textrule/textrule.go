// Package textrule is the one rule for what text Rampart accepts and how it
// shows stored text on a terminal. Every entry point applies it the same
// way (API bodies, query parameters and path keys, web forms, import rows,
// the CMDB's own validation), so both database engines see the same text:
// PostgreSQL refuses NUL and invalid UTF-8 with an error, SQLite would store
// them, and neither should be asked to.
//
// Accepted: valid UTF-8 without control characters, except TAB anywhere
// and LF (a line break) in long text such as descriptions. Refused: NUL,
// the other C0 controls (ESC starts terminal escape sequences, CR rewrites
// a line), DEL, the C1 controls (U+0080 to U+009F; U+009B is a one-character
// escape sequence to some terminals), and bytes that are not UTF-8.
package textrule

import (
	"fmt"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Problem returns what is wrong with s as the value of a field, or "" when
// nothing is: long allows line breaks (LF). The message names the position
// (in characters, from 1) and the character's code point, never the text
// itself, so it is safe to store and to show.
func Problem(s string, long bool) string {
	n := 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return fmt.Sprintf("is not valid UTF-8 text (byte %d); send UTF-8", i+1)
			}
		}
		n++
		switch {
		case r == '\n' && !long:
			return fmt.Sprintf("must be a single line (line break at character %d)", n)
		case r == '\n', r == '\t':
		case r == '\r' && long:
			return fmt.Sprintf("must break lines with LF alone, not CR (character %d)", n)
		case isControl(r):
			return fmt.Sprintf("must not contain control characters (%s at character %d)", codePoint(r), n)
		}
		i += size
	}
	return ""
}

// Check records Problem(s, long) under field in fe and reports whether s
// is acceptable.
func Check(fe *errs.Fields, field, s string, long bool) bool {
	if msg := Problem(s, long); msg != "" {
		fe.Add(field, "%s", msg)
		return false
	}
	return true
}

// Line and Long are Check for single-line and long text.
func Line(fe *errs.Fields, field, s string) bool { return Check(fe, field, s, false) }
func Long(fe *errs.Fields, field, s string) bool { return Check(fe, field, s, true) }

// isControl reports the runes Problem refuses in any field: the C0 controls,
// DEL and the C1 controls (Unicode category Cc).
func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }

func codePoint(r rune) string {
	if r == 0 {
		return "NUL"
	}
	return fmt.Sprintf("U+%04X", r)
}

// Escape returns s safe to write to a terminal: control characters
// (including TAB and LF, which would break a table's layout), characters
// that reorder how a line is displayed (bidirectional overrides and
// isolates) and bytes that are not UTF-8 are written as \uXXXX or \xXX.
// The \u form is also a valid escape inside a JSON string, so JSON output
// can pass through it unharmed. Anything else, backslashes included, is
// left as it is: the result is for reading, not for parsing back.
func Escape(s string) string {
	if Safe(s) {
		return s
	}
	return string(escape(nil, []byte(s), false))
}

// AppendEscapedLines appends b to dst escaped like Escape, except that TAB
// and LF stay as they are: for whole lines of output, whose own layout
// uses them. Stored text inside such output is escaped with Escape first
// when its tabs and line breaks must not shift the layout.
func AppendEscapedLines(dst, b []byte) []byte { return escape(dst, b, true) }

func escape(dst, s []byte, keepLayout bool) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = fmt.Appendf(dst, `\x%02x`, s[i])
		case keepLayout && (r == '\t' || r == '\n'):
			dst = append(dst, s[i])
		case unsafeOnTerminal(r):
			dst = fmt.Appendf(dst, `\u%04x`, r)
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// Safe reports whether Escape would return s unchanged.
func Safe(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= utf8.RuneSelf {
			return safeSlow(s)
		}
	}
	return true
}

func safeSlow(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeOnTerminal(r) {
			return false
		}
		i += size
	}
	return true
}

// unsafeOnTerminal: control characters, and the bidirectional formatting
// characters that make a terminal show text in another order than it is
// stored ("Trojan Source").
func unsafeOnTerminal(r rune) bool {
	return isControl(r) || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

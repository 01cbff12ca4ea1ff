package syslog

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Event is a CEF or LEEF record carried in a syslog message's MSG.
type Event struct {
	Kind    string // "CEF" or "LEEF"
	Version string // "0", "1" (CEF); "1.0", "2.0" (LEEF)
	Vendor  string
	Product string
	// ProductVersion is the device's version.
	ProductVersion string
	// EventID is CEF's Device Event Class ID, LEEF's EventID.
	EventID string
	// Name and Severity are CEF's; LEEF has neither in its header (its
	// sev attribute is in Attributes).
	Name     string
	Severity string
	// Attributes are CEF's extension or LEEF's attributes, in order, with
	// escapes undone.
	Attributes []Param
	// Delimiter separates LEEF attributes: TAB unless a LEEF 2.0 header
	// names another.
	Delimiter rune
}

// Attr returns the value of the first attribute named key.
func (e *Event) Attr(key string) string {
	for _, p := range e.Attributes {
		if p.Name == key {
			return p.Value
		}
	}
	return ""
}

// ParseEvent reads a CEF or LEEF record from MSG; ok is false when msg
// is neither (it does not start with "CEF:" or "LEEF:"). A record that
// starts so but breaks its format is an error naming the byte offset in
// msg.
func ParseEvent(msg []byte) (ev *Event, ok bool, err error) {
	msg = bytes.TrimRight(msg, "\r\n\x00")
	switch {
	case bytes.HasPrefix(msg, []byte("CEF:")):
		ev, err = parseCEF(msg)
	case bytes.HasPrefix(msg, []byte("LEEF:")):
		ev, err = parseLEEF(msg)
	default:
		return nil, false, nil
	}
	return ev, true, err
}

// header splits n pipe-separated header fields after prefix, undoing the
// escapes \| and \\ (a backslash before anything else stays), and returns
// them and the offset after the last pipe (the last pipe may be missing
// when nothing follows it).
func header(msg []byte, start, n int, what string) ([]string, int, error) {
	fields := make([]string, 0, n)
	var cur []byte
	i := start
	for i < len(msg) && len(fields) < n {
		c := msg[i]
		switch {
		case c == '\\' && i+1 < len(msg) && (msg[i+1] == '|' || msg[i+1] == '\\'):
			cur = append(cur, msg[i+1])
			i += 2
			continue
		case c == '|':
			fields = append(fields, string(cur))
			cur = cur[:0]
		default:
			cur = append(cur, c)
		}
		i++
	}
	if len(fields) == n-1 && i >= len(msg) {
		// The last field's closing pipe is missing and nothing follows it:
		// taken as it is rather than refused.
		fields = append(fields, string(cur))
	}
	if len(fields) < n {
		return nil, i, &SyntaxError{Offset: i, Msg: fmt.Sprintf("%s header has %d of its %d |-separated fields", what, len(fields), n)}
	}
	return fields, i, nil
}

// parseCEF reads
// CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension.
func parseCEF(msg []byte) (*Event, error) {
	f, i, err := header(msg, len("CEF:"), 7, "CEF")
	if err != nil {
		return nil, err
	}
	ev := &Event{Kind: "CEF", Version: f[0], Vendor: f[1], Product: f[2], ProductVersion: f[3], EventID: f[4],
		Name: f[5], Severity: f[6]}
	ev.Attributes, err = cefExtension(msg, i)
	return ev, err
}

// cefExtension reads "key=value key=value …": a value runs to the space
// before the next key, so values may hold spaces; \= \\ \n and \r are
// escapes in values. A key is letters, digits, '_', '.' or '-', starting
// after a space.
func cefExtension(msg []byte, start int) ([]Param, error) {
	var out []Param
	i := skipSpaces(msg, start)
	if i >= len(msg) {
		return nil, nil
	}
	key, i, err := cefKey(msg, i)
	if err != nil {
		return nil, err
	}
	for {
		// The value ends at the last space before the next key=; a key
		// never contains a backslash, so an escaped \= is never one.
		end, next := len(msg), len(msg)
		for j := i; j < len(msg); j++ {
			if msg[j] == '\\' {
				j++
				continue
			}
			if msg[j] == '=' {
				k := j
				for k > i && isKeyByte(msg[k-1]) {
					k--
				}
				if k < j && k > i && msg[k-1] == ' ' {
					end, next = k-1, k
					break
				}
			}
		}
		out = append(out, Param{Name: key, Value: unescape(bytes.TrimRight(msg[i:end], " "), cefEscapes)})
		if next >= len(msg) {
			return out, nil
		}
		key, i, err = cefKey(msg, next)
		if err != nil {
			return nil, err
		}
	}
}

// cefKey reads "key=" at i.
func cefKey(msg []byte, i int) (string, int, error) {
	start := i
	for i < len(msg) && isKeyByte(msg[i]) {
		i++
	}
	if i == start || i >= len(msg) || msg[i] != '=' {
		return "", i, &SyntaxError{Offset: start, Msg: "the extension must be key=value pairs"}
	}
	return string(msg[start:i]), i + 1, nil
}

func isKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

func skipSpaces(b []byte, i int) int {
	for i < len(b) && b[i] == ' ' {
		i++
	}
	return i
}

// escapes maps the character after a backslash to what it stands for.
type escapes func(c byte) (byte, bool)

func cefEscapes(c byte) (byte, bool) {
	switch c {
	case '=', '\\', '|':
		return c, true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	}
	return 0, false
}

// unescape undoes backslash escapes; a backslash before a character that
// is not an escape stays, with that character (Windows paths arrive
// unescaped more often than not).
func unescape(b []byte, esc escapes) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			if c, ok := esc(b[i+1]); ok {
				out = append(out, c)
				i++
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// parseLEEF reads LEEF:1.0|Vendor|Product|Version|EventID|attributes (TAB
// between attributes) and LEEF:2.0|Vendor|Product|Version|EventID|Delim|attributes,
// where Delim is one character, its code in hexadecimal ("0x5E", "x5E",
// "^"), or empty for TAB. In attributes \= \\ \| and a backslash before the
// delimiter are escapes.
func parseLEEF(msg []byte) (*Event, error) {
	f, i, err := header(msg, len("LEEF:"), 5, "LEEF")
	if err != nil {
		return nil, err
	}
	ev := &Event{Kind: "LEEF", Version: f[0], Vendor: f[1], Product: f[2], ProductVersion: f[3], EventID: f[4], Delimiter: '\t'}
	switch {
	case strings.HasPrefix(ev.Version, "1"):
	case strings.HasPrefix(ev.Version, "2"):
		// The delimiter field is there when the next |-terminated field is
		// one: attributes hold "=" and are never that short.
		if j := bytes.IndexByte(msg[i:], '|'); j >= 0 && j <= 6 {
			if d, ok := delimiter(string(msg[i : i+j])); ok {
				ev.Delimiter, i = d, i+j+1
			} else if j > 0 && !bytes.Contains(msg[i:i+j], []byte("=")) {
				return nil, &SyntaxError{Offset: i, Msg: fmt.Sprintf("LEEF 2.0 delimiter %q is neither one character nor its code (0x5E, x5E)", msg[i:i+j])}
			}
		}
	default:
		return nil, &SyntaxError{Offset: len("LEEF:"), Msg: fmt.Sprintf("LEEF version %q; Rampart reads 1.0 and 2.0", ev.Version)}
	}
	ev.Attributes = leefAttributes(msg[i:], ev.Delimiter)
	return ev, nil
}

// delimiter reads LEEF 2.0's delimiter field.
func delimiter(s string) (rune, bool) {
	if s == "" {
		return '\t', true
	}
	if r, size := utf8.DecodeRuneInString(s); size == len(s) && r != utf8.RuneError {
		return r, true
	}
	hex := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(s), "0"), "x")
	if len(hex) == len(s) || hex == "" || len(hex) > 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(hex, 16, 32)
	if err != nil || n == 0 || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// leefAttributes splits key=value attributes on delim, respecting
// backslash escapes; pieces without "=" are skipped.
func leefAttributes(b []byte, delim rune) []Param {
	var out []Param
	var d [utf8.UTFMax]byte
	sep := d[:utf8.EncodeRune(d[:], delim)]
	esc := func(c byte) (byte, bool) {
		switch c {
		case '=', '\\', '|':
			return c, true
		}
		if len(sep) == 1 && c == sep[0] {
			return c, true
		}
		return 0, false
	}
	for start, i := 0, 0; i <= len(b); {
		if i < len(b) && b[i] == '\\' {
			i = min(i+2, len(b))
			continue
		}
		if i < len(b) && !bytes.HasPrefix(b[i:], sep) {
			i++
			continue
		}
		piece := b[start:min(i, len(b))]
		if k := bytes.IndexByte(piece, '='); k > 0 {
			if name := strings.TrimSpace(string(piece[:k])); name != "" {
				out = append(out, Param{Name: name, Value: unescape(piece[k+1:], esc)})
			}
		}
		i += len(sep)
		start = i
	}
	return out
}

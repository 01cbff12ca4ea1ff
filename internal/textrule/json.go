package textrule

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// maxJSONProblems bounds the field errors one document reports: a body
// full of NULs needs one answer, not a million.
const maxJSONProblems = 20

// JSON checks every string of one well-formed JSON value, object keys
// included, and records each problem in fe under the string's path, after
// prefix: "name", "identifiers.ips[1]", "attributes.os". long reports
// whether the value at a path is long text; keys are always single-line.
//
// It reads the raw bytes because encoding/json does not refuse what this
// rule refuses: it silently turns bytes that are not UTF-8, and \u escapes
// of unpaired UTF-16 surrogates, into U+FFFD. Run it after the document
// decoded without error; on malformed input it stops early without
// reporting anything the decoder would not.
func JSON(raw []byte, long func(path string) bool, prefix string, fe *errs.Fields) {
	w := &walker{raw: raw, long: long, fe: fe, start: len(*fe)}
	w.value(skipSpace(raw, 0), prefix)
}

type walker struct {
	raw   []byte
	long  func(string) bool
	fe    *errs.Fields
	start int // len(*fe) before this document
}

func (w *walker) full() bool { return len(*w.fe)-w.start >= maxJSONProblems }

// value checks the value starting at i and returns the index after it, or
// len(raw) when the input ends early.
func (w *walker) value(i int, path string) int {
	if i >= len(w.raw) {
		return len(w.raw)
	}
	switch w.raw[i] {
	case '{':
		return w.object(i+1, path)
	case '[':
		return w.array(i+1, path)
	case '"':
		end := stringEnd(w.raw, i)
		w.text(w.raw[i:end], path, w.long != nil && w.long(path))
		return end
	}
	// A number, true, false or null: nothing to check.
	for i < len(w.raw) && !delimiter(w.raw[i]) {
		i++
	}
	return i
}

func (w *walker) object(i int, path string) int {
	for {
		i = skipSpace(w.raw, i)
		if i >= len(w.raw) || w.raw[i] != '"' {
			return i + 1 // '}' or malformed input
		}
		end := stringEnd(w.raw, i)
		key, _ := unquote(w.raw[i:end])
		member := Escape(key)
		if path != "" {
			member = path + "." + member
		}
		w.text(w.raw[i:end], member, false)
		i = skipSpace(w.raw, end)
		if i >= len(w.raw) || w.raw[i] != ':' {
			return len(w.raw)
		}
		i = skipSpace(w.raw, w.value(skipSpace(w.raw, i+1), member))
		if i >= len(w.raw) || w.raw[i] != ',' {
			return i + 1
		}
		i++
	}
}

func (w *walker) array(i int, path string) int {
	for n := 0; ; n++ {
		i = skipSpace(w.raw, i)
		if i >= len(w.raw) || w.raw[i] == ']' {
			return i + 1
		}
		i = skipSpace(w.raw, w.value(i, path+"["+strconv.Itoa(n)+"]"))
		if i >= len(w.raw) || w.raw[i] != ',' {
			return i + 1
		}
		i++
	}
}

// text checks one quoted JSON string.
func (w *walker) text(quoted []byte, path string, long bool) {
	if w.full() {
		return
	}
	s, msg := unquote(quoted)
	if msg == "" {
		msg = Problem(s, long)
	}
	if msg != "" {
		w.fe.Add(path, "%s", msg)
	}
}

// unquote decodes a quoted JSON string, keeping bytes that are not UTF-8
// as they are (Problem reports them). An unpaired surrogate escape has no
// string value at all and is reported here.
func unquote(q []byte) (string, string) {
	if len(q) < 2 {
		return "", ""
	}
	body := q[1 : len(q)-1]
	plain := true
	for _, c := range body {
		if c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return string(body), ""
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			out = append(out, c)
			continue
		}
		i++
		switch body[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(body, i+1)
			if !ok {
				return "", "holds a malformed \\u escape"
			}
			i += 4
			if utf16.IsSurrogate(r) {
				lo, ok := rune(0), false
				if r < 0xdc00 && i+6 < len(body) && body[i+1] == '\\' && body[i+2] == 'u' {
					lo, ok = hex4(body, i+3)
				}
				pair := utf16.DecodeRune(r, lo)
				if !ok || pair == utf8.RuneError {
					return "", "holds an unpaired UTF-16 surrogate escape (\\u" + strconv.FormatInt(int64(r), 16) + "), which is not text"
				}
				r = pair
				i += 6
			}
			out = utf8.AppendRune(out, r)
		default: // '"', '\\', '/'
			out = append(out, body[i])
		}
	}
	return string(out), ""
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	return rune(n), err == nil
}

// stringEnd returns the index after the closing quote of the string that
// starts at i.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func delimiter(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

package importer

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// eachMember calls fn for each member of a JSON object, in document order,
// and reports repeated keys (an object with two "name"s is ambiguous).
//
// raw must be one well-formed JSON object: the json.Decoder that produced
// it has checked it. That makes a small scanner enough to split it into
// members without decoding it a second time: the scanner only has to find
// where strings and nested values end.
func eachMember(raw []byte, fn func(key string, v json.RawMessage), prefix string, fe *errs.Fields) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return
	}
	var seen []string // objects have few members: a slice beats a map
	i++
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] != '"' {
			return // '}' (or malformed input, which cannot happen)
		}
		end := stringEnd(raw, i)
		key := jsonKey(raw[i:end])
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return
		}
		start := skipSpace(raw, i+1)
		i = valueEnd(raw, start)
		dup := false
		for _, k := range seen {
			dup = dup || k == key
		}
		if dup {
			fe.Add(prefix+key, "is given twice")
		} else {
			seen = append(seen, key)
			fn(key, raw[start:i])
		}
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] != ',' {
			return
		}
		i++
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just after the string starting at b[i] ('"').
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just after the value starting at b[i].
func valueEnd(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i = stringEnd(b, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the end of the enclosing object
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
}

// jsonKey decodes an object key; keys without escapes (nearly all) are
// used as they are.
func jsonKey(quoted []byte) string {
	var s string
	if fastString(quoted, &s) {
		return s
	}
	if json.Unmarshal(quoted, &s) != nil {
		return string(quoted)
	}
	return s
}

// fastString decodes a JSON string without escapes and in valid UTF-8
// directly; it reports false for anything else, which json.Unmarshal then
// handles (escapes, replacing invalid UTF-8).
func fastString(v []byte, dst *string) bool {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return false
	}
	body := v[1 : len(v)-1]
	if bytes.IndexByte(body, '\\') >= 0 || !utf8.Valid(body) {
		return false
	}
	*dst = string(body)
	return true
}

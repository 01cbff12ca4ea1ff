package generic

import (
	"strconv"
	"strings"
)

// path is a parsed JSON Pointer or dotted path: the member names (or
// array indexes) from the alert down.
type path []string

// parsePath reads a JSON Pointer ("/a/b~1c/0") or a dotted path
// ("a.b.0"); msg says what is wrong with one that is neither.
func parsePath(p string) (path, string) {
	if p == "" {
		return nil, "the path is empty"
	}
	if strings.HasPrefix(p, "/") {
		var out path
		for _, seg := range strings.Split(p[1:], "/") {
			var b strings.Builder
			for i := 0; i < len(seg); i++ {
				if seg[i] != '~' {
					b.WriteByte(seg[i])
					continue
				}
				if i+1 < len(seg) && (seg[i+1] == '0' || seg[i+1] == '1') {
					b.WriteByte("~/"[seg[i+1]-'0'])
					i++
					continue
				}
				return nil, "JSON Pointer " + strconv.Quote(p) + ": ~ must be followed by 0 (for ~) or 1 (for /)"
			}
			out = append(out, b.String())
		}
		return out, ""
	}
	if strings.HasPrefix(p, "$") {
		return nil, "JSONPath " + strconv.Quote(p) + " is not supported; write a JSON Pointer (/a/b) or a dotted path (a.b)"
	}
	out := path(strings.Split(p, "."))
	for _, seg := range out {
		if seg == "" {
			return nil, "dotted path " + strconv.Quote(p) + " has an empty segment; for names holding dots use a JSON Pointer"
		}
	}
	return out, ""
}

// lookup finds the value at p in v (a decoded record); ok is false when
// any step is missing.
func (p path) lookup(v any) (any, bool) {
	for _, seg := range p {
		switch n := v.(type) {
		case map[string]any:
			next, ok := n[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(n) {
				return nil, false
			}
			v = n[i]
		default:
			return nil, false
		}
	}
	return v, true
}

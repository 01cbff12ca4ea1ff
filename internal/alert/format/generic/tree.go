package generic

import (
	"errors"

	"github.com/go-json-experiment/json/jsontext"
)

// number is a JSON number as written, so ids and epoch times keep every
// digit (a float64 would round integers beyond 2^53).
type number string

// maxDepth bounds nesting, so a hostile payload of a million "[" cannot
// exhaust the stack.
const maxDepth = 64

// tree holds one decoded record: map[string]any, []any, string, number,
// bool or nil.
type tree struct{ v any }

// UnmarshalJSONFrom implements json.UnmarshalerFrom.
func (t *tree) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := decodeValue(dec, 0)
	t.v = v
	return err
}

func decodeValue(dec *jsontext.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '{':
		m := map[string]any{}
		for dec.PeekKind() != '}' {
			tok, err := dec.ReadToken()
			if err != nil {
				return nil, err
			}
			name := tok.String() // the token is void after the next read
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			m[name] = v
		}
		_, err := dec.ReadToken()
		return m, err
	case '[':
		var list []any
		for dec.PeekKind() != ']' {
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := dec.ReadToken()
		return list, err
	case '"':
		return tok.String(), nil
	case '0':
		return number(tok.String()), nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	}
	return nil, nil
}

var errTooDeep = errors.New("nested deeper than 64 levels")

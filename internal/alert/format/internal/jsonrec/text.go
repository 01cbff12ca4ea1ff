package jsonrec

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/rampart-itsm/rampart/internal/alert"
)

// Text is a JSON value read as text, for fields senders write as a string
// in one place and a number in another (Wazuh writes ports as "48928", a
// custom decoder may write 48928): a string as it is, a number as written,
// true or false, "" for null, and an object or array as its JSON.
type Text string

// UnmarshalJSONFrom implements json.UnmarshalerFrom.
func (t *Text) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case '"':
		// Invalid UTF-8 is replaced; the error that says so is not one
		// worth losing the value for.
		b, _ := jsontext.AppendUnquote(nil, v)
		*t = Text(b)
	case 'n':
		*t = ""
	default:
		*t = Text(v)
	}
	return nil
}

// Strings is a JSON value read as a list of texts: an array of scalars,
// or a single scalar as a list of one (Suricata writes dns.query as an
// array in one version and an object in another; Wazuh rule.mitre.id is
// an array, a custom rule may give one string).
type Strings []string

// UnmarshalJSONFrom implements json.UnmarshalerFrom.
func (s *Strings) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '[' {
		var t Text
		if err := t.UnmarshalJSONFrom(dec); err != nil {
			return err
		}
		if t != "" {
			*s = append(*s, string(t))
		}
		return nil
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != ']' {
		var t Text
		if err := t.UnmarshalJSONFrom(dec); err != nil {
			return err
		}
		if t != "" {
			*s = append(*s, string(t))
		}
	}
	_, err := dec.ReadToken()
	return err
}

// Flat is a JSON object read as flat text fields: nested objects give
// dotted names ("win.eventdata.targetUserName"), arrays of scalars are
// joined with commas and arrays of other values numbered ("list.0.name").
// It keeps at most alert.MaxLabels fields (the first ones read), so a
// huge object cannot grow one alert without bound.
type Flat map[string]string

// UnmarshalJSONFrom implements json.UnmarshalerFrom.
func (f *Flat) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '{' {
		return dec.SkipValue()
	}
	if *f == nil {
		*f = Flat{}
	}
	return f.value(dec, "")
}

func (f Flat) value(dec *jsontext.Decoder, name string) error {
	switch dec.PeekKind() {
	case '{':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != '}' {
			tok, err := dec.ReadToken()
			if err != nil {
				return err
			}
			key := tok.String()
			if name != "" {
				key = name + "." + key
			}
			if err := f.value(dec, key); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case '[':
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		var list Strings
		if json.Unmarshal(v, &list, options) == nil && !nested(v) {
			f.set(name, strings.Join(list, ","))
			return nil
		}
		var items []jsontext.Value
		if err := json.Unmarshal(v, &items, options); err != nil {
			return err
		}
		for i, item := range items {
			sub := NewValueDecoder(item)
			if err := f.value(sub, name+"."+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		return nil
	}
	var t Text
	if err := t.UnmarshalJSONFrom(dec); err != nil {
		return err
	}
	f.set(name, string(t))
	return nil
}

func (f Flat) set(name, v string) {
	if name != "" && len(f) < alert.MaxLabels {
		f[name] = v
	}
}

// nested reports whether a JSON array holds objects or arrays.
func nested(v jsontext.Value) bool {
	for _, c := range v[1:] {
		switch c {
		case '{', '[':
			return true
		case ' ', '\t', '\r', '\n':
			continue
		}
		return false
	}
	return false
}

// NewValueDecoder returns a decoder over one value, with the options every
// record is read with.
func NewValueDecoder(v []byte) *jsontext.Decoder {
	return jsontext.NewDecoder(bytes.NewReader(v), options)
}

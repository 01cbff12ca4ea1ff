package scanner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// jsonReader walks a JSON report token by token, decoding the elements it
// streams (a vulnerability, a SARIF result) one at a time with
// encoding/json/v2 semantics (github.com/go-json-experiment/json: the
// same package as the standard library's experimental v2, usable without a
// GOEXPERIMENT). Its decoder knows the JSON Pointer of the value it is in,
// which is what errors name, together with the line.
type jsonReader struct {
	format string
	src    *source
	pos    *positions
	dec    *jsontext.Decoder
}

func newJSONReader(format string, r io.Reader) *jsonReader {
	src := &source{r: r}
	pos := &positions{r: src}
	// Scanners write what their inputs contain; a stray invalid UTF-8 byte
	// in a code snippet or a key given twice is not worth refusing a
	// report for, so both are tolerated (the byte becomes U+FFFD, the last
	// key wins).
	dec := jsontext.NewDecoder(pos, jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))
	return &jsonReader{format: format, src: src, pos: pos, dec: dec}
}

// kind peeks at the kind of the next value ('{', '[', '"', '0', 'n', 't',
// 'f'), 0 at the end of the input or on an error, which the next read
// reports.
func (j *jsonReader) kind() jsontext.Kind { return j.dec.PeekKind() }

func (j *jsonReader) token() (jsontext.Token, error) {
	t, err := j.dec.ReadToken()
	if err != nil {
		return t, j.fail(err)
	}
	return t, nil
}

// decode reads the next value into v.
func (j *jsonReader) decode(v any) error {
	if err := json.UnmarshalDecode(j.dec, v); err != nil {
		return j.fail(err)
	}
	return nil
}

func (j *jsonReader) skip() error {
	if err := j.dec.SkipValue(); err != nil {
		return j.fail(err)
	}
	return nil
}

// object reads an object member by member, calling fn with each name; fn
// must read or skip the member's value. want describes the expected object
// for the error when the value is something else.
func (j *jsonReader) object(want string, fn func(name string) error) error {
	if k := j.kind(); k != '{' {
		return j.unexpected(want)
	}
	if _, err := j.token(); err != nil {
		return err
	}
	for j.kind() != '}' {
		t, err := j.token()
		if err != nil {
			return err
		}
		if err := fn(t.String()); err != nil {
			return err
		}
	}
	_, err := j.token()
	return err
}

// array reads an array element by element, calling fn for each; fn must
// read or skip the element. A null counts as an empty array, as Go-written
// reports (Trivy's) write nil slices.
func (j *jsonReader) array(want string, fn func() error) error {
	switch j.kind() {
	case 'n':
		_, err := j.token()
		return err
	case '[':
	default:
		return j.unexpected(want)
	}
	if _, err := j.token(); err != nil {
		return err
	}
	for j.kind() != ']' {
		if err := fn(); err != nil {
			return err
		}
	}
	_, err := j.token()
	return err
}

// hold reads the next value whole, for a value that cannot be handled
// until members after it are read; replay reads it again later.
func (j *jsonReader) hold() (jsontext.Value, error) {
	raw, err := j.dec.ReadValue()
	if err != nil {
		return nil, j.fail(err)
	}
	return raw.Clone(), nil
}

// replay returns a reader of a value hold returned.
func (j *jsonReader) replay(raw jsontext.Value) *jsonReader {
	return newJSONReader(j.format, bytes.NewReader(raw))
}

// end checks that nothing but space follows the report's value.
func (j *jsonReader) end() error {
	if _, err := j.dec.ReadToken(); !errors.Is(err, io.EOF) {
		if err != nil {
			return j.fail(err)
		}
		return j.errorf("unexpected data after the end of the report")
	}
	return nil
}

// unexpected reports a value of the wrong kind where want was expected.
func (j *jsonReader) unexpected(want string) error {
	k := j.kind()
	if kindName(k) == "a value" { // the end, or not JSON at all
		_, err := j.dec.ReadToken()
		if errors.Is(err, io.EOF) {
			return j.errorf("the report ends where %s was expected (truncated?)", want)
		}
		return j.fail(err)
	}
	return j.errorf("expected %s, found %s", want, kindName(k))
}

// errorf is a whole-report error at the decoder's current position.
func (j *jsonReader) errorf(format string, args ...any) error {
	return fileError(j.format, j.where(string(j.dec.StackPointer()), j.dec.InputOffset()), format, args...)
}

// fail describes an error of the decoder or of decoding a value: a failed
// read is returned wrapped for the caller to classify (a body over the
// size limit, a broken connection); everything else is a problem of the
// report, located by JSON Pointer and line.
func (j *jsonReader) fail(err error) error {
	if j.src.readFailed(err) {
		return fmt.Errorf("reading %s report: %w", j.format, j.src.err)
	}
	ptr, off := string(j.dec.StackPointer()), j.dec.InputOffset()
	msg := err.Error()
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		msg = "the report ends in the middle of a JSON value (truncated?)"
		off = j.pos.total
	case errors.As(err, &syn):
		ptr, off = string(syn.JSONPointer), syn.ByteOffset
		msg = "malformed JSON: " + errText(syn.Err)
	case errors.As(err, &sem):
		ptr, off = string(sem.JSONPointer), sem.ByteOffset
		msg = "unexpected " + kindName(sem.JSONKind)
		if sem.GoType != nil {
			msg += " (expected " + goKind(sem.GoType.Kind().String()) + ")"
		}
	}
	return fileError(j.format, j.where(ptr, off), "%s", msg)
}

func (j *jsonReader) where(ptr string, off int64) string {
	if ptr == "" {
		ptr = "/"
	}
	return ptr + " (" + j.pos.describe(off) + ")"
}

func errText(err error) string {
	if err == nil {
		return "invalid syntax"
	}
	return err.Error()
}

func goKind(k string) string {
	switch k {
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "float64", "uint", "int32":
		return "a number"
	}
	return k
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a value"
}

// flexString decodes a JSON string, number, boolean or null as text: fields
// that tools write sometimes as "7.5" and sometimes as 7.5 (SARIF
// properties, Nuclei's metadata) are read either way.
type flexString string

func (s *flexString) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	t, err := d.ReadToken()
	if err != nil {
		return err
	}
	switch t.Kind() {
	case '"', '0':
		*s = flexString(t.String())
	case 't', 'f':
		*s = flexString(strconv.FormatBool(t.Bool()))
	case 'n':
		*s = ""
	default:
		// An object or array: take it whole, as text.
		if err := d.SkipValue(); err != nil {
			return err
		}
		*s = ""
	}
	return nil
}

// stringList decodes a string or a list of strings (Nuclei writes either
// for authors, references, CVE ids).
type stringList []string

func (l *stringList) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	switch d.PeekKind() {
	case '[':
		var v []flexString
		if err := json.UnmarshalDecode(d, &v); err != nil {
			return err
		}
		for _, s := range v {
			if s != "" {
				*l = append(*l, string(s))
			}
		}
		return nil
	default:
		var s flexString
		if err := s.UnmarshalJSONFrom(d); err != nil {
			return err
		}
		if s != "" {
			*l = append(*l, string(s))
		}
		return nil
	}
}

// unmarshalValue decodes a value held whole.
func unmarshalValue(v jsontext.Value, dst any) error {
	if len(v) == 0 {
		return io.EOF
	}
	return json.Unmarshal(v, dst)
}

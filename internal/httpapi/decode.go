package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// Body size limits. JSON requests describe a few records; uploads carry a
// whole discovery file (nmap XML of a /16 is tens of MiB).
const (
	maxJSONBody   = 1 << 20  // 1 MiB
	maxUploadBody = 64 << 20 // 64 MiB
)

// decodeJSON reads exactly one JSON value from the request body into dst.
// Every failure to read it is a 400 naming what is wrong: the byte offset
// of a syntax error, the field that is unknown or of the wrong type, data
// after the value. A body over the route's limit is a 413. Text that
// breaks the text rule (NUL, control characters, line breaks outside long
// text, bytes that are not UTF-8) is a 422 naming each field: see
// textrule, and longText for which fields are long text.
func decodeJSON(r *http.Request, dst any) error {
	// The body is read whole (it is at most maxJSONBody) because the text
	// rule needs the raw bytes: decoding replaces what is not UTF-8.
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return jsonError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	// A second value (or garbage) after the first is a client bug, not
	// something to ignore silently.
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err == nil:
		return badRequest(errs.E(errs.Invalid, "request body holds more than one JSON value (at byte %d)", dec.InputOffset()-int64(len(extra))))
	default:
		return badRequest(errs.E(errs.Invalid, "unexpected data after the JSON value (near byte %d)", dec.InputOffset()))
	}
	var fe errs.Fields
	textrule.JSON(raw, longText(reflect.TypeOf(dst)), "", &fe)
	return fe.Err()
}

// longText returns which paths of a request body hold long text: the
// top-level fields of the body's struct tagged `text:"long"`, and
// everything beneath them (the values of free attributes).
func longText(t reflect.Type) func(path string) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var long []string
	if t != nil && t.Kind() == reflect.Struct {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Tag.Get("text") == "long" {
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				long = append(long, name)
			}
		}
	}
	return func(path string) bool {
		for _, l := range long {
			if path == l || strings.HasPrefix(path, l+".") || strings.HasPrefix(path, l+"[") {
				return true
			}
		}
		return false
	}
}

// jsonBody reports whether the route's body is JSON (rather than none, or
// an uploaded file, which may come in any type).
func (rt route) jsonBody() bool { return rt.doc.body != "" && rt.doc.body != "Upload" }

// checkContentType refuses a JSON route's body sent as anything but JSON
// (415): a form or text/plain body is what a cross-site form can send, and
// a client that sends one has mixed up its encodings.
func checkContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt, ps, err := mime.ParseMediaType(ct)
	isJSON := err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
	if cs, ok := ps["charset"]; isJSON && (!ok || strings.EqualFold(cs, "utf-8")) {
		return nil
	}
	if ct == "" {
		ct = "none"
	}
	return &protocolError{code: http.StatusUnsupportedMediaType, kind: kindUnsupportedMedia,
		err: errs.E(errs.Invalid, "the body must be JSON sent as Content-Type: application/json (UTF-8), not %s", strconv.Quote(textrule.Escape(ct)))}
}

// jsonError turns an encoding/json error into a 400 (or 413) problem.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case tooLarge(err):
		return errs.E(errs.TooLarge, "request body is larger than the limit of %s", sizeOf(err))
	case timedOut(err):
		return requestTimeout()
	case errors.Is(err, io.EOF):
		return badRequest(errs.E(errs.Invalid, "request body is empty; send a JSON value"))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest(errs.E(errs.Invalid, "malformed JSON: the body ends before the value is complete"))
	case errors.As(err, &syn):
		return badRequest(errs.E(errs.Invalid, "malformed JSON at byte offset %d: %s", syn.Offset, syn.Error()))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest(errs.E(errs.Invalid, "the body must be a JSON %s, not %s", jsonTypeName(typ.Type), article(typ.Value)))
		}
		return badField(typ.Field, "must be %s, not %s", withArticle(jsonTypeName(typ.Type)), article(typ.Value))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return badField(name, "unknown field")
	}
	// Errors from a field's own UnmarshalJSON (a time that is not RFC 3339).
	return badRequest(errs.E(errs.Invalid, "invalid JSON value: %s", strings.TrimPrefix(err.Error(), "json: ")))
}

// timedOut reports a body that did not arrive within the server's read
// deadline (a client sending slowly, or not at all).
func timedOut(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// requestTimeout is the 408 for a body that stopped arriving; the server
// closes the connection after it.
func requestTimeout() error {
	return &protocolError{code: http.StatusRequestTimeout, kind: kindTimeout,
		err: errs.E(errs.Invalid, "the request body did not arrive in time; send it again")}
}

func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

func sizeOf(err error) string {
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) {
		return "the limit"
	}
	if mb.Limit >= 1<<20 {
		return fmt.Sprintf("%d MiB", mb.Limit>>20)
	}
	return fmt.Sprintf("%d bytes", mb.Limit)
}

// jsonTypeName names a Go type in JSON's words, the words a client knows.
func jsonTypeName(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.String() == "time.Time" {
		return "RFC 3339 timestamp string"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return "value"
}

func withArticle(s string) string {
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + s
	}
	if strings.HasPrefix(s, "RFC") {
		return "an " + s
	}
	return "a " + s
}

// article phrases what json reported it found ("number", "string", "array").
func article(v string) string {
	if v == "" {
		return "that"
	}
	if strings.HasPrefix(v, "number ") { // "number 1.5" when an integer was expected
		return v
	}
	return withArticle(v)
}

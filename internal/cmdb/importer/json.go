package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// ParseJSON reads CIs as JSON: an array of objects with the field names of
// the API's CI JSON, or an object {"items": [...]} (the shape of a page of
// GET /api/v1/cis, so an export can be imported again). Items are numbered
// from 1 in array order.
//
// The array is streamed one item at a time, so a large file is never held
// twice. Any caller may use it. Errors: errs.Invalid for JSON that is not
// well formed or has the wrong overall shape, naming the line, column and
// byte offset; errs.TooLarge beyond MaxRows items; errors of r itself are
// returned wrapped. Unknown fields and values of the wrong type are
// Problems of their item only.
func ParseJSON(r io.Reader) ([]cmdb.Candidate, error) {
	var out []cmdb.Candidate
	if err := EachJSON(r, collect(&out)); err != nil {
		return nil, err
	}
	return out, nil
}

// EachJSON is ParseJSON handing each candidate to yield as soon as its
// item is read. An error from yield ends the reading and is returned as
// it is.
func EachJSON(r io.Reader, yield func(cmdb.Candidate) error) error {
	src := &source{r: r}
	lc := &lineCounter{r: src}
	p := &jsonParser{src: src, lc: lc, d: json.NewDecoder(lc), yield: yield}
	tok, err := p.token()
	if errors.Is(err, io.EOF) {
		return fileError("JSON", "line 1", "the file is empty; expected an array of CIs or {\"items\": [...]}")
	}
	if err != nil {
		return p.syntax(err)
	}
	switch tok {
	case json.Delim('['):
		err = p.items()
	case json.Delim('{'):
		err = p.page()
	default:
		return fileError("JSON", lc.where(p.start), "expected an array of CIs or an object {\"items\": [...]}")
	}
	if err != nil {
		return err
	}
	if _, err := p.token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return p.syntax(err)
		}
		return fileError("JSON", lc.where(p.start), "unexpected data after the end of the JSON value")
	}
	return nil
}

type jsonParser struct {
	src   *source
	lc    *lineCounter
	d     *json.Decoder
	start int64 // offset where the token or value being read starts
	read  int   // items read so far
	yield func(cmdb.Candidate) error
}

// token and decode remember where the decoder stands before reading, so a
// syntax error can be located exactly (see syntax).
func (p *jsonParser) token() (json.Token, error) {
	p.mark()
	return p.d.Token()
}

func (p *jsonParser) decode(v any) error {
	p.mark()
	return p.d.Decode(v)
}

func (p *jsonParser) mark() {
	p.start = p.d.InputOffset()
	p.lc.mark = p.start
}

// page reads {"items": [...]} after its opening brace. "total" and
// "next_cursor" of an exported page are accepted and ignored; any other key
// is an error because it is probably a misspelt "items".
func (p *jsonParser) page() error {
	found := false
	for p.d.More() {
		tok, err := p.token()
		if err != nil {
			return p.syntax(err)
		}
		at := p.lc.where(p.start)
		key, _ := tok.(string)
		switch key {
		case "items":
			if found {
				return fileError("JSON", at, `"items" is given twice`)
			}
			found = true
			tok, err := p.token()
			if err != nil {
				return p.syntax(err)
			}
			if tok != json.Delim('[') {
				return fileError("JSON", at, `"items" must be an array of CIs`)
			}
			if err := p.items(); err != nil {
				return err
			}
		case "total", "next_cursor":
			var skip json.RawMessage
			if err := p.decode(&skip); err != nil {
				return p.syntax(err)
			}
		default:
			return fileError("JSON", at, "unknown key %q: expected {\"items\": [...]}", clip(key, 40))
		}
	}
	if _, err := p.token(); err != nil { // the closing brace
		return p.syntax(err)
	}
	if !found {
		return fileError("JSON", p.lc.where(p.start), `the object has no "items" array`)
	}
	return nil
}

// items reads array elements after the opening bracket, through the
// closing one.
func (p *jsonParser) items() error {
	for p.d.More() {
		if p.read >= maxRows {
			return tooManyRows("JSON", "items")
		}
		var raw json.RawMessage
		if err := p.decode(&raw); err != nil {
			return p.syntax(err)
		}
		p.read++
		if err := p.yield(jsonItem(raw, p.read)); err != nil {
			return err
		}
	}
	if _, err := p.token(); err != nil { // the closing bracket
		return p.syntax(err)
	}
	return nil
}

// syntax turns a decoder error into a whole-file error naming where it is.
//
// A json.Decoder's SyntaxError.Offset counts only the bytes its scanner saw,
// not those consumed as delimiters between values, so it is not a position
// in the file. The position is found instead by scanning again, with a
// fresh decoder, the bytes from where the failed read started: that
// decoder's offset is relative to the start, which is known.
func (p *jsonParser) syntax(err error) error {
	if p.src.readFailed(err) {
		return fmt.Errorf("reading JSON: %w", err)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg := "the file ends in the middle of a JSON value (truncated?)"
		at := p.lc.windowStart + int64(len(p.lc.window)) // the end of the input
		if se != nil {
			msg, at = se.Error(), p.start
			if rel := p.lc.since(p.start); rel != nil {
				// The failed read may have begun with the separator before
				// the value, which a fresh decoder would not expect.
				skip := len(rel) - len(bytes.TrimLeft(rel, " \t\r\n"))
				if skip < len(rel) && (rel[skip] == ',' || rel[skip] == ':') {
					skip++
				}
				var again *json.SyntaxError
				d := json.NewDecoder(bytes.NewReader(rel[skip:]))
				if errors.As(d.Decode(new(json.RawMessage)), &again) && again.Offset > 0 {
					msg, at = again.Error(), p.start+int64(skip)+again.Offset-1
				}
			}
		}
		return fileError("JSON", p.lc.where(at), "%s", msg)
	}
	if errors.Is(err, io.EOF) {
		return fileError("JSON", p.lc.where(p.start), "the file ends in the middle of a JSON value (truncated?)")
	}
	return fileError("JSON", p.lc.where(p.start), "%v", err)
}

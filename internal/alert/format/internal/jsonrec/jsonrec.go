// Package jsonrec splits a JSON payload into records and decodes each,
// for the parsers of JSON formats (Alertmanager, Suricata, Wazuh,
// generic). A payload is one JSON value, a JSON array of records, or a
// sequence of values: JSON lines (NDJSON, one record per line, as Suricata
// and Wazuh write their files) or values spread over several lines each.
//
// Errors name where: the line (and column) in the payload, and the JSON
// Pointer of the value inside a record when the decoder knows it.
package jsonrec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/rampart-itsm/rampart/internal/alert"
)

// options are those of every decode: senders write what their inputs
// contain, so a stray invalid UTF-8 byte (it becomes U+FFFD, and
// Alert.Normalize keeps it so) or a member given twice (the last wins) is
// not worth losing an alert for. Names match case-sensitively, as the
// formats spell them.
var options = json.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// Record is one record of a payload.
type Record struct {
	Raw    []byte // the record's bytes: a slice of the payload, not a copy
	Index  int    // 0-based position among the payload's records
	Line   int    // line of its first byte, from 1
	Column int    // column of its first byte, from 1 (bytes)
	lines  bool   // the payload is JSON lines: one record per line
}

// Where names the record for people: "line 12" in JSON lines, else
// "record 3 (line 40, column 5)".
func (r Record) Where() string {
	if r.lines {
		return "line " + strconv.Itoa(r.Line)
	}
	return "record " + strconv.Itoa(r.Index+1) + " (line " + strconv.Itoa(r.Line) + ", column " + strconv.Itoa(r.Column) + ")"
}

// Error says where in a payload a record could not be read, and why.
type Error struct {
	Where   string // "line 12, column 40 (/alert/severity)"
	Message string
}

func (e *Error) Error() string { return e.Where + ": " + e.Message }

// Decode unmarshals the record into v (encoding/json/v2 semantics; unknown
// members are skipped). The error, when not nil, names the line, column
// and JSON Pointer of the offending value.
func (r Record) Decode(v any) *Error {
	err := json.Unmarshal(r.Raw, v, options)
	if err == nil {
		return nil
	}
	return r.errorAt(err)
}

// DecodePart unmarshals v, a value inside the record found at the JSON
// Pointer ptr (an element decoded on its own), into out; the error names
// the record, ptr and the pointer inside v.
func (r Record) DecodePart(ptr string, v []byte, out any) *Error {
	err := json.Unmarshal(v, out, options)
	if err == nil {
		return nil
	}
	_, inner, msg := explain(err)
	return &Error{Where: r.Where() + " (" + ptr + inner + ")", Message: msg}
}

// Fail is an error about the record as a whole, or about the value at the
// JSON Pointer ptr inside it.
func (r Record) Fail(ptr, format string, args ...any) *Error {
	where := r.Where()
	if ptr != "" {
		where += " (" + ptr + ")"
	}
	return &Error{Where: where, Message: fmt.Sprintf(format, args...)}
}

// errorAt turns a decoder error into a position: the offset the decoder
// reports is relative to the record.
func (r Record) errorAt(err error) *Error {
	off, ptr, msg := explain(err)
	where := r.Where()
	if off >= 0 && off <= int64(len(r.Raw)) {
		where = r.position(int(off))
	}
	if ptr != "" {
		where += " (" + ptr + ")"
	}
	return &Error{Where: where, Message: msg}
}

// explain takes a decoder error apart: the byte offset it happened at
// (-1 when unknown), the JSON Pointer of the value and what went wrong.
func explain(err error) (off int64, ptr, msg string) {
	off = -1
	var se *jsontext.SyntacticError
	var me *json.SemanticError
	cause := err
	switch {
	case errors.As(err, &se):
		off, ptr, cause = se.ByteOffset, string(se.JSONPointer), se.Err
	case errors.As(err, &me):
		off, ptr = me.ByteOffset, string(me.JSONPointer)
		if me.Err != nil {
			cause = me.Err
		}
	}
	msg = "not valid JSON"
	if cause != nil {
		msg = cause.Error()
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "truncated: the record ends inside a JSON value"
	} else if me != nil && me.GoType != nil && me.JSONKind != 0 {
		msg = "cannot read JSON " + me.JSONKind.String() + " here"
		if me.Err != nil {
			msg += ": " + me.Err.Error()
		}
	}
	return off, ptr, msg
}

// position names an offset inside the record.
func (r Record) position(off int) string {
	before := r.Raw[:off]
	line := r.Line + bytes.Count(before, []byte{'\n'})
	col := r.Column + off
	if nl := bytes.LastIndexByte(before, '\n'); nl >= 0 {
		col = off - nl
	}
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
}

// Each calls fn with every record of payload, in order. What keeps
// records from being delimited at all (an empty payload, a broken array,
// a value that never ends) is added to e, and Each returns how many such
// failures it met (0 or 1: after one, nothing further can be delimited).
// Problems inside one JSON line are the caller's, through Record.Decode,
// and do not stop the lines after it.
func Each(payload []byte, e *alert.Errors, fn func(Record)) (failed int) {
	start := skipSpace(payload, 0)
	start += len(bom) * btoi(bytes.HasPrefix(payload[start:], bom))
	start = skipSpace(payload, start)
	if start == len(payload) {
		e.Add("payload", "empty: no JSON record")
		return 1
	}
	if payload[start] == '[' {
		return eachElement(payload, start, e, fn)
	}
	if firstLineIsRecord(payload[start:]) {
		eachLine(payload, start, fn)
		return 0
	}
	return eachValue(payload, start, e, fn)
}

var bom = []byte("\xef\xbb\xbf")

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// firstLineIsRecord tells JSON lines from a value spread over lines (a
// pretty-printed object starts with a line that is only "{").
func firstLineIsRecord(b []byte) bool {
	line := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	}
	line = bytes.TrimRight(line, " \t\r")
	return len(line) > 1 && (line[len(line)-1] == '}' || line[len(line)-1] == ']')
}

// eachLine treats every non-blank line as one record. Line numbers are
// counted as it goes: a million-line file is read in one pass.
func eachLine(payload []byte, start int, fn func(Record)) {
	line := 1 + bytes.Count(payload[:start], []byte{'\n'})
	index := 0
	for pos := lineStart(payload, start); pos < len(payload); line++ {
		end := bytes.IndexByte(payload[pos:], '\n')
		next := len(payload)
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(payload)
		}
		b := payload[pos:end]
		lead := len(b) - len(bytes.TrimLeft(b, " \t\r\ufeff"))
		b = bytes.TrimRight(b[lead:], " \t\r")
		if len(b) > 0 {
			fn(Record{Raw: b, Index: index, Line: line, Column: lead + 1, lines: true})
			index++
		}
		pos = next
	}
}

func lineStart(b []byte, i int) int { return bytes.LastIndexByte(b[:i], '\n') + 1 }

// stream reads values with a decoder and places each in the payload.
type stream struct {
	payload []byte
	start   int // where the decoder's input starts in payload
	dec     *jsontext.Decoder
	lines   lineCounter
	index   int
}

func newStream(payload []byte, start int) *stream {
	return &stream{payload: payload, start: start, dec: jsontext.NewDecoder(bytes.NewReader(payload[start:]), options),
		lines: lineCounter{payload: payload, line: 1}}
}

// record is the value the decoder just read, as a slice of the payload.
func (s *stream) record(v jsontext.Value) Record {
	end := s.start + int(s.dec.InputOffset())
	at := end - len(v)
	line, col := s.lines.at(at)
	s.index++
	return Record{Raw: s.payload[at:end], Index: s.index - 1, Line: line, Column: col}
}

// eachElement hands out the elements of a top-level array.
func eachElement(payload []byte, start int, e *alert.Errors, fn func(Record)) int {
	s := newStream(payload, start)
	if _, err := s.dec.ReadToken(); err != nil {
		return fail(e, payload, start, err)
	}
	for s.dec.PeekKind() != ']' {
		v, err := s.dec.ReadValue()
		if err != nil {
			return fail(e, payload, start, err)
		}
		fn(s.record(v))
	}
	if _, err := s.dec.ReadToken(); err != nil {
		return fail(e, payload, start, err)
	}
	if _, err := s.dec.ReadToken(); err != io.EOF {
		return fail(e, payload, start+int(s.dec.InputOffset()), errors.New("more after the array; send one array, or one record per line"))
	}
	return 0
}

// eachValue hands out a sequence of values that span lines.
func eachValue(payload []byte, start int, e *alert.Errors, fn func(Record)) int {
	s := newStream(payload, start)
	for {
		v, err := s.dec.ReadValue()
		if err == io.EOF {
			return 0
		}
		if err != nil {
			return fail(e, payload, start, err)
		}
		fn(s.record(v))
	}
}

// fail records a decoder error at its place in the payload (the decoder
// counts from base).
func fail(e *alert.Errors, payload []byte, base int, err error) int {
	off := base
	msg := err.Error()
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		off += int(se.ByteOffset)
		msg = se.Err.Error()
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "truncated: the payload ends inside a JSON value"
	}
	e.Add(alert.Position(payload, off), "%s", msg)
	return 1
}

// lineCounter turns increasing offsets into lines and columns in one pass.
type lineCounter struct {
	payload []byte
	line    int
	pos     int // offset at which line is known
	lineAt  int // offset where the current line starts
}

func (c *lineCounter) at(off int) (line, col int) {
	for {
		i := bytes.IndexByte(c.payload[c.pos:off], '\n')
		if i < 0 {
			break
		}
		c.pos += i + 1
		c.line++
		c.lineAt = c.pos
	}
	c.pos = off
	return c.line, off - c.lineAt + 1
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// Report adds the error to e and counts its record as failed in res.
func (err *Error) Report(e *alert.Errors, res *alert.Result) {
	res.Failed++
	e.Add(err.Where, "%s", err.Message)
}

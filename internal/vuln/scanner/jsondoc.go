package scanner

import (
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"
)

// jsonDoc describes a JSON report whose top level is an object with a few
// small header members (what was scanned, by which tool) and one or more
// large body members (the findings). Findings need the header, but a JSON
// object's members come in any order: Grype writes "matches" before
// "source", and a report passed through `jq -S` has its keys sorted.
type jsonDoc struct {
	format string
	// isBody tells body members from header members.
	isBody func(name string) bool
	// header reads a header member's value; body streams a body member's.
	header func(j *jsonReader, name string) error
	body   func(j *jsonReader, name string) error
	// ready reports whether the header members the body needs were read.
	ready func() bool
}

// maxBufferedBody bounds what is held in memory for a report read from a
// stream that cannot seek and that puts its findings before its header.
const maxBufferedBody = 256 << 20

// walk reads the report. When a body member comes before the header is
// ready and r can seek (a file: the import spools uploads to disk), it
// first reads the whole report for its header only, skipping bodies, then
// reads it again streaming the bodies: memory stays flat. From a stream
// that cannot seek, such a body is held in memory (up to maxBufferedBody)
// until the end.
func (d jsonDoc) walk(j *jsonReader, r io.Reader, first bool) error {
	type held struct {
		name string
		raw  jsontext.Value
	}
	var buffered []held
	size := 0
	err := j.object("a JSON object", func(name string) error {
		if !d.isBody(name) {
			if !first {
				return j.skip()
			}
			return d.header(j, name)
		}
		if d.ready() || !first {
			return d.body(j, name)
		}
		if _, ok := r.(io.ReadSeeker); ok && len(buffered) == 0 {
			return errRestart{}
		}
		raw, err := j.hold()
		if err != nil {
			return err
		}
		size += len(raw)
		if size > maxBufferedBody {
			return j.errorf("%q comes before the report's header and is larger than %d MB; import the report from a file", name, maxBufferedBody>>20)
		}
		buffered = append(buffered, held{name, raw})
		return nil
	})
	if err != nil {
		return err
	}
	if err := j.end(); err != nil {
		return err
	}
	for _, b := range buffered {
		if err := d.body(j.replay(b.raw), b.name); err != nil {
			return err
		}
	}
	return nil
}

// errRestart asks parse to read the header in a first pass.
type errRestart struct{}

func (errRestart) Error() string { return "restart" }

// parse reads a jsonDoc report from j, which reads r, positioned at the
// top-level object.
func (d jsonDoc) parse(j *jsonReader, r io.Reader) error {
	rs, seekable := r.(io.ReadSeeker)
	var origin int64
	if seekable {
		var err error
		if origin, err = rs.Seek(0, io.SeekCurrent); err != nil {
			seekable, r = false, struct{ io.Reader }{r}
		}
		origin -= j.pos.total // what was read ahead to find the top-level value
	}
	err := d.walk(j, r, true)
	if _, ok := err.(errRestart); !ok || !seekable {
		return err
	}
	if _, err := rs.Seek(origin, io.SeekStart); err != nil {
		return fmt.Errorf("reading %s report: %w", d.format, err)
	}
	pre := jsonDoc{format: d.format, isBody: d.isBody, header: d.header,
		body:  func(j *jsonReader, _ string) error { return j.skip() },
		ready: func() bool { return true }}
	if err := pre.walk(newJSONReader(d.format, rs), rs, true); err != nil {
		return err
	}
	if _, err := rs.Seek(origin, io.SeekStart); err != nil {
		return fmt.Errorf("reading %s report: %w", d.format, err)
	}
	return d.walk(newJSONReader(d.format, rs), rs, false)
}

package scanner

import (
	"bytes"
	"errors"
	"io"
	"strconv"
)

// source wraps the caller's reader to remember its error, so a parser can
// tell a failure to read (returned wrapped, for the caller to classify)
// from a problem with the report's content (errs.Invalid).
type source struct {
	r   io.Reader
	err error
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		s.err = err
	}
	return n, err
}

func (s *source) readFailed(err error) bool { return s.err != nil && errors.Is(err, s.err) }

// positions turns byte offsets into lines for error messages while
// reading: decoders report offsets, people look for lines. It keeps the
// most recent bytes read (between keep and 2×keep of them) and the number
// of newlines before them, so memory stays bounded for any input and an
// offset inside the value a decoder is reading can be placed exactly.
type positions struct {
	r      io.Reader
	recent []byte
	start  int64 // offset of recent[0]
	lines  int   // newlines before start
	total  int64 // bytes read
}

// keep is larger than any one element the parsers decode in practice; an
// error further back than that is reported by byte offset only.
const keep = 1 << 20

func (p *positions) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		if len(p.recent)+n > 2*keep {
			drop := len(p.recent) + n - keep
			drop = min(drop, len(p.recent))
			p.lines += bytes.Count(p.recent[:drop], []byte{'\n'})
			p.start += int64(drop)
			p.recent = append(p.recent[:0], p.recent[drop:]...)
		}
		p.recent = append(p.recent, b[:n]...)
		p.total += int64(n)
	}
	return n, err
}

// describe names offset as "line L, column C", or "byte N" when it is no
// longer among the recent bytes.
func (p *positions) describe(off int64) string {
	rel := off - p.start
	if rel < 0 || rel > int64(len(p.recent)) {
		return "byte " + strconv.FormatInt(off, 10)
	}
	before := p.recent[:rel]
	line := p.lines + bytes.Count(before, []byte{'\n'}) + 1
	nl := bytes.LastIndexByte(before, '\n')
	if nl < 0 && p.start > 0 {
		return "line " + strconv.Itoa(line)
	}
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(int(rel)-nl)
}

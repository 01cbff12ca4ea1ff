package syslognet

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// framer splits a TCP stream into syslog frames (RFC 6587): octet
// counting ("LEN SP MSG"), recognised by a leading digit, or else
// non-transparent framing, one message per line (LF, with an optional CR
// before it). Senders may mix the two on one connection; rsyslog's
// receiver also decides frame by frame.
type framer struct {
	r   *bufio.Reader
	max int
}

// errFraming marks a problem with one frame: it is reported and counted,
// and reading goes on with the next frame.
type errFraming struct {
	reason  string
	sample  []byte
	tooLong bool
}

func (e *errFraming) Error() string { return e.reason }

// next returns the next frame (a fresh slice, the caller's to keep), an
// *errFraming for a frame that was skipped, or the stream's error (io.EOF
// at a clean end).
func (f *framer) next() ([]byte, error) {
	// Line breaks and NULs between frames are trailers of the previous
	// frame, not frames.
	for {
		c, err := f.r.ReadByte()
		if err != nil {
			return nil, err
		}
		if c != '\n' && c != '\r' && c != 0 {
			if err := f.r.UnreadByte(); err != nil {
				return nil, err
			}
			if c >= '1' && c <= '9' {
				return f.counted()
			}
			return f.line()
		}
	}
}

// counted reads "LEN SP MSG".
func (f *framer) counted() ([]byte, error) {
	n := 0
	for digits := 0; ; digits++ {
		c, err := f.r.ReadByte()
		if err != nil {
			return nil, truncatedAt(err, "the connection ended inside an octet count")
		}
		if c == ' ' && digits > 0 {
			break
		}
		if c < '0' || c > '9' || digits >= 9 {
			// Not a count after all: skip to the end of the line, the only
			// place a next frame can be found again.
			rest, err := f.skipLine()
			return nil, orFraming(err, &errFraming{reason: "malformed octet count (RFC 6587)", sample: append([]byte{c}, rest...)})
		}
		n = n*10 + int(c-'0')
	}
	if n > f.max {
		if _, err := f.r.Discard(n); err != nil {
			return nil, truncatedAt(err, "the connection ended inside a frame")
		}
		return nil, &errFraming{reason: fmt.Sprintf("frame of %d bytes is longer than the limit of %d", n, f.max), tooLong: true}
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(f.r, msg); err != nil {
		return nil, truncatedAt(err, "the connection ended inside a frame", msg...)
	}
	// rsyslog counts the line break its template ends with: a trailer,
	// not part of the message.
	return trimTrailer(msg), nil
}

// line reads up to LF. At the end of the stream a last line without LF
// is still a frame.
func (f *framer) line() ([]byte, error) {
	var msg []byte
	for {
		part, err := f.r.ReadSlice('\n')
		if len(msg)+len(part) > f.max+2 { // room for CR LF
			sample := append(msg[:min(len(msg), 64):min(len(msg), 64)], part[:min(len(part), 64)]...)
			if err == nil {
				return nil, &errFraming{reason: fmt.Sprintf("line longer than the limit of %d bytes", f.max), sample: sample, tooLong: true}
			}
			_, err := f.skipLine()
			return nil, orFraming(err, &errFraming{reason: fmt.Sprintf("line longer than the limit of %d bytes", f.max), sample: sample, tooLong: true})
		}
		msg = append(msg, part...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == nil || errors.Is(err, io.EOF) && len(msg) > 0:
			if msg = trimTrailer(msg); len(msg) > f.max {
				return nil, &errFraming{reason: fmt.Sprintf("line longer than the limit of %d bytes", f.max), sample: msg[:min(len(msg), 64)], tooLong: true}
			}
			return msg, nil
		default:
			return nil, err
		}
	}
}

// skipLine discards up to and including the next LF and returns the
// first bytes it skipped.
func (f *framer) skipLine() ([]byte, error) {
	var sample []byte
	for {
		part, err := f.r.ReadSlice('\n')
		if len(sample) < 64 {
			sample = append(sample, part[:min(len(part), 64-len(sample))]...)
		}
		if err == nil || !errors.Is(err, bufio.ErrBufferFull) {
			return sample, err
		}
	}
}

// truncatedAt turns the end of the stream inside a frame into a framing
// problem (the connection then ends); other errors pass.
func truncatedAt(err error, reason string, sample ...byte) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &errFraming{reason: reason, sample: sample[:min(len(sample), 64)]}
	}
	return err
}

// orFraming is the framing problem, unless reading failed otherwise (a
// clean end of stream after a bad frame still reports the frame).
func orFraming(err error, fe *errFraming) error {
	if err == nil || errors.Is(err, io.EOF) {
		return fe
	}
	return err
}

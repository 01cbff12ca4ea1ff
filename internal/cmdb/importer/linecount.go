package importer

import (
	"bytes"
	"io"
)

// lineCounter passes reads through and remembers enough of the recent
// input to turn a byte offset into a line and column: decoders report
// positions as offsets, users find them by line. It keeps a window of the
// latest bytes (at least lineWindow, and everything from mark on, up to
// markWindow) plus the number of newlines before the window, so memory
// stays bounded however large the input.
type lineCounter struct {
	r           io.Reader
	window      []byte
	windowStart int64 // offset of window[0]
	nlBefore    int   // newlines before windowStart
	// mark is the offset of the value being decoded; bytes from it on are
	// kept (within markWindow) so a syntax error in it can be located.
	mark int64
}

const (
	lineWindow = 64 << 10
	markWindow = maxItem + lineWindow
)

func (lc *lineCounter) Read(p []byte) (int, error) {
	n, err := lc.r.Read(p)
	if n > 0 {
		if len(lc.window)+n > 2*lineWindow {
			lc.trim()
		}
		lc.window = append(lc.window, p[:n]...)
	}
	return n, err
}

// trim drops the oldest bytes, keeping lineWindow bytes and the marked
// value unless that has grown beyond markWindow.
func (lc *lineCounter) trim() {
	keepFrom := lc.windowStart + int64(len(lc.window)) - lineWindow
	if lc.mark < keepFrom && keepFrom-lc.mark < markWindow {
		keepFrom = lc.mark
	}
	drop := keepFrom - lc.windowStart
	if drop <= 0 {
		return
	}
	lc.nlBefore += bytes.Count(lc.window[:drop], []byte{'\n'})
	lc.windowStart += drop
	lc.window = append(lc.window[:0], lc.window[drop:]...)
}

// since returns the kept bytes from offset on, or nil when they are gone.
func (lc *lineCounter) since(offset int64) []byte {
	rel := offset - lc.windowStart
	if rel < 0 || rel > int64(len(lc.window)) {
		return nil
	}
	return lc.window[rel:]
}

// position returns the 1-based line and byte column of offset, or 0, 0
// when the offset is no longer in the window (column 0: line known, start
// of the line not).
func (lc *lineCounter) position(offset int64) (line, col int) {
	rel := offset - lc.windowStart
	if rel < 0 {
		return 0, 0
	}
	rel = min(rel, int64(len(lc.window)))
	part := lc.window[:rel]
	line = lc.nlBefore + bytes.Count(part, []byte{'\n'}) + 1
	nl := bytes.LastIndexByte(part, '\n')
	if nl < 0 && lc.windowStart > 0 {
		return line, 0
	}
	return line, int(rel) - nl
}

// where names offset as "line L, column C (byte offset N)", or "byte
// offset N" when the line is no longer known.
func (lc *lineCounter) where(offset int64) string {
	line, col := lc.position(offset)
	at := "byte offset " + itoa(int(offset))
	if line == 0 {
		return at
	}
	return lineField(line, col) + " (" + at + ")"
}

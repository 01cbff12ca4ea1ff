package cli

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/textrule"
)

// Output reaches a terminal, and what Rampart stores was typed by other
// people or read from discovery files: a CI named "\x1b]0;…" must not
// retitle the window, clear the screen or hide the next line. Everything
// the verbs print goes through terminalWriter, which escapes control
// characters (and bidirectional overrides) except the TABs and line breaks
// the output's own layout uses; table cells are escaped whole with cell, so
// a stored TAB or line break cannot shift the columns either. JSON output
// passes through unharmed: encoding/json escapes the C0 controls itself,
// and the \u form used for the rest is a JSON escape too.

// terminalWriter escapes what it writes; see above.
type terminalWriter struct {
	w     io.Writer
	carry []byte // an incomplete UTF-8 sequence at the end of the last write
}

// terminalSafe wraps w, once.
func terminalSafe(w io.Writer) io.Writer {
	if _, ok := w.(*terminalWriter); ok {
		return w
	}
	return &terminalWriter{w: w}
}

func (t *terminalWriter) Write(p []byte) (int, error) {
	buf := append(t.carry, p...)
	t.carry = nil
	// A multi-byte character may be split between writes: hold its start
	// back rather than escape its halves as bytes that are not UTF-8.
	cut := len(buf)
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	t.carry = append([]byte(nil), buf[cut:]...)
	if _, err := t.w.Write(textrule.AppendEscapedLines(nil, buf[:cut])); err != nil {
		return 0, err
	}
	return len(p), nil
}

// cell is a stored value as one table cell: escaped whole, "-" when empty
// so the columns stay aligned.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return textrule.Escape(s)
}

// printError writes a command's error the way Execute reports it.
func printError(w io.Writer, err error) {
	fmt.Fprintln(terminalSafe(w), "error:", err)
}

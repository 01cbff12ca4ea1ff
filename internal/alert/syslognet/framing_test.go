package syslognet

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// read runs the framer over a stream and returns frames and problems in
// order ("!reason" for a problem).
func read(stream string, max int) []string {
	f := framer{r: bufio.NewReaderSize(strings.NewReader(stream), 16), max: max}
	var out []string
	for {
		msg, err := f.next()
		var fe *errFraming
		switch {
		case err == nil:
			out = append(out, string(msg))
		case errors.As(err, &fe):
			out = append(out, "!"+fe.reason)
		case errors.Is(err, io.EOF):
			return out
		default:
			return append(out, "error "+err.Error())
		}
	}
}

func TestFraming(t *testing.T) {
	tests := []struct {
		name   string
		stream string
		want   []string
	}{
		{"octet counting", "5 <13>a6 <13>bc", []string{"<13>a", "<13>bc"}},
		{"octet counting keeps line breaks", "9 <13>a\nb\nc\n", []string{"<13>a\nb\nc"}},
		{"line framing, LF and CRLF", "<13>one\n<13>two\r\n<13>three", []string{"<13>one", "<13>two", "<13>three"}},
		{"mixed, with trailers between frames", "<13>a\n\n\x005 <13>b\r\n<13>c\n", []string{"<13>a", "<13>b", "<13>c"}},
		{"a long frame across the reader's buffer", "40 <13>" + strings.Repeat("x", 36) + "<13>" + strings.Repeat("y", 30) + "\n",
			[]string{"<13>" + strings.Repeat("x", 36), "<13>" + strings.Repeat("y", 30)}},
		{"malformed count: skipped to the end of the line", "12x <13>bad\n<13>good\n",
			[]string{"!malformed octet count (RFC 6587)", "<13>good"}},
		{"count of ten digits", "1234567890 x\n<13>ok\n", []string{"!malformed octet count (RFC 6587)", "<13>ok"}},
		{"counted frame beyond the limit: skipped whole", "70 " + strings.Repeat("z", 70) + "5 <13>n",
			[]string{"!frame of 70 bytes is longer than the limit of 64", "<13>n"}},
		{"line beyond the limit", strings.Repeat("w", 100) + "\n<13>next\n",
			[]string{"!line longer than the limit of 64 bytes", "<13>next"}},
		{"line beyond the limit at the end", strings.Repeat("w", 100), []string{"!line longer than the limit of 64 bytes"}},
		{"connection closed inside a frame", "<13>whole\n20 <13>cut", []string{"<13>whole", "!the connection ended inside a frame"}},
		{"connection closed inside a count", "<13>whole\n12", []string{"<13>whole", "!the connection ended inside an octet count"}},
		{"empty stream", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := read(tt.stream, 64)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func FuzzFraming(f *testing.F) {
	f.Add("5 <13>a<13>b\r\n12x\n999999999 ")
	f.Add(strings.Repeat("<13>x", 30) + "\n3 ab")
	f.Fuzz(func(t *testing.T, stream string) {
		total := 0
		for _, fr := range read(stream, 64) {
			if strings.HasPrefix(fr, "error") {
				t.Fatalf("framer failed: %s", fr)
			}
			if !strings.HasPrefix(fr, "!") {
				if len(fr) > 64 {
					t.Fatalf("frame of %d bytes beyond the limit", len(fr))
				}
				total += len(fr)
			}
		}
		if total > len(stream) {
			t.Fatalf("frames hold %d bytes of a %d-byte stream", total, len(stream))
		}
	})
}

package scanner

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// xmlReader streams an XML report element by element; errors name the
// line and column.
type xmlReader struct {
	format string
	src    *source
	dec    *xml.Decoder
	// path holds the names of the open elements, root first.
	path []string
}

func newXMLReader(format string, r io.Reader) *xmlReader {
	src := &source{r: r}
	dec := xml.NewDecoder(src)
	// Scanner XML is UTF-8 or declared as ISO-8859-1 by older tools; both
	// are read as UTF-8 (Latin-1 bytes above 0x7f become U+FFFD rather
	// than failing the import).
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	return &xmlReader{format: format, src: src, dec: dec}
}

// next returns the next start element, keeping path up to date; io.EOF at
// the end of the document.
func (x *xmlReader) next() (xml.StartElement, error) {
	for {
		tok, err := x.dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				if len(x.path) > 0 {
					return xml.StartElement{}, x.errorf("the report ends inside <%s> (truncated?)", x.path[len(x.path)-1])
				}
				return xml.StartElement{}, io.EOF
			}
			return xml.StartElement{}, x.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			x.path = append(x.path, t.Name.Local)
			return t, nil
		case xml.EndElement:
			x.path = x.path[:len(x.path)-1]
		case xml.CharData:
			if len(x.path) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, x.errorf("text outside the root element: not an XML report")
			}
		case xml.Directive:
			// A DOCTYPE may declare entities; encoding/xml never expands
			// them (a reference to one is a syntax error), so there is no
			// entity expansion to guard against.
		}
	}
}

// decode reads the element start opened by next into v.
func (x *xmlReader) decode(v any, start xml.StartElement) error {
	if err := x.dec.DecodeElement(v, &start); err != nil {
		return x.fail(err)
	}
	x.path = x.path[:len(x.path)-1]
	return nil
}

func (x *xmlReader) skip() error {
	if err := x.dec.Skip(); err != nil {
		return x.fail(err)
	}
	x.path = x.path[:len(x.path)-1]
	return nil
}

func (x *xmlReader) parent() string {
	if len(x.path) < 2 {
		return ""
	}
	return x.path[len(x.path)-2]
}

func (x *xmlReader) where() string {
	line, col := x.dec.InputPos()
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
}

func (x *xmlReader) errorf(format string, args ...any) error {
	return fileError(x.format, x.where(), format, args...)
}

func (x *xmlReader) fail(err error) error {
	if x.src.readFailed(err) {
		return fmt.Errorf("reading %s report: %w", x.format, x.src.err)
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "unexpected EOF" {
			msg = "the report ends in the middle of an element (truncated?)"
		}
		return fileError(x.format, "line "+strconv.Itoa(se.Line), "malformed XML: %s", msg)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return x.errorf("the report ends in the middle of an element (truncated?)")
	}
	return x.errorf("%v", err)
}

// root reads the document element and checks its name.
func (x *xmlReader) root(want, what string) (xml.StartElement, error) {
	el, err := x.next()
	if errors.Is(err, io.EOF) {
		return el, x.errorf("the file is empty; expected %s", what)
	}
	if err != nil {
		return el, err
	}
	if el.Name.Local != want {
		return x.rootHint(el, what)
	}
	return el, nil
}

// rootHint is root's error for a document element that is not the one
// expected.
func (x *xmlReader) rootHint(el xml.StartElement, what string) (xml.StartElement, error) {
	return el, x.errorf("root element <%s>, expected %s%s", el.Name.Local, what, rootNameHint(el.Name.Local))
}

func rootNameHint(name string) string {
	switch name {
	case "NessusClientData_v2":
		return " (this is a Nessus report)"
	case "report", "get_reports_response":
		return " (this looks like an OpenVAS report)"
	case "nmaprun":
		return " (this is an nmap scan: import it into the CMDB)"
	}
	return ""
}

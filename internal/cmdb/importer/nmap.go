package importer

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// NmapScan is what an nmap XML file says about assets: a candidate per host
// that is up, and the hosts that are not assets, with why.
type NmapScan struct {
	Candidates []cmdb.Candidate
	Skipped    []SkippedHost
}

// SkippedHost is a <host> of the scan that is not imported: down, or only
// assumed up (-Pn) with nothing answering. It is reported, not rejected, so
// a scan of a subnet with free addresses imports cleanly even in strict
// mode.
type SkippedHost struct {
	Row    int    `json:"row"`
	Label  string `json:"label"`
	Reason string `json:"reason"`
}

// ParseNmapXML reads nmap's XML output (-oX) and returns a candidate for
// every host that is up; see DecodeNmap for what is skipped and why.
func ParseNmapXML(r io.Reader) ([]cmdb.Candidate, error) {
	var out []cmdb.Candidate
	if err := EachNmap(r, collect(&out)); err != nil {
		return nil, err
	}
	return out, nil
}

// EachNmap is ParseNmapXML handing each candidate to yield as soon as its
// host is read; skipped hosts are left out. An error from yield ends the
// reading and is returned as it is.
func EachNmap(r io.Reader, yield func(cmdb.Candidate) error) error {
	return decodeNmap(r, yield, nil)
}

// DecodeNmap reads nmap's XML output (-oX), streaming host by host. Any
// caller may use it.
//
// The file must be a complete, successful scan: a file that ends before
// </nmaprun>, or lacks the <finished> element nmap writes last (an
// interrupted scan), or finished with exit="error", is refused rather than
// imported in part. For safety, a DOCTYPE other than nmap's own bare
// <!DOCTYPE nmaprun> (one with an internal subset, entity declarations or
// an external DTD) is refused, entities other than XML's five predefined
// ones are errors, and the root element must be <nmaprun>.
//
// Errors: errs.Invalid naming the line for every problem with the file;
// errs.TooLarge beyond MaxRows hosts. Problems with one host (an address
// that does not parse) are that candidate's Problems.
func DecodeNmap(r io.Reader) (NmapScan, error) {
	var scan NmapScan
	err := decodeNmap(r, collect(&scan.Candidates), func(h SkippedHost) { scan.Skipped = append(scan.Skipped, h) })
	if err != nil {
		return NmapScan{}, err
	}
	return scan, nil
}

func decodeNmap(r io.Reader, yield func(cmdb.Candidate) error, skipped func(SkippedHost)) error {
	src := &source{r: r}
	p := &nmapParser{src: src, d: xml.NewDecoder(bufio.NewReaderSize(src, 64<<10)), yield: yield, skipped: skipped}
	// Strict mode and no Entity map: &foo; is an error, never expanded.
	// No CharsetReader: nmap writes UTF-8 and anything else is refused.
	p.d.Strict = true
	return p.run()
}

type nmapParser struct {
	src      *source
	d        *xml.Decoder
	yield    func(cmdb.Candidate) error
	skipped  func(SkippedHost) // nil: not wanted
	hosts    int
	line     int // line where the token being handled starts
	doctype  bool
	root     bool // <nmaprun> seen
	closed   bool // </nmaprun> seen
	finished bool // <runstats><finished exit="success"> seen
}

func (p *nmapParser) run() error {
	for {
		p.line, _ = p.d.InputPos()
		tok, err := p.d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return p.syntax(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if err := p.directive(t); err != nil {
				return err
			}
		case xml.StartElement:
			if err := p.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			p.closed = true // the decoder matches end tags, so this is </nmaprun>
		case xml.CharData:
			if (!p.root || p.closed) && strings.TrimSpace(string(t)) != "" {
				return p.fail("text outside the <nmaprun> element")
			}
		}
	}
	switch {
	case !p.root:
		return p.fail("no <nmaprun> element: this is not nmap XML output (nmap -oX)")
	case !p.closed:
		return p.fail("the file ends before </nmaprun>: the scan output is incomplete (interrupted or truncated)")
	case !p.finished:
		return p.fail("the scan did not finish (no <finished> element in <runstats>): nmap was interrupted")
	}
	return nil
}

// directive accepts only the bare DOCTYPE nmap writes. encoding/xml never
// expands entities or fetches DTDs, but a declaration is refused anyway:
// it has no place in nmap's output, so it signals a crafted file.
func (p *nmapParser) directive(dir xml.Directive) error {
	s := string(dir)
	f := strings.Fields(s)
	switch {
	case len(f) == 2 && f[0] == "DOCTYPE" && f[1] == "nmaprun" && !p.doctype && !p.root:
		p.doctype = true
		return nil
	case strings.Contains(s, "ENTITY"):
		return p.fail("entity declarations are not accepted")
	case strings.Contains(s, "["):
		return p.fail("a DOCTYPE with an internal subset is not accepted (nmap writes <!DOCTYPE nmaprun>)")
	case len(f) > 0 && f[0] == "DOCTYPE" && (strings.Contains(s, "SYSTEM") || strings.Contains(s, "PUBLIC")):
		return p.fail("a DOCTYPE naming an external DTD is not accepted (nmap writes <!DOCTYPE nmaprun>)")
	}
	return p.fail("unexpected declaration <!%s> (nmap writes only <!DOCTYPE nmaprun>)", clip(s, 40))
}

// start handles an element that opens at the top level or directly inside
// <nmaprun>; deeper elements are consumed by DecodeElement or Skip.
func (p *nmapParser) start(t xml.StartElement) error {
	if !p.root {
		if t.Name.Local != "nmaprun" || t.Name.Space != "" {
			return p.fail("the root element is <%s>, not <nmaprun>: this is not nmap XML output", clip(t.Name.Local, 40))
		}
		p.root = true
		return nil
	}
	if p.closed {
		return p.fail("element <%s> after </nmaprun>", clip(t.Name.Local, 40))
	}
	switch t.Name.Local {
	case "host":
		var h nmapHost
		if err := p.d.DecodeElement(&h, &t); err != nil {
			return p.syntax(err)
		}
		p.hosts++
		if p.hosts > maxRows {
			return tooManyRows("nmap XML", "hosts")
		}
		if err := p.host(&h); err != nil {
			return err
		}
	case "runstats":
		var rs nmapRunStats
		if err := p.d.DecodeElement(&rs, &t); err != nil {
			return p.syntax(err)
		}
		if rs.Finished != nil {
			if rs.Finished.Exit == "error" {
				return p.fail("nmap ended with an error: %s", clip(rs.Finished.ErrorMsg, 200))
			}
			p.finished = true
		}
	default:
		// scaninfo, verbose, hosthint, taskbegin, prescript...: not assets.
		if err := p.d.Skip(); err != nil {
			return p.syntax(err)
		}
	}
	return nil
}

// host turns one <host> into a candidate or a skipped entry.
func (p *nmapParser) host(h *nmapHost) error {
	c, reason := nmapCandidate(h, p.hosts)
	if reason != "" {
		if p.skipped != nil {
			p.skipped(SkippedHost{Row: c.Row, Label: c.Label, Reason: reason})
		}
		return nil
	}
	return p.yield(c)
}

func (p *nmapParser) fail(format string, args ...any) error {
	return fileError("nmap XML", lineField(p.line, 0), format, args...)
}

// syntax reports a decoder error with its line. An end of input inside an
// element is a truncated file.
func (p *nmapParser) syntax(err error) error {
	line, _ := p.d.InputPos()
	if p.src.readFailed(err) {
		return fmt.Errorf("reading nmap XML at line %d: %w", line, err)
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
		err = errors.New(se.Msg)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || err.Error() == "unexpected EOF" {
		return fileError("nmap XML", lineField(line, 0),
			"the file ends before </nmaprun>: the scan output is incomplete (interrupted or truncated)")
	}
	return fileError("nmap XML", lineField(line, 0), "%s", strings.TrimPrefix(err.Error(), "xml: "))
}

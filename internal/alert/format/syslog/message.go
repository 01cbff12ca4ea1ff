package syslog

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
)

// Message is one syslog message, RFC 5424 or RFC 3164, as sent.
type Message struct {
	Facility int // 0–23
	Severity int // 0 (emergency) – 7 (debug)
	// Version is 1 for RFC 5424, 0 for RFC 3164 (BSD syslog).
	Version int
	// Timestamp is when the sender says it happened; zero when the message
	// has none (RFC 5424's "-", or an RFC 3164 message without a stamp).
	Timestamp time.Time
	// Hostname, AppName, ProcID and MsgID are "" for RFC 5424's NILVALUE
	// "-" and for what an RFC 3164 message does not give; in RFC 3164,
	// AppName is the TAG and ProcID what follows it in brackets.
	Hostname string
	AppName  string
	ProcID   string
	MsgID    string
	// StructuredData is RFC 5424's, with escapes (\" \\ \]) undone.
	StructuredData []Element
	// Msg is the free-form message, without the UTF-8 byte order mark
	// that says it is UTF-8 (BOM reports whether it had one).
	Msg []byte
	BOM bool
}

// Element is one structured-data element: [id name="value" …].
type Element struct {
	ID     string
	Params []Param
}

// Param is one structured-data parameter.
type Param struct {
	Name, Value string
}

// SyntaxError says where a message stops following its RFC.
type SyntaxError struct {
	Offset int // byte offset in the message, from 0
	Msg    string
}

func (e *SyntaxError) Error() string { return "column " + strconv.Itoa(e.Offset+1) + ": " + e.Msg }

var bom = []byte("\xef\xbb\xbf")

// ParseMessage reads one message. An RFC 5424 message (a version digit
// after the priority) must follow RFC 5424; anything else with a priority
// is read as RFC 3164, whose format is a convention more than a rule:
// what cannot be recognised there becomes part of the message instead of
// an error. now is the time RFC 3164 stamps, which carry no year, are
// placed nearest to; loc is the zone they are read in.
func ParseMessage(b []byte, now time.Time, loc *time.Location) (Message, error) {
	var m Message
	p := &parser{b: b}
	pri, err := p.priority()
	if err != nil {
		return m, err
	}
	m.Facility, m.Severity = pri/8, pri%8
	if p.i < len(b) && b[p.i] >= '1' && b[p.i] <= '9' {
		j := p.i
		for j < len(b) && j-p.i < 3 && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j < len(b) && b[j] == ' ' {
			m.Version, _ = strconv.Atoi(string(b[p.i:j]))
			p.i = j + 1
			return m, p.rfc5424(&m)
		}
	}
	p.rfc3164(&m, now, loc)
	return m, nil
}

type parser struct {
	b []byte
	i int
}

func (p *parser) fail(format string, args ...any) *SyntaxError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &SyntaxError{Offset: p.i, Msg: msg}
}

// priority reads "<PRI>": 1 to 3 digits, 0 to 191.
func (p *parser) priority() (int, error) {
	b := p.b
	if len(b) == 0 || b[0] != '<' {
		return 0, p.fail("a syslog message starts with <PRI>, a priority in angle brackets")
	}
	j := 1
	n := 0
	for j < len(b) && j < 5 && b[j] >= '0' && b[j] <= '9' {
		n = n*10 + int(b[j]-'0')
		j++
	}
	if j == 1 || j > 4 || j >= len(b) || b[j] != '>' {
		p.i = min(j, 4)
		return 0, p.fail("the priority is 1 to 3 digits closed by >")
	}
	if n > 191 {
		p.i = 1
		return 0, p.fail("priority %d is beyond 191 (facility 23, severity 7)", n)
	}
	p.i = j + 1
	return n, nil
}

// rfc5424 reads what follows "<PRI>VERSION ".
func (p *parser) rfc5424(m *Message) error {
	if m.Version != 1 {
		return &SyntaxError{Offset: p.i - 2, Msg: fmt.Sprintf("syslog protocol version %d; RFC 5424 is version 1", m.Version)}
	}
	ts, err := p.field("TIMESTAMP")
	if err != nil {
		return err
	}
	if ts != "-" {
		t, err := parseRFC3339(ts)
		if err != nil {
			p.i -= len(ts) + 1
			return p.fail("TIMESTAMP %q is not an RFC 3339 time", ts)
		}
		m.Timestamp = t
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"HOSTNAME", &m.Hostname}, {"APP-NAME", &m.AppName}, {"PROCID", &m.ProcID}, {"MSGID", &m.MsgID}} {
		v, err := p.field(f.name)
		if err != nil {
			return err
		}
		if v != "-" {
			*f.dst = v
		}
	}
	if err := p.structuredData(m); err != nil {
		return err
	}
	if p.i < len(p.b) {
		if p.b[p.i] != ' ' {
			return p.fail("a space must separate STRUCTURED-DATA from MSG")
		}
		p.i++
	}
	m.Msg, m.BOM = stripBOM(p.b[p.i:])
	return nil
}

// field reads one space-terminated header field of printable US-ASCII.
func (p *parser) field(name string) (string, error) {
	start := p.i
	for p.i < len(p.b) && p.b[p.i] != ' ' {
		if c := p.b[p.i]; c < 33 || c > 126 {
			return "", p.fail("%s holds a character that is not printable US-ASCII", name)
		}
		p.i++
	}
	if p.i == start {
		return "", p.fail("%s is missing (use - for none)", name)
	}
	if p.i >= len(p.b) {
		return "", p.fail("the message ends after %s", name)
	}
	v := string(p.b[start:p.i])
	p.i++
	return v, nil
}

// structuredData reads "-" or one or more [SD-ID PARAM="VALUE" …].
func (p *parser) structuredData(m *Message) error {
	b := p.b
	if p.i < len(b) && b[p.i] == '-' {
		p.i++
		return nil
	}
	if p.i >= len(b) || b[p.i] != '[' {
		return p.fail("STRUCTURED-DATA is - or starts with [")
	}
	for p.i < len(b) && b[p.i] == '[' {
		p.i++
		id, err := p.sdName("SD-ID")
		if err != nil {
			return err
		}
		el := Element{ID: id}
		for {
			if p.i >= len(b) {
				return p.fail("structured data element %q is not closed with ]", id)
			}
			if b[p.i] == ']' {
				p.i++
				break
			}
			if b[p.i] != ' ' {
				return p.fail("a space or ] must follow in element %q", id)
			}
			p.i++
			name, err := p.sdName("PARAM-NAME")
			if err != nil {
				return err
			}
			if p.i+1 >= len(b) || b[p.i] != '=' || b[p.i+1] != '"' {
				return p.fail("parameter %q of %q needs =\"value\"", name, id)
			}
			p.i += 2
			value, err := p.sdValue()
			if err != nil {
				return err
			}
			el.Params = append(el.Params, Param{Name: name, Value: value})
		}
		m.StructuredData = append(m.StructuredData, el)
	}
	return nil
}

// sdName reads an SD-ID or PARAM-NAME: printable US-ASCII except = ] " and
// space.
func (p *parser) sdName(what string) (string, error) {
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c < 33 || c > 126 || c == '=' || c == ']' || c == '"' || c == ' ' {
			break
		}
		p.i++
	}
	if p.i == start {
		return "", p.fail("%s is missing", what)
	}
	return string(p.b[start:p.i]), nil
}

// sdValue reads a PARAM-VALUE up to its closing quote, undoing the escapes
// \" \\ and \]; a backslash before anything else stays, as RFC 5424
// section 6.3.3 says.
func (p *parser) sdValue() (string, error) {
	b := p.b
	start := p.i
	var out []byte
	for p.i < len(b) {
		switch c := b[p.i]; c {
		case '"':
			v := b[start:p.i]
			if out != nil {
				v = out
			}
			p.i++
			return string(v), nil
		case '\\':
			if p.i+1 < len(b) && (b[p.i+1] == '"' || b[p.i+1] == '\\' || b[p.i+1] == ']') {
				if out == nil {
					out = append([]byte(nil), b[start:p.i]...)
				}
				out = append(out, b[p.i+1])
				p.i += 2
				continue
			}
			fallthrough
		default:
			if out != nil {
				out = append(out, c)
			}
			p.i++
		}
	}
	p.i = start
	return "", p.fail("a parameter value is not closed with \"")
}

func stripBOM(b []byte) ([]byte, bool) {
	if bytes.HasPrefix(b, bom) {
		return b[len(bom):], true
	}
	return b, false
}

// parseRFC3339 reads RFC 5424's TIMESTAMP: RFC 3339 with at most six
// fractional digits (longer fractions, and offsets without a colon, are
// accepted).
func parseRFC3339(s string) (time.Time, error) { return alert.ParseTimestamp(s) }

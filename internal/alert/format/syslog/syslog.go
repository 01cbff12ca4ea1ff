// Package syslog reads syslog messages — RFC 5424 and RFC 3164 (BSD
// syslog) — and the CEF and LEEF (1.0 and 2.0) records security devices
// send in them, into alerts.
//
// A payload holds one or more messages: RFC 6587 octet counting
// ("LEN SP MSG", as the syslog listener's frames are stored, see
// AppendFrame), detected by a leading digit, or else one message per line.
// RFC 3164 stamps carry neither year nor zone: they are read in the
// configured zone (Options.Zone, UTC by default) and given the year that
// puts them nearest to the time the payload was received.
package syslog

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Options configure a syslog source.
type Options struct {
	// Zone is the IANA time zone ("Europe/Berlin") RFC 3164 timestamps,
	// and CEF and LEEF times without a zone, are read in; "" is UTC.
	Zone string `json:"zone,omitempty"`
}

// Parser reads syslog payloads.
type Parser struct {
	loc *time.Location
}

// New returns a parser for opt; an unknown zone is an errs.Invalid error
// naming "syslog.zone".
func New(opt Options) (*Parser, error) {
	loc := time.UTC
	if opt.Zone != "" {
		l, err := time.LoadLocation(opt.Zone)
		if err != nil || opt.Zone == "Local" {
			return nil, errs.Field("syslog.zone", "unknown time zone %q; use an IANA name such as Europe/Berlin", opt.Zone)
		}
		loc = l
	}
	return &Parser{loc: loc}, nil
}

// AppendFrame appends msg to dst with RFC 6587 octet counting, the form in
// which frames are kept so that a payload of several messages splits back
// exactly, line breaks inside messages included.
func AppendFrame(dst, msg []byte) []byte {
	dst = strconv.AppendInt(dst, int64(len(msg)), 10)
	dst = append(dst, ' ')
	return append(dst, msg...)
}

// Parse reads every message of payload. A message that cannot be read is
// an error naming it ("message 3, column 17"); the others are still read.
// Octet counts that do not add up stop the payload there (nothing after
// a wrong count can be delimited).
func (p *Parser) Parse(payload []byte, meta alert.Meta) (alert.Result, error) {
	var res alert.Result
	e := alert.Errors{Format: "syslog"}
	n := 0
	each := func(msg []byte, where func() string) {
		res.Records++
		a, err := p.toAlert(msg, meta)
		if err != nil {
			res.Failed++
			e.Add(where(), "%s", err.Error())
			return
		}
		res.Add(a, meta)
	}
	if len(payload) > 0 && payload[0] >= '1' && payload[0] <= '9' {
		for rest, off := payload, 0; len(rest) > 0; n++ {
			size, sp := octetCount(rest)
			if sp < 0 || sp+1+size > len(rest) {
				res.Failed++
				e.Add("byte "+strconv.Itoa(off+1), "octet count (RFC 6587) missing or beyond the end of the payload")
				break
			}
			msg := rest[sp+1 : sp+1+size]
			num := n + 1
			each(trimFrame(msg), func() string { return "message " + strconv.Itoa(num) })
			off += sp + 1 + size
			rest = rest[sp+1+size:]
			// Tolerate a line break after a counted frame.
			for len(rest) > 0 && (rest[0] == '\n' || rest[0] == '\r') {
				rest, off = rest[1:], off+1
			}
		}
		return res, e.Err()
	}
	line := 0
	for rest := payload; len(rest) > 0; {
		line++
		msg := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			msg, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		msg = trimFrame(msg)
		if len(msg) == 0 {
			continue
		}
		num := line
		each(msg, func() string { return "line " + strconv.Itoa(num) })
	}
	if res.Records == 0 && res.Failed == 0 {
		res.Failed++
		e.Add("payload", "empty: no syslog message")
	}
	return res, e.Err()
}

// octetCount reads "LEN SP" and returns LEN and the offset of the space
// (-1 when there is no count).
func octetCount(b []byte) (int, int) {
	n := 0
	for i := 0; i < len(b) && i < 10; i++ {
		switch c := b[i]; {
		case c >= '0' && c <= '9':
			n = n*10 + int(c-'0')
		case c == ' ' && i > 0:
			return n, i
		default:
			return 0, -1
		}
	}
	return 0, -1
}

// trimFrame drops the trailer senders put after a message (LF, CRLF, NUL).
func trimFrame(b []byte) []byte { return bytes.TrimRight(b, "\r\n\x00") }

// toAlert reads one message.
func (p *Parser) toAlert(raw []byte, meta alert.Meta) (alert.Alert, error) {
	m, err := ParseMessage(raw, meta.Received, p.loc)
	if err != nil {
		return alert.Alert{}, err
	}
	host := m.Hostname
	if host == "" {
		host = peerHost(meta.Peer)
	}
	msg := string(m.Msg)
	a := alert.Alert{
		Format:      "syslog",
		Rule:        m.MsgID,
		RuleID:      m.MsgID,
		Summary:     firstLine(msg),
		Severity:    alert.SyslogSeverity(m.Severity),
		SeverityRaw: alert.SyslogSeverityNames[m.Severity],
		ObservedAt:  m.Timestamp,
		Hostname:    host,
		Process:     m.AppName,
		Labels:      map[string]string{"facility": facilityName(m.Facility)},
	}
	if a.Rule == "" {
		a.Rule = m.AppName
	}
	if m.ProcID != "" || msg != a.Summary {
		a.Annotations = map[string]string{}
		if m.ProcID != "" {
			a.Annotations["procid"] = m.ProcID
		}
		if msg != a.Summary {
			a.Annotations["message"] = msg
		}
	}
	for _, el := range m.StructuredData {
		for _, prm := range el.Params {
			k := el.ID + "." + prm.Name
			if v, ok := a.Labels[k]; ok { // a parameter may repeat
				a.Labels[k] = v + "," + prm.Value
			} else {
				a.Labels[k] = prm.Value
			}
		}
	}
	ev, ok, err := ParseEvent(m.Msg)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			se.Offset += len(raw) - len(m.Msg) // from MSG to the message
		}
		return alert.Alert{}, err
	}
	if ok {
		p.applyEvent(&a, ev)
	}
	return a, nil
}

// peerHost is the address part of "host:port" or "[v6]:port".
func peerHost(peer string) string {
	if strings.HasPrefix(peer, "[") {
		if i := strings.IndexByte(peer, ']'); i > 0 {
			return peer[1:i]
		}
	}
	if h, port, ok := strings.Cut(peer, ":"); ok && !strings.Contains(port, ":") {
		return h
	}
	return peer
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimRight(line, "\r")
}

// facilityName is RFC 5424's keyword for a facility number.
func facilityName(f int) string {
	names := [...]string{"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
		"authpriv", "ftp", "ntp", "security", "console", "solaris-cron"}
	if f < len(names) {
		return names[f]
	}
	if f >= 16 && f <= 23 {
		return "local" + strconv.Itoa(f-16)
	}
	return strconv.Itoa(f)
}

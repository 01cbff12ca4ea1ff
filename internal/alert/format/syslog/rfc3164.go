package syslog

import (
	"bytes"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
)

// rfc3164 reads what follows "<PRI>" in a BSD syslog message:
// "Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG". Senders vary (no host name, a
// year or fraction in the stamp, an RFC 3339 stamp as rsyslog forwards),
// so each part is taken only when it is recognisable; the rest is MSG.
func (p *parser) rfc3164(m *Message, now time.Time, loc *time.Location) {
	rest := p.b[p.i:]
	if t, n, ok := bsdStamp(rest, now, loc); ok {
		m.Timestamp, rest = t, rest[n:]
	} else if tok := token(rest); len(tok) >= 20 && len(tok) < len(rest) {
		// rsyslog's RSYSLOG_ForwardFormat: an RFC 3339 stamp in a BSD frame.
		t, err := alert.ParseTimestamp(string(tok))
		if err != nil {
			m.Msg, m.BOM = stripBOM(rest)
			return
		}
		m.Timestamp, rest = t, rest[len(tok):]
	} else {
		m.Msg, m.BOM = stripBOM(rest)
		return
	}
	if len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	if !payloadStart(rest) {
		if tok := token(rest); len(tok) > 0 && !bytes.ContainsAny(tok, "[:") && len(tok) < len(rest) {
			m.Hostname, rest = string(tok), rest[len(tok)+1:]
		}
	}
	if !payloadStart(rest) {
		rest = tag(m, rest)
	}
	m.Msg, m.BOM = stripBOM(rest)
}

// payloadStart reports whether a CEF or LEEF record starts here: it has
// no tag before it, and its "CEF:" would otherwise be read as one.
func payloadStart(b []byte) bool {
	return bytes.HasPrefix(b, []byte("CEF:")) || bytes.HasPrefix(b, []byte("LEEF:"))
}

// tag reads "TAG[PID]: " or "TAG: " and returns what follows; anything
// else is not a tag and is returned whole.
func tag(m *Message, b []byte) []byte {
	j := 0
	for j < len(b) && j <= 48 && b[j] != '[' && b[j] != ':' && b[j] != ' ' {
		j++
	}
	if j == 0 || j >= len(b) || j > 48 {
		return b
	}
	name, pid := b[:j], []byte(nil)
	k := j
	if b[k] == '[' {
		end := bytes.IndexByte(b[k:], ']')
		if end < 0 || end > 130 {
			return b
		}
		pid = b[k+1 : k+end]
		k += end + 1
		if k < len(b) && b[k] == ':' {
			k++
		}
	} else if b[k] == ':' {
		k++
	} else {
		return b
	}
	if k < len(b) && b[k] == ' ' {
		k++
	}
	m.AppName, m.ProcID = string(name), string(pid)
	return b[k:]
}

// token is b up to its first space.
func token(b []byte) []byte {
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		return b[:i]
	}
	return b
}

// bsdStamp reads "Mmm dd hh:mm:ss" (the day padded with a space or a
// zero, or not at all), optionally with a year before the time ("Mmm dd
// yyyy hh:mm:ss", as Cisco devices send) and a fraction of a second, and
// returns the time and the bytes it took. A stamp without a year gets
// the latest year that does not put it more than futureSlack after now
// (see placeYear).
func bsdStamp(b []byte, now time.Time, loc *time.Location) (time.Time, int, bool) {
	if len(b) < 14 {
		return time.Time{}, 0, false
	}
	mon, ok := month(b[:3])
	if !ok || b[3] != ' ' {
		return time.Time{}, 0, false
	}
	i := 4
	if b[i] == ' ' {
		i++
	}
	day, n := number(b[i:], 2)
	if n == 0 || day < 1 || day > 31 {
		return time.Time{}, 0, false
	}
	i += n
	if i >= len(b) || b[i] != ' ' {
		return time.Time{}, 0, false
	}
	i++
	year := 0
	if y, n := number(b[i:], 4); n == 4 && i+4 < len(b) && b[i+4] == ' ' {
		year, i = y, i+5
	}
	if i+8 > len(b) || b[i+2] != ':' || b[i+5] != ':' {
		return time.Time{}, 0, false
	}
	h, n1 := number(b[i:], 2)
	mi, n2 := number(b[i+3:], 2)
	s, n3 := number(b[i+6:], 2)
	if n1 != 2 || n2 != 2 || n3 != 2 || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, 0, false
	}
	i += 8
	nsec := 0
	if i < len(b) && b[i] == '.' {
		f, n := number(b[i+1:], 9)
		if n == 0 {
			return time.Time{}, 0, false
		}
		for k := n; k < 9; k++ {
			f *= 10
		}
		nsec, i = f, i+1+n
	}
	if i < len(b) && b[i] != ' ' {
		return time.Time{}, 0, false
	}
	if year != 0 {
		t := time.Date(year, mon, day, h, mi, s, nsec, loc)
		return t, i, t.Day() == day
	}
	t, ok := placeYear(mon, day, h, mi, s, nsec, now, loc)
	return t, i, ok
}

// futureSlack is how far ahead of the receive time a stamp may be: a
// sender's clock running fast, a message crossing the new year. A stamp
// can be old (a queue replayed after an outage), so only the future is
// bounded.
const futureSlack = 7 * 24 * time.Hour

// placeYear gives a stamp without a year the latest of next year, this
// year and last year (in loc) that does not put it more than futureSlack
// after now: a "Dec 31 23:59:30" received on 1 January is last year's, a
// "Jan  1 00:00:05" received on 31 December (a fast clock) next year's,
// a "Feb  5" received in November this year's. A date that does not
// exist in a year (29 February) is not placed there.
func placeYear(mon time.Month, day, h, mi, s, nsec int, now time.Time, loc *time.Location) (time.Time, bool) {
	y := now.In(loc).Year()
	for _, year := range [...]int{y + 1, y, y - 1} {
		t := time.Date(year, mon, day, h, mi, s, nsec, loc)
		if t.Month() != mon || t.Day() != day {
			continue
		}
		if !t.After(now.Add(futureSlack)) {
			return t, true
		}
	}
	return time.Time{}, false
}

// month reads an English month abbreviation, in any case.
func month(b []byte) (time.Month, bool) {
	if len(b) != 3 {
		return 0, false
	}
	k := string([]byte{b[0] | 0x20, b[1] | 0x20, b[2] | 0x20})
	for i, name := range [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if k == name {
			return time.Month(i + 1), true
		}
	}
	return 0, false
}

// number reads up to max decimal digits and says how many it read.
func number(b []byte, max int) (int, int) {
	n, i := 0, 0
	for i < len(b) && i < max && b[i] >= '0' && b[i] <= '9' {
		n = n*10 + int(b[i]-'0')
		i++
	}
	return n, i
}

package syslog

import (
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
)

// eventTime reads a CEF or LEEF time: milliseconds since 1970 (both
// formats allow it), an ISO 8601 time with a zone, or text in the given
// Java SimpleDateFormat patterns (LEEF's devTimeFormat; CEF's documented
// forms), read in loc when the pattern has no zone.
func eventTime(s string, patterns []string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms), true
	}
	if t, err := alert.ParseTimestamp(s); err == nil {
		return t, true
	}
	for _, p := range patterns {
		layout, ok := javaLayout(p)
		if !ok {
			continue
		}
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// cefTimePatterns are the forms of rt, start and end the CEF
// specification lists besides milliseconds.
var cefTimePatterns = []string{
	"MMM dd yyyy HH:mm:ss.SSS zzz", "MMM dd yyyy HH:mm:ss.SSS", "MMM dd yyyy HH:mm:ss zzz", "MMM dd yyyy HH:mm:ss",
	"MMM dd HH:mm:ss.SSS zzz", "MMM dd HH:mm:ss.SSS", "MMM dd HH:mm:ss zzz", "MMM dd HH:mm:ss",
}

// leefDefaultPattern is devTime's format when devTimeFormat is absent.
const leefDefaultPattern = "MMM dd yyyy HH:mm:ss"

// javaLayout turns a Java SimpleDateFormat pattern into a Go layout. It
// knows the letters devices use in these formats (y M d H h m s S a z Z
// X E); ok is false for others, and for text in the pattern outside
// quotes that Go would read as part of a layout.
func javaLayout(p string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(p); {
		c := p[i]
		if c == '\'' {
			end := strings.IndexByte(p[i+1:], '\'')
			if end < 0 {
				return "", false
			}
			lit := p[i+1 : i+1+end]
			if lit == "" {
				lit = "'"
			}
			b.WriteString(lit)
			i += end + 2
			continue
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b.WriteByte(c)
			i++
			continue
		}
		n := 1
		for i+n < len(p) && p[i+n] == c {
			n++
		}
		var go_ string
		switch {
		case c == 'y' && n == 2:
			go_ = "06"
		case c == 'y':
			go_ = "2006"
		case c == 'M' && n >= 4:
			go_ = "January"
		case c == 'M' && n == 3:
			go_ = "Jan"
		case c == 'M' && n == 2:
			go_ = "01"
		case c == 'M':
			go_ = "1"
		case c == 'd' && n == 2:
			go_ = "02"
		case c == 'd':
			go_ = "2"
		case c == 'H':
			go_ = "15"
		case c == 'h' && n == 2:
			go_ = "03"
		case c == 'h':
			go_ = "3"
		case c == 'm':
			go_ = "04"
		case c == 's':
			go_ = "05"
		case c == 'S':
			// Go reads a fraction only after a dot or comma in the layout,
			// which SimpleDateFormat writes as a literal before S.
			go_ = strings.Repeat("0", n)
		case c == 'a':
			go_ = "PM"
		case c == 'z':
			go_ = "MST"
		case c == 'Z':
			go_ = "-0700"
		case c == 'X' && n == 1:
			go_ = "Z07"
		case c == 'X' && n == 2:
			go_ = "Z0700"
		case c == 'X':
			go_ = "Z07:00"
		case c == 'E' && n >= 4:
			go_ = "Monday"
		case c == 'E':
			go_ = "Mon"
		default:
			return "", false
		}
		b.WriteString(go_)
		i += n
	}
	return b.String(), true
}

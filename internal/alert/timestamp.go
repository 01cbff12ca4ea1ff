package alert

import (
	"errors"
	"time"
)

var errTimestamp = errors.New("not a timestamp of the form 2006-01-02T15:04:05[.999999999](Z|+01:00|+0100|+01)")

// ParseTimestamp reads the ISO 8601 timestamps alert senders write:
// RFC 3339 ("2026-11-30T10:00:00Z", "…+01:00") and the forms without a
// colon in the offset that Suricata and Wazuh write
// ("2019-11-26T16:41:02.504203+0800", "…+0000"), with up to nine
// fractional digits, a space allowed for the T, and a bare hour offset
// ("+01"). A timestamp without a zone is refused: guessing one would
// shift the alert by hours. It is hand-written because it runs once per
// alert, and trying several layouts with time.Parse costs more than the
// rest of a parse.
func ParseTimestamp(s string) (time.Time, error) {
	n := len(s)
	if n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, errTimestamp
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 ||
		hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, errTimestamp
	}
	i := 19
	nsec := 0
	if i < n && (s[i] == '.' || s[i] == ',') {
		i++
		start := i
		for i < n && s[i] >= '0' && s[i] <= '9' {
			if i-start < 9 {
				nsec = nsec*10 + int(s[i]-'0')
			}
			i++
		}
		if i == start {
			return time.Time{}, errTimestamp
		}
		for k := i - start; k < 9; k++ {
			nsec *= 10
		}
	}
	if i >= n {
		return time.Time{}, errTimestamp
	}
	offset := 0
	switch zone := s[i:]; {
	case zone == "Z" || zone == "z":
	case zone[0] == '+' || zone[0] == '-':
		var h, m int
		var ok bool
		switch len(zone) {
		case 3: // +01
			h, ok = digits(zone[1:3])
		case 5: // +0100
			h, ok = digits(zone[1:3])
			if ok {
				m, ok = digits(zone[3:5])
			}
		case 6: // +01:00
			h, ok = digits(zone[1:3])
			if ok && zone[3] == ':' {
				m, ok = digits(zone[4:6])
			} else {
				ok = false
			}
		}
		if !ok || h > 23 || m > 59 {
			return time.Time{}, errTimestamp
		}
		offset = h*3600 + m*60
		if zone[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, errTimestamp
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // 31 April, 29 February of a common year
		return time.Time{}, errTimestamp
	}
	return t.Add(-time.Duration(offset) * time.Second), nil
}

// digits reads a fixed-width decimal number.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

package alert

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Formats lists the payload formats a source can have.
var Formats = []string{"alertmanager", "syslog", "suricata", "wazuh", "generic"}

// Meta is what Rampart knows about a payload besides its bytes, recorded
// with the raw payload so a later parse sees the same.
type Meta struct {
	// Source is the source's name, copied into every alert.
	Source string
	// Received is when Rampart received the payload: the time of alerts
	// whose payload gives none, and "now" for RFC 3164 timestamps, which
	// carry no year.
	Received time.Time
	// Peer is the sender's address ("192.0.2.7" or "192.0.2.7:514"), ""
	// when unknown: a syslog message without a host name is attributed to
	// it.
	Peer string
}

// Parser reads one payload of its format: the body of one HTTP post, one
// syslog frame, or one file. It never panics on any input.
//
// It returns every alert it could read, normalised (Alert.Normalize) but
// without Fingerprint, which the source's fingerprint fields decide (see
// format.Decoder). err is nil when the whole payload was read; otherwise
// it is an errs.Invalid error whose fields name where each unreadable part
// is ("line 12, column 4", "/alerts/3/startsAt", "byte 17"), and the
// Result still holds what could be read: the caller keeps the error with
// the raw payload (failed, or partly failed when Result holds alerts) and
// processes the alerts it has. Result.Failed counts the unreadable
// records.
type Parser interface {
	Parse(payload []byte, meta Meta) (Result, error)
}

// Result is what a parser read from one payload.
type Result struct {
	Alerts []Alert `json:"alerts"`
	// Others are the records that are not alerts (Suricata flow, dns or
	// stats events): whether they are stored or skipped is the source's
	// configuration, not the parser's.
	Others []Other `json:"others,omitempty"`
	// Truncated counts alerts the sender left out of the payload
	// (Alertmanager's truncatedAlerts).
	Truncated int `json:"truncated,omitempty"`
	// Group is the sender's key for the group the alerts were sent in
	// (Alertmanager's groupKey), "" when it has none.
	Group string `json:"group,omitempty"`
	// Records counts the records read: alerts, others and failed ones.
	Records int `json:"records"`
	// Failed counts the records that could not be read (see the error).
	Failed int `json:"failed,omitempty"`
}

// Other is a record of a payload that is not an alert.
type Other struct {
	// Where names the record ("line 12", "element 3").
	Where string `json:"where"`
	// Type is the record's own type ("flow", "dns", "stats").
	Type string `json:"type"`
	// Raw is the record's bytes: a slice of the payload, not a copy.
	Raw []byte `json:"-"`
}

// Add normalises a and appends it.
func (r *Result) Add(a Alert, meta Meta) {
	a.Normalize(meta)
	r.Alerts = append(r.Alerts, a)
}

// maxErrorFields bounds the places one payload error names: a file of a
// million bad lines needs a few examples and a count.
const maxErrorFields = 20

// Errors collects what could not be read in one payload, place by place,
// and becomes the parse error.
type Errors struct {
	Format string // "suricata": the error says "invalid suricata payload"
	fields errs.Fields
	n      int
}

// Add records that the part at where could not be read.
func (e *Errors) Add(where, format string, args ...any) {
	e.n++
	if len(e.fields) < maxErrorFields {
		msg, _ := cleanText(fmt.Sprintf(format, args...), false, MaxLine)
		e.fields = append(e.fields, errs.FieldError{Field: where, Message: msg})
	}
}

// Len counts the parts recorded.
func (e *Errors) Len() int { return e.n }

// Err returns nil when nothing was recorded, else an errs.Invalid error
// naming each place (the first maxErrorFields of them and a count of the
// rest).
func (e *Errors) Err() error {
	if e.n == 0 {
		return nil
	}
	fields := e.fields
	if more := e.n - len(fields); more > 0 {
		fields = append(fields[:len(fields):len(fields)], errs.FieldError{Field: "payload",
			Message: strconv.Itoa(more) + " more could not be read"})
	}
	return &errs.Error{Kind: errs.Invalid, Message: "invalid " + e.Format + " payload", Fields: fields}
}

// Position names a byte offset of payload for people: "line 3, column 17"
// (columns count bytes from 1).
func Position(payload []byte, offset int) string {
	offset = max(0, min(offset, len(payload)))
	before := payload[:offset]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := offset - bytes.LastIndexByte(before, '\n')
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
}

// Package format ties a source's configuration to its parser and its
// fingerprint: Config is what a source stores, Decoder what ingestion
// runs on every payload of that source.
package format

import (
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/format/alertmanager"
	"github.com/rampart-itsm/rampart/internal/alert/format/generic"
	"github.com/rampart-itsm/rampart/internal/alert/format/suricata"
	"github.com/rampart-itsm/rampart/internal/alert/format/syslog"
	"github.com/rampart-itsm/rampart/internal/alert/format/wazuh"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Config is the parsing part of a source's configuration, as the API
// takes and the store keeps it.
type Config struct {
	// Format is one of alert.Formats.
	Format string `json:"format"`
	// FingerprintFields are the fields Rampart's fingerprint is computed
	// from (see alert.NewFingerprint); empty means the format's default
	// (alert.DefaultFingerprintFields).
	FingerprintFields []string `json:"fingerprint_fields,omitempty"`
	// Syslog holds the syslog format's options.
	Syslog syslog.Options `json:"syslog,omitzero"`
	// Mapping is the generic format's field mapping (required there, and
	// refused for the other formats, where it would be ignored).
	Mapping *generic.Mapping `json:"mapping,omitempty"`
}

// Decoder parses, normalises and fingerprints the payloads of one source.
// It holds no state between payloads and is safe for concurrent use.
type Decoder struct {
	parser      alert.Parser
	fingerprint alert.Fingerprint
	format      string
}

// New checks c and builds its Decoder. Every problem is a field error of
// one errs.Invalid error: "format", "fingerprint_fields[2]",
// "syslog.zone", "mapping.fields.severity" …
func New(c Config) (*Decoder, error) {
	var fe errs.Fields
	format := strings.ToLower(strings.TrimSpace(c.Format))
	var parser alert.Parser
	switch format {
	case "alertmanager":
		parser = alertmanager.Parser{}
	case "suricata":
		parser = suricata.Parser{}
	case "wazuh":
		parser = wazuh.Parser{}
	case "syslog":
		p, err := syslog.New(c.Syslog)
		fe = appendFields(fe, err)
		parser = p
	case "generic":
		if c.Mapping == nil {
			fe.Add("mapping", "a generic source needs a mapping of its JSON onto alert fields")
			break
		}
		p, err := generic.New(*c.Mapping)
		fe = appendFields(fe, err)
		parser = p
	default:
		fe.Add("format", "unknown format %q; use %s", c.Format, strings.Join(alert.Formats, ", "))
	}
	if c.Mapping != nil && format != "generic" && slices.Contains(alert.Formats, format) {
		fe.Add("mapping", "only a generic source has a mapping; this %s source would ignore it", format)
	}
	if c.Syslog != (syslog.Options{}) && format != "syslog" && slices.Contains(alert.Formats, format) {
		fe.Add("syslog", "only a syslog source has syslog options; this %s source would ignore them", format)
	}
	fields := c.FingerprintFields
	if len(fields) == 0 {
		fields = alert.DefaultFingerprintFields[format]
	}
	var fp alert.Fingerprint
	if len(fields) > 0 {
		var err error
		fp, err = alert.NewFingerprint(fields)
		fe = appendFields(fe, err)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return &Decoder{parser: parser, fingerprint: fp, format: format}, nil
}

// appendFields adds the field errors of an errs.Invalid error to fe;
// any other error becomes a field error on "config".
func appendFields(fe errs.Fields, err error) errs.Fields {
	if err == nil {
		return fe
	}
	if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
		return append(fe, e.Fields...)
	}
	fe.Add("config", "%s", err.Error())
	return fe
}

// Format is the decoder's format name.
func (d *Decoder) Format() string { return d.format }

// FingerprintFields are the fields the fingerprint is computed from, in
// canonical order.
func (d *Decoder) FingerprintFields() []string { return d.fingerprint.Fields() }

// Decode parses payload and sets every alert's fingerprint. Errors are
// the parser's (alert.Parser): with a non-nil error the Result still
// holds every alert that could be read.
func (d *Decoder) Decode(payload []byte, meta alert.Meta) (alert.Result, error) {
	res, err := d.parser.Parse(payload, meta)
	d.fingerprint.Apply(res.Alerts)
	return res, err
}

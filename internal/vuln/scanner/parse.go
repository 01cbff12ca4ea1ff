package scanner

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// Formats lists the report formats Parse accepts, as `rampart import` and
// POST /api/v1/imports/{format} name them.
var Formats = []string{"trivy", "grype", "sarif", "openvas", "nessus", "nuclei"}

// Sink receives each finding as it is parsed. The finding is the callee's
// to keep: the parser does not touch it again. Returning an error stops
// the parse; Parse returns that error unchanged.
type Sink func(vuln.Finding) error

// Options tune a parse.
type Options struct {
	// Target is used for findings whose report does not say what was
	// scanned (a SARIF log without versionControlProvenance, the old Trivy
	// list format): typically the repository or image the caller scanned.
	// Fields the report does give are kept.
	Target vuln.Target
	// MaxFindings stops a report with more findings with errs.TooLarge;
	// 0 means DefaultMaxFindings.
	MaxFindings int
}

// DefaultMaxFindings bounds one report: the largest expected report
// has a million findings, so this leaves room without letting a hostile
// file run without end.
const DefaultMaxFindings = 5_000_000

// Report describes a parsed report as a whole.
type Report struct {
	Format        string `json:"format"`         // one of Formats
	FormatVersion string `json:"format_version"` // e.g. "2" (Trivy SchemaVersion), "2.1.0" (SARIF), "" when the report does not say
	Scanner       string `json:"scanner"`
	// ScannerVersion is the tool's version as the report states it.
	ScannerVersion string `json:"scanner_version,omitempty"`
	// Findings counts findings handed to the Sink (repeats included: see
	// vuln.IdentitySet).
	Findings int `json:"findings"`
	// Skipped counts results that are not findings (a SARIF "pass", an
	// OpenVAS false positive), by reason.
	Skipped map[string]int `json:"skipped,omitempty"`
	// Notes are remarks about the report as a whole that did not stop it.
	Notes []string `json:"notes,omitempty"`
}

// Parse reads r in the named format (case-insensitive) and hands each
// finding to sink. Errors: errs.Invalid for an unknown format (field
// "format") and for a report that cannot be read (its field says where),
// errs.TooLarge beyond Options.MaxFindings; errors of r are returned
// wrapped, errors of sink unchanged.
func Parse(format string, r io.Reader, opt Options, sink Sink) (Report, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "trivy":
		return ParseTrivy(r, opt, sink)
	case "grype":
		return ParseGrype(r, opt, sink)
	case "sarif":
		return ParseSARIF(r, opt, sink)
	case "openvas":
		return ParseOpenVAS(r, opt, sink)
	case "nessus":
		return ParseNessus(r, opt, sink)
	case "nuclei":
		return ParseNuclei(r, opt, sink)
	}
	return Report{}, errs.Field("format", "unknown report format %q; use %s", format, strings.Join(Formats, ", "))
}

// Batch returns a Sink that collects findings and calls flush with every
// size of them, and a function that flushes the rest; call it after a
// successful parse. The slice passed to flush is reused afterwards: copy
// what must outlive the call.
func Batch(size int, flush func([]vuln.Finding) error) (sink Sink, done func() error) {
	if size < 1 {
		size = 1
	}
	buf := make([]vuln.Finding, 0, size)
	sink = func(f vuln.Finding) error {
		buf = append(buf, f)
		if len(buf) < size {
			return nil
		}
		err := flush(buf)
		clear(buf)
		buf = buf[:0]
		return err
	}
	done = func() error {
		if len(buf) == 0 {
			return nil
		}
		err := flush(buf)
		clear(buf)
		buf = buf[:0]
		return err
	}
	return sink, done
}

// emitter is what every parser hands findings through: it fills what the
// report left to the caller, normalises, counts and enforces the limit.
type emitter struct {
	rep  *Report
	opt  Options
	sink Sink
	max  int
}

func newEmitter(rep *Report, opt Options, sink Sink) *emitter {
	m := opt.MaxFindings
	if m <= 0 {
		m = DefaultMaxFindings
	}
	return &emitter{rep: rep, opt: opt, sink: sink, max: m}
}

// errSink marks an error that came from the caller's sink, so parsers pass
// it through instead of describing it as a problem of the file.
type errSink struct{ err error }

func (e errSink) Error() string { return e.err.Error() }
func (e errSink) Unwrap() error { return e.err }

func (e *emitter) emit(f vuln.Finding) error {
	if e.rep.Findings >= e.max {
		return errs.E(errs.TooLarge, "%s report has more than %d findings; split it or raise the limit", e.rep.Format, e.max)
	}
	if f.Scanner == "" {
		f.Scanner = e.rep.Scanner
	}
	f.Target = fillTarget(f.Target, e.opt.Target)
	f.Normalize()
	if f.Identifier == "" {
		// Nothing says what was found: it cannot be identified or ranked.
		e.skip("no identifier")
		return nil
	}
	e.rep.Findings++
	if err := e.sink(f); err != nil {
		return errSink{err}
	}
	return nil
}

func (e *emitter) skip(reason string) {
	if e.rep.Skipped == nil {
		e.rep.Skipped = map[string]int{}
	}
	e.rep.Skipped[reason]++
}

// fillTarget completes t with the caller's fallback: when the report names
// no target at all, the fallback is used whole; otherwise only empty
// identifier fields are filled.
func fillTarget(t, fallback vuln.Target) vuln.Target {
	if t.Name == "" && t.Kind == "" {
		return fallback
	}
	if t.Kind == "" {
		t.Kind = fallback.Kind
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&t.Name, fallback.Name)
	fill(&t.Hostname, fallback.Hostname)
	fill(&t.FQDN, fallback.FQDN)
	fill(&t.IP, fallback.IP)
	fill(&t.Image, fallback.Image)
	fill(&t.ImageDigest, fallback.ImageDigest)
	fill(&t.Repository, fallback.Repository)
	fill(&t.Cluster, fallback.Cluster)
	return t
}

// finish turns what a parser returns into Parse's contract: sink errors
// unchanged, everything else as it is (already an errs error or a wrapped
// read error).
func finish(rep Report, err error) (Report, error) {
	var se errSink
	if errors.As(err, &se) {
		return rep, se.err
	}
	return rep, err
}

// fileError is a problem with the report as a whole; where says where
// ("line 12, column 4", "/Results/3 (line 40, column 7)") and becomes the
// error's field.
func fileError(format, where, msgFormat string, args ...any) error {
	return &errs.Error{
		Kind:    errs.Invalid,
		Message: "invalid " + format + " report",
		Fields:  []errs.FieldError{{Field: where, Message: fmt.Sprintf(msgFormat, args...)}},
	}
}

// Source returns the reader of a report that vuln.Service.Import takes:
// Parse of r in format, describing the report as vuln.ReportInfo.
func Source(format string, r io.Reader, opt Options) func(fn func(vuln.Finding) error) (vuln.ReportInfo, error) {
	return func(fn func(vuln.Finding) error) (vuln.ReportInfo, error) {
		rep, err := Parse(format, r, opt, Sink(fn))
		return vuln.ReportInfo{FormatVersion: rep.FormatVersion, Scanner: rep.Scanner, ScannerVersion: rep.ScannerVersion,
			Skipped: rep.Skipped, Notes: rep.Notes}, err
	}
}

package importer

import (
	"io"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Formats lists the import formats Parse accepts.
var Formats = []string{"nmap", "csv", "json"}

// Parse reads r in the named format: "nmap" (nmap -oX output), "csv" or
// "json" (case-insensitive). Any caller may use it. Errors: errs.Invalid for
// an unknown format (field "format") and for files that cannot be read as
// a whole, errs.TooLarge beyond MaxRows rows; errors of r itself are
// returned wrapped.
func Parse(format string, r io.Reader) ([]cmdb.Candidate, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "nmap":
		return ParseNmapXML(r)
	case "csv":
		return ParseCSV(r)
	case "json":
		return ParseJSON(r)
	}
	return nil, errs.Field("format", "unknown import format %q; use nmap, csv or json", format)
}

// Each is Parse handing each candidate to yield as soon as it is read,
// in file order, instead of collecting them: memory stays flat whatever
// the size of the file. A file that turns out to be unreadable part-way
// fails after some candidates were handed over, so a caller that must not
// act on part of a bad file reads it through once first. An error from
// yield ends the reading and is returned as it is.
func Each(format string, r io.Reader, yield func(cmdb.Candidate) error) error {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "nmap":
		return EachNmap(r, yield)
	case "csv":
		return EachCSV(r, yield)
	case "json":
		return EachJSON(r, yield)
	}
	return errs.Field("format", "unknown import format %q; use nmap, csv or json", format)
}

// collect returns a yield function that appends to *out.
func collect(out *[]cmdb.Candidate) func(cmdb.Candidate) error {
	return func(c cmdb.Candidate) error {
		*out = append(*out, c)
		return nil
	}
}

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

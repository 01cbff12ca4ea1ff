package importer

import (
	"fmt"
	"strings"

	"github.com/rampart-itsm/rampart/internal/textrule"
)

// attrPrefix starts a column holding one free-form attribute.
const attrPrefix = "attr."

// csvColumns maps every accepted column name (lower case) to the field it
// fills. Identifier columns accept the singular and the plural.
var csvColumns = map[string]string{
	fName: fName, fKind: fKind, fDescription: fDescription, fEnvironment: fEnvironment,
	fOwner: fOwner, fSupportGroup: fSupportGroup, fCriticality: fCriticality,
	fDataClassification: fDataClassification, fInternetExposed: fInternetExposed,
	fSupplier: fSupplier, fLifecycleStatus: fLifecycleStatus, fTags: fTags,
	"hostname": "hostnames", "hostnames": "hostnames",
	"fqdn": "fqdns", "fqdns": "fqdns",
	"ip": "ips", "ips": "ips",
	"mac": "macs", "macs": "macs",
	"serial": "serial", "cloud_id": "cloud_id",
}

// csvColumnNames lists the columns for error messages, in document order.
const csvColumnNames = "name, kind, description, environment, owner, support_group, business_criticality, " +
	"data_classification, internet_exposed, supplier, lifecycle_status, hostnames, fqdns, ips, macs, serial, " +
	"cloud_id, tags, attr.<name>"

// column is one header cell resolved to what it fills.
type column struct {
	header string // as written in the file (trimmed), used in messages
	field  string // canonical field, or "attr"
	attr   string // attribute name for attr.<name> columns
}

// resolveHeader maps the header row to columns. Unknown, empty and repeated
// column names are whole-file errors: guessing which column the user meant
// would import data into the wrong field.
func resolveHeader(header []string) ([]column, []string) {
	var problems []string
	cols := make([]column, len(header))
	seen := map[string]string{}
	if len(header) > maxColumns {
		return nil, []string{fmt.Sprintf("at most %d columns, not %d", maxColumns, len(header))}
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		lower := strings.ToLower(h)
		var c column
		switch {
		case h == "":
			problems = append(problems, fmt.Sprintf("column %d has no name", i+1))
			continue
		case strings.HasPrefix(lower, attrPrefix):
			name := strings.TrimSpace(h[len(attrPrefix):])
			if name == "" {
				problems = append(problems, fmt.Sprintf("column %d %q names no attribute", i+1, h))
				continue
			}
			// The name becomes an attribute key and the field name of
			// every problem in this column.
			if msg := textrule.Problem(name, false); msg != "" {
				problems = append(problems, fmt.Sprintf("column %d %q: the attribute name %s", i+1, h, msg))
				continue
			}
			c = column{header: h, field: "attr", attr: name}
			lower = attrPrefix + name
		default:
			f, ok := csvColumns[lower]
			if !ok {
				problems = append(problems, fmt.Sprintf("unknown column %q (column %d)", h, i+1))
				continue
			}
			c = column{header: h, field: f}
			lower = f
		}
		if prev, dup := seen[lower]; dup {
			problems = append(problems, fmt.Sprintf("column %q (column %d) repeats %q", h, i+1, prev))
			continue
		}
		seen[lower] = h
		cols[i] = c
	}
	return cols, problems
}

// splitList splits a multi-valued cell on ";", trimming and dropping empty
// values.
func splitList(cell string) []string {
	parts := strings.Split(cell, ";")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

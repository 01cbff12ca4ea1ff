package importer

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// ParseCSV reads a CSV file of CIs: a header row naming the columns (see
// docs/import-formats.md), then one CI per row. Row numbers count data rows
// from 1 (the header is not a row).
//
// Any caller may use it; it does no I/O besides reading r. Errors:
// errs.Invalid for a file that cannot be read as a whole (no header,
// unknown or repeated columns, broken quoting, naming the line and column),
// errs.TooLarge beyond MaxRows rows. A bad cell is not an error: its row's
// candidate carries a Problem naming the column, and the other rows
// proceed.
func ParseCSV(r io.Reader) ([]cmdb.Candidate, error) {
	var out []cmdb.Candidate
	if err := EachCSV(r, collect(&out)); err != nil {
		return nil, err
	}
	return out, nil
}

// EachCSV is ParseCSV handing each candidate to yield as soon as its row
// is read, so a file of any size is never held in memory. An error from
// yield ends the reading and is returned as it is.
func EachCSV(r io.Reader, yield func(cmdb.Candidate) error) error {
	src := &source{r: r}
	br := bufio.NewReaderSize(src, 64<<10)
	// Spreadsheets save "CSV UTF-8" with a byte order mark; dropped before
	// the CSV reader sees it, so a quoted first header cell still parses.
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true // each cell is copied into the candidate, so the slice may be reused
	cr.FieldsPerRecord = 0
	cr.LazyQuotes = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fileError("CSV", "line 1", "the file is empty; a header row naming the columns is required")
	}
	if err != nil {
		return csvSyntax(src, err)
	}
	cols, problems := resolveHeader(header)
	if len(problems) > 0 {
		e := &errs.Error{Kind: errs.Invalid, Message: "invalid CSV header (columns: " + csvColumnNames + ")"}
		for _, p := range problems {
			e.Fields = append(e.Fields, errs.FieldError{Field: "header", Message: p})
		}
		return e
	}
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		short := errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount)
		if err != nil && !short {
			return csvSyntax(src, err)
		}
		if row > maxRows {
			return tooManyRows("CSV", "rows")
		}
		c := csvRow(cols, rec, row)
		if short {
			// The row is still read completely (quoting is intact), so only
			// this row is rejected.
			c.Problems = append(c.Problems, errs.FieldError{Field: "row",
				Message: "has " + itoa(len(rec)) + " cells, the header has " + itoa(len(cols))})
		}
		if err := yield(c); err != nil {
			return err
		}
	}
}

// csvSyntax reports a CSV syntax error with its line and column.
func csvSyntax(src *source, err error) error {
	var pe *csv.ParseError
	switch {
	case src.readFailed(err):
		return fmt.Errorf("reading CSV: %w", err)
	case errors.As(err, &pe):
		if pe.StartLine != pe.Line {
			return fileError("CSV", lineField(pe.Line, pe.Column), "%v, in the record that starts on line %d", pe.Err, pe.StartLine)
		}
		return fileError("CSV", lineField(pe.Line, pe.Column), "%v", pe.Err)
	}
	return fileError("CSV", "file", "%v", err)
}

// csvRow builds the candidate for one data row. Empty cells are "not given"
// and leave the CI's field as it is.
func csvRow(cols []column, rec []string, row int) cmdb.Candidate {
	c := cmdb.Candidate{Row: row}
	var fe errs.Fields
	var ids cmdb.Identifiers
	u := &c.Fields
	for i, cell := range rec {
		if i >= len(cols) {
			break
		}
		col := cols[i]
		if strings.TrimSpace(cell) == "" {
			continue
		}
		if len(cell) > maxCell {
			fe.Add(col.header, "must be at most %d bytes", maxCell)
			continue
		}
		cell = strings.TrimSpace(cell)
		// NUL, control characters and bytes that are not UTF-8 reject the
		// row, naming the column; the other rows still import. Quoted
		// cells may hold line breaks in long text (encoding/csv has
		// already turned CRLF inside quotes into LF).
		if !utf8.ValidString(cell) {
			fe.Add(col.header, "is not valid UTF-8 text (save the file as UTF-8)")
			continue
		}
		if !textrule.Check(&fe, col.header, cell, col.field == fDescription || col.field == "attr") {
			continue
		}
		// The cell shares its backing string with the rest of its record
		// (encoding/csv allocates one per record), which a candidate mostly
		// keeps anyway, so it is not copied.
		csvCell(u, &ids, col, cell, &fe)
	}
	if u.Attributes != nil && len(*u.Attributes) == 0 {
		u.Attributes = nil
	}
	finish(&c, "row", ids, fe)
	return c
}

// csvCell sets the field a column fills from one non-empty cell.
func csvCell(u *cmdb.Update, ids *cmdb.Identifiers, col column, cell string, fe *errs.Fields) {
	var err error
	switch col.field {
	case fName:
		u.Name = &cell
	case fKind:
		var k cmdb.Kind
		if k, err = parseKind(cell); err == nil {
			u.Kind = &k
		}
	case fDescription:
		u.Description = &cell
	case fEnvironment:
		u.Environment = ptr(strings.ToLower(cell))
	case fOwner:
		u.Owner = &cell
	case fSupportGroup:
		u.SupportGroup = &cell
	case fCriticality:
		var n int
		if n, err = parseCriticality(cell); err == nil {
			u.Criticality = &n
		}
	case fDataClassification:
		var v string
		if v, err = oneOf(cell, cmdb.DataClassifications); err == nil {
			u.DataClassification = &v
		}
	case fInternetExposed:
		var b bool
		if b, err = parseBool(cell); err == nil {
			u.InternetExposed = &b
		}
	case fSupplier:
		u.Supplier = &cell
	case fLifecycleStatus:
		var v string
		if v, err = oneOf(cell, cmdb.LifecycleStatuses); err == nil {
			u.LifecycleStatus = &v
		}
	case fTags:
		tags := splitList(cell)
		if len(tags) > maxListValues {
			fe.Add(col.header, "at most %d values", maxListValues)
		} else {
			u.Tags = &tags
		}
	case "hostnames":
		ids.Hostnames = identifierList(splitList(cell), cmdb.NormalizeHostname, col.header, false, fe)
	case "fqdns":
		ids.FQDNs = identifierList(splitList(cell), cmdb.NormalizeFQDN, col.header, false, fe)
	case "ips":
		ids.IPs = identifierList(splitList(cell), cmdb.NormalizeIP, col.header, false, fe)
	case "macs":
		ids.MACs = identifierList(splitList(cell), cmdb.NormalizeMAC, col.header, false, fe)
	case "serial":
		ids.Serial = checkOpaque(cell, col.header, fe)
	case "cloud_id":
		ids.CloudID = checkOpaque(cell, col.header, fe)
	case "attr":
		if u.Attributes == nil {
			u.Attributes = &map[string]any{}
		}
		(*u.Attributes)[col.attr] = cell
	}
	if err != nil {
		fe.Add(col.header, "%v", err)
	}
}

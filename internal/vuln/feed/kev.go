package feed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// KEVCatalog describes a KEV catalogue file as a whole.
type KEVCatalog struct {
	Version  string    `json:"catalog_version"`
	Released time.Time `json:"date_released"`
	// Count is the catalogue's own count; Entries the entries read.
	Count   int `json:"count"`
	Entries int `json:"entries"`
	// Problems are the entries skipped, each naming its line.
	Problems []Problem `json:"problems,omitempty"`
}

// Problem is one entry or row of a feed that was skipped.
type Problem struct {
	Line    int    `json:"line"`
	Where   string `json:"where"` // "/vulnerabilities/17", "row 12"
	Message string `json:"message"`
}

// MaxKEVSize bounds the catalogue file (the full catalogue is about 1.3 MB
// in 2025); it is read whole, which keeps line numbers exact.
const MaxKEVSize = 64 << 20

// maxProblems caps the problems reported; further ones are only counted in
// the last message.
const maxProblems = 100

type kevEntry struct {
	CVEID                      string   `json:"cveID"`
	VendorProject              string   `json:"vendorProject"`
	Product                    string   `json:"product"`
	VulnerabilityName          string   `json:"vulnerabilityName"`
	DateAdded                  string   `json:"dateAdded"`
	ShortDescription           string   `json:"shortDescription"`
	RequiredAction             string   `json:"requiredAction"`
	DueDate                    string   `json:"dueDate"`
	KnownRansomwareCampaignUse string   `json:"knownRansomwareCampaignUse"`
	Notes                      string   `json:"notes"`
	CWEs                       []string `json:"cwes"`
}

// cveRE is the pattern of the catalogue's schema for cveID.
var cveRE = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,19}$`)

// ParseKEV reads CISA's KEV catalogue (known_exploited_vulnerabilities.json,
// schema known_exploited_vulnerabilities_schema.json) and calls fn with each
// valid entry. An entry without a valid cveID, dateAdded or dueDate, or
// with a value of the wrong type, is skipped and reported in Problems with
// its line. Errors: errs.Invalid for a file that is not a KEV catalogue
// (naming where), errs.TooLarge beyond MaxKEVSize; errors of r wrapped;
// fn's error unchanged.
func ParseKEV(r io.Reader, fn func(vuln.KEV) error) (KEVCatalog, error) {
	var cat KEVCatalog
	data, err := io.ReadAll(io.LimitReader(r, MaxKEVSize+1))
	if err != nil {
		return cat, fmt.Errorf("reading KEV catalogue: %w", err)
	}
	if len(data) > MaxKEVSize {
		return cat, errs.E(errs.TooLarge, "KEV catalogue larger than %d MB", MaxKEVSize>>20)
	}
	lineAt := func(off int64) int { return bytes.Count(data[:min(off, int64(len(data)))], []byte{'\n'}) + 1 }
	invalid := func(off int64, where, format string, args ...any) error {
		return &errs.Error{Kind: errs.Invalid, Message: "invalid KEV catalogue", Fields: []errs.FieldError{{
			Field: fmt.Sprintf("%s (line %d)", where, lineAt(off)), Message: fmt.Sprintf(format, args...)}}}
	}
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	syntax := func(err error) error {
		var se *jsontext.SyntacticError
		if errors.As(err, &se) {
			where := "/" + strings.TrimPrefix(string(se.JSONPointer), "/")
			if errors.Is(se.Err, io.ErrUnexpectedEOF) {
				return invalid(se.ByteOffset, where, "the file ends in the middle of a JSON value (truncated?)")
			}
			return invalid(se.ByteOffset, where, "malformed JSON: %v", se.Err)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return invalid(int64(len(data)), "/", "the file ends in the middle of a JSON value (truncated?)")
		}
		return invalid(dec.InputOffset(), string(dec.StackPointer()), "%v", err)
	}
	if dec.PeekKind() != '{' {
		if _, err := dec.ReadToken(); err != nil && !errors.Is(err, io.EOF) {
			return cat, syntax(err)
		}
		return cat, invalid(0, "/", "expected the KEV catalogue, a JSON object with \"vulnerabilities\"")
	}
	if _, err := dec.ReadToken(); err != nil {
		return cat, syntax(err)
	}
	seenList := false
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return cat, syntax(err)
		}
		name := tok.String()
		switch name {
		case "catalogVersion":
			err = json.UnmarshalDecode(dec, &cat.Version)
		case "dateReleased":
			var s string
			if err = json.UnmarshalDecode(dec, &s); err == nil {
				cat.Released, _ = time.Parse(time.RFC3339Nano, s)
			}
		case "count":
			err = json.UnmarshalDecode(dec, &cat.Count)
		case "vulnerabilities":
			seenList = true
			err = kevEntries(dec, &cat, lineAt, fn)
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			var se *json.SemanticError
			if errors.As(err, &se) {
				return cat, invalid(se.ByteOffset, string(se.JSONPointer), "unexpected %s", kindWord(se.JSONKind))
			}
			if e, ok := err.(callbackError); ok {
				return cat, e.err
			}
			return cat, syntax(err)
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return cat, syntax(err)
	}
	if !seenList {
		return cat, invalid(0, "/", "no \"vulnerabilities\" list: not a KEV catalogue")
	}
	return cat, nil
}

type callbackError struct{ err error }

func (e callbackError) Error() string { return e.err.Error() }

func kevEntries(dec *jsontext.Decoder, cat *KEVCatalog, lineAt func(int64) int, fn func(vuln.KEV) error) error {
	if dec.PeekKind() != '[' {
		return &json.SemanticError{ByteOffset: dec.InputOffset(), JSONPointer: dec.StackPointer(), JSONKind: dec.PeekKind()}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for i := 0; dec.PeekKind() != ']'; i++ {
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		line := lineAt(dec.InputOffset() - int64(len(raw)))
		where := "/vulnerabilities/" + strconv.Itoa(i)
		k, msg := kevFromJSON(raw)
		if msg != "" {
			cat.addProblem(Problem{Line: line, Where: where, Message: msg})
			continue
		}
		cat.Entries++
		if err := fn(k); err != nil {
			return callbackError{err}
		}
	}
	_, err := dec.ReadToken()
	return err
}

func (c *KEVCatalog) addProblem(p Problem) {
	if len(c.Problems) < maxProblems {
		c.Problems = append(c.Problems, p)
	}
}

// kevFromJSON decodes and checks one entry; msg says why it is skipped.
func kevFromJSON(raw jsontext.Value) (k vuln.KEV, msg string) {
	var e kevEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		var se *json.SemanticError
		if errors.As(err, &se) {
			return k, fmt.Sprintf("%s: unexpected %s", strings.TrimPrefix(string(se.JSONPointer), "/"), kindWord(se.JSONKind))
		}
		return k, err.Error()
	}
	cve := strings.TrimSpace(e.CVEID)
	if !cveRE.MatchString(cve) {
		return k, fmt.Sprintf("cveID %q is not a CVE id", clip(e.CVEID))
	}
	added, err := time.Parse(time.DateOnly, strings.TrimSpace(e.DateAdded))
	if err != nil {
		return k, fmt.Sprintf("%s: dateAdded %q is not a date (YYYY-MM-DD)", cve, clip(e.DateAdded))
	}
	due, err := time.Parse(time.DateOnly, strings.TrimSpace(e.DueDate))
	if err != nil {
		return k, fmt.Sprintf("%s: dueDate %q is not a date (YYYY-MM-DD)", cve, clip(e.DueDate))
	}
	return vuln.KEV{CVE: cve, VendorProject: e.VendorProject, Product: e.Product, Name: e.VulnerabilityName,
		DateAdded: added, ShortDescription: e.ShortDescription, RequiredAction: e.RequiredAction, DueDate: due,
		Ransomware: strings.EqualFold(strings.TrimSpace(e.KnownRansomwareCampaignUse), "Known"), Notes: e.Notes,
		CWEs: e.CWEs}, ""
}

func kindWord(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	}
	return "value"
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

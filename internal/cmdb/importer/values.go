package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// Field names shared by the CSV columns and the JSON object keys; they are
// the CI's JSON names (see cmdb.CI).
const (
	fName               = "name"
	fKind               = "kind"
	fDescription        = "description"
	fEnvironment        = "environment"
	fOwner              = "owner"
	fSupportGroup       = "support_group"
	fCriticality        = "business_criticality"
	fDataClassification = "data_classification"
	fInternetExposed    = "internet_exposed"
	fSupplier           = "supplier"
	fLifecycleStatus    = "lifecycle_status"
	fTags               = "tags"
	fAttributes         = "attributes"
	fIdentifiers        = "identifiers"
)

// kindSeparators is built once: a Replacer builds its tables on first use,
// which per row of a large import cost more than the replacing.
var kindSeparators = strings.NewReplacer(" ", "_", "-", "_")

// parseKind accepts a CI kind in any case, with spaces or hyphens for the
// underscores ("Business Service" → business_service).
func parseKind(s string) (cmdb.Kind, error) {
	k := cmdb.Kind(kindSeparators.Replace(strings.ToLower(strings.TrimSpace(s))))
	if !k.Valid() {
		return "", fmt.Errorf("%q is not a CI kind; use one of %s", s, kindList())
	}
	return k, nil
}

func kindList() string {
	names := make([]string, len(cmdb.Kinds))
	for i, k := range cmdb.Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// checkCriticality reports a business criticality outside 1..5.
func checkCriticality(n int) error {
	if n < 1 || n > 5 {
		return fmt.Errorf("must be a whole number from 1 to 5, not %d", n)
	}
	return nil
}

// parseCriticality parses a CSV cell holding a business criticality.
func parseCriticality(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("must be a whole number from 1 to 5, not %q", s)
	}
	return n, checkCriticality(n)
}

// parseBool accepts the spellings spreadsheets and people use for yes/no.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "1":
		return true, nil
	case "false", "no", "n", "0":
		return false, nil
	}
	return false, fmt.Errorf("must be true or false (or yes/no, 1/0), not %q", s)
}

// oneOf lower-cases s and checks it is in allowed.
func oneOf(s string, allowed []string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if !slices.Contains(allowed, v) {
		return "", fmt.Errorf("%q is not allowed; use one of %s", s, strings.Join(allowed, ", "))
	}
	return v, nil
}

// identifierList validates and normalises one list of identifiers with the
// CMDB's own normaliser, so a bad value is reported by the parser under the
// name the file used for it (a CSV column, a JSON path) rather than later
// under a name the user never wrote. field is the name for the whole list;
// indexed adds "[i]" per value (JSON) or not (CSV cells).
func identifierList(values []string, norm func(string) (string, error), field string, indexed bool, fe *errs.Fields) []string {
	if len(values) > maxListValues {
		fe.Add(field, "at most %d values", maxListValues)
		return nil
	}
	var out []string
	for i, v := range values {
		n, err := norm(v)
		if err != nil {
			f := field
			if indexed {
				f = fmt.Sprintf("%s[%d]", field, i)
			}
			fe.Add(f, "%v", err)
			continue
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// checkOpaque validates a serial number or cloud id as the CMDB stores them.
func checkOpaque(s, field string, fe *errs.Fields) string {
	t := strings.TrimSpace(s)
	if len(t) > 512 {
		fe.Add(field, "must be at most 512 characters")
		return ""
	}
	for _, c := range t {
		if c < 0x20 || c == 0x7f {
			fe.Add(field, "must not contain control characters")
			return ""
		}
	}
	return t
}

// finish completes a candidate from what a CSV row or JSON item gave. The
// identifiers go in Candidate.Identifiers only: the CMDB matches by them and
// merges them into the CI, so repeating them in Fields.Identifiers would
// only hold them twice. The label names the row the way a user finds it.
//
// The label and the problems are stored with the import report, so they
// must be text the database takes on any engine: whatever of the file
// they quote (a name, an unknown key) is escaped.
func finish(c *cmdb.Candidate, noun string, ids cmdb.Identifiers, fe errs.Fields) {
	c.Identifiers = ids
	c.Label = noun + " " + itoa(c.Row)
	if what := describe(c); what != "" {
		c.Label += " (" + textrule.Escape(what) + ")"
	}
	for i := range fe {
		fe[i].Field, fe[i].Message = textrule.Escape(fe[i].Field), textrule.Escape(fe[i].Message)
	}
	c.Problems = fe
}

// describe returns the name of a row, or its first identifier.
func describe(c *cmdb.Candidate) string {
	if c.Fields.Name != nil && *c.Fields.Name != "" {
		return clip(*c.Fields.Name, 60)
	}
	if v := c.Identifiers.Values(); len(v) > 0 {
		return clip(v[0].Value, 60)
	}
	return ""
}

// clip shortens s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

func ptr[T any](v T) *T { return &v }

func itoa(i int) string { return strconv.Itoa(i) }

package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// funcs are the helpers templates may call. They format; they decide
// nothing.
var funcs = template.FuncMap{
	"label":     label,
	"isoTime":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"utcTime":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") + " UTC" },
	"critClass": func(c int) string { return fmt.Sprintf("crit-%d", min(max(c, 0), 5)) },
	"critLabel": critLabel,
	"join":      strings.Join,
	"has":       has,
	"compact":   compactJSON,
	"add":       func(a, b int) int { return a + b },
	"asset":     asset,
	"list":      func(xs ...string) []string { return xs },
	"first":     first,
	"sortCol":   sortCol,
	"total":     paging.TotalText,
}

// first is the first of xs, or "".
func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

// sortCol is what the "sorthead" template needs for one column heading.
func sortCol(links map[string]sortLink, col, label, class string) map[string]any {
	return map[string]any{"Col": col, "Label": label, "Class": class, "Link": links[col]}
}

// labels are the codes whose words are not just the code with spaces.
var labels = map[string]string{"saas_application": "SaaS application", "dr": "DR", "cloud_id": "Cloud id",
	"fqdns": "FQDNs", "ips": "IPs", "macs": "MACs"}

// label turns a stored code ("business_service") into words ("Business service").
func label(code any) string {
	c := fmt.Sprint(code)
	if l, ok := labels[c]; ok {
		return l
	}
	s := strings.ReplaceAll(c, "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// critLabel names a business criticality.
func critLabel(c int) string {
	switch c {
	case 1:
		return "1 · low"
	case 2:
		return "2 · minor"
	case 3:
		return "3 · moderate"
	case 4:
		return "4 · high"
	case 5:
		return "5 · mission critical"
	}
	return fmt.Sprint(c)
}

// has reports whether list (strings or roles) holds v.
func has(list any, v any) bool {
	want := fmt.Sprint(v)
	switch l := list.(type) {
	case []string:
		for _, x := range l {
			if x == want {
				return true
			}
		}
	case []auth.Role:
		for _, x := range l {
			if string(x) == want {
				return true
			}
		}
	}
	return false
}

// compactJSON renders a value as one line of JSON for tables.
func compactJSON(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

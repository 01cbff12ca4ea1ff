package web

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// attrView is one free-form attribute as shown: a line of text, or a table
// when the value is a list of records (open ports from a network scan).
type attrView struct {
	Name  string
	Text  string
	Table *attrTable
}

// attrTable is a list of records laid out as rows and columns.
type attrTable struct {
	Columns []string
	Rows    [][]string
}

// leadingColumns come first in attribute tables, so a port list reads
// port, protocol, service... whatever else the scanner reported.
var leadingColumns = []string{"port", "protocol", "proto", "state", "service", "name", "product", "version"}

// attributeViews renders free attributes in name order.
func attributeViews(attrs map[string]any) []attrView {
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]attrView, 0, len(names))
	for _, n := range names {
		av := attrView{Name: n}
		if t := recordTable(attrs[n]); t != nil {
			av.Table = t
		} else {
			av.Text = attrText(attrs[n])
		}
		out = append(out, av)
	}
	return out
}

// recordTable lays out a list of objects as a table; nil for other values.
func recordTable(v any) *attrTable {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var rest []string
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil
		}
		for k := range m {
			if !seen[k] {
				seen[k] = true
				if !slices.Contains(leadingColumns, k) {
					rest = append(rest, k)
				}
			}
		}
	}
	sort.Strings(rest)
	var cols []string
	for _, c := range leadingColumns {
		if seen[c] {
			cols = append(cols, c)
		}
	}
	cols = append(cols, rest...)
	t := &attrTable{Columns: cols}
	for _, item := range list {
		m := item.(map[string]any)
		row := make([]string, len(cols))
		for i, c := range cols {
			if x, ok := m[c]; ok {
				row[i] = attrText(x)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// attrText renders a scalar, a list of scalars, or anything else as JSON.
func attrText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			switch e.(type) {
			case map[string]any, []any:
				return compactJSON(v)
			}
			parts[i] = attrText(e)
		}
		return strings.Join(parts, ", ")
	}
	return compactJSON(v)
}

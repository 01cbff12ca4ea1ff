// Package generic reads JSON from any webhook sender through a per-source
// Mapping of JSON Pointers or dotted paths onto alert fields. A mapping
// that names an unknown field, observable kind or severity, or holds a
// malformed path, is a configuration error when the source is saved, not
// a silent gap in every alert after.
package generic

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/format/internal/jsonrec"
)

// Parser reads JSON payloads through a Mapping.
type Parser struct {
	m *compiled
}

// New checks m and returns its parser; every problem of m is a field
// error of an errs.Invalid error ("mapping.fields.severity").
func New(m Mapping) (*Parser, error) {
	c, err := m.compile()
	if err != nil {
		return nil, err
	}
	return &Parser{m: c}, nil
}

// Parse reads a payload of one JSON value, a JSON array, or JSON lines;
// each record is one alert, or holds the alerts at Mapping.Alerts.
func (p *Parser) Parse(payload []byte, meta alert.Meta) (alert.Result, error) {
	var res alert.Result
	e := alert.Errors{Format: "generic"}
	res.Failed += jsonrec.Each(payload, &e, func(rec jsonrec.Record) {
		var t tree
		if err := rec.Decode(&t); err != nil {
			res.Records++
			err.Report(&e, &res)
			return
		}
		items := []any{t.v}
		ptr := ""
		if p.m.alerts != nil {
			v, ok := p.m.alerts.lookup(t.v)
			if !ok {
				res.Records++
				rec.Fail("", "no alerts at the mapping's alerts path").Report(&e, &res)
				return
			}
			if list, ok := v.([]any); ok {
				items = list
				ptr = "/" + strings.Join(p.m.alerts, "/")
			} else {
				items = []any{v}
			}
		}
		for i, item := range items {
			res.Records++
			if _, ok := item.(map[string]any); !ok {
				where := ""
				if ptr != "" {
					where = ptr + "/" + strconv.Itoa(i)
				}
				rec.Fail(where, "an alert must be a JSON object").Report(&e, &res)
				continue
			}
			res.Add(p.m.toAlert(item, meta), meta)
		}
	})
	return res, e.Err()
}

func (c *compiled) toAlert(v any, meta alert.Meta) alert.Alert {
	a := alert.Alert{Format: "generic", Status: alert.StatusFiring}
	text := func(field string) string {
		p, ok := c.fields[field]
		if !ok {
			return ""
		}
		x, _ := p.lookup(v)
		return scalar(x)
	}
	a.Rule, a.RuleID, a.Summary = text("rule"), text("rule_id"), text("summary")
	a.ExternalFingerprint, a.Hostname, a.URL = text("external_fingerprint"), text("hostname"), text("url")
	a.SrcIP, a.DstIP, a.User, a.Process = text("src_ip"), text("dst_ip"), text("user"), text("process")
	a.SrcPort, a.DstPort = a.PortOf("src_port", text("src_port")), a.PortOf("dst_port", text("dst_port"))
	if a.Rule == "" {
		a.Rule = alert.FirstOf(a.RuleID, a.Summary)
	}

	a.SeverityRaw = text("severity")
	a.Severity = alert.DefaultSeverity
	if sev, ok := c.severity[strings.ToLower(a.SeverityRaw)]; ok {
		a.Severity = sev
	} else if sev, ok := alert.SeverityText(a.SeverityRaw); ok {
		a.Severity = sev
	} else if a.SeverityRaw != "" {
		a.Problem("severity %q is not in the mapping's severity_values nor a severity word; %s assumed", a.SeverityRaw, string(alert.DefaultSeverity))
	}
	if c.resolved[strings.ToLower(text("status"))] {
		a.Status = alert.StatusResolved
	}
	if cat := text("category"); cat != "" {
		if k, ok := alert.CategoryOf(cat); ok {
			a.Category = k
		}
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"observed_at", &a.ObservedAt}, {"ends_at", &a.EndsAt}} {
		p, ok := c.fields[f.name]
		if !ok {
			continue
		}
		if x, ok := p.lookup(v); ok && x != nil {
			if t, ok := timeOf(x); ok {
				*f.dst = t
			} else {
				a.Problem("%s %q is neither an ISO 8601 time with a zone nor seconds since 1970", f.name, scalar(x))
			}
		}
	}
	if p, ok := c.fields["techniques"]; ok {
		x, _ := p.lookup(v)
		a.Techniques = texts(x)
	}
	for _, o := range c.observables {
		x, _ := o.path.lookup(v)
		for _, s := range texts(x) {
			a.Observables = append(a.Observables, alert.Observable{Kind: o.kind, Value: s})
		}
	}
	a.Labels = collect(c.labels, v)
	a.Annotations = collect(c.annotations, v)
	return a
}

// collect copies the values the named paths point at; an object is
// copied member by member (flattened with dotted names), under its name
// or, for "*", as it is.
func collect(names []named, v any) map[string]string {
	if len(names) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, n := range names {
		x, ok := n.path.lookup(v)
		if !ok || x == nil {
			continue
		}
		obj, isObj := x.(map[string]any)
		if !isObj {
			out[n.name] = scalar(x)
			continue
		}
		prefix := n.name + "."
		if n.name == "*" {
			prefix = ""
		}
		flatten(out, prefix, obj, 0)
	}
	return out
}

func flatten(out map[string]string, prefix string, obj map[string]any, depth int) {
	for k, x := range obj {
		if len(out) >= alert.MaxLabels {
			return
		}
		if sub, ok := x.(map[string]any); ok && depth < 8 {
			flatten(out, prefix+k+".", sub, depth+1)
			continue
		}
		if x != nil {
			out[prefix+k] = scalar(x)
		}
	}
}

// scalar is a value as text: strings as they are, numbers as written,
// true and false, arrays of scalars joined with commas; "" for null and
// for what is missing.
func scalar(x any) string {
	switch v := x.(type) {
	case string:
		return v
	case number:
		return string(v)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return strings.Join(texts(v), ",")
	case map[string]any:
		return "{…}"
	}
	return ""
}

// texts is a string, or an array's scalars, as a list.
func texts(x any) []string {
	switch v := x.(type) {
	case []any:
		var out []string
		for _, e := range v {
			if _, nested := e.([]any); nested {
				continue
			}
			if s := scalar(e); s != "" {
				out = append(out, s)
			}
		}
		return out
	case nil:
		return nil
	}
	if s := scalar(x); s != "" {
		return []string{s}
	}
	return nil
}

// timeOf reads an ISO 8601 time with a zone, or a number of seconds since
// 1970 (milliseconds, microseconds or nanoseconds when it is too large to
// be seconds: beyond the year 5000). Integers are scaled exactly.
func timeOf(x any) (time.Time, bool) {
	s := strings.TrimSpace(scalar(x))
	if t, err := alert.ParseTimestamp(s); err == nil {
		return t, true
	}
	const maxSeconds = 1e11
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
		for _, unit := range []time.Duration{time.Second, time.Millisecond, time.Microsecond, time.Nanosecond} {
			per := int64(time.Second / unit)
			if n/per < maxSeconds {
				return time.Unix(n/per, n%per*int64(unit)), true
			}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f >= maxSeconds || math.IsNaN(f) {
		return time.Time{}, false
	}
	whole := math.Floor(f)
	return time.Unix(int64(whole), int64((f-whole)*1e9)), true
}

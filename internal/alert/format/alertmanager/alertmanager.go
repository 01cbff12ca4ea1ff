// Package alertmanager reads the Prometheus Alertmanager webhook payload,
// version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
//
// A notification is for a group of alerts; every alert in it is tracked
// on its own, by its own fingerprint and status, because a group whose
// status is "firing" can hold alerts that have resolved (the group fires
// while any of its alerts does). truncatedAlerts, the number of alerts
// the sender left out because of max_alerts, is returned in
// Result.Truncated.
package alertmanager

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/format/internal/jsonrec"
)

// Parser reads Alertmanager webhook payloads. The zero value is ready to
// use.
type Parser struct{}

type webhook struct {
	Version         string           `json:"version"`
	GroupKey        string           `json:"groupKey"`
	TruncatedAlerts int              `json:"truncatedAlerts"`
	Status          string           `json:"status"`
	Alerts          []jsontext.Value `json:"alerts"`
}

type amAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// Parse reads one webhook notification (or, for replays, several: a JSON
// array or one per line). An alert that cannot be read is an error
// naming it ("/alerts/3/status"); the group's other alerts are still
// read.
func (Parser) Parse(payload []byte, meta alert.Meta) (alert.Result, error) {
	var res alert.Result
	e := alert.Errors{Format: "alertmanager"}
	res.Failed += jsonrec.Each(payload, &e, func(rec jsonrec.Record) {
		var w webhook
		if err := rec.Decode(&w); err != nil {
			res.Records++
			err.Report(&e, &res)
			return
		}
		if w.Version != "" && w.Version != "4" {
			res.Records++
			rec.Fail("/version", "webhook version %q; Rampart reads version 4", w.Version).Report(&e, &res)
			return
		}
		if w.Alerts == nil {
			res.Records++
			rec.Fail("/alerts", "no alerts: not an Alertmanager notification").Report(&e, &res)
			return
		}
		if res.Group == "" {
			res.Group = w.GroupKey
		}
		res.Truncated += w.TruncatedAlerts
		for i, v := range w.Alerts {
			res.Records++
			ptr := "/alerts/" + strconv.Itoa(i)
			var am amAlert
			if err := rec.DecodePart(ptr, v, &am); err != nil {
				err.Report(&e, &res)
				continue
			}
			a, field, msg := am.toAlert()
			if msg != "" {
				rec.Fail(ptr+"/"+field, "%s", msg).Report(&e, &res)
				continue
			}
			res.Add(a, meta)
		}
	})
	return res, e.Err()
}

// toAlert returns the alert, or the member that makes it unreadable and
// why.
func (am *amAlert) toAlert() (a alert.Alert, field, msg string) {
	status := alert.Status(am.Status)
	if status != alert.StatusFiring && status != alert.StatusResolved {
		return a, "status", "status " + strconv.Quote(am.Status) + " is neither firing nor resolved"
	}
	name := am.Labels["alertname"]
	a = alert.Alert{
		Format:              "alertmanager",
		Rule:                name,
		Status:              status,
		ExternalFingerprint: am.Fingerprint,
		URL:                 am.GeneratorURL,
		Labels:              am.Labels,
		Annotations:         am.Annotations,
		Summary:             summary(am.Annotations, name),
	}
	a.SeverityRaw = am.Labels["severity"]
	if sev, ok := alert.SeverityWord(a.SeverityRaw); ok {
		a.Severity = sev
	} else {
		a.Severity = alert.DefaultSeverity
	}
	if c := alert.Category(am.Labels["category"]); c.Valid() {
		a.Category = c
	}
	a.Hostname = target(am.Labels)
	if t, err := alert.ParseTimestamp(am.StartsAt); err == nil {
		a.ObservedAt = t
	} else {
		a.Problem("startsAt %q not understood; the receive time is used", am.StartsAt)
	}
	// A firing alert's endsAt is when Alertmanager would resolve it if
	// nobody repeated it, not an end: only a resolved alert has ended.
	if status == alert.StatusResolved {
		if t, err := alert.ParseTimestamp(am.EndsAt); err == nil && t.Year() > 1 {
			a.EndsAt = t
		} else {
			a.Problem("resolved without a readable endsAt (%q)", am.EndsAt)
		}
	}
	return a, "", ""
}

// summary is the annotation written for people, by the conventions of
// Prometheus alerting rules.
func summary(ann map[string]string, name string) string {
	for _, k := range []string{"summary", "description", "message"} {
		if v := strings.TrimSpace(ann[k]); v != "" {
			line, _, _ := strings.Cut(v, "\n")
			return line
		}
	}
	return name
}

// target is the host an alert is about: the first of the labels
// hostname, host, nodename, node and instance, without the port an
// instance label carries ("fs-01:9100") or the URL around it (a blackbox
// probe's "https://shop.example.org/health").
func target(labels map[string]string) string {
	for _, k := range []string{"hostname", "host", "nodename", "node", "instance"} {
		v := strings.TrimSpace(labels[k])
		if v == "" {
			continue
		}
		if strings.Contains(v, "://") {
			if u, err := url.Parse(v); err == nil && u.Hostname() != "" {
				return u.Hostname()
			}
		}
		if ap, err := netip.ParseAddrPort(v); err == nil {
			return ap.Addr().String()
		}
		if h, p, ok := strings.Cut(v, ":"); ok && !strings.Contains(p, ":") {
			if _, ok := alert.Port(p); ok {
				return h
			}
		}
		return v
	}
	return ""
}

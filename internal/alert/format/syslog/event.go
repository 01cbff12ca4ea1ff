package syslog

import (
	"strings"

	"github.com/rampart-itsm/rampart/internal/alert"
)

// applyEvent fills the alert from a CEF or LEEF record; what the record
// does not say keeps the syslog message's value (host, program, time,
// severity).
func (p *Parser) applyEvent(a *alert.Alert, ev *Event) {
	a.Labels["format"] = strings.ToLower(ev.Kind)
	a.Labels[strings.ToLower(ev.Kind)+"Version"] = ev.Version
	setLabel(a.Labels, "deviceVendor", ev.Vendor)
	setLabel(a.Labels, "deviceProduct", ev.Product)
	setLabel(a.Labels, "deviceVersion", ev.ProductVersion)
	a.RuleID = ev.EventID
	a.Rule = ev.EventID
	if ev.Name != "" {
		a.Rule = ev.Name
	}
	// Attributes describe one occurrence (times, ports, counts, the
	// message): annotations, so a fingerprint over labels still matches
	// repeats.
	if a.Annotations == nil {
		a.Annotations = map[string]string{}
	}
	delete(a.Annotations, "message")
	for _, at := range ev.Attributes {
		a.Annotations[at.Name] = at.Value
	}
	a.Summary = a.Rule
	if ev.Kind == "CEF" {
		p.applyCEF(a, ev)
	} else {
		p.applyLEEF(a, ev)
	}
	if a.Summary == "" {
		a.Summary = a.Rule
	}
}

// applyCEF maps the CEF dictionary's keys: src/dst and spt/dpt, suser and
// duser, sproc and dproc, dhost/dvchost, request (a URL), fileHash, cat,
// msg and rt/end/start.
func (p *Parser) applyCEF(a *alert.Alert, ev *Event) {
	attr := ev.Attr
	a.SeverityRaw = ev.Severity
	if sev, ok := alert.SeverityText(ev.Severity); ok {
		a.Severity = sev
	} else if !strings.EqualFold(strings.TrimSpace(ev.Severity), "unknown") {
		a.Problem("CEF severity %q is neither 0–10 nor Low, Medium, High, Very-High", ev.Severity)
	}
	if msg := attr("msg"); msg != "" {
		a.Summary = firstLine(msg)
	}
	a.SrcIP = alert.FirstOf(attr("src"), attr("c6a2"))
	a.DstIP = alert.FirstOf(attr("dst"), attr("c6a3"))
	a.SrcPort = a.PortOf("spt", attr("spt"))
	a.DstPort = a.PortOf("dpt", attr("dpt"))
	a.Hostname = alert.FirstOf(attr("dhost"), attr("dvchost"), a.Hostname)
	a.User = alert.FirstOf(attr("duser"), attr("suser"), a.User)
	a.Process = alert.FirstOf(attr("dproc"), attr("sproc"), a.Process)
	setLabel(a.Labels, "deviceExternalId", attr("deviceExternalId"))
	setLabel(a.Labels, "deviceEventCategory", attr("cat"))
	if c, ok := alert.CategoryOf(attr("cat")); ok {
		a.Category = c
	}
	for _, k := range []string{"rt", "end", "start"} {
		if v := attr(k); v != "" {
			if t, ok := eventTime(v, cefTimePatterns, p.loc); ok {
				a.ObservedAt = t
			} else {
				a.Problem("CEF %s %q not understood; the syslog time is used", k, v)
			}
			break
		}
	}
	observe(a, alert.ObservableDomain, attr("shost"), attr("dhost"))
	observe(a, alert.ObservableURL, attr("request"))
	observe(a, alert.ObservableHash, attr("fileHash"), attr("oldFileHash"))
	observeUsers(a, attr("suser"), attr("duser"))
}

// applyLEEF maps LEEF's predefined attributes: src/dst, srcPort/dstPort,
// usrName (and accountName), sev (1–10), cat, identHostName, url and
// devTime read with devTimeFormat.
func (p *Parser) applyLEEF(a *alert.Alert, ev *Event) {
	attr := ev.Attr
	if sev := attr("sev"); sev != "" {
		a.SeverityRaw = sev
		if s, ok := alert.SeverityText(sev); ok {
			a.Severity = s
		} else {
			a.Problem("LEEF sev %q is neither 1–10 nor a severity word", sev)
		}
	}
	a.Summary = alert.FirstOf(attr("msg"), attr("message"), attr("name"), attr("desc"), ev.EventID)
	a.SrcIP = alert.FirstOf(attr("src"), attr("srcPreNAT"))
	a.DstIP = alert.FirstOf(attr("dst"), attr("dstPreNAT"))
	a.SrcPort = a.PortOf("srcPort", attr("srcPort"))
	a.DstPort = a.PortOf("dstPort", attr("dstPort"))
	a.Hostname = alert.FirstOf(attr("identHostName"), attr("dstHost"), a.Hostname)
	a.User = alert.FirstOf(attr("usrName"), attr("accountName"), a.User)
	setLabel(a.Labels, "deviceEventCategory", attr("cat"))
	if c, ok := alert.CategoryOf(attr("cat")); ok {
		a.Category = c
	}
	if v := attr("devTime"); v != "" {
		pattern := alert.FirstOf(attr("devTimeFormat"), leefDefaultPattern)
		if t, ok := eventTime(v, []string{pattern}, p.loc); ok {
			a.ObservedAt = t
		} else {
			a.Problem("LEEF devTime %q does not match devTimeFormat %q; the syslog time is used", v, pattern)
		}
	}
	observe(a, alert.ObservableURL, attr("url"))
	observe(a, alert.ObservableDomain, attr("identHostName"))
	observeUsers(a, attr("usrName"), attr("accountName"))
}

// observeUsers records user names as user accounts, or e-mail addresses
// when they are ones (CEF puts recipients in duser).
func observeUsers(a *alert.Alert, users ...string) {
	for _, u := range users {
		if _, ok := alert.NormalizeObservable(alert.ObservableEmail, u); ok {
			observe(a, alert.ObservableEmail, u)
		} else {
			observe(a, alert.ObservableUser, u)
		}
	}
}

func observe(a *alert.Alert, kind alert.ObservableKind, values ...string) {
	for _, v := range values {
		if _, ok := alert.NormalizeObservable(kind, v); ok {
			a.Observables = append(a.Observables, alert.Observable{Kind: kind, Value: v})
		}
	}
}

func setLabel(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}

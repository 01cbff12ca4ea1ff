// Package suricata reads Suricata EVE JSON (eve.json): HTTP batches (one
// JSON array, or one event per line) and whole files. Only events with
// event_type "alert" become alerts; every other event (flow, dns, tls,
// stats …) is returned as an alert.Other, for the source's configuration
// to store or skip.
package suricata

import (
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/format/internal/jsonrec"
)

// Parser reads EVE JSON payloads. The zero value is ready to use.
type Parser struct{}

// event is what Rampart reads of one EVE record
// (https://docs.suricata.io/en/latest/output/eve/eve-json-format.html).
type event struct {
	Timestamp   string       `json:"timestamp"`
	EventType   string       `json:"event_type"`
	FlowID      jsonrec.Text `json:"flow_id"`
	InIface     string       `json:"in_iface"`
	SrcIP       string       `json:"src_ip"`
	SrcPort     int          `json:"src_port"`
	DestIP      string       `json:"dest_ip"`
	DestPort    int          `json:"dest_port"`
	Proto       jsonrec.Text `json:"proto"`
	AppProto    string       `json:"app_proto"`
	Host        string       `json:"host"` // the sensor's name, when suricata.yaml sets one
	CommunityID string       `json:"community_id"`
	Direction   string       `json:"direction"`
	Alert       *struct {
		Action      string                     `json:"action"`
		GID         int64                      `json:"gid"`
		SignatureID int64                      `json:"signature_id"`
		Rev         int64                      `json:"rev"`
		Signature   string                     `json:"signature"`
		Category    string                     `json:"category"`
		Severity    jsonrec.Text               `json:"severity"`
		Metadata    map[string]jsonrec.Strings `json:"metadata"`
	} `json:"alert"`
	HTTP *struct {
		Hostname  string `json:"hostname"`
		URL       string `json:"url"`
		UserAgent string `json:"http_user_agent"`
		Method    string `json:"http_method"`
	} `json:"http"`
	TLS *struct {
		SNI string `json:"sni"`
	} `json:"tls"`
	DNS *struct {
		RRName  string  `json:"rrname"`
		Query   []rrRef `json:"query"`
		Queries []rrRef `json:"queries"`
	} `json:"dns"`
	Fileinfo *struct {
		Filename string `json:"filename"`
		MD5      string `json:"md5"`
		SHA1     string `json:"sha1"`
		SHA256   string `json:"sha256"`
	} `json:"fileinfo"`
	SMTP *struct {
		MailFrom string          `json:"mail_from"`
		RcptTo   jsonrec.Strings `json:"rcpt_to"`
	} `json:"smtp"`
	Email *struct {
		From jsonrec.Strings `json:"from"`
		To   jsonrec.Strings `json:"to"`
	} `json:"email"`
}

type rrRef struct {
	RRName string `json:"rrname"`
}

// Parse reads an EVE payload: a JSON array of events, one event per line,
// or a single event. A line that cannot be read (a truncated last line
// included) is an error naming the line; the other lines are still read.
func (Parser) Parse(payload []byte, meta alert.Meta) (alert.Result, error) {
	var res alert.Result
	e := alert.Errors{Format: "suricata"}
	res.Failed += jsonrec.Each(payload, &e, func(rec jsonrec.Record) {
		res.Records++
		var ev event
		if err := rec.Decode(&ev); err != nil {
			err.Report(&e, &res)
			return
		}
		switch {
		case ev.EventType == "":
			rec.Fail("/event_type", "no event_type: not an EVE event").Report(&e, &res)
		case ev.EventType != "alert":
			res.Others = append(res.Others, alert.Other{Where: rec.Where(), Type: ev.EventType, Raw: rec.Raw})
		case ev.Alert == nil:
			rec.Fail("/alert", "an alert event without its alert object").Report(&e, &res)
		default:
			res.Add(ev.toAlert(), meta)
		}
	})
	return res, e.Err()
}

func (ev *event) toAlert() alert.Alert {
	al := ev.Alert
	a := alert.Alert{
		Format:  "suricata",
		Rule:    al.Signature,
		RuleID:  strconv.FormatInt(al.GID, 10) + ":" + strconv.FormatInt(al.SignatureID, 10),
		SrcIP:   ev.SrcIP,
		DstIP:   ev.DestIP,
		SrcPort: ev.SrcPort,
		DstPort: ev.DestPort,
		Labels: map[string]string{
			"gid": strconv.FormatInt(al.GID, 10),
			"sid": strconv.FormatInt(al.SignatureID, 10),
			"rev": strconv.FormatInt(al.Rev, 10),
		},
	}
	a.Severity, a.SeverityRaw = severity(string(al.Severity))
	if c, ok := categories[strings.ToLower(strings.TrimSpace(al.Category))]; ok {
		a.Category = c
	}
	if t, err := alert.ParseTimestamp(ev.Timestamp); err == nil {
		a.ObservedAt = t
	} else {
		a.Problem("timestamp %q not understood; the receive time is used", ev.Timestamp)
	}
	for _, l := range [...]struct{ k, v string }{
		{"action", al.Action}, {"category", al.Category}, {"proto", string(ev.Proto)}, {"app_proto", ev.AppProto},
		{"in_iface", ev.InIface}, {"flow_id", string(ev.FlowID)}, {"host", ev.Host},
		{"community_id", ev.CommunityID}, {"direction", ev.Direction},
	} {
		if l.v != "" {
			a.Labels[l.k] = l.v
		}
	}
	for k, v := range al.Metadata {
		a.Labels["metadata."+k] = strings.Join(v, ",")
	}
	a.Observables = ev.observables()
	return a
}

// observables are the names, URLs, hashes and mail addresses the event's
// protocol records carry; the addresses come with the alert itself.
func (ev *event) observables() []alert.Observable {
	var out []alert.Observable
	add := func(kind alert.ObservableKind, v string) {
		if v != "" {
			out = append(out, alert.Observable{Kind: kind, Value: v})
		}
	}
	if h := ev.HTTP; h != nil {
		add(alert.ObservableDomain, h.Hostname)
		if h.Hostname != "" && strings.HasPrefix(h.URL, "/") {
			add(alert.ObservableURL, "http://"+h.Hostname+h.URL)
		} else if strings.Contains(h.URL, "://") {
			add(alert.ObservableURL, h.URL)
		}
	}
	if ev.TLS != nil {
		add(alert.ObservableDomain, ev.TLS.SNI)
	}
	if d := ev.DNS; d != nil {
		add(alert.ObservableDomain, d.RRName)
		for _, q := range append(d.Query, d.Queries...) {
			add(alert.ObservableDomain, q.RRName)
		}
	}
	if f := ev.Fileinfo; f != nil {
		add(alert.ObservableHash, f.MD5)
		add(alert.ObservableHash, f.SHA1)
		add(alert.ObservableHash, f.SHA256)
	}
	if m := ev.SMTP; m != nil {
		add(alert.ObservableEmail, mailAddress(m.MailFrom))
		for _, to := range m.RcptTo {
			add(alert.ObservableEmail, mailAddress(to))
		}
	}
	if m := ev.Email; m != nil {
		for _, a := range append(m.From, m.To...) {
			add(alert.ObservableEmail, mailAddress(a))
		}
	}
	return out
}

// mailAddress takes the address out of "Name <a@example.org>" and
// "<a@example.org>".
func mailAddress(s string) string {
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		s = s[i+1:]
		if j := strings.IndexByte(s, '>'); j >= 0 {
			s = s[:j]
		}
	}
	return strings.TrimSpace(s)
}

// severity maps alert.severity, Suricata's classification priority where 1
// is the most severe: 1 high, 2 medium, 3 low, 4 and above info.
func severity(raw string) (alert.Severity, string) {
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil || n < 1:
		return alert.DefaultSeverity, raw
	case n == 1:
		return alert.SeverityHigh, raw
	case n == 2:
		return alert.SeverityMedium, raw
	case n == 3:
		return alert.SeverityLow, raw
	}
	return alert.SeverityInfo, raw
}

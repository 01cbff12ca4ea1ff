// Package wazuh reads Wazuh alerts as the manager writes them to
// alerts.json (one alert per line) and as an integration posts them (one
// alert, or a JSON array). The record layout follows the Wazuh
// documentation's example alerts ("Detect an SSH brute-force attack",
// https://documentation.wazuh.com/current/learning-wazuh/ssh-brute-force.html,
// and "File integrity monitoring",
// https://documentation.wazuh.com/4.4/getting-started/use-cases/file-integrity.html);
// rule levels follow "Rules classification",
// https://documentation.wazuh.com/current/user-manual/ruleset/rules/rules-classification.html.
package wazuh

import (
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/format/internal/jsonrec"
)

// Parser reads Wazuh alert JSON. The zero value is ready to use.
type Parser struct{}

type record struct {
	Timestamp string `json:"timestamp"`
	ID        string `json:"id"`
	Rule      *struct {
		Level       jsonrec.Text    `json:"level"`
		Description string          `json:"description"`
		ID          jsonrec.Text    `json:"id"`
		Groups      jsonrec.Strings `json:"groups"`
		Firedtimes  jsonrec.Text    `json:"firedtimes"`
		Mitre       struct {
			ID        jsonrec.Strings `json:"id"`
			Tactic    jsonrec.Strings `json:"tactic"`
			Technique jsonrec.Strings `json:"technique"`
		} `json:"mitre"`
	} `json:"rule"`
	Agent struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		IP   string `json:"ip"`
	} `json:"agent"`
	Manager struct {
		Name string `json:"name"`
	} `json:"manager"`
	Cluster struct {
		Name string `json:"name"`
		Node string `json:"node"`
	} `json:"cluster"`
	Decoder struct {
		Name   string `json:"name"`
		Parent string `json:"parent"`
	} `json:"decoder"`
	Predecoder struct {
		Hostname    string `json:"hostname"`
		ProgramName string `json:"program_name"`
	} `json:"predecoder"`
	FullLog  string       `json:"full_log"`
	Location string       `json:"location"`
	Data     jsonrec.Flat `json:"data"`
	Syscheck *struct {
		Path        string `json:"path"`
		Event       string `json:"event"`
		MD5After    string `json:"md5_after"`
		SHA1After   string `json:"sha1_after"`
		SHA256After string `json:"sha256_after"`
		UnameAfter  string `json:"uname_after"`
		Diff        string `json:"diff"`
		Audit       struct {
			User struct {
				Name string `json:"name"`
			} `json:"user"`
			Process struct {
				Name string `json:"name"`
			} `json:"process"`
		} `json:"audit"`
	} `json:"syscheck"`
}

// Parse reads one alert, a JSON array of alerts, or alerts.json lines.
func (Parser) Parse(payload []byte, meta alert.Meta) (alert.Result, error) {
	var res alert.Result
	e := alert.Errors{Format: "wazuh"}
	res.Failed += jsonrec.Each(payload, &e, func(rec jsonrec.Record) {
		res.Records++
		var r record
		if err := rec.Decode(&r); err != nil {
			err.Report(&e, &res)
			return
		}
		if r.Rule == nil {
			rec.Fail("/rule", "no rule: not a Wazuh alert").Report(&e, &res)
			return
		}
		a, err := r.toAlert()
		if err != "" {
			rec.Fail("/rule/level", "%s", err).Report(&e, &res)
			return
		}
		res.Add(a, meta)
	})
	return res, e.Err()
}

func (r *record) toAlert() (alert.Alert, string) {
	level, err := strconv.Atoi(string(r.Rule.Level))
	if err != nil || level < 0 || level > 16 {
		return alert.Alert{}, "rule.level " + strconv.Quote(string(r.Rule.Level)) + " is not a level from 0 to 16"
	}
	a := alert.Alert{
		Format:      "wazuh",
		Rule:        r.Rule.Description,
		RuleID:      string(r.Rule.ID),
		Severity:    severity(level),
		SeverityRaw: string(r.Rule.Level),
		Hostname:    r.Agent.Name,
		SrcIP:       alert.FirstOf(r.Data["srcip"], notDash(r.Data["win.eventdata.ipAddress"])),
		DstIP:       r.Data["dstip"],
		User: alert.FirstOf(r.Data["srcuser"], r.Data["dstuser"], r.Data["user"],
			notDash(r.Data["win.eventdata.targetUserName"]), notDash(r.Data["win.eventdata.subjectUserName"])),
		Process:     r.Predecoder.ProgramName,
		Techniques:  r.Rule.Mitre.ID,
		Labels:      map[string]string{},
		Annotations: map[string]string{},
	}
	// Agent 000 is the manager itself: what it reports for others (syslog
	// from network devices) names the device in the log line.
	if r.Agent.ID == "000" && r.Predecoder.Hostname != "" {
		a.Hostname = r.Predecoder.Hostname
	}
	if t, err := alert.ParseTimestamp(r.Timestamp); err == nil {
		a.ObservedAt = t
	} else {
		a.Problem("timestamp %q not understood; the receive time is used", r.Timestamp)
	}
	a.SrcPort = a.PortOf("data.srcport", r.Data["srcport"])
	a.DstPort = a.PortOf("data.dstport", r.Data["dstport"])
	if s := r.Syscheck; s != nil {
		a.User = alert.FirstOf(a.User, s.Audit.User.Name, s.UnameAfter)
		a.Process = alert.FirstOf(a.Process, s.Audit.Process.Name)
		for _, h := range []string{s.MD5After, s.SHA1After, s.SHA256After} {
			if h != "" {
				a.Observables = append(a.Observables, alert.Observable{Kind: alert.ObservableHash, Value: h})
			}
		}
		setAll(a.Annotations, "syscheck.", [][2]string{{"path", s.Path}, {"event", s.Event}, {"diff", s.Diff}})
	}
	for _, u := range []string{r.Data["srcuser"], r.Data["dstuser"], a.User} {
		if u != "" {
			a.Observables = append(a.Observables, alert.Observable{Kind: alert.ObservableUser, Value: u})
		}
	}
	if u := r.Data["url"]; strings.Contains(u, "://") {
		a.Observables = append(a.Observables, alert.Observable{Kind: alert.ObservableURL, Value: u})
	}
	if level >= categoryLevel {
		a.Category = category(r.Rule.Groups, r.Rule.Mitre.Tactic, r.Rule.Mitre.ID)
	}

	setAll(a.Labels, "", [][2]string{
		{"agent.id", r.Agent.ID}, {"agent.name", r.Agent.Name}, {"agent.ip", r.Agent.IP},
		{"manager.name", r.Manager.Name}, {"cluster.name", r.Cluster.Name}, {"cluster.node", r.Cluster.Node},
		{"decoder.name", r.Decoder.Name}, {"decoder.parent", r.Decoder.Parent}, {"location", r.Location},
		{"rule.groups", strings.Join(r.Rule.Groups, ",")}, {"rule.mitre.tactic", strings.Join(r.Rule.Mitre.Tactic, ",")},
		{"rule.mitre.technique", strings.Join(r.Rule.Mitre.Technique, ",")},
	})
	// What changes with every occurrence describes it: annotations, not
	// labels, so a fingerprint over labels still finds the repeats.
	setAll(a.Annotations, "", [][2]string{{"id", r.ID}, {"full_log", r.FullLog}, {"rule.firedtimes", string(r.Rule.Firedtimes)}})
	for k, v := range r.Data {
		a.Annotations["data."+k] = v
	}
	return a, ""
}

// categoryLevel: below it, the rules classification says an event has no
// security relevance by itself (5 "user generated error", 6 "low
// relevance attack"), so it opens no security incident whatever its
// groups say.
const categoryLevel = 7

// severity maps rule.level in the bands of the Wazuh dashboard (low 0–6,
// medium 7–11, high 12–14, critical 15), with the levels the
// classification calls notifications and successful events (0–3) as
// info.
func severity(level int) alert.Severity {
	switch {
	case level <= 3:
		return alert.SeverityInfo
	case level <= 6:
		return alert.SeverityLow
	case level <= 11:
		return alert.SeverityMedium
	case level <= 14:
		return alert.SeverityHigh
	}
	return alert.SeverityCritical
}

// groupCategories maps rule groups of the Wazuh ruleset onto security
// categories; the first group of an alert found here decides.
var groupCategories = map[string]alert.Category{
	"virus":                   alert.CategoryMalware,
	"malware":                 alert.CategoryMalware,
	"trojan":                  alert.CategoryMalware,
	"rootkit":                 alert.CategoryMalware,
	"virustotal":              alert.CategoryMalware,
	"yara":                    alert.CategoryMalware,
	"attack":                  alert.CategoryVulnerabilityExploitation,
	"exploit_attempt":         alert.CategoryVulnerabilityExploitation,
	"sql_injection":           alert.CategoryVulnerabilityExploitation,
	"web_attack":              alert.CategoryVulnerabilityExploitation,
	"authentication_failures": alert.CategoryUnauthorisedAccess,
	"brute_force":             alert.CategoryUnauthorisedAccess,
	"privilege_escalation":    alert.CategoryUnauthorisedAccess,
	"policy_violation":        alert.CategoryPolicyViolation,
	"data_exfiltration":       alert.CategoryDataExfiltration,
	"dos":                     alert.CategoryDenialOfService,
}

// category decides from the rule's groups, then its MITRE ATT&CK tactics
// and techniques.
func category(groups, tactics, techniques []string) alert.Category {
	for _, g := range groups {
		if c, ok := groupCategories[strings.ToLower(g)]; ok {
			return c
		}
	}
	for _, t := range techniques {
		if strings.HasPrefix(strings.ToUpper(t), "T1566") { // Phishing
			return alert.CategoryPhishing
		}
		if strings.HasPrefix(t, "T1498") || strings.HasPrefix(t, "T1499") { // network and endpoint denial of service
			return alert.CategoryDenialOfService
		}
	}
	for _, t := range tactics {
		switch strings.ToLower(t) {
		case "exfiltration":
			return alert.CategoryDataExfiltration
		case "credential access":
			return alert.CategoryCredentialCompromise
		case "privilege escalation":
			return alert.CategoryUnauthorisedAccess
		case "command and control":
			return alert.CategoryMalware
		}
	}
	return ""
}

// notDash: Windows writes "-" for an address or user it does not have.
func notDash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func setAll(m map[string]string, prefix string, pairs [][2]string) {
	for _, p := range pairs {
		if p[1] != "" {
			m[prefix+p[0]] = p[1]
		}
	}
}

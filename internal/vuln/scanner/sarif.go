package scanner

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// The subset of SARIF 2.1.0 (OASIS Static Analysis Results Interchange
// Format Version 2.1.0, 27 March 2020) the import reads. Section numbers in
// comments are that standard's.

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	FullDescription      sarifMessage `json:"fullDescription"`
	Help                 sarifMessage `json:"help"`
	HelpURI              string       `json:"helpUri"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
	Properties    sarifProperties `json:"properties"`
	Relationships []struct {
		Target struct {
			ID            string `json:"id"`
			ToolComponent struct {
				Name string `json:"name"`
			} `json:"toolComponent"`
		} `json:"target"`
	} `json:"relationships"`
}

type sarifProperties struct {
	SecuritySeverity flexString `json:"security-severity"`
	Tags             []string   `json:"tags"`
	CWE              stringList `json:"cwe"` // njsscan and others put CWE text here
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version"`
	SemanticVersion string      `json:"semanticVersion"`
	Rules           []sarifRule `json:"rules"`
}

type sarifTool struct {
	Driver     sarifDriver   `json:"driver"`
	Extensions []sarifDriver `json:"extensions"`
}

type sarifRuleRef struct {
	ID    string `json:"id"`
	Index *int   `json:"index"`
}

type sarifInvocation struct {
	RuleConfigurationOverrides []struct {
		Descriptor    sarifRuleRef `json:"descriptor"`
		Configuration struct {
			Level string `json:"level"`
		} `json:"configuration"`
	} `json:"ruleConfigurationOverrides"`
}

type sarifResult struct {
	RuleID    string       `json:"ruleId"`
	RuleIndex *int         `json:"ruleIndex"`
	Rule      sarifRuleRef `json:"rule"`
	Kind      string       `json:"kind"`
	Level     string       `json:"level"`
	Message   sarifMessage `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine   int `json:"startLine"`
				StartColumn int `json:"startColumn"`
				EndLine     int `json:"endLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	Suppressions []struct {
		Status string `json:"status"`
	} `json:"suppressions"`
	BaselineState string `json:"baselineState"`
	Provenance    struct {
		InvocationIndex *int `json:"invocationIndex"`
	} `json:"provenance"`
	Properties sarifProperties `json:"properties"`
}

// ParseSARIF reads a SARIF 2.1.0 log (gosec, Semgrep, CodeQL and most
// static analysers write it). Each result of kind "fail" (the default)
// becomes a code finding; results that passed, do not apply, are
// suppressed or are baselined as absent are skipped and counted. A result's
// level follows §3.27.10: result.level, else the level the invocation's
// rule configuration override gives, else the rule's
// defaultConfiguration.level, else "warning". Its severity comes from the
// GitHub convention properties["security-severity"] (a CVSS-like score, on
// the result or its rule) when given, else from the level: error high,
// warning medium, note low, none info. The target is the run's first
// versionControlProvenance repository, else Options.Target. Errors: see
// Parse.
func ParseSARIF(r io.Reader, opt Options, sink Sink) (Report, error) {
	rep := Report{Format: "sarif", Scanner: "sarif"}
	em := newEmitter(&rep, opt, sink)
	// A run's results need its tool (rules), invocations (overrides) and
	// versionControlProvenance (target), which may come after the results.
	// From a file, a first pass reads those and skips the results, so the
	// second can stream them; from a stream, each run's results are held
	// until the run ends.
	var runs []*sarifRunState
	if rs, origin, ok := seekable(r); ok {
		var err error
		if runs, err = sarifLog(newJSONReader("SARIF", rs), em, nil, false); err != nil {
			return finish(rep, err)
		}
		if _, err := rs.Seek(origin, io.SeekStart); err != nil {
			return finish(rep, fmt.Errorf("reading SARIF report: %w", err))
		}
		rep.FormatVersion = ""
	}
	_, err := sarifLog(newJSONReader("SARIF", r), em, runs, true)
	return finish(rep, err)
}

// seekable returns r as a ReadSeeker with its current offset, when it is one.
func seekable(r io.Reader) (io.ReadSeeker, int64, bool) {
	rs, ok := r.(io.ReadSeeker)
	if !ok {
		return nil, 0, false
	}
	off, err := rs.Seek(0, io.SeekCurrent)
	return rs, off, err == nil
}

// sarifLog reads the log once. Without results it only collects each run's
// state; with results it emits them, using known (from a first pass) when
// given.
func sarifLog(j *jsonReader, em *emitter, known []*sarifRunState, results bool) ([]*sarifRunState, error) {
	rep := em.rep
	haveRuns := false
	var runs []*sarifRunState
	err := j.object("a SARIF log (a JSON object with \"version\" and \"runs\")", func(name string) error {
		if other := foreignKey(name); other != "" && other != "SARIF" {
			return j.errorf("this is not a SARIF log: %q is a member of %s reports", name, other)
		}
		switch name {
		case "version":
			if err := j.decode(&rep.FormatVersion); err != nil {
				return err
			}
			if rep.FormatVersion != "2.1.0" {
				return j.errorf("SARIF version %q; only 2.1.0 is read", rep.FormatVersion)
			}
			return nil
		case "runs":
			haveRuns = true
			return j.array("the list of runs", func() error {
				var st *sarifRunState
				if len(runs) < len(known) {
					st = known[len(runs)]
				}
				st, err := sarifRun(j, em, st, results)
				runs = append(runs, st)
				return err
			})
		}
		return j.skip()
	})
	if err == nil {
		err = j.end()
	}
	if err == nil && (!haveRuns || rep.FormatVersion == "") {
		err = fileError("SARIF", "/", "a SARIF 2.1.0 log needs \"version\": \"2.1.0\" and \"runs\"")
	}
	return runs, err
}

// sarifRunState is what a run's results need from the rest of the run.
type sarifRunState struct {
	em          *emitter
	tool        *sarifTool
	rulesByID   map[string]*sarifRule
	invocations []sarifInvocation
	target      vuln.Target
	// scanner and scannerVersion name the run's tool.
	scanner, scannerVersion string
}

// sarifRun reads one run. known is the run's state from a first pass, or
// nil; without results, results are skipped.
func sarifRun(j *jsonReader, em *emitter, known *sarifRunState, results bool) (*sarifRunState, error) {
	st := known
	if st == nil {
		st = &sarifRunState{em: em}
	}
	var held []jsontext.Value
	err := j.object("a run", func(name string) error {
		if known != nil && name != "results" {
			return j.skip()
		}
		switch name {
		case "tool":
			var t sarifTool
			if err := j.decode(&t); err != nil {
				return err
			}
			st.setTool(&t)
			return nil
		case "invocations":
			return j.decode(&st.invocations)
		case "versionControlProvenance":
			var vcp []struct {
				RepositoryURI string `json:"repositoryUri"`
			}
			if err := j.decode(&vcp); err != nil {
				return err
			}
			if len(vcp) > 0 && vcp[0].RepositoryURI != "" {
				st.target = vuln.Target{Kind: vuln.TargetRepository, Name: vcp[0].RepositoryURI, Repository: vcp[0].RepositoryURI}
			}
			return nil
		case "results":
			switch {
			case !results:
				return j.skip()
			case known != nil:
				return j.array("the list of results", func() error { return st.result(j) })
			}
			raw, err := j.hold()
			held = append(held, raw)
			return err
		}
		return j.skip()
	})
	if err != nil {
		return st, err
	}
	if st.tool == nil {
		return st, j.errorf("a run without \"tool\"")
	}
	st.em.rep.Scanner, st.em.rep.ScannerVersion = st.scanner, st.scannerVersion
	for _, raw := range held {
		hj := j.replay(raw)
		if err := hj.array("the list of results", func() error { return st.result(hj) }); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (st *sarifRunState) setTool(t *sarifTool) {
	st.tool = t
	st.rulesByID = make(map[string]*sarifRule, len(t.Driver.Rules))
	for _, ext := range append([]sarifDriver{t.Driver}, t.Extensions...) {
		for i := range ext.Rules {
			if _, dup := st.rulesByID[ext.Rules[i].ID]; !dup {
				st.rulesByID[ext.Rules[i].ID] = &ext.Rules[i]
			}
		}
	}
	st.scanner = strings.ToLower(strings.TrimSpace(t.Driver.Name))
	if st.scanner == "" {
		st.scanner = "sarif" // the driver's name is required (§3.19.8), but not always given
	}
	st.scannerVersion = firstOf(t.Driver.SemanticVersion, t.Driver.Version)
}

// rule finds the result's rule (§3.27.7): by index into the driver's rules
// when given, else by id.
func (st *sarifRunState) rule(res *sarifResult) (*sarifRule, int) {
	idx := res.RuleIndex
	if idx == nil {
		idx = res.Rule.Index
	}
	rules := st.tool.Driver.Rules
	if idx != nil && *idx >= 0 && *idx < len(rules) {
		return &rules[*idx], *idx
	}
	id := firstOf(res.RuleID, res.Rule.ID)
	if r, ok := st.rulesByID[id]; ok {
		return r, -1
	}
	// A hierarchical id ("CA1000/sub") falls back to its first component
	// (§3.27.5).
	if base, _, ok := strings.Cut(id, "/"); ok {
		if r, ok := st.rulesByID[base]; ok {
			return r, -1
		}
	}
	return nil, -1
}

func (st *sarifRunState) result(j *jsonReader) error {
	var res sarifResult
	if err := j.decode(&res); err != nil {
		return err
	}
	switch {
	case res.Kind != "" && res.Kind != "fail" && res.Kind != "open" && res.Kind != "review" && res.Kind != "informational":
		st.em.skip("result " + res.Kind) // pass, notApplicable
		return nil
	case suppressed(&res):
		st.em.skip("suppressed")
		return nil
	case res.BaselineState == "absent":
		st.em.skip("baseline absent")
		return nil
	}
	rule, _ := st.rule(&res)
	f := vuln.Finding{Scanner: st.scanner, Target: st.target, Kind: vuln.KindCode,
		Identifier: firstOf(res.RuleID, res.Rule.ID)}
	if f.Identifier == "" && rule != nil {
		f.Identifier = rule.ID
	}
	if len(res.Locations) > 0 {
		pl := res.Locations[0].PhysicalLocation
		f.Path = sarifPath(pl.ArtifactLocation.URI)
		f.Line, f.Column, f.EndLine = pl.Region.StartLine, pl.Region.StartColumn, pl.Region.EndLine
	}
	level := st.level(&res, rule)
	f.Severity, f.VendorSeverity = sarifSeverity(level, res.Properties.SecuritySeverity, rule)
	f.Description = firstOf(res.Message.Text, res.Message.Markdown)
	f.CWEs = cwes(res.Properties)
	if rule != nil {
		f.Title = firstLine(firstOf(rule.ShortDescription.Text, rule.Name, rule.ID))
		if full := rule.FullDescription.Text; full != "" && full != f.Description && full != f.Title {
			f.Description = strings.TrimSpace(f.Description + "\n\n" + full)
		}
		f.Solution = rule.Help.Text
		if rule.HelpURI != "" {
			f.References = []string{rule.HelpURI}
		}
		f.CWEs = append(f.CWEs, cwes(rule.Properties)...)
		for _, rel := range rule.Relationships {
			// A relationship to the CWE taxonomy (gosec): its id is the
			// CWE number.
			if strings.EqualFold(rel.Target.ToolComponent.Name, "CWE") {
				if n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(rel.Target.ID), "CWE-")); err == nil {
					f.CWEs = append(f.CWEs, "CWE-"+strconv.Itoa(n))
				}
			}
		}
	}
	if f.Title == "" {
		f.Title = firstLine(f.Description)
	}
	return st.em.emit(f)
}

// level is the result's level by §3.27.10.
func (st *sarifRunState) level(res *sarifResult, rule *sarifRule) string {
	if res.Kind != "" && res.Kind != "fail" {
		return "none" // any other kind has level none
	}
	if res.Level != "" {
		return res.Level
	}
	if rule == nil {
		return "warning"
	}
	if inv := res.Provenance.InvocationIndex; inv != nil && *inv >= 0 && *inv < len(st.invocations) {
		for _, o := range st.invocations[*inv].RuleConfigurationOverrides {
			d := o.Descriptor
			if (d.ID != "" && d.ID == rule.ID) || (d.Index != nil && *d.Index >= 0 && *d.Index < len(st.tool.Driver.Rules) && &st.tool.Driver.Rules[*d.Index] == rule) {
				if o.Configuration.Level != "" {
					return o.Configuration.Level
				}
			}
		}
	}
	if rule.DefaultConfiguration.Level != "" {
		return rule.DefaultConfiguration.Level
	}
	return "warning"
}

func sarifSeverity(level string, resultScore flexString, rule *sarifRule) (vuln.Severity, string) {
	score := string(resultScore)
	if score == "" && rule != nil {
		score = string(rule.Properties.SecuritySeverity)
	}
	if v, ok := vuln.ParseScore(score); ok {
		return vuln.SeverityFromScore(v), score
	}
	switch level {
	case "error":
		return vuln.SeverityHigh, level
	case "warning":
		return vuln.SeverityMedium, level
	case "note":
		return vuln.SeverityLow, level
	}
	return vuln.SeverityInfo, level
}

func suppressed(res *sarifResult) bool {
	for _, s := range res.Suppressions {
		// A suppression without status is in force (§3.34.3); one under
		// review or rejected is not.
		if s.Status == "" || s.Status == "accepted" {
			return true
		}
	}
	return false
}

// sarifPath makes an artifact URI a path: "file:///src/index.js" →
// "/src/index.js"; relative URIs stay relative.
func sarifPath(uri string) string {
	p := strings.TrimPrefix(uri, "file://")
	if strings.Contains(p, "%") {
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
	}
	return p
}

var cweRE = regexp.MustCompile(`(?i)\bcwe[-_/ ]?0*(\d{1,5})\b`)

// cwes finds CWE ids in rule tags ("CWE-79", CodeQL's
// "external/cwe/cwe-079") and in a "cwe" property.
func cwes(p sarifProperties) []string {
	var out []string
	for _, s := range append(append([]string(nil), p.Tags...), p.CWE...) {
		for _, m := range cweRE.FindAllStringSubmatch(s, -1) {
			n, _ := strconv.Atoi(m[1])
			out = append(out, "CWE-"+strconv.Itoa(n))
		}
	}
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

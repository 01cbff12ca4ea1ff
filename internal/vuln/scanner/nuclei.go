package scanner

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// The subset of Nuclei's JSON output (`nuclei -jsonl`, one result per
// line; `-json-export FILE` writes the same results as one array) the
// import reads.

type nucleiResult struct {
	TemplateID  string     `json:"template-id"`
	Info        nucleiInfo `json:"info"`
	Type        string     `json:"type"`
	Host        string     `json:"host"`
	Port        flexString `json:"port"`
	Scheme      string     `json:"scheme"`
	URL         string     `json:"url"`
	MatchedAt   string     `json:"matched-at"`
	MatcherName string     `json:"matcher-name"`
	IP          string     `json:"ip"`
	// matcher-status false marks a template that did not match (written
	// with -matcher-status): not a finding.
	MatcherStatus *bool `json:"matcher-status"`
}

type nucleiInfo struct {
	Name           string     `json:"name"`
	Description    string     `json:"description"`
	Severity       string     `json:"severity"`
	Reference      stringList `json:"reference"`
	Remediation    string     `json:"remediation"`
	Classification struct {
		CVEID       stringList `json:"cve-id"`
		CWEID       stringList `json:"cwe-id"`
		CVSSMetrics string     `json:"cvss-metrics"`
		CVSSScore   flexString `json:"cvss-score"`
	} `json:"classification"`
}

// maxNucleiLine bounds one line of Nuclei output (a result with its
// request and response can be large).
const maxNucleiLine = 16 << 20

// ParseNuclei reads Nuclei results as JSON lines (or the JSON array of
// -json-export). Each result becomes a network finding identified by its
// template id (and matcher name, when the template has several), on the
// target it was run against, at the URL or address it matched. Errors: see
// Parse; a bad line is named by its number.
func ParseNuclei(r io.Reader, opt Options, sink Sink) (Report, error) {
	rep := Report{Format: "nuclei", Scanner: "nuclei", FormatVersion: "jsonl"}
	em := newEmitter(&rep, opt, sink)
	src := &source{r: r}
	br := bufio.NewReaderSize(src, 64<<10)
	first, err := firstNonSpace(br)
	if err != nil && !errors.Is(err, io.EOF) {
		return finish(rep, fmt.Errorf("reading Nuclei report: %w", err))
	}
	if first == '[' {
		rep.FormatVersion = "json-export"
		j := newJSONReader("Nuclei", br)
		err := j.array("a list of Nuclei results", func() error {
			var res nucleiResult
			if err := j.decode(&res); err != nil {
				return err
			}
			if res.TemplateID == "" {
				return j.errorf("a result without \"template-id\": not a Nuclei result")
			}
			return nucleiEmit(em, &res)
		})
		if err == nil {
			err = j.end()
		}
		return finish(rep, err)
	}
	line := 0
	for {
		b, err := readLine(br)
		if len(b) > 0 || err == nil {
			line++
		}
		if errors.Is(err, errLongLine) {
			return finish(rep, fileError("Nuclei", "line "+strconv.Itoa(line), "longer than %d MB", maxNucleiLine>>20))
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return finish(rep, fmt.Errorf("reading Nuclei report: %w", err))
		}
		if b = bytes.TrimSpace(b); len(b) > 0 {
			if perr := nucleiLine(em, b, line); perr != nil {
				return finish(rep, perr)
			}
		}
		if err != nil {
			return finish(rep, nil)
		}
	}
}

func nucleiLine(em *emitter, b []byte, line int) error {
	var res nucleiResult
	at := "line " + strconv.Itoa(line)
	if err := json.Unmarshal(b, &res, jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true)); err != nil {
		var syn *jsontext.SyntacticError
		var sem *json.SemanticError
		switch {
		case errors.As(err, &syn) && errors.Is(syn.Err, io.ErrUnexpectedEOF):
			return fileError("Nuclei", at, "the line ends in the middle of a JSON object (truncated, or not JSON lines?)")
		case errors.As(err, &syn):
			return fileError("Nuclei", at+", column "+strconv.FormatInt(syn.ByteOffset+1, 10), "malformed JSON: %v", errText(syn.Err))
		case errors.As(err, &sem):
			return fileError("Nuclei", at+" "+string(sem.JSONPointer), "unexpected %s", kindName(sem.JSONKind))
		}
		return fileError("Nuclei", at, "malformed JSON (truncated?): %v", err)
	}
	if res.TemplateID == "" {
		return fileError("Nuclei", at, "no \"template-id\": not a Nuclei result")
	}
	return nucleiEmit(em, &res)
}

func nucleiEmit(em *emitter, res *nucleiResult) error {
	if res.MatcherStatus != nil && !*res.MatcherStatus {
		em.skip("template did not match")
		return nil
	}
	info := res.Info
	sev, ok := vuln.ParseSeverity(info.Severity)
	if !ok {
		sev = vuln.SeverityUnknown
	}
	id := res.TemplateID
	if res.MatcherName != "" {
		id += ":" + res.MatcherName
	}
	f := vuln.Finding{Target: nucleiTarget(res), Kind: vuln.KindNetwork, Identifier: id,
		Endpoint: firstOf(res.MatchedAt, res.URL, res.Host), Severity: sev, VendorSeverity: info.Severity,
		Title: info.Name, Description: info.Description, Solution: info.Remediation, References: info.Reference,
		Aliases: info.Classification.CVEID, CWEs: info.Classification.CWEID}
	for i, c := range f.CWEs {
		f.CWEs[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	if v := info.Classification.CVSSMetrics; v != "" {
		var vs *float64
		if s, ok := vuln.ParseScore(string(info.Classification.CVSSScore)); ok {
			vs = &s
		}
		f.AddCVSS("nuclei", v, vs)
	}
	return em.emit(f)
}

// nucleiTarget is what the template ran against: a web origin for HTTP
// templates, else the host (name or address) of "host:port".
func nucleiTarget(res *nucleiResult) vuln.Target {
	host := strings.TrimSpace(res.Host)
	if u, err := url.Parse(host); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		t := vuln.Target{Kind: vuln.TargetURL, Name: u.Scheme + "://" + u.Host}
		setHostName(&t, u.Hostname())
		if t.IP == "" {
			t.IP = res.IP
		}
		return t
	}
	name := host
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(host, "]") && strings.Count(host, ":") == 1 {
		name = h
	}
	t := vuln.Target{Kind: vuln.TargetHost, Name: name}
	setHostName(&t, name)
	if t.IP == "" && res.IP != "" {
		t.IP = res.IP
	}
	return t
}

var errLongLine = errors.New("line too long")

// readLine reads one line without its end, up to maxNucleiLine bytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		part, err := br.ReadSlice('\n')
		if len(out)+len(part) > maxNucleiLine {
			return nil, errLongLine
		}
		out = append(out, part...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(out, "\r\n"), err
	}
}

// firstNonSpace peeks at the first byte that is not white space.
func firstNonSpace(br *bufio.Reader) (byte, error) {
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			return 0, err
		}
		switch c := b[n-1]; c {
		case ' ', '\t', '\r', '\n':
			if n >= br.Size() {
				return 0, nil
			}
		default:
			return c, nil
		}
	}
}

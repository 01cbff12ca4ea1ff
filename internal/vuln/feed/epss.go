package feed

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// EPSSFile describes an EPSS scores file as a whole.
type EPSSFile struct {
	ModelVersion string    `json:"model_version"`
	ScoreDate    time.Time `json:"score_date"`
	Rows         int       `json:"rows"` // valid rows read
	Problems     []Problem `json:"problems,omitempty"`
	// Skipped counts every row skipped, also those beyond the Problems
	// kept.
	Skipped int `json:"skipped"`
}

// ParseEPSS reads FIRST's daily EPSS file (epss_scores-YYYY-MM-DD.csv,
// uncompressed): the line "#model_version:…,score_date:…", the header
// "cve,epss,percentile", then one row per CVE; fn is called with each valid
// row. A row with a malformed CVE id, a probability or percentile that is
// not a number from 0 to 1, or the wrong number of fields is skipped and
// reported with its line. The first line may be missing (older files):
// then ModelVersion and ScoreDate are empty. Errors: errs.Invalid for a
// file whose header is not "cve,epss,percentile"; errors of r wrapped; fn's
// error unchanged.
func ParseEPSS(r io.Reader, fn func(vuln.EPSS) error) (EPSSFile, error) {
	var file EPSSFile
	br := bufio.NewReader(r)
	line := 0
	invalid := func(where, format string, args ...any) error {
		return &errs.Error{Kind: errs.Invalid, Message: "invalid EPSS file",
			Fields: []errs.FieldError{{Field: where, Message: fmt.Sprintf(format, args...)}}}
	}
	if b, err := br.Peek(1); err == nil && b[0] == '#' {
		first, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return file, fmt.Errorf("reading EPSS file: %w", err)
		}
		line++
		for _, part := range strings.Split(strings.TrimSpace(strings.TrimPrefix(first, "#")), ",") {
			k, v, _ := strings.Cut(part, ":")
			switch strings.TrimSpace(k) {
			case "model_version":
				file.ModelVersion = strings.TrimSpace(v)
			case "score_date":
				d, err := parseScoreDate(strings.TrimSpace(v))
				if err != nil {
					return file, invalid("line 1", "score_date %q is not a date", clip(v))
				}
				file.ScoreDate = d
			}
		}
	} else if err != nil && !errors.Is(err, io.EOF) {
		return file, fmt.Errorf("reading EPSS file: %w", err)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // checked per row, so one bad row is only that row's problem
	cr.ReuseRecord = true
	cr.LazyQuotes = true // FIRST's file has no quotes; a stray one is that row's problem
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return file, invalid("line "+strconv.Itoa(line+1), "the file is empty; expected the header cve,epss,percentile")
	}
	if err != nil {
		return file, csvError(err, line, invalid)
	}
	if len(head) != 3 || strings.TrimSpace(strings.TrimPrefix(head[0], "\ufeff")) != "cve" || strings.TrimSpace(head[1]) != "epss" ||
		strings.TrimSpace(head[2]) != "percentile" {
		return file, invalid("line "+strconv.Itoa(line+1), "header %q, expected cve,epss,percentile", clip(strings.Join(head, ",")))
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return file, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(pe.Err, csv.ErrFieldCount) {
				file.problem(Problem{Line: pe.Line + line, Where: "line " + strconv.Itoa(pe.Line+line), Message: pe.Err.Error()})
				continue
			}
			return file, csvError(err, line, invalid)
		}
		at, _ := cr.FieldPos(0)
		at += line
		e, msg := epssRow(rec)
		if msg != "" {
			file.problem(Problem{Line: at, Where: "line " + strconv.Itoa(at), Message: msg})
			continue
		}
		e.ModelVersion, e.ScoreDate = file.ModelVersion, file.ScoreDate
		file.Rows++
		if err := fn(e); err != nil {
			return file, err
		}
	}
}

func (f *EPSSFile) problem(p Problem) {
	f.Skipped++
	if len(f.Problems) < maxProblems {
		f.Problems = append(f.Problems, p)
	}
}

func epssRow(rec []string) (vuln.EPSS, string) {
	if len(rec) != 3 {
		return vuln.EPSS{}, fmt.Sprintf("%d fields, expected 3 (cve,epss,percentile)", len(rec))
	}
	cve := strings.TrimSpace(rec[0])
	if !cveRE.MatchString(cve) {
		return vuln.EPSS{}, fmt.Sprintf("%q is not a CVE id", clip(cve))
	}
	p, err1 := strconv.ParseFloat(strings.TrimSpace(rec[1]), 64)
	pc, err2 := strconv.ParseFloat(strings.TrimSpace(rec[2]), 64)
	switch {
	case err1 != nil || p < 0 || p > 1:
		return vuln.EPSS{}, fmt.Sprintf("%s: epss %q is not a probability from 0 to 1", cve, clip(rec[1]))
	case err2 != nil || pc < 0 || pc > 1:
		return vuln.EPSS{}, fmt.Sprintf("%s: percentile %q is not a number from 0 to 1", cve, clip(rec[2]))
	}
	return vuln.EPSS{CVE: cve, Probability: p, Percentile: pc}, ""
}

// parseScoreDate reads score_date as FIRST writes it
// ("2025-02-20T00:00:00+0000") or as RFC 3339 or a bare date.
func parseScoreDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}

func csvError(err error, offset int, invalid func(string, string, ...any) error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return invalid("line "+strconv.Itoa(pe.Line+offset), "%v", pe.Err)
	}
	return fmt.Errorf("reading EPSS file: %w", err)
}

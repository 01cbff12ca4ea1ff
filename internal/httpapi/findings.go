package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/feed"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// feedFormats are the threat feeds POST /api/v1/imports/{format} takes.
var feedFormats = []string{"kev", "epss"}

// vulnFormats are the scanner report and feed formats of
// POST /api/v1/imports/{format}.
var vulnFormats = append(slices.Clone(scanner.Formats), feedFormats...)

// maxReportBody bounds a scanner report upload: a million findings are
// about 1 GB of Trivy JSON.
const maxReportBody = 4 << 30

// importVulnFile imports a spooled scanner report or threat feed.
func (a *api) importVulnFile(w http.ResponseWriter, r *http.Request, format, filename string, f *spooled) error {
	p := principal(r)
	req := vuln.FeedRequest{Filename: filename, SHA256: f.sum}
	var rep vuln.ImportReport
	var err error
	switch format {
	case "kev":
		rep, err = a.d.Vuln.ImportKEV(r.Context(), p, req, feed.KEVSource(f))
	case "epss":
		rep, err = a.d.Vuln.ImportEPSS(r.Context(), p, req, feed.EPSSSource(f))
	default:
		rep, err = a.d.Vuln.Import(r.Context(), p, vuln.ImportRequest{Format: format, Filename: filename, SHA256: f.sum,
			Read: scanner.Source(format, f, scanner.Options{})})
	}
	switch {
	case err != nil && rep.Key != "":
		// Stopped part-way: the problem carries the report.
		pr := problemFor(err, r)
		pr.Report = rep
		sendProblem(w, pr)
		return nil
	case err != nil:
		if e, ok := errs.As(err); ok && e.Kind == errs.Invalid {
			return badRequest(e)
		}
		return err
	}
	created(w, "/api/v1/imports/"+rep.Key, rep)
	return nil
}

// listFindings: GET /api/v1/findings.
func (a *api) listFindings(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	pg := q.page()
	f := vuln.Filter{CI: q.str("ci"), KEV: q.boolean("kev"), CVE: q.str("cve"), Cursor: pg.Cursor, Limit: pg.Limit}
	for _, s := range q.list("priority") {
		f.Priority = append(f.Priority, vuln.Priority(strings.ToUpper(s)))
	}
	for _, s := range q.list("state") {
		f.State = append(f.State, vuln.State(s))
	}
	if t := q.time("updated_since"); !t.IsZero() {
		f.UpdatedSince = &t
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := a.d.Vuln.FindFindings(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// getFinding: GET /api/v1/findings/{key}.
func (a *api) getFinding(w http.ResponseWriter, r *http.Request) error {
	rec, err := a.d.Vuln.FindFinding(r.Context(), principal(r), r.PathValue("key"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// patchFinding: PATCH /api/v1/findings/{key}, a state change.
func (a *api) patchFinding(w http.ResponseWriter, r *http.Request) error {
	var in vuln.StateChange
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rec, err := a.d.Vuln.ChangeState(r.Context(), principal(r), r.PathValue("key"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// listRemediations: GET /api/v1/remediations.
func (a *api) listRemediations(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	ci := q.str("ci")
	limit := q.integer("limit", 0, 1, 500)
	if err := q.err(); err != nil {
		return err
	}
	items, err := a.d.Vuln.FindRemediations(r.Context(), principal(r), ci, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, remediationList{Items: items, Total: len(items)})
	return nil
}

type remediationList struct {
	Items []vuln.Remediation `json:"items"`
	Total int                `json:"total"`
}

package httpapi

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
)

// NDJSONContentType is the media type of the streamed audit export.
const NDJSONContentType = "application/x-ndjson"

var auditFilterParams = append([]param{
	{name: "stream", typ: "string", enum: []string{"general", "security"}, desc: "only entries of this stream (security: for those cleared to read it)"},
	{name: "kind", typ: "string", desc: "only entries about this record kind: ci, relation, user, team, token, import, job"},
	{name: "key", typ: "string", desc: "only entries about this record, by key or name, exact (CI-314, alice, NOC)"},
	{name: "actor", typ: "string", desc: "only changes made by this username (exact); system for Rampart's own work"},
	{name: "action", typ: "string", desc: "only this action: create, update, delete, or a verb such as revoke or retry"},
	{name: "via", typ: "string", desc: "only entries made through this, exact: import IMP-7 for the changes an import made"},
	{name: "since", typ: "string", format: "date-time", desc: "only entries at or after this RFC 3339 time (inclusive)"},
	{name: "until", typ: "string", format: "date-time", desc: "only entries before this RFC 3339 time (exclusive), so consecutive windows never overlap"},
}, pageParams...)

// listAudit: GET /api/v1/audit. A JSON page, newest first; or, when the
// client accepts application/x-ndjson, every matching entry oldest first as
// one JSON object per line, streamed without a limit.
func (a *api) listAudit(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	pg := q.page()
	f := auditlog.Filter{
		Stream: audit.Stream(q.str("stream")), Via: q.str("via"),
		Kind: q.str("kind"), Key: q.str("key"), Actor: q.str("actor"), Action: q.str("action"),
		Since: q.time("since"), Until: q.time("until"), Cursor: pg.Cursor, Limit: pg.Limit,
	}
	if err := q.err(); err != nil {
		return err
	}
	if wantsNDJSON(r) {
		return a.exportAudit(w, r, f)
	}
	page, err := a.d.Audit.Find(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	if page.Items == nil {
		page.Items = []audit.Entry{}
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// exportAudit streams entries as JSON lines. Headers go out with the first
// entry, so a refusal (403) before any entry is still a proper problem.
func (a *api) exportAudit(w http.ResponseWriter, r *http.Request, f auditlog.Filter) error {
	f.Cursor, f.Limit = "", 0
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	flusher, _ := w.(http.Flusher)
	started, n := false, 0
	start := func() {
		h := w.Header()
		h.Set("Content-Type", NDJSONContentType)
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		started = true
	}
	err := a.d.Audit.Export(r.Context(), principal(r), f, func(e audit.Entry) error {
		if !started {
			start()
		}
		if err := enc.Encode(e); err != nil {
			return err
		}
		if n++; n%500 == 0 && flusher != nil {
			flusher.Flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !started {
		start() // no entries: an empty, successful stream
	}
	return nil
}

// wantsNDJSON reports whether the Accept header asks for JSON lines.
func wantsNDJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == NDJSONContentType {
			return true
		}
	}
	return false
}

// auditVerification is the answer of GET /api/v1/audit/verify. A broken
// chain is a finding, not a failed request: 200 with ok=false, and for
// each stream where it breaks.
type auditVerification struct {
	OK      bool                    `json:"ok"`
	Streams []auditlog.StreamResult `json:"streams"`
}

var auditVerifyParams = []param{
	{name: "full", typ: "boolean", desc: "walk every entry from the first; by default verification goes on from where the last one got to, checking that entry still holds"},
	{name: "anchor", typ: "string", desc: "a head recorded earlier as STREAM:SEQ:HASH (the anchor a verification answered); the chain must still pass through it. Repeat for several"},
}

// verifyAudit: GET /api/v1/audit/verify (admins and auditors). The service
// method takes no principal (the CLI runs it with database access), so the
// permission is checked here, and the streams verified are those the
// caller may read: the security stream only with audit:read-restricted.
func (a *api) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := p.Require(auth.AuditRead); err != nil {
		return err
	}
	q := params(r)
	full := q.boolean("full")
	if err := q.err(); err != nil {
		return err
	}
	anchors, err := auditlog.ParseAnchors("anchor", r.URL.Query()["anchor"])
	if err != nil {
		return err
	}
	res, err := a.d.Audit.Verify(r.Context(), auditlog.VerifyOptions{Full: full != nil && *full, Anchors: anchors, Streams: auditlog.StreamsFor(p)})
	if err != nil {
		return err
	}
	out := auditVerification{OK: true, Streams: res}
	for _, s := range res {
		out.OK = out.OK && s.OK
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// auditFilterForm is the audit filter form as typed.
type auditFilterForm struct {
	Kind, Key, Actor, Action string
}

// auditListView is the audit log page.
type auditListView struct {
	layout
	Filter    auditFilterForm
	Entries   []auditRow
	Total     int
	ExportURL string
	NextURL   string
	PrevURL   string
	FirstURL  string
	Verify    *verifyResult // set after "Verify chain"
}

// auditRow is one entry as shown, with its changes decoded.
type auditRow struct {
	audit.Entry
	Href      string // the record's page, when it has one
	Changes   []changeRow
	Collapsed bool // long diffs (every field of a created record) start folded
}

// maxOpenChanges is how many changed fields an entry shows unfolded.
const maxOpenChanges = 4

type changeRow struct{ Field, From, To string }

// auditList shows the audit log, newest first, filtered.
func (s *server) auditList(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.auditListView(r, rq)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "audit_list", v)
}

func (s *server) auditListView(r *http.Request, rq *request) (auditListView, error) {
	if err := rq.P.Require(auth.AuditRead); err != nil {
		return auditListView{}, err
	}
	q := r.URL.Query()
	ff := readAuditFilter(q)
	f := ff.filter()
	pg := paging.FromQuery(q, nil)
	f.Cursor, f.Limit = pg.Cursor, pg.Limit
	page, err := s.Audit.Find(r.Context(), rq.P, f)
	if err != nil {
		return auditListView{}, err
	}
	v := auditListView{layout: s.frame(r, rq, "Audit log", "audit"), Filter: ff, Total: page.Total,
		ExportURL: "/audit/export.ndjson" + ff.query()}
	for _, e := range page.Items {
		row := auditRow{Entry: e, Href: recordHref(e.Kind, e.Key), Changes: changeRows(entryChanges(e))}
		row.Collapsed = len(row.Changes) > maxOpenChanges
		v.Entries = append(v.Entries, row)
	}
	v.FirstURL, v.PrevURL, v.NextURL = pageLinks("/audit", q, page.NextCursor)
	return v, nil
}

func readAuditFilter(q url.Values) auditFilterForm {
	t := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return auditFilterForm{Kind: t("kind"), Key: t("key"), Actor: t("actor"), Action: t("action")}
}

func (ff auditFilterForm) filter() auditlog.Filter {
	return auditlog.Filter{Kind: ff.Kind, Key: ff.Key, Actor: ff.Actor, Action: ff.Action}
}

// query is the filter as a query string ("" or "?kind=ci...").
func (ff auditFilterForm) query() string {
	v := url.Values{}
	for k, val := range map[string]string{"kind": ff.Kind, "key": ff.Key, "actor": ff.Actor, "action": ff.Action} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// recordHref links an audited record to its page, for kinds that have one.
func recordHref(kind, key string) string {
	if key == "" {
		return ""
	}
	switch kind {
	case "ci":
		return "/cis/" + url.PathEscape(key)
	case "import":
		return "/imports/" + url.PathEscape(key)
	case "user":
		return "/admin/users/" + url.PathEscape(key)
	case "team":
		return "/admin/teams/" + url.PathEscape(key)
	}
	return ""
}

// changeRows decodes an entry's diff for display.
// entryChanges shows every field of a create or delete as a change from or
// to nothing, like an update's stored changes.
func entryChanges(e audit.Entry) json.RawMessage {
	c, err := audit.EntryChanges(e)
	if err != nil {
		return e.Changes
	}
	return c
}

func changeRows(raw json.RawMessage) []changeRow {
	if len(raw) == 0 {
		return nil
	}
	var cs []audit.Change
	if err := json.Unmarshal(raw, &cs); err != nil {
		return []changeRow{{Field: "(changes)", To: string(raw)}}
	}
	out := make([]changeRow, len(cs))
	for i, c := range cs {
		out[i] = changeRow{Field: c.Field, From: changeText(c.From), To: changeText(c.To)}
	}
	return out
}

func changeText(v any) string {
	if v == nil {
		return ""
	}
	return truncate(compactJSON(v), 300)
}

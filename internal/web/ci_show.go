package web

import (
	"net/http"
	"net/url"

	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// ciShowView is a CI's page: every field, its relationships both ways and
// the form to add one.
type ciShowView struct {
	layout
	CI            cmdb.CI
	Attributes    []attrView
	Outgoing      []cmdb.Relation // this CI needs the target
	Incoming      []cmdb.Relation // the source needs this CI
	RelationTypes []cmdb.RelationType
	RelForm       relationForm
	RelErrors     fieldErrors
	// RelOptions are the CIs a name typed into the form could mean.
	RelOptions []pickOption
	// Neighbours names the CIs at the other end of each relationship, so
	// the lists read "CI-12 orders-db", not bare keys.
	Neighbours map[string]cmdb.CISummary
	// History is the CI's audit entries, newest first, one page of them,
	// for viewers who may read the audit log (nil otherwise).
	History *ciHistory
	// Findings are the CI's active vulnerability findings, most urgent
	// first, for viewers who may read findings (nil otherwise).
	Findings *vuln.Page
}

// ciFindingsShown is how many findings a CI's page lists.
const ciFindingsShown = 20

// ciHistory is one page of a CI's audit entries.
type ciHistory struct {
	Entries   []auditRow
	Total     int
	OlderURL  string // the next page of older entries
	NewestURL string // back to the newest, when this page is not the first
}

// historyPage is how many entries the history on a CI's page shows at once.
const historyPage = 20

// ciShow shows one CI the viewer may see (not found otherwise).
func (s *server) ciShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.ciShowView(r, rq, r.PathValue("key"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "ci_show", v)
}

func (s *server) ciShowView(r *http.Request, rq *request, key string) (ciShowView, error) {
	ci, err := s.CMDB.FindCIByKey(r.Context(), rq.P, key)
	if err != nil {
		return ciShowView{}, err
	}
	rels, err := s.CMDB.FindRelations(r.Context(), rq.P, ci.Key)
	if err != nil {
		return ciShowView{}, err
	}
	v := ciShowView{layout: s.frame(r, rq, ci.Key+" "+ci.Name, "cmdb"), CI: ci, Attributes: attributeViews(ci.Attributes),
		RelationTypes: cmdb.RelationTypes, RelForm: relationForm{Direction: "outgoing"}}
	for _, rel := range rels {
		if rel.Source == ci.Key {
			v.Outgoing = append(v.Outgoing, rel)
		} else {
			v.Incoming = append(v.Incoming, rel)
		}
	}
	if v.Neighbours, err = s.neighbours(r, rq, ci.Key, len(v.Incoming) > 0, len(v.Outgoing) > 0); err != nil {
		return ciShowView{}, err
	}
	if v.History, err = s.ciHistory(r, rq, ci.Key); err != nil {
		return ciShowView{}, err
	}
	if s.Vuln != nil && rq.P.Can(auth.FindingRead) {
		page, err := s.Vuln.FindFindings(r.Context(), rq.P, vuln.Filter{CI: ci.Key, Limit: ciFindingsShown,
			State: []vuln.State{vuln.StateOpen, vuln.StateInRemediation, vuln.StateReopened}})
		if err != nil {
			return ciShowView{}, err
		}
		v.Findings = &page
	}
	return v, nil
}

// ciHistory reads one page of the CI's audit entries through the audit
// service, whose read filter decides which entries the viewer may see;
// nil when the viewer may not read the audit log at all. ?history= is the
// cursor of the page.
func (s *server) ciHistory(r *http.Request, rq *request, key string) (*ciHistory, error) {
	if rq.P.Require(auth.AuditRead) != nil {
		return nil, nil
	}
	cursor := r.URL.Query().Get("history")
	page, err := s.Audit.Find(r.Context(), rq.P, auditlog.Filter{Kind: cmdb.AuditKindCI, Key: key, Cursor: cursor, Limit: historyPage})
	if err != nil {
		return nil, err
	}
	h := &ciHistory{Total: page.Total}
	for _, e := range page.Items {
		row := auditRow{Entry: e, Changes: changeRows(entryChanges(e))}
		row.Collapsed = len(row.Changes) > maxOpenChanges
		h.Entries = append(h.Entries, row)
	}
	base := "/cis/" + url.PathEscape(key)
	if page.NextCursor != "" {
		h.OlderURL = base + "?" + url.Values{"history": {page.NextCursor}}.Encode() + "#history"
	}
	if cursor != "" {
		h.NewestURL = base + "#history"
	}
	return h, nil
}

// neighbours summarises the CIs one step away, both ways, with one
// depth-1 impact walk per direction instead of one lookup per relationship.
func (s *server) neighbours(r *http.Request, rq *request, key string, down, up bool) (map[string]cmdb.CISummary, error) {
	out := map[string]cmdb.CISummary{}
	for dir, want := range map[cmdb.Direction]bool{cmdb.Downstream: down, cmdb.Upstream: up} {
		if !want {
			continue
		}
		imp, err := s.CMDB.Impact(r.Context(), rq.P, key, dir, 1)
		if err != nil {
			return nil, err
		}
		for _, n := range imp.Nodes {
			out[n.CI.Key] = n.CI
		}
	}
	return out, nil
}

// ciDeleteView asks for confirmation before a CI is deleted.
type ciDeleteView struct {
	layout
	CI        cmdb.CI
	Relations int
}

// ciDeleteConfirm shows what deleting a CI would remove.
func (s *server) ciDeleteConfirm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.P.Require(auth.CIWrite); err != nil {
		return err
	}
	ci, err := s.CMDB.FindCIByKey(r.Context(), rq.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	rels, err := s.CMDB.FindRelations(r.Context(), rq.P, ci.Key)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "ci_delete", ciDeleteView{layout: s.frame(r, rq, "Delete "+ci.Key, "cmdb"), CI: ci, Relations: len(rels)})
}

// ciDelete deletes a CI after confirmation.
func (s *server) ciDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.CMDB.DeleteCI(r.Context(), rq.P, r.PathValue("key")); err != nil {
		return err
	}
	return redirect(w, r, "/cis", "deleted")
}

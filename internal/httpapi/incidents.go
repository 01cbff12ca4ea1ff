package httpapi

import (
	"net/http"
	"net/url"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/incident"
)

var incidentFilterParams = append([]param{
	{name: "q", typ: "string", desc: "search: incidents whose key is q (INC-42) or whose short description contains q, in any case"},
	{name: "state", typ: "string", enum: incident.StateFilters(), desc: "only incidents in this state; open: new, in_progress and on_hold"},
	{name: "priority", typ: "integer", desc: "only incidents of this priority, 1 (critical) to 5 (planning)"},
	{name: "category", typ: "string", enum: incident.Categories(), desc: "only incidents of this category"},
	{name: "assignment_group", typ: "string", desc: "only incidents assigned to this team (exact name)"},
	{name: "assignee", typ: "string", desc: "only incidents assigned to this username: my work"},
	{name: "unassigned", typ: "boolean", desc: "true: only incidents nobody is assigned to"},
	{name: "my_groups", typ: "boolean", desc: "true: only incidents assigned to one of the caller's teams"},
	{name: "caller", typ: "string", desc: "only incidents raised for this username"},
	{name: "ci", typ: "string", desc: "only incidents affecting this CI (key, any case)"},
	{name: "parent", typ: "string", desc: "only the children of this incident (key)"},
	{name: "security", typ: "boolean", desc: "true: only security incidents; false: only ordinary ones"},
	{name: "major", typ: "boolean", desc: "true: only major incidents"},
	{name: "updated_since", typ: "string", format: "date-time", desc: "only incidents changed at or after this RFC 3339 time, for incremental sync"},
	{name: "include_deleted", typ: "boolean", desc: "true: after the last incident, also list tombstones {key, deleted_at} of incidents that " +
		"left the caller's view at or after updated_since (they became security incidents). Kept for 90 days: an older " +
		"updated_since is refused, and the client reads the full list again"},
	{name: "sort", typ: "string", enum: incident.Sorts, desc: "order: created (default -created, newest first), updated or " +
		"priority (1 first), with a leading - descending; ties by creation"},
}, pageParams...)

// listIncidents: GET /api/v1/incidents.
func (a *api) listIncidents(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	pg := q.page()
	f := incident.Filter{
		Query: q.str("q"), State: q.oneOf("state", incident.StateFilters()...), Priority: q.integer("priority", 0, 1, 5),
		Category: q.oneOf("category", incident.Categories()...), AssignmentGroup: q.str("assignment_group"),
		Assignee: q.str("assignee"), Caller: q.str("caller"), CI: q.str("ci"), Parent: q.str("parent"),
		Security: q.boolean("security"), Major: q.boolean("major"), UpdatedSince: q.time("updated_since"),
		Sort: q.oneOf("sort", incident.Sorts...), Cursor: pg.Cursor, Limit: pg.Limit,
	}
	f.Unassigned = isTrue(q.boolean("unassigned"))
	f.MyGroups = isTrue(q.boolean("my_groups"))
	f.IncludeDeleted = isTrue(q.boolean("include_deleted"))
	if err := q.err(); err != nil {
		return err
	}
	page, err := a.d.Incidents.FindIncidents(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	items := make([]any, 0, len(page.Items)+len(page.Deleted))
	for i := range page.Items {
		items = append(items, &page.Items[i])
	}
	for i := range page.Deleted {
		items = append(items, &page.Deleted[i])
	}
	writeJSON(w, http.StatusOK, struct {
		Items       []any  `json:"items"`
		Total       int    `json:"total"`
		TotalCapped bool   `json:"total_capped,omitempty"`
		NextCursor  string `json:"next_cursor,omitempty"`
	}{items, page.Total, page.TotalCapped, page.NextCursor})
	return nil
}

func isTrue(b *bool) bool { return b != nil && *b }

// incidentInput is the body of POST /api/v1/incidents.
type incidentInput struct {
	ShortDescription string                `json:"short_description"`
	Description      string                `json:"description" text:"long"`
	Caller           string                `json:"caller"`
	Category         string                `json:"category"`
	Subcategory      string                `json:"subcategory"`
	Impact           int                   `json:"impact"`
	Urgency          int                   `json:"urgency"`
	AssignmentGroup  string                `json:"assignment_group"`
	Assignee         string                `json:"assignee"`
	CIs              []string              `json:"cis"`
	Parent           string                `json:"parent"`
	Major            bool                  `json:"major"`
	Security         bool                  `json:"security"`
	AttackVector     string                `json:"attack_vector"`
	Techniques       []string              `json:"techniques"`
	ResponsePhase    string                `json:"response_phase"`
	Observables      []incident.Observable `json:"observables"`
}

func (in incidentInput) incident() incident.Incident {
	return incident.Incident{ShortDescription: in.ShortDescription, Description: in.Description, Caller: in.Caller,
		Category: in.Category, Subcategory: in.Subcategory, Impact: in.Impact, Urgency: in.Urgency,
		AssignmentGroup: in.AssignmentGroup, Assignee: in.Assignee, CIs: in.CIs, Parent: in.Parent, Major: in.Major,
		Security: in.Security, AttackVector: in.AttackVector, Techniques: in.Techniques, ResponsePhase: in.ResponsePhase,
		Observables: in.Observables}
}

// createIncident: POST /api/v1/incidents.
func (a *api) createIncident(w http.ResponseWriter, r *http.Request) error {
	var in incidentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	inc, err := a.d.Incidents.CreateIncident(r.Context(), principal(r), in.incident())
	if err != nil {
		return err
	}
	setETag(w, inc.Version)
	created(w, incidentPath(inc.Key), inc)
	return nil
}

// bulkIncidents: POST /api/v1/incidents/bulk.
func (a *api) bulkIncidents(w http.ResponseWriter, r *http.Request) error {
	var in []incidentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	incs := make([]incident.Incident, len(in))
	for i := range in {
		incs[i] = in[i].incident()
	}
	out, err := a.d.Incidents.CreateIncidents(r.Context(), principal(r), incs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, listOf(out))
	return nil
}

// getIncident: GET /api/v1/incidents/{key}.
func (a *api) getIncident(w http.ResponseWriter, r *http.Request) error {
	inc, err := a.d.Incidents.FindIncidentByKey(r.Context(), principal(r), r.PathValue("key"))
	if err != nil {
		return err
	}
	setETag(w, inc.Version)
	writeJSON(w, http.StatusOK, inc)
	return nil
}

// incidentPatch is the body of PATCH /api/v1/incidents/{key}.
type incidentPatch struct {
	ShortDescription *string                `json:"short_description"`
	Description      *string                `json:"description" text:"long"`
	Caller           *string                `json:"caller"`
	Category         *string                `json:"category"`
	Subcategory      *string                `json:"subcategory"`
	Impact           *int                   `json:"impact"`
	Urgency          *int                   `json:"urgency"`
	State            *incident.State        `json:"state"`
	OnHoldReason     *string                `json:"on_hold_reason"`
	ResolutionCode   *string                `json:"resolution_code"`
	ResolutionNotes  *string                `json:"resolution_notes" text:"long"`
	AssignmentGroup  *string                `json:"assignment_group"`
	Assignee         *string                `json:"assignee"`
	CIs              *[]string              `json:"cis"`
	Parent           *string                `json:"parent"`
	Major            *bool                  `json:"major"`
	Security         *bool                  `json:"security"`
	AttackVector     *string                `json:"attack_vector"`
	Techniques       *[]string              `json:"techniques"`
	ResponsePhase    *string                `json:"response_phase"`
	Observables      *[]incident.Observable `json:"observables"`
	Version          *int64                 `json:"version"`
}

// patchIncident: PATCH /api/v1/incidents/{key}.
func (a *api) patchIncident(w http.ResponseWriter, r *http.Request) error {
	var in incidentPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, fromHeader, err := ifMatch(r, in.Version)
	if err != nil {
		return err
	}
	inc, err := a.d.Incidents.UpdateIncident(r.Context(), principal(r), r.PathValue("key"), incident.Update{
		ShortDescription: in.ShortDescription, Description: in.Description, Caller: in.Caller, Category: in.Category,
		Subcategory: in.Subcategory, Impact: in.Impact, Urgency: in.Urgency, State: in.State, OnHoldReason: in.OnHoldReason,
		ResolutionCode: in.ResolutionCode, ResolutionNotes: in.ResolutionNotes, AssignmentGroup: in.AssignmentGroup,
		Assignee: in.Assignee, CIs: in.CIs, Parent: in.Parent, Major: in.Major, Security: in.Security,
		AttackVector: in.AttackVector, Techniques: in.Techniques, ResponsePhase: in.ResponsePhase,
		Observables: in.Observables, Version: version,
	})
	if fromHeader && staleVersion(err) {
		return precondition(err)
	}
	if err != nil {
		return err
	}
	setETag(w, inc.Version)
	writeJSON(w, http.StatusOK, inc)
	return nil
}

// noteInput is the body of POST /api/v1/incidents/{key}/notes.
type noteInput struct {
	Kind string `json:"kind"`
	Body string `json:"body" text:"long"`
}

// addNote: POST /api/v1/incidents/{key}/notes.
func (a *api) addNote(w http.ResponseWriter, r *http.Request) error {
	var in noteInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	n, err := a.d.Incidents.AddNote(r.Context(), principal(r), r.PathValue("key"), in.Kind, in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, n)
	return nil
}

// getTimeline: GET /api/v1/incidents/{key}/timeline.
func (a *api) getTimeline(w http.ResponseWriter, r *http.Request) error {
	tl, err := a.d.Incidents.Timeline(r.Context(), principal(r), r.PathValue("key"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf(tl))
	return nil
}

// getSightings: GET /api/v1/incidents/{key}/sightings.
func (a *api) getSightings(w http.ResponseWriter, r *http.Request) error {
	s, err := a.d.Incidents.Sightings(r.Context(), principal(r), r.PathValue("key"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf(s))
	return nil
}

// shareInput is the body of POST /api/v1/incidents/{key}/shares.
type shareInput struct {
	User string `json:"user"`
	Team string `json:"team"`
}

// addShare: POST /api/v1/incidents/{key}/shares.
func (a *api) addShare(w http.ResponseWriter, r *http.Request) error {
	var in shareInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	shares, err := a.d.Incidents.ShareIncident(r.Context(), principal(r), r.PathValue("key"), in.User, in.Team)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, listOf(shares))
	return nil
}

// deleteShare: DELETE /api/v1/incidents/{key}/shares?user=|team=.
func (a *api) deleteShare(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	if _, err := a.d.Incidents.UnshareIncident(r.Context(), principal(r), r.PathValue("key"), q.str("user"), q.str("team")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// getMatrix: GET /api/v1/priority-matrix.
func (a *api) getMatrix(w http.ResponseWriter, r *http.Request) error {
	m, err := a.d.Incidents.PriorityMatrix(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, matrixBody{Cells: m.Cells()})
	return nil
}

// matrixBody is the priority matrix in the API: one cell per impact and
// urgency.
type matrixBody struct {
	Cells []incident.Cell `json:"cells"`
}

// putMatrix: PUT /api/v1/priority-matrix.
func (a *api) putMatrix(w http.ResponseWriter, r *http.Request) error {
	var in matrixBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := incident.MatrixFromCells(in.Cells)
	if err != nil {
		return err
	}
	if m, err = a.d.Incidents.SetPriorityMatrix(r.Context(), principal(r), m); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, matrixBody{Cells: m.Cells()})
	return nil
}

func incidentPath(key string) string { return "/api/v1/incidents/" + url.PathEscape(key) }

// incidentRoutes are the incident practice's routes.
func (a *api) incidentRoutes() []route {
	const (
		get, post, patch, put, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete
	)
	return []route{
		{method: get, path: "/api/v1/incidents", h: a.listIncidents,
			doc: op{id: "listIncidents", tag: "incidents", summary: "List and search incidents", query: incidentFilterParams, resp: "IncidentPage", perm: auth.IncidentRead,
				desc: "Incidents matching every filter given, newest first unless sort says otherwise, a page at a time with a " +
					"total. Staff see every ordinary incident; requesters those they are the caller of; security incidents " +
					"(SIR-n) show only to security analysts, admins and the users and teams they are shared with, and are " +
					"counted for no one else. The agent queue reads it: assignee=<me> (my work), my_groups=true, unassigned=true."}},
		{method: post, path: "/api/v1/incidents", h: a.createIncident, write: true,
			doc: op{id: "createIncident", tag: "incidents", summary: "Raise an incident", body: "IncidentInput", status: http.StatusCreated, resp: "Incident", etag: true, perm: auth.IncidentReport,
				desc: "Creates an incident in state new and answers with it: key INC-n, or SIR-n for a security incident " +
					"(security true or a security category), priority from impact × urgency through the priority matrix " +
					"(both default to 3), and the business services the linked CIs affect. caller defaults to you. " +
					"Requesters report for themselves only and set no assignment, security or parent fields. An unknown " +
					"CI, caller, group or assignee, or an assignee outside the group, is 422 naming the field; nothing is written."}},
		{method: post, path: "/api/v1/incidents/bulk", h: a.bulkIncidents, write: true,
			doc: op{id: "bulkIncidents", tag: "incidents", summary: "Raise many incidents at once (all or none)", body: "IncidentBulk", status: http.StatusCreated, resp: "IncidentList", perm: auth.IncidentReport,
				desc: "Creates up to 500 incidents in one transaction, by the rules of POST /api/v1/incidents. Any bad " +
					"element refuses the whole array (422), each problem named by its element: [3].impact."}},
		{method: get, path: "/api/v1/incidents/{key}", h: a.getIncident,
			doc: op{id: "getIncident", tag: "incidents", summary: "One incident", resp: "Incident", etag: true, perm: auth.IncidentRead,
				desc: "The incident with this key (any case). One the caller may not see answers 404, exactly like one that " +
					"does not exist. ETag carries its version for a later PATCH."}},
		{method: patch, path: "/api/v1/incidents/{key}", h: a.patchIncident, write: true,
			doc: op{id: "updateIncident", tag: "incidents", summary: "Change an incident, its state included", body: "IncidentPatch", resp: "Incident", ifMatch: true, etag: true, perm: auth.IncidentWrite,
				desc: "A field given replaces the stored value; absent or null keeps it. state follows the life cycle: new → " +
					"in_progress, on_hold, resolved, cancelled; in_progress → on_hold, resolved, cancelled; on_hold → " +
					"in_progress, resolved, cancelled; resolved → in_progress (a reopen, counted) or closed. Any other " +
					"change is 409 naming the states allowed. on_hold needs on_hold_reason; resolved needs resolution_code " +
					"and resolution_notes (422 otherwise). Resolving a parent resolves its open children. A new " +
					"assignment_group without assignee clears the assignee; an assignee must be a member of the group. " +
					"Send the version you read (or If-Match) to refuse the change if someone changed it since."}},
		{method: post, path: "/api/v1/incidents/{key}/notes", h: a.addNote, write: true,
			doc: op{id: "addIncidentNote", tag: "incidents", summary: "Add a work note or a comment", body: "NoteInput", status: http.StatusCreated, resp: "Note", perm: auth.IncidentReport,
				desc: "kind work_note is internal to the desk (needs incident:write) and never shown to requesters; kind " +
					"comment is shown to the caller too, and a requester may comment on their own incident. Audited."}},
		{method: get, path: "/api/v1/incidents/{key}/timeline", h: a.getTimeline,
			doc: op{id: "getIncidentTimeline", tag: "incidents", summary: "What happened to an incident, oldest first", resp: "Timeline", perm: auth.IncidentRead,
				desc: "Creation, comments, state changes, reassignments, parent links and the major flag, with who and " +
					"when. Staff also see work notes; requesters see comments and state changes only."}},
		{method: get, path: "/api/v1/incidents/{key}/sightings", h: a.getSightings,
			doc: op{id: "getIncidentSightings", tag: "incidents", summary: "Where else an incident's observables were seen", resp: "SightingList", perm: auth.IncidentRead,
				desc: "For each observable of the incident, the other incidents that record it and the CIs that carry it as an " +
					"identifier (an IP address; a domain as host name or FQDN), among those the caller may see: a security " +
					"incident the caller may not see is never named."}},
		{method: post, path: "/api/v1/incidents/{key}/shares", h: a.addShare, write: true,
			doc: op{id: "shareIncident", tag: "incidents", summary: "Share an incident with a user or a team", body: "ShareInput", status: http.StatusCreated, resp: "ShareList", perm: auth.IncidentWrite,
				desc: "The user or the team's members then see the incident, although it is a security incident. Only " +
					"security analysts and admins share a security incident. An unknown user or team is 422; a share that " +
					"exists is 409. Audited. Answers with every share of the incident."}},
		{method: del, path: "/api/v1/incidents/{key}/shares", h: a.deleteShare, write: true,
			doc: op{id: "unshareIncident", tag: "incidents", summary: "Stop sharing an incident with a user or a team", query: shareParams, status: http.StatusNoContent, perm: auth.IncidentWrite,
				desc: "Removes the share named by ?user= or ?team=; 404 when there is none. Audited."}},
		{method: get, path: "/api/v1/priority-matrix", h: a.getMatrix,
			doc: op{id: "getPriorityMatrix", tag: "incidents", summary: "The priority matrix: impact × urgency → priority", resp: "PriorityMatrix", perm: auth.IncidentRead,
				desc: "Nine cells, one per impact (1 high to 3 low) and urgency (1 high to 3 low), each with the priority (1 " +
					"critical to 5 planning) an incident with them gets."}},
		{method: put, path: "/api/v1/priority-matrix", h: a.putMatrix, write: true,
			doc: op{id: "setPriorityMatrix", tag: "incidents", summary: "Replace the priority matrix", body: "PriorityMatrix", resp: "PriorityMatrix", perm: auth.IncidentConfigure,
				desc: "Give all nine cells. Incidents keep their priority until their impact or urgency changes. Audited."}},
	}
}

var shareParams = []param{
	{name: "user", typ: "string", desc: "username to stop sharing with"},
	{name: "team", typ: "string", desc: "team name to stop sharing with (give user or team)"},
}

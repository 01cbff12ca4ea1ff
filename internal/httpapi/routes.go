package httpapi

import (
	"net/http"
	"strings"
)

// handlerFunc is a route handler: it writes the success answer itself and
// returns an error for everything else, which becomes a problem.
type handlerFunc func(http.ResponseWriter, *http.Request) error

// route is one row of the table: what the mux serves and what the OpenAPI
// document says about it, side by side so they cannot drift apart.
type route struct {
	method string
	path   string // Go 1.22 mux pattern path, also the OpenAPI path
	h      handlerFunc
	public bool // no credentials needed
	upload bool // body is a file (64 MiB limit) rather than JSON (1 MiB)
	doc    op
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

// op documents an operation for the OpenAPI document.
type op struct {
	id, summary, tag string
	query            []param
	body             string // request body schema name, "" for none
	status           int    // success status; 200 when zero
	resp             string // success body schema name, "" for an empty answer
	ndjson           string // schema of each line when Accept: application/x-ndjson
	ifMatch          bool   // honours If-Match for optimistic concurrency
	etag             bool   // answers with an ETag
}

// param documents a query parameter.
type param struct {
	name, typ, desc string
	enum            []string
	format          string
}

func (o op) successStatus() int {
	if o.status == 0 {
		return http.StatusOK
	}
	return o.status
}

// table lists every route the API serves. The job routes exist only when
// a jobs service was given.
func (a *api) table() []route {
	const (
		get, post, patch, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
		created, gone         = http.StatusCreated, http.StatusNoContent
	)
	rs := []route{
		{method: get, path: "/api/v1/openapi.json", h: a.getOpenAPI, public: true,
			doc: op{id: "getOpenAPI", tag: "meta", summary: "This OpenAPI document", resp: "OpenAPIDocument"}},
		{method: get, path: "/api/v1/me", h: a.getMe,
			doc: op{id: "getMe", tag: "users", summary: "The caller's own user record", resp: "User"}},

		{method: get, path: "/api/v1/cis", h: a.listCIs,
			doc: op{id: "listCIs", tag: "cmdb", summary: "List and search configuration items", query: ciFilterParams, resp: "CIPage"}},
		{method: post, path: "/api/v1/cis", h: a.createCI,
			doc: op{id: "createCI", tag: "cmdb", summary: "Create a configuration item", body: "CIInput", status: created, resp: "CI", etag: true}},
		{method: post, path: "/api/v1/cis/bulk", h: a.bulkCIs, upload: true,
			doc: op{id: "bulkCIs", tag: "cmdb", summary: "Create or update many CIs with import reconciliation (a JSON array in the JSON import format)", body: "CIBulk", query: strictParams, status: created, resp: "ImportReport"}},
		{method: get, path: "/api/v1/cis/{key}", h: a.getCI,
			doc: op{id: "getCI", tag: "cmdb", summary: "One configuration item", resp: "CI", etag: true}},
		{method: patch, path: "/api/v1/cis/{key}", h: a.patchCI,
			doc: op{id: "updateCI", tag: "cmdb", summary: "Change some fields of a CI (absent or null fields stay as they are)", body: "CIPatch", resp: "CI", ifMatch: true, etag: true}},
		{method: del, path: "/api/v1/cis/{key}", h: a.deleteCI,
			doc: op{id: "deleteCI", tag: "cmdb", summary: "Delete a CI and its relationships", status: gone}},
		{method: get, path: "/api/v1/cis/{key}/relations", h: a.listRelations,
			doc: op{id: "listRelations", tag: "cmdb", summary: "Relationships of a CI, both directions", resp: "RelationList"}},
		{method: get, path: "/api/v1/cis/{key}/impact", h: a.getImpact,
			doc: op{id: "getImpact", tag: "cmdb", summary: "Impact analysis: what depends on this CI (downstream) or what it is built on (upstream)", query: impactParams, resp: "Impact"}},
		{method: post, path: "/api/v1/relations", h: a.createRelation,
			doc: op{id: "createRelation", tag: "cmdb", summary: "Add a relationship between two CIs", body: "RelationInput", status: created, resp: "Relation"}},
		{method: del, path: "/api/v1/relations/{id}", h: a.deleteRelation,
			doc: op{id: "deleteRelation", tag: "cmdb", summary: "Remove a relationship", status: gone}},

		{method: post, path: "/api/v1/imports/{format}", h: a.runImport, upload: true,
			doc: op{id: "runImport", tag: "imports", summary: "Import a discovery file (nmap XML, CSV or JSON), raw body or multipart field \"file\"", body: "Upload", query: importParams, status: created, resp: "ImportReport"}},
		{method: get, path: "/api/v1/imports", h: a.listImports,
			doc: op{id: "listImports", tag: "imports", summary: "Past imports, newest first (rows omitted)", query: pageParams, resp: "ImportPage"}},
		{method: get, path: "/api/v1/imports/{key}", h: a.getImport,
			doc: op{id: "getImport", tag: "imports", summary: "One import report with its rows", resp: "ImportReport"}},

		{method: get, path: "/api/v1/users", h: a.listUsers,
			doc: op{id: "listUsers", tag: "users", summary: "List users (requesters see only themselves)", query: userFilterParams, resp: "UserPage"}},
		{method: post, path: "/api/v1/users", h: a.createUser,
			doc: op{id: "createUser", tag: "users", summary: "Create a user", body: "UserInput", status: created, resp: "User"}},
		{method: get, path: "/api/v1/users/{username}", h: a.getUser,
			doc: op{id: "getUser", tag: "users", summary: "One user", resp: "User"}},
		{method: patch, path: "/api/v1/users/{username}", h: a.patchUser,
			doc: op{id: "updateUser", tag: "users", summary: "Change a user", body: "UserPatch", resp: "User"}},
		{method: del, path: "/api/v1/users/{username}", h: a.deleteUser,
			doc: op{id: "deleteUser", tag: "users", summary: "Delete a user", status: gone}},

		{method: get, path: "/api/v1/teams", h: a.listTeams,
			doc: op{id: "listTeams", tag: "users", summary: "List teams", resp: "TeamList"}},
		{method: post, path: "/api/v1/teams", h: a.createTeam,
			doc: op{id: "createTeam", tag: "users", summary: "Create a team", body: "TeamInput", status: created, resp: "Team"}},
		{method: get, path: "/api/v1/teams/{name}", h: a.getTeam,
			doc: op{id: "getTeam", tag: "users", summary: "One team", resp: "Team"}},
		{method: patch, path: "/api/v1/teams/{name}", h: a.patchTeam,
			doc: op{id: "updateTeam", tag: "users", summary: "Change a team", body: "TeamPatch", resp: "Team"}},
		{method: del, path: "/api/v1/teams/{name}", h: a.deleteTeam,
			doc: op{id: "deleteTeam", tag: "users", summary: "Delete a team", status: gone}},

		{method: get, path: "/api/v1/tokens", h: a.listTokens,
			doc: op{id: "listTokens", tag: "tokens", summary: "API tokens: your own, or ?user= for an admin", query: []param{{name: "user", typ: "string", desc: "username whose tokens to list (admins)"}}, resp: "TokenList"}},
		{method: post, path: "/api/v1/tokens", h: a.createToken,
			doc: op{id: "createToken", tag: "tokens", summary: "Issue an API token; the secret is in this answer only", body: "TokenInput", status: created, resp: "NewToken"}},
		{method: del, path: "/api/v1/tokens/{id}", h: a.deleteToken,
			doc: op{id: "revokeToken", tag: "tokens", summary: "Revoke an API token", status: gone}},

		{method: get, path: "/api/v1/audit", h: a.listAudit,
			doc: op{id: "listAudit", tag: "audit", summary: "Audit entries, newest first; with Accept: application/x-ndjson every matching entry, oldest first, as JSON lines", query: auditFilterParams, resp: "AuditPage", ndjson: "AuditEntry"}},
		{method: get, path: "/api/v1/audit/verify", h: a.verifyAudit,
			doc: op{id: "verifyAudit", tag: "audit", summary: "Verify the audit hash chain", resp: "AuditVerification"}},
	}
	if a.d.Jobs != nil {
		rs = append(rs,
			route{method: get, path: "/api/v1/jobs", h: a.listJobs,
				doc: op{id: "listJobs", tag: "jobs", summary: "Background jobs by status (dead: failed for good)", query: jobParams, resp: "JobList"}},
			route{method: post, path: "/api/v1/jobs/{id}/retry", h: a.retryJob,
				doc: op{id: "retryJob", tag: "jobs", summary: "Queue a dead job again", resp: "Job"}},
		)
	}
	return rs
}

// pathParams lists the {names} in a route path.
func pathParams(path string) []string {
	var names []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			names = append(names, strings.TrimSuffix(strings.TrimPrefix(seg, "{"), "}"))
		}
	}
	return names
}

// Query parameters shared by several routes.
var (
	pageParams = []param{
		{name: "cursor", typ: "string", desc: "next_cursor of the previous page"},
		{name: "limit", typ: "integer", desc: "page size, 1 to 500 (default 50)"},
	}
	strictParams = []param{
		{name: "strict", typ: "boolean", desc: "reject the whole import when any row is rejected"},
	}
	importParams = append([]param{
		{name: "filename", typ: "string", desc: "name recorded with the import when the body is a raw file"},
	}, strictParams...)
	impactParams = []param{
		{name: "direction", typ: "string", enum: []string{"downstream", "upstream"}, desc: "downstream (default): what is affected if this CI fails; upstream: what it is built on"},
		{name: "depth", typ: "integer", desc: "maximum number of hops"},
	}
	jobParams = []param{
		{name: "status", typ: "string", enum: []string{"queued", "running", "done", "dead"}, desc: "job status (default dead)"},
		{name: "limit", typ: "integer", desc: "at most this many, 1 to 500 (default 50)"},
	}
)

package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/paging"
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
	// maxBody overrides the body limit (the imports route, whose scanner
	// reports may be gigabytes; its handler keeps 64 MiB for discovery
	// files).
	maxBody int64
	// write marks a route that changes state: a token limited to reading
	// (auth.ScopeRead) is refused with 403. Every route whose method is
	// not GET must set it (TestWritesAreMarked).
	write bool
	// temporary marks a route a user who signed in with a temporary
	// password may call: what changing it needs. Every other route
	// refuses them with 403 (TestTemporaryPasswordGate).
	temporary bool
	doc       op
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

// scope is the token scope a caller's credential needs for the route.
func (rt route) scope() auth.TokenScope {
	if rt.write {
		return auth.ScopeFull
	}
	return auth.ScopeRead
}

// op documents an operation for the OpenAPI document. summary and desc
// are required (New panics without them): desc says what a caller needs
// beyond the summary, such as defaults, side effects and what is refused.
type op struct {
	id, summary, tag string
	desc             string
	// perm is the permission the service checks; "" for any signed-in
	// caller. The document names the roles holding it, and the
	// authorisation test holds that list against what the roles get.
	perm    auth.Action
	query   []param
	body    string // request body schema name, "" for none
	status  int    // success status; 200 when zero
	resp    string // success body schema name, "" for an empty answer
	ndjson  string // schema of each line when Accept: application/x-ndjson
	ifMatch bool   // honours If-Match for optimistic concurrency
	etag    bool   // answers with an ETag
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

// who says in words who may call the route, from the permission table.
func (rt route) who() string {
	switch {
	case rt.public:
		return "Anyone may call it, without credentials."
	case rt.doc.perm == "":
		return "Any signed-in user may call it."
	}
	roles := rt.doc.perm.Roles()
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return "Needs permission " + string(rt.doc.perm) + ", held by the roles " + strings.Join(names, ", ") + "."
}

// checkTable panics on a route the document could not describe.
func checkTable(routes []route) {
	ids := map[string]bool{}
	for _, rt := range routes {
		switch {
		case rt.doc.id == "" || ids[rt.doc.id]:
			panic("httpapi: " + rt.pattern() + ": missing or repeated operation id " + rt.doc.id)
		case rt.doc.summary == "" || rt.doc.desc == "" || rt.doc.tag == "":
			panic("httpapi: " + rt.pattern() + ": every route needs a summary, a description and a tag")
		case rt.doc.perm != "" && !rt.doc.perm.Valid():
			panic("httpapi: " + rt.pattern() + ": unknown permission " + string(rt.doc.perm))
		}
		ids[rt.doc.id] = true
	}
}

// table lists every route the API serves. The job routes exist only when
// a jobs service was given.
func (a *api) table() []route {
	const (
		get, post, put, patch, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
		created, gone              = http.StatusCreated, http.StatusNoContent
	)
	rs := []route{
		{method: get, path: "/api/v1/openapi.json", h: a.getOpenAPI, public: true,
			doc: op{id: "getOpenAPI", tag: "meta", summary: "This OpenAPI document", resp: "OpenAPIDocument",
				desc: "The contract of this API as an OpenAPI 3.0 document, generated from the same route table that serves " +
					"the requests, so it lists exactly what this server answers. Shared caches may keep it for 5 minutes."}},
		{method: get, path: "/api/v1/me", h: a.getMe, temporary: true,
			doc: op{id: "getMe", tag: "users", summary: "The caller's own user record", resp: "User",
				desc: "Your user record: username, roles, teams, and whether you must change your password first. " +
					"Scripts use it to check which account a token acts as."}},
		{method: post, path: "/api/v1/me/password", h: a.changeOwnPassword, write: true, temporary: true,
			doc: op{id: "changeOwnPassword", tag: "users", summary: "Change your own password", body: "PasswordChange", status: gone,
				desc: "Checks your current password and sets the new one (at least 12 characters, not your username, not " +
					"the current one); your other sessions end, this one stays signed in. A wrong current password counts " +
					"as a failed sign-in: after a few, attempts wait a growing delay and then the account is locked for a " +
					"while (429 with Retry-After). This is the one write a user signed in with a temporary password may " +
					"make. Recorded in the audit log without either password."}},

		{method: get, path: "/api/v1/cis", h: a.listCIs,
			doc: op{id: "listCIs", tag: "cmdb", summary: "List and search configuration items", query: ciFilterParams, resp: "CIPage", perm: auth.CIRead,
				desc: "CIs matching every filter given, in the order sort names (by name unless told), one page at a time: " +
					"pass next_cursor back as cursor until it is absent. total counts the matches in all pages. q searches " +
					"names and identifiers for words anywhere in them. Requesters see and count only the CIs they own. For " +
					"incremental sync, page through updated_since=<time of your last sync>&include_deleted=true: changed " +
					"CIs, then the tombstones of deleted ones."}},
		{method: post, path: "/api/v1/cis", h: a.createCI, write: true,
			doc: op{id: "createCI", tag: "cmdb", summary: "Create a configuration item", body: "CIInput", status: created, resp: "CI", etag: true, perm: auth.CIWrite,
				desc: "Creates one CI and answers with it, its new key (CI-n) in Location and its version in ETag. " +
					"Absent fields get the defaults: business_criticality 3, data_classification internal, lifecycle_status " +
					"operational. owner must name an existing user and support_group an existing team; an identifier that " +
					"already belongs to another CI is refused (409) naming that CI. The creation is written to the audit log. " +
					"To add assets that may already exist, use POST /api/v1/cis/bulk, which matches them by identifier."}},
		{method: post, path: "/api/v1/cis/bulk", h: a.bulkCIs, write: true, upload: true,
			doc: op{id: "bulkCIs", tag: "cmdb", summary: "Create or update many CIs with import reconciliation (a JSON array in the JSON import format)", body: "CIBulk", query: bulkParams, status: created, resp: "ImportReport", perm: auth.ImportRun,
				desc: "Reconciles each element (the JSON import format, docs/import-formats.md) with the CMDB by its " +
					"identifiers: no match creates a CI, one match updates it (identifiers and tags are added, attributes " +
					"merged), several matches reject the element as a conflict. The whole array is one import with a stored " +
					"report (IMP-n) counting each outcome and listing rejected elements; sending the same array twice " +
					"changes nothing the second time. Body up to 64 MiB."}},
		{method: get, path: "/api/v1/cis/{key}", h: a.getCI,
			doc: op{id: "getCI", tag: "cmdb", summary: "One configuration item", resp: "CI", etag: true, perm: auth.CIRead,
				desc: "The CI with this key (any case: ci-314 finds CI-314); ETag carries its version for a later PATCH. " +
					"A CI the caller may not see answers 404, exactly like one that does not exist."}},
		{method: patch, path: "/api/v1/cis/{key}", h: a.patchCI, write: true,
			doc: op{id: "updateCI", tag: "cmdb", summary: "Change some fields of a CI (absent or null fields stay as they are)", body: "CIPatch", resp: "CI", ifMatch: true, etag: true, perm: auth.CIWrite,
				desc: "Merge-style update: a field given replaces the stored value (tags, identifiers and attributes as a " +
					"whole), an absent or null field keeps it. Send the version you read, as If-Match or in the body, and " +
					"the update is refused when someone changed the CI since, instead of overwriting their change. " +
					"Answers with the updated CI; the audit log records the fields that changed."}},
		{method: del, path: "/api/v1/cis/{key}", h: a.deleteCI, write: true,
			doc: op{id: "deleteCI", tag: "cmdb", summary: "Delete a CI and its relationships", status: gone, perm: auth.CIWrite,
				desc: "Deletes the CI with its identifiers and every relationship to or from it, in one transaction. " +
					"The audit log keeps the CI's last state and one entry per removed relationship."}},
		{method: post, path: "/api/v1/cis/{key}/release-sources", h: a.releaseSources, write: true,
			doc: op{id: "releaseSources", tag: "cmdb", summary: "Hand fields of a CI back to imports", body: "ReleaseSources", resp: "CI", perm: auth.CIWrite,
				desc: "Whoever holds the named fields (a person, or an import source: see the CI's sources) no longer " +
					"does, so the next import that gives them sets them. Values stay as they are. Fields nobody holds are " +
					"left alone, and when none of the fields is held nothing is written. A name that is not a field " +
					"whose source is recorded is 422. Recorded in the audit log (action release_sources) with who held " +
					"each field."}},
		{method: get, path: "/api/v1/cis/{key}/relations", h: a.listRelations,
			doc: op{id: "listRelations", tag: "cmdb", summary: "Relationships of a CI, both directions", resp: "RelationList", perm: auth.CIRead,
				desc: "Every relationship in which the CI is the source or the target, in one list (not paged). " +
					"Relationships whose other CI the caller may not see are left out."}},
		{method: get, path: "/api/v1/cis/{key}/impact", h: a.getImpact,
			doc: op{id: "getImpact", tag: "cmdb", summary: "Impact analysis: what depends on this CI (downstream) or what it is built on (upstream)", query: impactParams, resp: "Impact", perm: auth.CIRead,
				desc: "Walks the relationship graph breadth-first from the CI. downstream (default) finds everything that " +
					"needs it, directly or through others: what is affected if it fails. upstream finds what it runs on, " +
					"depends on or is hosted on. The walk passes only through CIs the caller may see and stops at depth " +
					"hops or 10,000 CIs, setting truncated when more were reachable."}},
		{method: post, path: "/api/v1/relations", h: a.createRelation, write: true,
			doc: op{id: "createRelation", tag: "cmdb", summary: "Add a relationship between two CIs", body: "RelationInput", status: created, resp: "Relation", perm: auth.CIWrite,
				desc: "Adds \"source type target\", read as \"the source needs the target\" (web-01 runs_on vm-host-3), so " +
					"impact flows from target to source. Both CIs must exist and be visible to the caller (422 naming " +
					"the field otherwise); a CI related to itself is refused, and the same typed relationship twice is 409."}},
		{method: del, path: "/api/v1/relations/{id}", h: a.deleteRelation, write: true,
			doc: op{id: "deleteRelation", tag: "cmdb", summary: "Remove a relationship", status: gone, perm: auth.CIWrite,
				desc: "Removes one relationship by the id listed in GET /api/v1/cis/{key}/relations. Both CIs stay; " +
					"the audit log records the removal."}},

		{method: post, path: "/api/v1/imports/{format}", h: a.runImport, write: true, upload: true, maxBody: maxReportBody,
			doc: op{id: "runImport", tag: "imports", summary: "Import a discovery file (nmap XML, CSV, JSON), a scanner report (Trivy, Grype, SARIF, OpenVAS, Nessus, Nuclei) or a threat feed (CISA KEV, FIRST EPSS), raw body or multipart field \"file\"", body: "Upload", query: importParams, status: created, resp: "ImportReport", perm: auth.ImportRun,
				desc: "Send the file as the raw body, or as the field \"file\" of a multipart form. Discovery files " +
					"(nmap, csv, json; up to 64 MiB) are read completely first: a file that cannot be read (malformed or " +
					"truncated, XML with entities, an unknown CSV column) imports nothing and answers 400 naming the line. " +
					"Each row is then matched to CIs by identifiers like POST /api/v1/cis/bulk, in chunks, each its own " +
					"transaction; rows with bad values are rejected and listed with their errors while the others apply. " +
					"With strict=true every row is checked first and any rejection applies nothing (422 with the report). " +
					"Scanner reports (trivy, grype, sarif, openvas, nessus, nuclei; up to 4 GiB) are read streaming and " +
					"applied in chunks: each finding is matched by its identity (target, identifier, package/version/path or " +
					"file/line, docs/vuln.md) to the stored finding, created, updated or left alone; importing the same " +
					"report twice changes nothing. Targets are matched to CIs by identifier and those that match none are " +
					"listed as rows of action unmatched; findings no longer reported by a rescan of their target are fixed. " +
					"A report that cannot be read answers 400 naming where; if chunks were already applied they stay and " +
					"the answer carries the failed report. kev and epss import the threat feeds (CISA's JSON catalogue, " +
					"FIRST's CSV). An import that stops part-way answers with its error and the stored report (status " +
					"failed, applied_through). Formats and guarantees: docs/import-formats.md, docs/vuln.md."}},
		{method: get, path: "/api/v1/imports", h: a.listImports,
			doc: op{id: "listImports", tag: "imports", summary: "Past imports, newest first (rows omitted)", query: pageParams, resp: "ImportPage", perm: auth.ImportRead,
				desc: "Import reports with their counts, newest first, paged by cursor without a total. Row detail is " +
					"left out; GET /api/v1/imports/{key} has it. Staff only, since a report names CIs across the whole CMDB."}},
		{method: get, path: "/api/v1/imports/{key}", h: a.getImport,
			doc: op{id: "getImport", tag: "imports", summary: "One import report with a page of its rows", query: pageParams, resp: "ImportReport", perm: auth.ImportRead,
				desc: "The report of one import (IMP-n, any case): who ran it, when, how far it got, the counts, and " +
					"one page of the rows kept with it (every rejected row with its errors; a conflict names the CIs it " +
					"matched; a row that kept a field names it and why), continued with ?cursor= from next_cursor."}},
		{method: get, path: "/api/v1/cmdb/source-precedence", h: a.getSourcePrecedence,
			doc: op{id: "getSourcePrecedence", tag: "imports", summary: "The order of import sources, highest first", resp: "SourcePrecedence", perm: auth.ImportRead,
				desc: "Every field of a CI remembers who last set it (a CI's sources). An import does not overwrite a field " +
					"held by a source ranked above its own, and its report lists each field it kept and why. Manual edits " +
					"rank above every import source; import sources rank in this order; sources not listed rank below " +
					"every listed one, equal with each other (the latest import wins among equals)."}},
		{method: put, path: "/api/v1/cmdb/source-precedence", h: a.putSourcePrecedence, write: true,
			doc: op{id: "setSourcePrecedence", tag: "imports", summary: "Replace the order of import sources", body: "SourcePrecedence", resp: "SourcePrecedence", perm: auth.CMDBConfigure,
				desc: "Replaces the whole list, highest first (names are lower-cased; manual is reserved; no name twice; " +
					"at most 100). Imports running meanwhile follow it from their next chunk of rows. The change is " +
					"written to the audit log (kind source_precedence) with the order before and after."}},

		{method: get, path: "/api/v1/findings", h: a.listFindings,
			doc: op{id: "listFindings", tag: "vulnerabilities", summary: "Vulnerability findings, highest priority first", query: findingFilterParams, resp: "FindingPage", perm: auth.FindingRead,
				desc: "Findings matching every filter given, P1 first (then by key), paged by cursor with a total. " +
					"Each carries its primary CVSS vector and score, EPSS probability, KEV membership with CISA's due date, " +
					"its priority with the reasons (one line per factor of the risk formula, docs/vuln.md), its state and " +
					"remediation due date. Staff only."}},
		{method: get, path: "/api/v1/findings/{key}", h: a.getFinding,
			doc: op{id: "getFinding", tag: "vulnerabilities", summary: "One finding with everything the scanner said", resp: "Finding", perm: auth.FindingRead,
				desc: "The finding with this key (VUL-n, any case), with detail: every CVSS vector, texts, references " +
					"and the scanner's own severity. A finding the caller may not see answers 404."}},

		{method: patch, path: "/api/v1/findings/{key}", h: a.patchFinding, write: true,
			doc: op{id: "updateFinding", tag: "vulnerabilities", summary: "Move a finding through its life cycle", body: "FindingStateChange", resp: "Finding", perm: auth.FindingWrite,
				desc: "state in_remediation (from open or reopened) or open (back from in_remediation) needs finding:write. " +
					"risk_accepted (with approver, reason and expires_at, in the future and at most a year ahead) and " +
					"false_positive (with reviewer and reason), from an active state, and open again from either, need " +
					"finding:decide (admin, security_analyst). fixed and reopened are set by scanner imports only; an " +
					"expired risk acceptance reopens the finding by itself. A move the current state does not allow is 409. " +
					"The change and the decision are written to the audit log."}},
		{method: get, path: "/api/v1/remediations", h: a.listRemediations,
			doc: op{id: "listRemediations", tag: "vulnerabilities", summary: "Remediation tasks: active findings grouped per CI and per fix", query: remediationParams, resp: "RemediationList", perm: auth.FindingRead,
				desc: "Active findings (open, in remediation, reopened) grouped into one task per CI (or per target that " +
					"matched no CI) and per fix: the same package upgraded to the same fixed version, or the same rule or " +
					"plugin. Each task names the CI's support group, who it is assigned to, and carries the highest priority " +
					"and earliest due date of its findings; most urgent first, at most limit tasks (not paged)."}},

		{method: get, path: "/api/v1/users", h: a.listUsers,
			doc: op{id: "listUsers", tag: "users", summary: "List users (requesters see only themselves)", query: userFilterParams, resp: "UserPage", perm: auth.UserRead,
				desc: "Users matching every filter given, ordered by username, paged by cursor with a total. " +
					"Staff see the whole directory so they can assign work; requesters see and count only themselves."}},
		{method: post, path: "/api/v1/users", h: a.createUser, write: true,
			doc: op{id: "createUser", tag: "users", summary: "Create a user", body: "UserInput", status: created, resp: "User", perm: auth.UserManage,
				desc: "Creates an account with at least one role and a password (at least 12 characters, not the " +
					"username). The username is stored lower-case; a taken one is 409, unknown teams are 422. " +
					"Recorded in the audit log without the password."}},
		{method: get, path: "/api/v1/users/{username}", h: a.getUser,
			doc: op{id: "getUser", tag: "users", summary: "One user", resp: "User", perm: auth.UserRead,
				desc: "The user with this username. Requesters get 404 for anyone but themselves."}},
		{method: patch, path: "/api/v1/users/{username}", h: a.patchUser, write: true,
			doc: op{id: "updateUser", tag: "users", summary: "Change a user", body: "UserPatch", resp: "User", perm: auth.UserManage,
				desc: "A field given replaces the stored value (roles and teams as whole lists); absent or null keeps it. " +
					"A password set here is a reset: the user must change it at next sign-in and their sessions end. " +
					"disabled=true ends their sessions and refuses their tokens. A change that would leave no enabled " +
					"admin is refused (409)."}},
		{method: post, path: "/api/v1/users/{username}/password-reset", h: a.resetPassword, write: true,
			doc: op{id: "resetPassword", tag: "users", summary: "Give a user a new one-time password", resp: "PasswordReset", perm: auth.UserManage,
				desc: "Sets a new random password and returns it in this answer only, for the admin to hand over. " +
					"It is a reset: the user must choose their own password at next sign-in (even when resetting " +
					"your own) and every session of theirs ends. Recorded in the audit log without the password. " +
					"An unknown user is 404."}},
		{method: post, path: "/api/v1/users/{username}/unlock", h: a.unlockUser, write: true,
			doc: op{id: "unlockUser", tag: "users", summary: "Lift a user's sign-in lock", status: gone, perm: auth.UserManage,
				desc: "After repeated failed sign-ins an account waits a growing delay and is then locked for 15 minutes; " +
					"this lifts the account's delay or lock at once (the throttle of the client addresses that failed " +
					"stays). Recorded in the audit log when there was something to lift. An unknown user is 404."}},
		{method: del, path: "/api/v1/users/{username}", h: a.deleteUser, write: true,
			doc: op{id: "deleteUser", tag: "users", summary: "Delete a user", status: gone, perm: auth.UserManage,
				desc: "Deletes the account with its sessions, tokens and team memberships; CIs it owned become unowned. " +
					"Deleting yourself or the last enabled admin is refused (409). To keep the history of who did what, " +
					"prefer disabling (PATCH disabled=true)."}},

		{method: get, path: "/api/v1/teams", h: a.listTeams,
			doc: op{id: "listTeams", tag: "users", summary: "List teams", resp: "TeamList", perm: auth.UserRead,
				desc: "Every team with its members, ordered by name (not paged). Requesters see only the teams they " +
					"belong to, and of the members only themselves."}},
		{method: post, path: "/api/v1/teams", h: a.createTeam, write: true,
			doc: op{id: "createTeam", tag: "users", summary: "Create a team", body: "TeamInput", status: created, resp: "Team", perm: auth.UserManage,
				desc: "Creates an assignment group; CIs name it as their support_group. Members are usernames that must " +
					"exist. A taken name is 409."}},
		{method: get, path: "/api/v1/teams/{name}", h: a.getTeam,
			doc: op{id: "getTeam", tag: "users", summary: "One team", resp: "Team", perm: auth.UserRead,
				desc: "The team with this name and its members. A team the caller may not see answers 404."}},
		{method: patch, path: "/api/v1/teams/{name}", h: a.patchTeam, write: true,
			doc: op{id: "updateTeam", tag: "users", summary: "Change a team", body: "TeamPatch", resp: "Team", perm: auth.UserManage,
				desc: "A field given replaces the stored value (members as a whole list); absent or null keeps it. " +
					"The name cannot change."}},
		{method: del, path: "/api/v1/teams/{name}", h: a.deleteTeam, write: true,
			doc: op{id: "deleteTeam", tag: "users", summary: "Delete a team", status: gone, perm: auth.UserManage,
				desc: "Deletes the team; CIs it supported keep no support group. Users stay."}},

		{method: get, path: "/api/v1/tokens", h: a.listTokens,
			doc: op{id: "listTokens", tag: "tokens", summary: "API tokens: your own, or ?user= for an admin", query: []param{{name: "user", typ: "string", desc: "username whose tokens to list; another user's need token:manage (admin). Default: yours"}}, resp: "TokenList",
				desc: "Tokens newest first, revoked and expired ones included, without their secrets. Your own; listing " +
					"another user's needs token:manage (admin)."}},
		{method: post, path: "/api/v1/tokens", h: a.createToken, write: true,
			doc: op{id: "createToken", tag: "tokens", summary: "Issue an API token; the secret is in this answer only", body: "TokenInput", status: created, resp: "NewToken",
				desc: "Issues a token for yourself, or with user for someone else (token:manage, admin). The secret in " +
					"token is shown in this answer only and stored as a hash: keep it. Send it as Authorization: Bearer " +
					"TOKEN; it acts with the roles of its user. Every token expires: 90 days from now unless expires_at " +
					"says otherwise, at most 365 days. Its last use is recorded (at most once a minute). An admin's " +
					"password reset or disabling the user revokes it for good. Recorded in the audit log without the secret."}},
		{method: del, path: "/api/v1/tokens/{id}", h: a.deleteToken, write: true,
			doc: op{id: "revokeToken", tag: "tokens", summary: "Revoke an API token", status: gone,
				desc: "Revokes the token at once: requests with it answer 401 from then on. Revoking a revoked token " +
					"does nothing. Your own tokens; anyone's with token:manage (admin)."}},

		{method: get, path: "/api/v1/audit", h: a.listAudit,
			doc: op{id: "listAudit", tag: "audit", summary: "Audit entries, newest first; with Accept: application/x-ndjson every matching entry, oldest first, as JSON lines", query: auditFilterParams, resp: "AuditPage", ndjson: "AuditEntry", perm: auth.AuditRead,
				desc: "Entries matching every filter given, newest first, paged by cursor with a total. With " +
					"Accept: application/x-ndjson the answer is instead every matching entry, oldest first, one JSON " +
					"object per line, streamed without a page limit (cursor and limit are ignored): the export for a SIEM " +
					"or an archive."}},
		{method: get, path: "/api/v1/audit/verify", h: a.verifyAudit,
			doc: op{id: "verifyAudit", tag: "audit", summary: "Verify the audit hash chains", query: auditVerifyParams, resp: "AuditVerification", perm: auth.AuditRead,
				desc: "Recomputes, for each stream the caller may read (security: audit:read-restricted), the hash of " +
					"every entry since the last verification (every entry with full=true) and its link to the one before, " +
					"and checks the stream's head and each anchor given. A broken chain is a finding, not a failed " +
					"request: 200 with ok=false and, per stream, the first entry that does not hold and why."}},
	}
	rs = append(rs, a.incidentRoutes()...)
	rs = append(rs, a.slaRoutes()...)
	if a.d.Jobs != nil {
		rs = append(rs,
			route{method: get, path: "/api/v1/jobs", h: a.listJobs,
				doc: op{id: "listJobs", tag: "jobs", summary: "Background jobs by status (dead: failed for good)", query: jobParams, resp: "JobList", perm: auth.JobsAdmin,
					desc: "Jobs of one status, newest first, at most limit of them (no cursor). The default, dead, lists " +
						"jobs whose every attempt failed: they are never dropped silently and wait here to be retried."}},
			route{method: post, path: "/api/v1/jobs/{id}/retry", h: a.retryJob, write: true,
				doc: op{id: "retryJob", tag: "jobs", summary: "Queue a dead job again", resp: "Job", perm: auth.JobsAdmin,
					desc: "Sends a dead job back to its queue, due now with its attempts reset, and records who did it " +
						"in the audit log. A job that is not dead is 409."}},
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
		{name: "cursor", typ: "string", desc: "next_cursor of the previous page, with the same filters; absent for the first page"},
		{name: "limit", typ: "integer", desc: fmt.Sprintf("page size, 1 to %d (default %d)", paging.MaxLimit, paging.DefaultLimit)},
	}
	strictParams = []param{
		{name: "strict", typ: "boolean", desc: "true: apply nothing when any row is rejected, and answer 422 with the report of the rejected rows. Default false: apply the good rows"},
	}
	sourceParam  = param{name: "source", typ: "string", desc: "the import source the fields this import sets are recorded as set by, e.g. nmap-dmz or cmdb-sync: it may not overwrite a field held by a person or by a source ranked above it (GET /api/v1/cmdb/source-precedence). Default: the format (nmap, csv, json)"}
	importParams = append([]param{
		{name: "filename", typ: "string", desc: "file name recorded in the report when the body is the raw file (a multipart upload carries its own)"},
		sourceParam,
	}, strictParams...)
	bulkParams   = append([]param{sourceParam}, strictParams...)
	impactParams = []param{
		{name: "direction", typ: "string", enum: []string{"downstream", "upstream"}, desc: "downstream: what is affected if this CI fails; upstream: what it is built on. Default: upstream for a business service (nothing is built on one), downstream for every other kind; the answer's direction says which was used"},
		{name: "depth", typ: "integer", desc: "how many relationship hops to follow, 1 to 50 (default 10)"},
	}
	findingFilterParams = append([]param{
		{name: "ci", typ: "string", desc: "only findings on the CI with this key (CI-n)"},
		{name: "priority", typ: "string", desc: "only these priorities, comma-separated (P1 to P5)"},
		{name: "state", typ: "string", desc: "only these states, comma-separated: open, in_remediation, fixed, reopened, risk_accepted, false_positive"},
		{name: "kev", typ: "boolean", desc: "true: only findings with a CVE in CISA's KEV catalogue; false: only those without"},
		{name: "cve", typ: "string", desc: "only findings about this CVE (its identifier or one of its CVEs)"},
		{name: "updated_since", typ: "string", format: "date-time", desc: "only findings changed at or after this time (RFC 3339)"},
	}, pageParams...)
	remediationParams = []param{
		{name: "ci", typ: "string", desc: "only the tasks of the CI with this key (CI-n)"},
		{name: "limit", typ: "integer", desc: fmt.Sprintf("at most this many tasks, 1 to %d (default %d)", paging.MaxLimit, paging.DefaultLimit)},
	}
	jobParams = []param{
		{name: "status", typ: "string", enum: []string{"queued", "running", "done", "dead"}, desc: "only jobs in this status (default dead: failed every attempt)"},
		{name: "limit", typ: "integer", desc: fmt.Sprintf("at most this many jobs, 1 to %d (default %d)", paging.MaxLimit, paging.DefaultLimit)},
	}
)

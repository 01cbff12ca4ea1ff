package httpapi

import (
	"slices"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// obj is a piece of the OpenAPI document.
type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func str(desc string) obj { return obj{"type": "string", "description": desc} }

func enum(desc string, values []string) obj {
	return obj{"type": "string", "description": desc, "enum": values}
}

func integer(desc string) obj { return obj{"type": "integer", "format": "int64", "description": desc} }

func boolean(desc string) obj { return obj{"type": "boolean", "description": desc} }

func timestamp(desc string) obj {
	return obj{"type": "string", "format": "date-time", "description": desc}
}

func array(desc string, items obj) obj {
	return obj{"type": "array", "description": desc, "items": items}
}

// nullable marks a value the server may send as null (an empty Go slice).
func nullable(s obj) obj {
	out := obj{"nullable": true}
	for k, v := range s {
		out[k] = v
	}
	return out
}

// object is a closed object: a field the schema does not list fails the
// response validation test, so the document cannot fall behind the code.
func object(desc string, required []string, props obj) obj {
	o := obj{"type": "object", "description": desc, "additionalProperties": false, "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// freeform is an object with any members (CI attributes, audit states).
func freeform(desc string) obj {
	return obj{"type": "object", "description": desc, "additionalProperties": true}
}

// totalCap is paging.TotalCap as the document writes it.
var totalCap = paging.TotalText(paging.TotalCap, false)

func pageOf(desc, item string, withTotal bool) obj {
	props := obj{
		"items":       array("this page's "+item+" records, in the list's order", ref(item)),
		"next_cursor": str("opaque; pass as ?cursor= (with the same filters) for the next page. Absent on the last page"),
	}
	req := []string{"items"}
	if withTotal {
		props["total"] = integer("how many records match the filters in all pages, not only this one, counted up to " +
			totalCap + ": when more match, total is " + totalCap + " and total_capped is true")
		props["total_capped"] = boolean("true when more than " + totalCap + " records match (total is then " + totalCap +
			", a lower bound: narrow the filters for an exact count); absent otherwise")
		req = append(req, "total")
	}
	return object(desc, req, props)
}

func listOfSchema(desc, item string) obj {
	return object(desc, []string{"items", "total"}, obj{
		"items": array("every "+item+" record, in the list's order", ref(item)),
		"total": integer("number of items (the list is never paged)"),
	})
}

func relationTypes() []string {
	out := make([]string, len(cmdb.RelationTypes))
	for i, t := range cmdb.RelationTypes {
		out[i] = string(t)
	}
	return out
}

// Descriptions used by several schemas.
const (
	descRelationType = "read \"source <type> target\": the source needs the target, so if the target fails the source is " +
		"affected. depends_on: needs it to work; runs_on: software on a platform; hosted_on: a VM or container on a host; " +
		"connects_to: network path; member_of: part of a cluster or group"
	descTeamMembers = "usernames of the members, sorted"
	descCIKey       = "the CI's key, e.g. CI-314"
)

// ciFields are the writable fields of a CI, shared by CI, CIInput, CIPatch.
func ciFields() obj {
	return obj{
		"name":        str("display name, 1 to 200 characters; need not be unique (identifiers tell assets apart)"),
		"kind":        enum("what sort of item this is", kindNames()),
		"description": str("free text shown on the CI's page, up to 10,000 characters"),
		"environment": str("where it runs, stored lower-case, up to 200 characters; the UI offers production, staging, " +
			"development, test and dr, any other value is kept"),
		"owner":         str("username of the person accountable for it; must exist. Requesters see only the CIs they own. Empty: unowned"),
		"support_group": str("name of the team that supports it (an existing team); empty when none"),
		"business_criticality": obj{"type": "integer", "minimum": 1, "maximum": 5,
			"description": "how much the business suffers when it fails: 1 low, 2 minor, 3 moderate (default), 4 high, 5 mission critical"},
		"data_classification": enum("most sensitive data it holds or processes; default internal", cmdb.DataClassifications),
		"internet_exposed":    boolean("reachable from the internet; filter with ?internet_exposed="),
		"supplier":            str("vendor, provider or contract it comes from, up to 200 characters"),
		"lifecycle_status":    enum("where it is in its life; default operational", cmdb.LifecycleStatuses),
		"identifiers":         ref("Identifiers"),
		"tags":                array("labels for filtering (?tag=), each up to 64 characters, at most 100; stored sorted without repeats", str("one tag, e.g. pci")),
		"attributes":          freeform("free-form JSON object, up to 64 KiB, for facts without a field (nmap puts open ports here); a patch replaces the whole object"),
	}
}

func with(base obj, extra obj) obj {
	for k, v := range extra {
		base[k] = v
	}
	return base
}

// schemas are the component schemas of the document.
func schemas() obj {
	ci := with(ciFields(), obj{
		"key":        str("human key, e.g. CI-314; never reused"),
		"version":    integer("increases with every change; send it back (or as If-Match) to update safely"),
		"created_at": timestamp("when the CI was created (UTC)"),
		"updated_at": timestamp("when the CI last changed (UTC); what updated_since filters on"),
		"tags":       nullable(array("labels for filtering (?tag=), sorted", str("one tag"))),
		"attributes": nullable(freeform("free-form attributes (nmap puts open ports here)")),
		"sources": obj{"type": "object", "additionalProperties": ref("FieldSource"),
			"description": "who last set each field, by field name (name, environment, owner... and attributes.KEY for a free " +
				"attribute): a person (source manual) or an import source. An import does not overwrite a field held by a " +
				"source ranked above its own (GET /api/v1/cmdb/source-precedence). Fields nobody set since sources were " +
				"recorded (defaults, older CIs) are absent. Read-only; absent when empty"},
	})
	ciSummary := obj{
		"key": str(descCIKey), "name": str("display name"), "kind": enum("what sort of item this is", kindNames()),
		"business_criticality": obj{"type": "integer", "description": "1 (low) to 5 (mission critical)"},
		"owner":                str("owner's username; empty when unowned"),
		"support_group":        str("supporting team's name; empty when none"),
		"internet_exposed":     boolean("reachable from the internet"),
	}
	userRoles := func(desc string) obj {
		return array(desc, enum("a role; the README's roles table says what each may do", roleNames()))
	}
	userTeams := array("names of the teams the user belongs to (teams must exist); the whole list", str("team name"))
	return with(with(obj{
		"Problem": object("RFC 9457 problem details. 400: the request could not be read (JSON syntax, unknown or mistyped field, bad query parameter, unreadable file); 422: it was read but its values break a rule.",
			[]string{"type", "title", "status"}, obj{
				"type":       str("urn:rampart:problem:<kind>, stable for programs to branch on, e.g. urn:rampart:problem:invalid"),
				"title":      str("short summary of the kind of problem, the same for every problem of that type"),
				"status":     obj{"type": "integer", "description": "the HTTP status code of this answer"},
				"detail":     str("what went wrong in this request, for people"),
				"instance":   str("path of the request"),
				"request_id": str("also in the X-Request-Id header and the server log; quote it when reporting a problem"),
				"errors":     array("one entry per bad field or parameter, so a form can show each message beside its field", ref("FieldError")),
				"report":     ref("ImportReport"),
			}),
		"FieldError": object("one bad field", []string{"field", "message"}, obj{
			"field":   str("JSON field (identifiers.ips[1]), query parameter, or \"row N: column\" of an import"),
			"message": str("what is wrong with it and what would be accepted"),
		}),
		"Identifiers": object("how a CI is recognised on the network and in clouds; any shared value matches an import row to it, and no two CIs share a value", nil, obj{
			"hostnames": array("short host names, stored lower-case", str("e.g. web-01")),
			"fqdns":     array("fully qualified domain names, stored lower-case without the trailing dot", str("e.g. web-01.example.org")),
			"ips":       array("IPv4 or IPv6 addresses, stored in canonical form", str("e.g. 192.0.2.10")),
			"macs":      array("MAC addresses, stored lower-case with colons", str("e.g. 00:1a:2b:3c:4d:5e")),
			"serial":    str("hardware serial number"),
			"cloud_id":  str("provider resource id, e.g. an AWS ARN or Azure resource id"),
		}),
		"CI":      object("configuration item", []string{"key", "name", "kind", "business_criticality", "version", "created_at", "updated_at"}, ci),
		"CIInput": object("a new configuration item", []string{"name", "kind"}, ciFields()),
		"CIPatch": object("fields to change; absent or null fields stay as they are", nil,
			with(ciFields(), obj{"version": integer("the version you read; the update is refused if the CI changed since")})),
		"CIPage": object("a page of CIs", []string{"items", "total"}, obj{
			"items": array("this page's CIs in the list's order; with include_deleted=true, after the last CI, the "+
				"tombstones of deleted CIs, oldest first", obj{"oneOf": []any{ref("CI"), ref("CITombstone")}}),
			"total":       integer("how many CIs (and tombstones) match the filters in all pages, not only this one"),
			"next_cursor": str("opaque; pass as ?cursor= (with the same filters and sort) for the next page. Absent on the last page"),
		}),
		"CITombstone": object("a CI that was deleted, for incremental sync: delete your copy of it", []string{"key", "deleted_at"}, obj{
			"key": str(descCIKey + "; keys are never reused"), "deleted_at": timestamp("when it was deleted"),
		}),
		"CIBulk": array("CIs in the JSON import format (docs/import-formats.md), matched to existing CIs by identifiers",
			freeform("one CI in the JSON import format")),
		"Relation": object("typed edge, read \"source <type> target\": the source needs the target", []string{"id", "source", "type", "target"}, obj{
			"id": integer("id to remove it with DELETE /api/v1/relations/{id}"), "source": str("key of the CI that needs the target"),
			"type": enum(descRelationType, relationTypes()), "target": str("key of the CI the source needs"),
			"created_at": timestamp("when it was added; absent in impact edges, which carry only the graph"),
		}),
		"RelationInput": object("a new relationship", []string{"source", "type", "target"}, obj{
			"source": str("key of the CI that needs the target (any case)"), "type": enum(descRelationType, relationTypes()),
			"target": str("key of the CI the source needs (any case); not the source itself"),
		}),
		"RelationList": listOfSchema("relationships of a CI in both directions", "Relation"),
		"CISummary":    object("the part of a CI impact views show", []string{"key", "name", "kind"}, ciSummary),
		"ImpactNode": object("one CI reached by impact analysis", []string{"ci", "depth", "path", "via"}, obj{
			"ci":    ref("CISummary"),
			"depth": obj{"type": "integer", "description": "hops from the root along the shortest path (1: directly related)"},
			"path":  array("CI keys of one shortest path, root first, this CI last", str("CI key")),
			"via":   enum("type of the last relation on the path", relationTypes()),
		}),
		"Impact": object("impact analysis from one CI", []string{"root", "direction", "nodes", "edges", "services", "truncated"}, obj{
			"root": ref("CISummary"),
			"direction": enum("downstream: what needs the root (affected if it fails); upstream: what the root is built on",
				[]string{"downstream", "upstream"}),
			"nodes":     nullable(array("every CI reached except the root, breadth-first", ref("ImpactNode"))),
			"edges":     nullable(array("the relationships among root and nodes that the walk followed", ref("Relation"))),
			"services":  nullable(array("the business services among nodes: who to tell", ref("ImpactNode"))),
			"truncated": boolean("the depth or size cap stopped the walk while more CIs were reachable"),
		}),
		"Upload": object("a discovery file as a multipart form field", []string{"file"}, obj{
			"file": obj{"type": "string", "format": "binary", "description": "the nmap XML, CSV or JSON file, up to 64 MiB"},
		}),
		"FieldSource": object("who last set a field of a CI", []string{"source", "by"}, obj{
			"source": str("manual: a person through the web UI, the API or the CLI; otherwise the name of the import source"),
			"by":     str("username of who made the change or ran the import"),
			"import": str("key of the import (IMP-n) that set it; absent for a manual change"),
		}),
		"KeptField": object("a field an import row offered a value for but did not set, because a source ranked above the import's holds it", []string{"field", "value", "reason", "held_by"}, obj{
			"field":   str("the field: name, environment, owner..., or attributes.KEY"),
			"value":   str("the value the row offered (an attribute's as JSON), cut at 200 characters"),
			"reason":  str("why it was kept, for people: \"set manually by alice\", or the import source that holds it and that it ranks above this one"),
			"held_by": ref("FieldSource"),
		}),
		"ReleaseSources": object("fields of a CI to hand back to imports", []string{"fields"}, obj{
			"fields": array("field names as in the CI's sources: name, environment, owner..., or attributes.KEY", str("field name")),
		}),
		"SourcePrecedence": object("the order of import sources, highest first", []string{"sources"}, obj{
			"sources": array("import source names, highest first (1 to 64 of a-z 0-9 . _ -; not manual). Manual edits rank above "+
				"every import source; a source not listed ranks below every listed one, equal with the other unlisted ones, among "+
				"which the latest import wins", str("import source name, e.g. cmdb-sync or nmap")),
		}),
		"ImportRow": object("what happened to one row of an import that needs attention", []string{"row", "label", "action"}, obj{
			"row":   obj{"type": "integer", "description": "1-based: CSV data row (the header is not a row), JSON array element, or nmap <host> in file order"},
			"label": str("how to find the row in the file, e.g. \"host 192.0.2.5\" or \"row 12 (web-01)\""),
			"action": enum("created: no CI matched, one was made; updated: one CI matched and changed; unchanged: it matched and "+
				"already held these values; rejected: not applied, see errors or conflict; unmatched (scanner reports): a "+
				"scanned target that no CI holds an identifier of, labelled with its name and identity key",
				[]string{"created", "updated", "unchanged", "rejected", "unmatched"}),
			"ci_key":   str("key of the CI the row was applied to, when it was"),
			"errors":   array("why a rejected row was refused, by field or column", ref("FieldError")),
			"conflict": array("keys of the CIs the row matched when it matched more than one", str("CI key")),
			"kept":     array("fields the row offered a value for but left as they were, because a source ranked above the import's holds them, each with why", ref("KeptField")),
		}),
		"ImportReport": object("outcome of an import: counts of every outcome, rows only where one needs attention", []string{"key", "format", "status", "applied_through", "created", "updated", "unchanged", "rejected"}, obj{
			"key":      str("IMP-7; empty when a strict import was refused"),
			"format":   enum("the file format the import read", importFormats()),
			"detail":   ref("ImportDetail"),
			"filename": str("file name as uploaded or given with ?filename=; may be empty"),
			"source":   str("the import source (?source=, default the format) that the fields it set are recorded as set by"),
			"actor":    str("username of who ran it"),
			"status": enum("running: rows are being applied, chunk by chunk; done: every row was; failed: the import "+
				"stopped part-way (see error and applied_through); interrupted: the server running it stopped",
				[]string{cmdb.ImportRunning, cmdb.ImportDone, cmdb.ImportFailed, cmdb.ImportInterrupted}),
			"applied_through": obj{"type": "integer", "description": "the last row the import got through: every row up to it was applied or rejected, none after it"},
			"error":           str("why a failed import stopped"),
			"created_at":      timestamp("when the import started (UTC)"),
			"updated_at":      timestamp("when the import last applied a chunk of rows or ended (UTC)"),
			"created":         obj{"type": "integer", "description": "rows that created a CI"},
			"updated":         obj{"type": "integer", "description": "rows that changed an existing CI"},
			"unchanged":       obj{"type": "integer", "description": "rows that matched a CI already holding their values"},
			"rejected":        obj{"type": "integer", "description": "rows not applied (bad values or a conflict)"},
			"kept":            obj{"type": "integer", "description": "rows that left some field as it was because a source ranked above the import's holds it (also counted as created, updated or unchanged)"},
			"rows":            array("one page of the rows kept with the report, in row order: each rejected row with its reasons (a conflict names the CIs matched), and each row that kept a field, with the fields and why; absent in lists of imports", ref("ImportRow")),
			"next_cursor":     str("pass as ?cursor= to GET /api/v1/imports/{key} for the next page of rows; absent on the last"),
		}),
		"ImportDetail": object("what a scanner report or threat feed import counts beyond created, updated and unchanged findings (or feed entries); absent for discovery imports", nil, obj{
			"sha256":          str("SHA-256 of the report as uploaded, hexadecimal"),
			"scanner":         str("the scanner the report names (trivy, grype, semgrep, openvas, nessus, nuclei, ...)"),
			"scanner_version": str("the scanner's version as the report states it"),
			"format_version":  str("the report format's version (Trivy SchemaVersion, SARIF version)"),
			"findings":        obj{"type": "integer", "description": "findings (or feed rows) the report holds, repeats included"},
			"duplicates":      obj{"type": "integer", "description": "findings that repeated an identity already in the report, counted once"},
			"reopened":        obj{"type": "integer", "description": "fixed findings the report showed again (counted in updated too)"},
			"fixed":           obj{"type": "integer", "description": "active findings of a scanned target that the same scanner reported before and this report no longer does"},
			"targets":         obj{"type": "integer", "description": "distinct targets (hosts, images, repositories, ...) the report scanned"},
			"unmatched":       obj{"type": "integer", "description": "targets no CI holds an identifier of; listed as rows of action unmatched"},
			"skipped":         freeform("results that are not findings, counted by reason (a SARIF pass, an OpenVAS false positive)"),
			"notes":           array("remarks about the report as a whole", str("note")),
			"problems":        array("feed rows skipped, each with its line and why", str("problem")),
			"reranked":        obj{"type": "integer", "description": "findings a feed import ranked again because an entry of one of their CVEs is new or changed"},
			"reprioritised":   obj{"type": "integer", "description": "of those, the findings whose priority changed"},
		}),
		"Finding": object("a vulnerability finding: one identity (target, identifier, where) with its ranking and state", []string{"key", "target", "identifier", "scanner", "priority", "priority_reasons", "state", "first_seen", "last_seen"}, findingProps()),
		"FindingStateChange": object("a move of a finding to another state, with what that state requires", []string{"state"}, obj{
			"state":      enum("the state to move to", []string{"open", "in_remediation", "risk_accepted", "false_positive"}),
			"reason":     str("why; required for risk_accepted and false_positive"),
			"approver":   str("who approved the risk acceptance; required for risk_accepted"),
			"reviewer":   str("who reviewed the finding as a false positive; required for false_positive"),
			"expires_at": timestamp("when the risk acceptance ends and the finding reopens; required for risk_accepted, in the future and at most a year ahead"),
		}),
		"Remediation": object("one remediation task: the active findings of one CI (or unmatched target) that one fix removes", []string{"target", "findings", "priority", "action"}, obj{
			"ci":            str("key of the CI; absent when the target matched none"),
			"target":        str("identity key of the target when no CI matched it; absent otherwise"),
			"support_group": str("the CI's support group, who the task is assigned to; absent when the CI has none"),
			"package":       str("the package to upgrade, for dependency findings"),
			"fixed_version": str("the version that fixes every finding of the task; empty when the scanner knows none"),
			"identifier":    str("the rule, plugin or template, for findings that are not about a package"),
			"action":        str("what to do, in words: upgrade lib to 1.1, or fix CVE-..."),
			"findings":      obj{"type": "integer", "description": "how many active findings the task removes"},
			"priority":      enum("the highest priority among its findings", []string{"P1", "P2", "P3", "P4", "P5"}),
			"due_at":        nullable(timestamp("the earliest due date among its findings")),
			"overdue":       boolean("the earliest due date has passed"),
		}),
		"RemediationList": listOfSchema("remediation tasks, most urgent first", "Remediation"),
		"FindingPage":     pageOf("a page of findings, highest priority first", "Finding", true),
		"ImportPage":      pageOf("past imports, newest first, without rows", "ImportReport", false),
		"User": object("a user; never carries password or token hashes", []string{"username", "roles"}, obj{
			"username":             str("sign-in name: lower-case letters, digits and . _ @ -, at most 64; never changes"),
			"display_name":         str("name shown to people; may be empty"),
			"email":                str("contact address; may be empty"),
			"roles":                nullable(userRoles("what the user may do; at least one")),
			"teams":                nullable(array("names of the teams the user belongs to, sorted", str("team name"))),
			"disabled":             boolean("cannot sign in and their tokens are refused"),
			"must_change_password": boolean("the password was set by an admin or is one-time: the user must choose their own before anything else"),
			"created_at":           timestamp("when the account was created (UTC)"),
			"updated_at":           timestamp("when the account last changed (UTC); what updated_since filters on"),
		}),
		"UserInput": object("a new user", []string{"username", "password"}, obj{
			"username":     str("sign-in name: 1 to 64 of a-z 0-9 . _ @ -, starting with a letter or digit; input is lower-cased"),
			"display_name": str("name shown to people, up to 200 characters"),
			"email":        str("contact address such as name@example.org"),
			"password":     str("first password: at least 12 characters, at most 1024 bytes, not the username"),
			"roles":        userRoles("what the user may do; at least one"),
			"teams":        userTeams,
		}),
		"UserPatch": object("fields to change", nil, obj{
			"display_name": str("name shown to people, up to 200 characters"),
			"email":        str("contact address such as name@example.org; empty to clear"),
			"password":     str("a reset: at least 12 characters; the user must change it at next sign-in and their sessions end"),
			"roles":        userRoles("the whole new role list; at least one"),
			"teams":        userTeams,
			"disabled":     boolean("true: the user can no longer sign in and their sessions and tokens stop working"),
		}),
		"UserPage": pageOf("a page of users", "User", true),
		"Team": object("an assignment group", []string{"name"}, obj{
			"name":        str("unique name, e.g. NOC; CIs refer to it as support_group"),
			"description": str("what the team does"),
			"email":       str("the team's shared address; may be empty"),
			"members":     nullable(array(descTeamMembers, str("username"))),
			"created_at":  timestamp("when the team was created (UTC)"),
			"updated_at":  timestamp("when the team last changed (UTC)"),
		}),
		"TeamInput": object("a new team", []string{"name"}, obj{
			"name":        str("unique name, up to 100 characters, no slashes; cannot be changed later"),
			"description": str("what the team does, up to 2,000 characters"),
			"email":       str("the team's shared address such as noc@example.org"),
			"members":     array("usernames of the members; each must exist", str("username")),
		}),
		"TeamPatch": object("fields to change", nil, obj{
			"description": str("what the team does, up to 2,000 characters"),
			"email":       str("the team's shared address; empty to clear"),
			"members":     array("the whole new member list, by username", str("username")),
		}),
		"TeamList": listOfSchema("every team the caller may see, by name", "Team"),
		"Token":    object("an API token, without its secret", []string{"id", "name", "username", "scopes", "created_at"}, tokenProps()),
		"PasswordReset": object("a user's new one-time password, shown this once", []string{"username", "password", "must_change_password"}, obj{
			"username": str("the user whose password was reset"), "password": str("the one-time password to hand to the user"),
			"must_change_password": boolean("always true: the user chooses a new password at next sign-in"),
		}),
		"NewToken": object("a new API token; the secret is shown this once", []string{"id", "name", "username", "scopes", "created_at", "token"},
			with(tokenProps(), obj{"token": str("the secret, shown only in this answer: send as Authorization: Bearer TOKEN")})),
		"PasswordChange": object("your current password and the new one", []string{"old_password", "new_password"}, obj{
			"old_password": str("your current (or temporary) password"),
			"new_password": str("the new password: at least 12 characters, not your username, not the current one"),
		}),
		"TokenInput": object("a token to issue", []string{"name"}, obj{
			"name":       str("what the token is for, e.g. \"nightly nmap import\", up to 100 characters"),
			"user":       str("username the token acts as; default yourself (another user needs token:manage)"),
			"expires_at": timestamp("when the token stops working: in the future, at most 365 days away. Absent: 90 days from now"),
			"scopes":     array(descScopes+" Absent or empty: full", enum("a scope", scopeNames())),
		}),
		"TokenList": listOfSchema("one user's API tokens, newest first, revoked and expired included", "Token"),
		"AuditEntry": object("one hash-chained audit entry", []string{"stream", "seq", "at", "actor", "action", "record_kind", "record_key", "restricted", "format", "prev_hash", "hash"}, obj{
			"stream":      enum("the chain the entry belongs to; security only for readers cleared for it", []string{"general", "security"}),
			"seq":         integer("position in its stream's chain, from 1"),
			"at":          timestamp("when the change was made (UTC)"),
			"actor":       str("username that made the change, or system for Rampart's own work"),
			"action":      str("create, update, delete, or a verb such as revoke, retry, reset_password, change_password"),
			"record_kind": str("ci, relation, user, team, token, import or job"),
			"record_key":  str("the record's key or name: CI-314, a username, a team name, \"CI-1 runs_on CI-2\" for a relation"),
			"restricted":  boolean("about a need-to-know record: shown only to readers cleared for restricted entries"),
			"via":         str("what made the entry when not the actor directly, e.g. import IMP-7; absent otherwise"),
			"before":      obj{"description": "the record's state before the change as a JSON object; absent for create"},
			"after":       obj{"description": "the record's state after the change as a JSON object; absent for delete"},
			"changes":     obj{"description": "for updates, the fields that changed: [{field, from, to}]"},
			"format":      integer("which fields the hash covers: 1 before streams, 2 adds format, stream, restricted and via"),
			"prev_hash":   str("hash of the entry before in the stream (hex SHA-256); 64 zeros for the first"),
			"hash":        str("hex SHA-256 over prev_hash and this entry's fields; editing any entry breaks the chain from there"),
		}),
		"AuditPage": pageOf("a page of audit entries, newest first", "AuditEntry", true),
		"AuditVerification": object("result of walking the audit chains", []string{"ok", "streams"}, obj{
			"ok": boolean("every stream verified holds: no entry was changed, removed, added or reordered"),
			"streams": array("one result per stream the caller may read", object("one stream's verification", []string{"stream", "ok", "entries", "checked", "from", "anchor"}, obj{
				"stream":    enum("the stream", []string{"general", "security"}),
				"ok":        boolean("the stream's chain holds"),
				"entries":   integer("entries of the stream that hold: its length when ok"),
				"checked":   integer("entries this verification read"),
				"from":      integer("seq of the entry verified last time, where this verification went on from; 0 for a full walk"),
				"anchor":    str("the last entry that holds as STREAM:SEQ:HASH: record it where database administrators cannot write, pass it back as anchor later"),
				"broken_at": integer("seq of the first entry that does not hold; absent when ok"),
				"reason":    str("what is wrong at broken_at; absent when ok"),
			})),
		}),
		"Job": object("a background job", []string{"id", "queue", "kind", "status", "attempts", "max_attempts", "run_at", "created_at", "updated_at"}, obj{
			"id":           integer("job id, for POST /api/v1/jobs/{id}/retry"),
			"queue":        str("the queue whose runner takes it, e.g. default"),
			"kind":         str("what the job does; names the handler that runs it"),
			"payload":      obj{"description": "the job's input as JSON, as its kind defines it"},
			"status":       enum("queued: waiting for run_at; running: claimed by a worker; done: finished; dead: every attempt failed", []string{"queued", "running", "done", "dead"}),
			"attempts":     obj{"type": "integer", "description": "attempts made so far"},
			"max_attempts": obj{"type": "integer", "description": "attempts before the job is dead"},
			"run_at":       timestamp("when it is due (next attempt after a failure)"),
			"locked_by":    str("worker that holds it while running"),
			"locked_until": timestamp("when a running job's claim lapses and another worker may take it"),
			"last_error":   str("error of the last failed attempt"),
			"unique_key":   str("deduplication key: at most one queued or running job holds it"),
			"created_at":   timestamp("when it was queued (UTC)"),
			"updated_at":   timestamp("when it last changed (UTC)"),
		}),
		"JobList":         listOfSchema("background jobs of one status, newest first", "Job"),
		"OpenAPIDocument": freeform("an OpenAPI 3.0 document"),
	}, incidentSchemas()), slaSchemas())
}

// descScopes says what token scopes mean.
const descScopes = "what the token may be used for, within its user's roles: full (everything), read (reading only: " +
	"every write is refused with 403), metrics (GET /metrics only, for a Prometheus scraper)."

func scopeNames() []string {
	out := make([]string, len(auth.TokenScopes))
	for i, s := range auth.TokenScopes {
		out[i] = string(s)
	}
	return out
}

func tokenProps() obj {
	return obj{
		"id":           integer("token id, for DELETE /api/v1/tokens/{id}"),
		"name":         str("what the token is for"),
		"username":     str("the user it acts as, with that user's roles"),
		"scopes":       array(descScopes, enum("a scope", scopeNames())),
		"created_at":   timestamp("when it was issued (UTC)"),
		"expires_at":   timestamp("when it stops working; absent only on tokens issued before every token expired"),
		"last_used_at": timestamp("last request made with it, recorded at most once a minute; absent: never used"),
		"revoked_at":   timestamp("when it was revoked; absent while it works"),
	}
}

// importFormats lists every format POST /api/v1/imports/{format} takes.
func importFormats() []string { return append(slices.Clone(cmdb.ImportFormats), vulnFormats...) }

// findingProps documents vuln.Record.
func findingProps() obj {
	num := func(desc string) obj { return obj{"type": "number", "description": desc} }
	return obj{
		"key":               str("VUL-n, never reused"),
		"ci":                str("key of the CI the target matched by identifier; absent when it matched none"),
		"target":            str("the scanned target's identity key: host:10.0.0.5, image:python:3.6, repo:github.com/acme/web, k8s:cluster/ns/Kind/name, url:https://host:443"),
		"target_name":       str("the target as the report names it"),
		"kind":              enum("what the finding is about, which decides its identity's where", []string{"dependency", "code", "network"}),
		"identifier":        str("what was found: the CVE or advisory id of a dependency, the rule, plugin, NVT or template id otherwise"),
		"cves":              nullable(array("the CVEs the finding is about, sorted", str("CVE id"))),
		"package":           str("the vulnerable package of a dependency finding"),
		"installed_version": str("the package version found"),
		"fixed_version":     str("the version that fixes it, when known"),
		"path":              str("the lock file or archive of a dependency, the file of a code finding"),
		"line":              obj{"type": "integer", "description": "line of a code finding, 1-based"},
		"endpoint":          str("where a network finding was seen: tcp/443, or a URL"),
		"scanner":           str("the scanner that last reported it"),
		"severity":          enum("the scanner's severity, normalised", []string{"critical", "high", "medium", "low", "info", "unknown"}),
		"title":             str("the scanner's title, at most 500 characters"),
		"cvss": nullable(object("the primary CVSS vector, by which it is ranked: the newest version from NVD, else the newest from any source; null when the report gave none", []string{"version", "vector", "score"}, obj{
			"version": str("2.0, 3.0, 3.1 or 4.0; empty for a malformed vector"),
			"vector":  str("the vector, canonical when it parsed"),
			"score":   nullable(num("its score (0-10) covering every metric group it carries; null for a malformed vector")),
		})),
		"epss": nullable(num("highest FIRST EPSS probability (0-1) among its CVEs; null without a score")),
		"kev": nullable(object("a CVE of the finding is in CISA's Known Exploited Vulnerabilities catalogue; null otherwise", []string{"due_date"}, obj{
			"due_date": timestamp("CISA's due date of the entry (00:00 UTC); the remediation is due by the end of it when that is earlier than the SLA"),
		})),
		"risk_score": num("the risk formula's total, 0-100 (docs/vuln.md)"),
		"priority":   enum("P1 (act first) to P5, from the risk score", []string{"P1", "P2", "P3", "P4", "P5"}),
		"priority_reasons": array("why it ranks where it does, one factor a line", object("one factor of the ranking", []string{"factor", "value", "points"}, obj{
			"factor": str("cvss, severity, kev, ransomware, epss, exploitation, business_criticality, internet_exposure or data_classification"),
			"value":  str("the factor's value for this finding"),
			"points": num("what it added to the risk score"),
			"note":   str("how the value was found or scaled"),
		})),
		"state": enum("open, in_remediation, fixed (a rescan no longer reported it), reopened (seen again after it was fixed), risk_accepted or false_positive",
			[]string{"open", "in_remediation", "fixed", "reopened", "risk_accepted", "false_positive"}),
		"due_at":     nullable(timestamp("when remediation is due: first seen plus the priority's SLA, or the end of the KEV due date when earlier; null when neither gives one")),
		"due_source": str("which rule set due_at: sla or kev"),
		"overdue":    boolean("active and past due_at"),
		"decision": object("the human decision behind the state: who, when, why; for a risk acceptance who approved it until when", []string{"state", "by", "at"}, obj{
			"state":      str("the state decided"),
			"by":         str("username of who made the change (system for an expired acceptance)"),
			"at":         timestamp("when the decision was made"),
			"reason":     str("why it was made, in the decider's words"),
			"approver":   str("who approved the risk acceptance"),
			"reviewer":   str("who reviewed the false positive"),
			"expires_at": timestamp("when the risk acceptance ends"),
		}),
		"first_seen": timestamp("when an import first reported it"),
		"last_seen":  timestamp("when a scan last reported it (for an active finding, the last scan of its target by its scanner)"),
		"fixed_at":   timestamp("when a rescan no longer reported it"),
		"updated_at": timestamp("when an import or a person last changed it"),
		"detail":     freeform("everything the scanner said, normalised: every CVSS vector with its source, texts, references, CWEs, aliases; in one finding's lookup only"),
	}
}

package httpapi

import (
	"github.com/rampart-itsm/rampart/internal/cmdb"
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

func array(items obj) obj { return obj{"type": "array", "items": items} }

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

func pageOf(desc, item string, withTotal bool) obj {
	props := obj{"items": array(ref(item)), "next_cursor": str("pass as ?cursor= for the next page; absent on the last page")}
	req := []string{"items"}
	if withTotal {
		props["total"] = integer("number of matching records in all pages")
		req = append(req, "total")
	}
	return object(desc, req, props)
}

func listOfSchema(desc, item string) obj {
	return object(desc, []string{"items", "total"}, obj{"items": array(ref(item)), "total": integer("number of items")})
}

func relationTypes() []string {
	out := make([]string, len(cmdb.RelationTypes))
	for i, t := range cmdb.RelationTypes {
		out[i] = string(t)
	}
	return out
}

// ciFields are the writable fields of a CI, shared by CI, CIInput, CIPatch.
func ciFields() obj {
	return obj{
		"name":                 str("display name"),
		"kind":                 enum("CI kind", kindNames()),
		"description":          str("free text"),
		"environment":          str("production, staging, development, test, dr, …"),
		"owner":                str("owner's username; empty when unowned"),
		"support_group":        str("team that supports it"),
		"business_criticality": obj{"type": "integer", "minimum": 1, "maximum": 5, "description": "1 (lowest) to 5 (mission critical); default 3"},
		"data_classification":  enum("default internal", cmdb.DataClassifications),
		"internet_exposed":     boolean("reachable from the internet"),
		"supplier":             str("vendor or provider"),
		"lifecycle_status":     enum("default operational", cmdb.LifecycleStatuses),
		"identifiers":          ref("Identifiers"),
		"tags":                 array(str("tag")),
		"attributes":           freeform("free-form attributes (nmap puts open ports here)"),
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
		"key":        str("human key, e.g. CI-314"),
		"version":    integer("increases with every change; send it back (or If-Match) to update safely"),
		"created_at": timestamp(""),
		"updated_at": timestamp(""),
		"tags":       nullable(array(str("tag"))),
		"attributes": nullable(freeform("free-form attributes")),
	})
	ciSummary := obj{
		"key": str(""), "name": str(""), "kind": enum("", kindNames()),
		"business_criticality": obj{"type": "integer"}, "owner": str(""), "support_group": str(""),
		"internet_exposed": boolean(""),
	}
	return obj{
		"Problem": object("RFC 9457 problem details. 400: the request could not be read (JSON syntax, unknown or mistyped field, bad query parameter, unreadable file); 422: it was read but its values break a rule.",
			[]string{"type", "title", "status"}, obj{
				"type":       str("urn:rampart:problem:<kind>"),
				"title":      str("short summary of the kind of problem"),
				"status":     obj{"type": "integer"},
				"detail":     str("what went wrong in this request"),
				"instance":   str("path of the request"),
				"request_id": str("also in the X-Request-Id header and the server log"),
				"errors":     array(ref("FieldError")),
				"report":     ref("ImportReport"),
			}),
		"FieldError": object("one bad field", []string{"field", "message"}, obj{
			"field": str("JSON field, query parameter, or \"row N: column\" of an import"), "message": str(""),
		}),
		"Identifiers": object("how a CI is recognised on the network and in clouds; any shared value matches an import row to it", nil, obj{
			"hostnames": array(str("")), "fqdns": array(str("")), "ips": array(str("")), "macs": array(str("")),
			"serial": str(""), "cloud_id": str(""),
		}),
		"CI":      object("configuration item", []string{"key", "name", "kind", "business_criticality", "version", "created_at", "updated_at"}, ci),
		"CIInput": object("a new configuration item", []string{"name", "kind"}, ciFields()),
		"CIPatch": object("fields to change; absent or null fields stay as they are", nil,
			with(ciFields(), obj{"version": integer("the version you read; Conflict (409) if it changed since")})),
		"CIPage": pageOf("a page of CIs", "CI", true),
		"CIBulk": array(freeform("one CI in the JSON import format")),
		"Relation": object("typed edge, read \"source <type> target\": the source needs the target", []string{"id", "source", "type", "target"}, obj{
			"id": integer(""), "source": str("CI key"), "type": enum("", relationTypes()), "target": str("CI key"),
			"created_at": timestamp("absent in impact edges, which carry only the graph"),
		}),
		"RelationInput": object("a new relationship", []string{"source", "type", "target"}, obj{
			"source": str("CI key"), "type": enum("", relationTypes()), "target": str("CI key"),
		}),
		"RelationList": listOfSchema("relationships of a CI", "Relation"),
		"CISummary":    object("the part of a CI impact views show", []string{"key", "name", "kind"}, ciSummary),
		"ImpactNode": object("one CI reached by impact analysis", []string{"ci", "depth", "path", "via"}, obj{
			"ci": ref("CISummary"), "depth": obj{"type": "integer"}, "path": array(str("CI key, root first")),
			"via": enum("type of the last relation on the path", relationTypes()),
		}),
		"Impact": object("impact analysis from one CI", []string{"root", "direction", "nodes", "edges", "services", "truncated"}, obj{
			"root": ref("CISummary"), "direction": enum("", []string{"downstream", "upstream"}),
			"nodes": nullable(array(ref("ImpactNode"))), "edges": nullable(array(ref("Relation"))),
			"services":  nullable(array(ref("ImpactNode"))),
			"truncated": boolean("the depth or size cap stopped the walk while more CIs were reachable"),
		}),
		"Upload": object("a discovery file as a multipart form field", []string{"file"}, obj{
			"file": obj{"type": "string", "format": "binary"},
		}),
		"ImportRow": object("what happened to one row of an import", []string{"row", "label", "action"}, obj{
			"row": obj{"type": "integer"}, "label": str("how to find the row in the file"),
			"action": enum("", []string{"created", "updated", "unchanged", "rejected"}),
			"ci_key": str("the CI created or updated"), "errors": array(ref("FieldError")),
			"conflict": array(str("keys of the CIs the row matched when it matched more than one")),
		}),
		"ImportReport": object("outcome of an import", []string{"key", "format", "created", "updated", "unchanged", "rejected"}, obj{
			"key": str("IMP-7; empty when a strict import was refused"), "format": str(""), "filename": str(""),
			"actor": str(""), "created_at": timestamp(""),
			"created": obj{"type": "integer"}, "updated": obj{"type": "integer"},
			"unchanged": obj{"type": "integer"}, "rejected": obj{"type": "integer"},
			"rows": array(ref("ImportRow")),
		}),
		"ImportPage": pageOf("past imports, newest first, without rows", "ImportReport", false),
		"User": object("a user; never carries password or token hashes", []string{"username", "roles"}, obj{
			"username": str(""), "display_name": str(""), "email": str(""),
			"roles": nullable(array(enum("", roleNames()))), "teams": nullable(array(str("team name"))),
			"disabled": boolean(""), "must_change_password": boolean(""),
			"created_at": timestamp(""), "updated_at": timestamp(""),
		}),
		"UserInput": object("a new user", []string{"username", "password"}, obj{
			"username": str(""), "display_name": str(""), "email": str(""), "password": str("at least 12 characters"),
			"roles": array(enum("", roleNames())), "teams": array(str("team name")),
		}),
		"UserPatch": object("fields to change", nil, obj{
			"display_name": str(""), "email": str(""), "password": str(""),
			"roles": array(enum("", roleNames())), "teams": array(str("team name")), "disabled": boolean(""),
		}),
		"UserPage": pageOf("a page of users", "User", true),
		"Team": object("an assignment group", []string{"name"}, obj{
			"name": str(""), "description": str(""), "email": str(""), "members": nullable(array(str("username"))),
			"created_at": timestamp(""), "updated_at": timestamp(""),
		}),
		"TeamInput": object("a new team", []string{"name"}, obj{
			"name": str(""), "description": str(""), "email": str(""), "members": array(str("username")),
		}),
		"TeamPatch": object("fields to change", nil, obj{
			"description": str(""), "email": str(""), "members": array(str("username")),
		}),
		"TeamList": listOfSchema("teams", "Team"),
		"Token":    object("an API token, without its secret", []string{"id", "name", "username", "created_at"}, tokenProps()),
		"NewToken": object("a new API token; the secret is shown this once", []string{"id", "name", "username", "created_at", "token"},
			with(tokenProps(), obj{"token": str("send as Authorization: Bearer TOKEN")})),
		"TokenInput": object("a token to issue", []string{"name"}, obj{
			"name": str("what the token is for"), "user": str("username; default yourself (admins may name others)"),
			"expires_at": timestamp("no expiry when absent"),
		}),
		"TokenList": listOfSchema("API tokens", "Token"),
		"AuditEntry": object("one hash-chained audit entry", []string{"seq", "at", "actor", "action", "record_kind", "record_key", "prev_hash", "hash"}, obj{
			"seq": integer(""), "at": timestamp(""), "actor": str(""), "action": str("create, update, delete, …"),
			"record_kind": str("ci, relation, user, team, token, import, job"), "record_key": str(""),
			"before": obj{"description": "state before the change"}, "after": obj{"description": "state after the change"},
			"changes":   obj{"description": "fields that changed: [{field, from, to}]"},
			"prev_hash": str(""), "hash": str(""),
		}),
		"AuditPage": pageOf("a page of audit entries, newest first", "AuditEntry", true),
		"AuditVerification": object("result of walking the audit chain", []string{"ok", "entries"}, obj{
			"ok": boolean("the chain holds"), "entries": integer("entries checked"),
			"broken_at": integer("first entry that does not hold"), "reason": str(""),
		}),
		"Job": object("a background job", []string{"id", "queue", "kind", "status", "attempts", "max_attempts", "run_at", "created_at", "updated_at"}, obj{
			"id": integer(""), "queue": str(""), "kind": str(""), "payload": obj{"description": "job input"},
			"status": enum("", []string{"queued", "running", "done", "dead"}), "attempts": obj{"type": "integer"},
			"max_attempts": obj{"type": "integer"}, "run_at": timestamp(""), "locked_by": str(""),
			"locked_until": timestamp(""), "last_error": str(""), "unique_key": str(""),
			"created_at": timestamp(""), "updated_at": timestamp(""),
		}),
		"JobList":         listOfSchema("jobs", "Job"),
		"OpenAPIDocument": freeform("an OpenAPI 3.0 document"),
	}
}

func tokenProps() obj {
	return obj{
		"id": integer(""), "name": str(""), "username": str(""), "created_at": timestamp(""),
		"expires_at": timestamp(""), "last_used_at": timestamp(""), "revoked_at": timestamp(""),
	}
}

package httpapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/paging"
)

// The OpenAPI document is built from the route table, so every served
// route is documented by construction; the schemas (schemas.go) are written
// by hand and the tests hold real responses against them.

var templateRe = regexp.MustCompile(`\{[^}]+\}`)

// docShape is a path with its parameter names blanked: OpenAPI treats
// /imports/{format} and /imports/{key} as the same path, the Go mux does
// not care about the names.
func docShape(path string) string { return templateRe.ReplaceAllString(path, "{}") }

// paramDesc explains path parameters.
var paramDesc = map[string]string{
	"key":      "the record's key in any case: CI-314 for a CI, IMP-7 for an import, VUL-9 for a finding",
	"id":       "numeric id as the list of these records shows it",
	"format":   "nmap (XML from nmap -oX), csv or json (docs/import-formats.md); a scanner report: trivy, grype, sarif, openvas, nessus or nuclei; a threat feed: kev or epss (docs/vuln.md)",
	"username": "the account's sign-in name, e.g. alice",
	"name":     "the team's name, e.g. NOC",
}

func mustOpenAPI(routes []route) []byte {
	b, err := json.MarshalIndent(openAPIDocument(routes), "", "  ")
	if err != nil {
		panic("httpapi: openapi: " + err.Error())
	}
	return b
}

// openAPIDocument returns the OpenAPI 3.0 document for routes.
func openAPIDocument(routes []route) obj {
	paths := obj{}
	docPath := map[string]string{} // shape → first path with that shape
	for _, rt := range routes {
		shape := docShape(rt.path)
		p, seen := docPath[shape]
		if !seen {
			p = rt.path
			docPath[shape] = p
			paths[p] = obj{}
		}
		item := paths[p].(obj)
		item[strings.ToLower(rt.method)] = operation(rt, pathParams(p))
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{
			"title":   "Rampart API",
			"version": "1",
			"description": "IT service management for NOC and SOC. Authenticate with Authorization: Bearer TOKEN " +
				"(rampart token create, or POST /api/v1/tokens). Errors are RFC 9457 problems. Lists use cursor " +
				"pagination (?limit= up to " + strconv.Itoa(paging.MaxLimit) + ", next_cursor) and updated_since for incremental sync.",
		},
		"servers": []obj{{"url": "/"}},
		"paths":   paths,
		"components": obj{
			"schemas": schemas(),
			"securitySchemes": obj{
				"bearer": obj{"type": "http", "scheme": "bearer", "description": "API token"},
				"session": obj{"type": "apiKey", "in": "cookie", "name": "rampart_session",
					"description": "web session; unsafe methods also need the X-CSRF-Token header"},
			},
		},
		"security": []obj{{"bearer": []string{}}, {"session": []string{}}},
	}
}

// operation documents one route; names are the parameter names of the
// document path, which may differ from the route's own (see docShape).
func operation(rt route, names []string) obj {
	own := pathParams(rt.path)
	var ps []obj
	for i, n := range names {
		desc := paramDesc[own[i]]
		schema := obj{"type": "string"}
		if own[i] == "id" {
			schema = obj{"type": "integer", "format": "int64"}
		}
		if own[i] == "format" {
			schema = obj{"type": "string", "enum": importFormats()}
		}
		if n != own[i] {
			// OpenAPI allows one name per path position; another
			// operation on this path named it first.
			desc = "holds the " + own[i] + " in this operation: " + desc
		}
		ps = append(ps, obj{"name": n, "in": "path", "required": true, "description": desc, "schema": schema})
	}
	for _, q := range rt.doc.query {
		s := obj{"type": q.typ}
		if q.enum != nil {
			s["enum"] = q.enum
		}
		if q.format != "" {
			s["format"] = q.format
		}
		ps = append(ps, obj{"name": q.name, "in": "query", "description": q.desc, "schema": s})
	}
	if rt.doc.ifMatch {
		ps = append(ps, obj{"name": "If-Match", "in": "header", "description": "ETag of the version you read", "schema": obj{"type": "string"}})
	}
	o := obj{
		"operationId": rt.doc.id,
		"summary":     rt.doc.summary,
		"description": rt.doc.desc + "\n\n" + rt.who(),
		"tags":        []string{rt.doc.tag},
		"responses":   responses(rt),
	}
	if len(ps) > 0 {
		o["parameters"] = ps
	}
	if rt.public {
		o["security"] = []obj{}
	}
	if rt.doc.body != "" {
		o["requestBody"] = requestBody(rt)
	}
	return o
}

func requestBody(rt route) obj {
	if rt.doc.body != "Upload" {
		return obj{"required": true, "content": obj{"application/json": obj{"schema": ref(rt.doc.body)}}}
	}
	file := obj{"type": "string", "format": "binary"}
	return obj{"required": true, "description": "the file as the raw body, or a multipart form with the file in field \"file\"",
		"content": obj{
			"multipart/form-data":      obj{"schema": ref("Upload")},
			"application/octet-stream": obj{"schema": file},
			"application/xml":          obj{"schema": file},
			"text/xml":                 obj{"schema": file},
			"text/csv":                 obj{"schema": file},
			"application/json":         obj{"schema": file},
		}}
}

func responses(rt route) obj {
	code := rt.doc.successStatus()
	ok := obj{"description": http.StatusText(code)}
	headers := obj{}
	if code == http.StatusCreated {
		headers["Location"] = obj{"description": "URL of the new resource", "schema": obj{"type": "string"}}
	}
	if rt.doc.etag {
		headers["ETag"] = obj{"description": "the record's version, for If-Match", "schema": obj{"type": "string"}}
	}
	if len(headers) > 0 {
		ok["headers"] = headers
	}
	if rt.doc.resp != "" {
		content := obj{"application/json": obj{"schema": ref(rt.doc.resp)}}
		if rt.doc.ndjson != "" {
			content[NDJSONContentType] = obj{"schema": ref(rt.doc.ndjson)}
		}
		ok["content"] = content
	}
	return obj{
		strconv.Itoa(code): ok,
		"default": obj{"description": "a problem (RFC 9457)",
			"content": obj{ProblemContentType: obj{"schema": ref("Problem")}}},
	}
}

package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// step is one request of a scenario and what its answer must (and must
// not) contain. Every answer is also validated against the OpenAPI document.
type step struct {
	name     string
	q        req
	want     int
	contains []string
	absent   []string
}

func (e *env) run(t *testing.T, v *validator, steps []step) {
	t.Helper()
	for _, s := range steps {
		r := e.do(s.q)
		if r.Code != s.want {
			t.Errorf("%s: %s %s as %s: status %d, want %d; body %s", s.name, s.q.method, s.q.path, s.q.as, r.Code, s.want, r.Body)
			continue
		}
		for _, c := range s.contains {
			if !strings.Contains(string(r.Body), c) {
				t.Errorf("%s: body lacks %q: %s", s.name, c, r.Body)
			}
		}
		for _, c := range s.absent {
			if strings.Contains(string(r.Body), c) {
				t.Errorf("%s: body must not contain %q: %s", s.name, c, r.Body)
			}
		}
		if v != nil {
			v.check(s.q, r)
		}
	}
}

var csvType = map[string]string{"Content-Type": "text/csv"}

const scenarioCSV = "name,kind,hostnames,ips,business_criticality,environment,tags\n" +
	"web-01,server,web-01,10.0.1.1,4,production,dmz;web\n" +
	"web-02,server,web-02,10.0.1.2,3,production,web\n" +
	"db-01-renamed,database,db-01,,,production,\n"

// TestScenarioResponsesMatchDocument walks the main API flows as several
// roles and holds every answer, errors included, against the document.
func TestScenarioResponsesMatchDocument(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := e.fixture()
		v := newValidator(t, e)
		e.run(t, v, []step{
			{name: "openapi public", q: req{as: asAnonymous, method: "GET", path: "/api/v1/openapi.json"}, want: 200, contains: []string{`"openapi": "3.0.3"`}},
			{name: "anonymous", q: req{as: asAnonymous, method: "GET", path: "/api/v1/cis"}, want: 401, contains: []string{`"status":401`}},
			{name: "me", q: req{as: asAgent, method: "GET", path: "/api/v1/me"}, want: 200, contains: []string{`"username":"agent"`}, absent: []string{"password_hash", "argon2", "hash"}},
			{name: "create CI", q: req{as: asAgent, method: "POST", path: "/api/v1/cis", body: map[string]any{
				"name": "mail-01", "kind": "server", "business_criticality": 4, "environment": "production",
				"identifiers": map[string]any{"hostnames": []string{"mail-01"}, "ips": []string{"10.0.2.1"}},
				"tags":        []string{"mail"}, "attributes": map[string]any{"os": "debian"}}},
				want: 201, contains: []string{`"name":"mail-01"`, `"version":1`}},
			{name: "create CI invalid", q: req{as: asAgent, method: "POST", path: "/api/v1/cis", body: map[string]any{"name": "", "kind": "toaster"}},
				want: 422, contains: []string{`"field":"name"`, `"field":"kind"`}},
			{name: "list CIs", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?limit=2"}, want: 200, contains: []string{`"total":6`, `"next_cursor"`}},
			{name: "list CIs filtered", q: req{as: asAuditor, method: "GET", path: "/api/v1/cis?kind=database&min_criticality=4"}, want: 200, contains: []string{f.db.Key, `"total":1`}},
			{name: "list CIs by identifier", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?q=10.0.0"}, want: 200, contains: []string{f.db.Key}},
			{name: "list CIs bad params", q: req{as: asAgent, method: "GET", path: "/api/v1/cis?limit=501&updated_since=yesterday&internet_exposed=maybe"}, want: 400,
				contains: []string{`"field":"limit"`, `"field":"updated_since"`, `"field":"internet_exposed"`}},
			{name: "get CI", q: req{as: asAuditor, method: "GET", path: "/api/v1/cis/" + f.db.Key}, want: 200, contains: []string{`"10.0.0.5"`}},
			{name: "get missing CI", q: req{as: asAgent, method: "GET", path: "/api/v1/cis/CI-9999"}, want: 404},
			{name: "patch CI", q: req{as: asAgent, method: "PATCH", path: "/api/v1/cis/" + f.db.Key, body: map[string]any{"business_criticality": 5, "version": 1}},
				want: 200, contains: []string{`"business_criticality":5`, `"version":2`}},
			{name: "patch CI stale If-Match", q: req{as: asAgent, method: "PATCH", path: "/api/v1/cis/" + f.db.Key, body: map[string]any{"description": "x"},
				headers: map[string]string{"If-Match": `"1"`}}, want: 412, contains: []string{`"field":"version"`}},
			{name: "patch CI stale body version", q: req{as: asAgent, method: "PATCH", path: "/api/v1/cis/" + f.db.Key, body: map[string]any{"description": "x", "version": 1}},
				want: 409, contains: []string{`"field":"version"`}},
			{name: "patch CI current If-Match", q: req{as: asAgent, method: "PATCH", path: "/api/v1/cis/" + f.db.Key, body: map[string]any{"description": "x"},
				headers: map[string]string{"If-Match": `"2"`}}, want: 200, contains: []string{`"version":3`}},
			{name: "relations", q: req{as: asAgent, method: "GET", path: "/api/v1/cis/" + f.app.Key + "/relations"}, want: 200, contains: []string{`"total":2`}},
			{name: "add relation", q: req{as: asAgent, method: "POST", path: "/api/v1/relations", body: map[string]any{"source": f.app.Key, "type": "runs_on", "target": f.laptop.Key}}, want: 201},
			{name: "impact downstream", q: req{as: asAgent, method: "GET", path: "/api/v1/cis/" + f.db.Key + "/impact"}, want: 200,
				contains: []string{`"direction":"downstream"`, `"path":["` + f.db.Key + `","` + f.app.Key + `","` + f.shop.Key + `"]`}},
			{name: "impact upstream", q: req{as: asAgent, method: "GET", path: "/api/v1/cis/" + f.shop.Key + "/impact?direction=upstream&depth=1"}, want: 200,
				contains: []string{`"direction":"upstream"`, f.app.Key}, absent: []string{`"key":"` + f.db.Key + `"`}},
			{name: "impact of a service defaults to upstream", q: req{as: asAgent, method: "GET", path: "/api/v1/cis/" + strings.ToLower(f.shop.Key) + "/impact"}, want: 200,
				contains: []string{`"direction":"upstream"`, `"path":["` + f.shop.Key + `","` + f.app.Key + `"]`}},
			{name: "impact bad direction", q: req{as: asAgent, method: "GET", path: "/api/v1/cis/" + f.shop.Key + "/impact?direction=sideways"}, want: 400, contains: []string{`"field":"direction"`}},
			{name: "import csv", q: req{as: asAgent, method: "POST", path: "/api/v1/imports/csv?filename=hosts.csv", body: scenarioCSV, headers: csvType}, want: 201,
				contains: []string{`"created":2`, `"updated":1`, `"rejected":0`, `"filename":"hosts.csv"`}},
			{name: "import csv again", q: req{as: asAgent, method: "POST", path: "/api/v1/imports/csv", body: scenarioCSV, headers: csvType}, want: 201,
				contains: []string{`"created":0`, `"unchanged":3`}},
			{name: "imports list", q: req{as: asAuditor, method: "GET", path: "/api/v1/imports"}, want: 200, contains: []string{`"IMP-1"`, `"IMP-2"`}},
			{name: "import report", q: req{as: asAgent, method: "GET", path: "/api/v1/imports/IMP-1?limit=10"}, want: 200, contains: []string{`"status":"done"`, `"applied_through":3`}},
			{name: "bulk", q: req{as: asAgent, method: "POST", path: "/api/v1/cis/bulk", body: `[{"name":"fw-01","kind":"network_device","identifiers":{"ips":["10.0.9.1"]}}]`}, want: 201, contains: []string{`"created":1`}},
			{name: "audit page", q: req{as: asAuditor, method: "GET", path: "/api/v1/audit?kind=ci&limit=5"}, want: 200, contains: []string{`"record_kind":"ci"`, `"hash"`}},
			{name: "audit ndjson", q: req{as: asAdmin, method: "GET", path: "/api/v1/audit?kind=ci", headers: map[string]string{"Accept": NDJSONContentType}}, want: 200, contains: []string{"\n{\"stream\":\"general\",\"seq\":"}},
			{name: "audit verify", q: req{as: asAuditor, method: "GET", path: "/api/v1/audit/verify"}, want: 200, contains: []string{`"ok":true`}},
			{name: "audit denied", q: req{as: asAgent, method: "GET", path: "/api/v1/audit"}, want: 403},
			{name: "users", q: req{as: asAdmin, method: "GET", path: "/api/v1/users"}, want: 200, contains: []string{`"total":` + strconv.Itoa(len(roleUsers))}, absent: []string{"password_hash", "argon2"}},
			{name: "create user", q: req{as: asAdmin, method: "POST", path: "/api/v1/users", body: map[string]any{"username": "noc-1", "password": testPassword, "roles": []string{"agent"}}}, want: 201},
			{name: "create user weak password", q: req{as: asAdmin, method: "POST", path: "/api/v1/users", body: map[string]any{"username": "noc-2", "password": "short"}}, want: 422, contains: []string{`"field":"password"`}},
			{name: "patch user", q: req{as: asAdmin, method: "PATCH", path: "/api/v1/users/noc-1", body: map[string]any{"display_name": "NOC one"}}, want: 200, contains: []string{`"display_name":"NOC one"`}},
			{name: "create team", q: req{as: asAdmin, method: "POST", path: "/api/v1/teams", body: map[string]any{"name": "NOC", "members": []string{"noc-1"}}}, want: 201},
			{name: "teams", q: req{as: asAgent, method: "GET", path: "/api/v1/teams"}, want: 200, contains: []string{`"NOC"`}},
			{name: "patch team", q: req{as: asAdmin, method: "PATCH", path: "/api/v1/teams/NOC", body: map[string]any{"description": "network operations"}}, want: 200},
			{name: "tokens", q: req{as: asAgent, method: "GET", path: "/api/v1/tokens"}, want: 200, contains: []string{`"name":"tests"`}, absent: []string{"rmp_", "hash"}},
			{name: "new token", q: req{as: asAgent, method: "POST", path: "/api/v1/tokens", body: map[string]any{"name": "ci-script"}}, want: 201, contains: []string{`"token":"rmp_`}},
			{name: "dead jobs", q: req{as: asAdmin, method: "GET", path: "/api/v1/jobs?status=dead"}, want: 200, contains: []string{`"items":[]`}},
			{name: "unknown path", q: req{as: asAdmin, method: "GET", path: "/api/v1/nothing"}, want: 404},
			{name: "wrong method", q: req{as: asAdmin, method: "PUT", path: "/api/v1/cis"}, want: 405},
			{name: "delete CI", q: req{as: asAgent, method: "DELETE", path: "/api/v1/cis/" + f.otherLaptop.Key}, want: 204},
			{name: "deleted CI gone", q: req{as: asAgent, method: "GET", path: "/api/v1/cis/" + f.otherLaptop.Key}, want: 404},
		})
	})
}

// A 405 says which methods the path takes; routing comes before
// authentication, so no services are needed.
func TestMethodNotAllowedListsAllow(t *testing.T) {
	e := &env{t: t, h: New(Deps{})}
	r := e.must(req{method: http.MethodPut, path: "/api/v1/cis/CI-1"}, 405)
	if got := r.Header.Get("Allow"); got != "GET, PATCH, DELETE" {
		t.Errorf("Allow = %q", got)
	}
	r.problem(t)
	e.must(req{method: http.MethodGet, path: "/api/v2/cis"}, 404).problem(t)
}

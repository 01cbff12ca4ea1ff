package httpapi

import (
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/incident"
	vt "github.com/rampart-itsm/rampart/internal/storetest/visibilitytest"
)

// access is the expected status per role for one route; roles not named
// get deny (403), anonymous always 401 unless the route is public. The
// admin's scoped tokens are not named: a read token gets what the admin
// gets on reads and 403 on writes, a metrics token 403 everywhere.
type access struct {
	pattern string
	// target makes a fresh request for the role, so writes allowed for one
	// role do not disturb the next.
	target func(e *env, f fixture, role string) req
	allow  map[string]int // role → status when allowed (or 404 when hidden)
}

// roles maps each of names to code.
func roles(code int, names ...string) map[string]int {
	out := map[string]int{}
	for _, n := range names {
		out[n] = code
	}
	return out
}

// staffRead: every role but requester.
func staffRead(code int) map[string]int { return roles(code, vt.Staff()...) }

// writers: the roles that change the CMDB.
func writers(code int) map[string]int { return roles(code, asAdmin, asAgent, asAnalyst) }

// everyone: every signed-in user.
func everyone(code int) map[string]int { return roles(code, vt.Staff(asRequester, vt.Other)...) }

// merge joins role maps; a later one wins.
func merge(ms ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

func fixed(method, path string, body any) func(*env, fixture, string) req {
	return func(*env, fixture, string) req { return req{method: method, path: path, body: body} }
}

// newCI makes a CI for a role's write request to act on.
func (e *env) newCI(role string) cmdb.CI {
	ci, err := e.cmdb.CreateCI(e.ctx, auth.System, cmdb.CI{Name: "target-" + role, Kind: cmdb.KindServer})
	if err != nil {
		e.t.Fatalf("create target CI: %v", err)
	}
	return ci
}

func accessTable() []access {
	csv := "name,kind,ips\nimported,server,10.9.9.9\n"
	return []access{
		{"GET /api/v1/openapi.json", fixed("GET", "/api/v1/openapi.json", nil),
			merge(everyone(200), roles(200, asAnonymous, asReadToken, asMetricsToken))},
		{"GET /api/v1/me", fixed("GET", "/api/v1/me", nil), everyone(200)},
		{"POST /api/v1/me/password", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/me/password", body: map[string]any{"old_password": testPassword, "new_password": "a new secret for " + role}}
		}, everyone(204)},
		{"GET /api/v1/cis", fixed("GET", "/api/v1/cis", nil), everyone(200)},
		{"POST /api/v1/cis", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/cis", body: map[string]any{"name": "new-" + role, "kind": "server"}}
		}, writers(201)},
		{"POST /api/v1/cis/bulk", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/cis/bulk", body: `[{"name":"bulk-` + role + `","kind":"server","identifiers":{"hostnames":["bulk-` + role + `"]}}]`}
		}, writers(201)},
		// A requester asking for someone else's CI learns nothing: 404.
		{"GET /api/v1/cis/{key}", func(e *env, f fixture, role string) req {
			return req{method: "GET", path: "/api/v1/cis/" + f.db.Key}
		}, merge(staffRead(200), roles(404, asRequester, vt.Other))},
		{"PATCH /api/v1/cis/{key}", func(e *env, f fixture, role string) req {
			return req{method: "PATCH", path: "/api/v1/cis/" + e.newCI(role).Key, body: map[string]any{"description": "changed"}}
		}, writers(200)},
		{"POST /api/v1/cis/{key}/release-sources", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/cis/" + e.newCI(role).Key + "/release-sources", body: map[string]any{"fields": []string{"name"}}}
		}, writers(200)},
		{"DELETE /api/v1/cis/{key}", func(e *env, f fixture, role string) req {
			return req{method: "DELETE", path: "/api/v1/cis/" + e.newCI(role).Key}
		}, writers(204)},
		{"GET /api/v1/cis/{key}/relations", func(e *env, f fixture, role string) req {
			return req{method: "GET", path: "/api/v1/cis/" + f.app.Key + "/relations"}
		}, merge(staffRead(200), roles(404, asRequester, vt.Other))},
		{"GET /api/v1/cis/{key}/impact", func(e *env, f fixture, role string) req {
			return req{method: "GET", path: "/api/v1/cis/" + f.db.Key + "/impact"}
		}, merge(staffRead(200), roles(404, asRequester, vt.Other))},
		{"POST /api/v1/relations", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/relations", body: map[string]any{"source": e.newCI(role).Key, "type": "runs_on", "target": f.db.Key}}
		}, writers(201)},
		{"DELETE /api/v1/relations/{id}", func(e *env, f fixture, role string) req {
			r, err := e.cmdb.AddRelation(e.ctx, auth.System, cmdb.Relation{Source: e.newCI(role).Key, Type: cmdb.RelHostedOn, Target: f.db.Key})
			if err != nil {
				e.t.Fatal(err)
			}
			return req{method: "DELETE", path: "/api/v1/relations/" + strconv.FormatInt(r.ID, 10)}
		}, writers(204)},
		{"POST /api/v1/imports/{format}", fixed("POST", "/api/v1/imports/csv", csv), writers(201)},
		{"GET /api/v1/imports", fixed("GET", "/api/v1/imports", nil), staffRead(200)},
		{"GET /api/v1/imports/{key}", func(e *env, f fixture, role string) req {
			return req{method: "GET", path: "/api/v1/imports/" + e.anImport()}
		}, staffRead(200)},
		{"GET /api/v1/cmdb/source-precedence", fixed("GET", "/api/v1/cmdb/source-precedence", nil), staffRead(200)},
		{"PUT /api/v1/cmdb/source-precedence", fixed("PUT", "/api/v1/cmdb/source-precedence", map[string]any{"sources": []string{"cmdb-sync", "nmap"}}),
			map[string]int{asAdmin: 200}},
		{"GET /api/v1/findings", fixed("GET", "/api/v1/findings", nil), staffRead(200)},
		{"GET /api/v1/findings/{key}", func(e *env, f fixture, role string) req {
			return req{method: "GET", path: "/api/v1/findings/" + e.aFinding()}
		}, staffRead(200)},
		{"PATCH /api/v1/findings/{key}", func(e *env, f fixture, role string) req {
			return req{method: "PATCH", path: "/api/v1/findings/" + e.aFindingOf("TEST-"+role), body: map[string]any{"state": "in_remediation"}}
		}, writers(200)},
		{"GET /api/v1/remediations", fixed("GET", "/api/v1/remediations", nil), staffRead(200)},
		{"GET /api/v1/users", fixed("GET", "/api/v1/users", nil), everyone(200)},
		{"POST /api/v1/users", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/users", body: map[string]any{"username": "new-" + role, "password": testPassword, "roles": []string{"agent"}}}
		}, map[string]int{asAdmin: 201}},
		{"GET /api/v1/users/{username}", fixed("GET", "/api/v1/users/other", nil), merge(staffRead(200), roles(404, asRequester), roles(200, vt.Other))},
		{"PATCH /api/v1/users/{username}", fixed("PATCH", "/api/v1/users/other", map[string]any{"display_name": "Changed"}), map[string]int{asAdmin: 200}},
		// A reset revokes the user's tokens: reset someone no role acts as.
		{"POST /api/v1/users/{username}/password-reset", func(e *env, f fixture, role string) req {
			name := "reset-" + role
			if _, err := e.auth.CreateUser(e.ctx, auth.System, auth.NewUser{Username: name, Password: testPassword, Roles: []auth.Role{auth.RoleRequester}}); err != nil {
				e.t.Fatal(err)
			}
			return req{method: "POST", path: "/api/v1/users/" + name + "/password-reset"}
		}, map[string]int{asAdmin: 200}},
		{"POST /api/v1/users/{username}/unlock", fixed("POST", "/api/v1/users/other/unlock", nil), map[string]int{asAdmin: 204}},
		{"DELETE /api/v1/users/{username}", func(e *env, f fixture, role string) req {
			name := "victim-" + role
			if _, err := e.auth.CreateUser(e.ctx, auth.System, auth.NewUser{Username: name, Password: testPassword, Roles: []auth.Role{auth.RoleRequester}}); err != nil {
				e.t.Fatal(err)
			}
			return req{method: "DELETE", path: "/api/v1/users/" + name}
		}, map[string]int{asAdmin: 204}},
		{"GET /api/v1/teams", fixed("GET", "/api/v1/teams", nil), everyone(200)},
		{"POST /api/v1/teams", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/teams", body: map[string]any{"name": "team-" + role}}
		}, map[string]int{asAdmin: 201}},
		// The fixture team has no requester in it: hidden from requesters.
		{"GET /api/v1/teams/{name}", func(e *env, f fixture, role string) req {
			return req{method: "GET", path: "/api/v1/teams/" + e.aTeam("SOC")}
		}, merge(staffRead(200), roles(404, asRequester, vt.Other))},
		{"PATCH /api/v1/teams/{name}", func(e *env, f fixture, role string) req {
			return req{method: "PATCH", path: "/api/v1/teams/" + e.aTeam("SOC"), body: map[string]any{"description": "changed"}}
		}, map[string]int{asAdmin: 200}},
		{"DELETE /api/v1/teams/{name}", func(e *env, f fixture, role string) req {
			return req{method: "DELETE", path: "/api/v1/teams/" + e.aTeam("gone-"+role)}
		}, map[string]int{asAdmin: 204}},
		// Tokens are self-service: everyone signed in may list, issue and
		// revoke their own (an auditor needs a token to use the API);
		// other users' tokens need token:manage (admins).
		{"GET /api/v1/tokens", fixed("GET", "/api/v1/tokens", nil), everyone(200)},
		{"POST /api/v1/tokens", fixed("POST", "/api/v1/tokens", map[string]any{"name": "mine"}), everyone(201)},
		{"DELETE /api/v1/tokens/{id}", func(e *env, f fixture, role string) req {
			return req{method: "DELETE", path: "/api/v1/tokens/" + e.aToken(role)}
		}, everyone(204)},
		{"GET /api/v1/audit", fixed("GET", "/api/v1/audit", nil), map[string]int{asAdmin: 200, asAuditor: 200, asSecAuditor: 200}},
		{"GET /api/v1/audit/verify", fixed("GET", "/api/v1/audit/verify", nil), map[string]int{asAdmin: 200, asAuditor: 200, asSecAuditor: 200}},
		{"GET /api/v1/sla/definitions", fixed("GET", "/api/v1/sla/definitions?record_kind=incident", nil), staffRead(200)},
		{"POST /api/v1/sla/definitions", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/sla/definitions", body: map[string]any{"name": "OLA " + role, "record_kind": "incident",
				"kind": "ola", "target": "resolution", "duration": "8h", "schedule": "24x7", "conditions": map[string]any{"security": true}}}
		}, map[string]int{asAdmin: 201}},
		{"PATCH /api/v1/sla/definitions/{id}", fixed("PATCH", "/api/v1/sla/definitions/1", map[string]any{"warnings": []int{80}}), map[string]int{asAdmin: 200}},
		{"GET /api/v1/sla/schedules", fixed("GET", "/api/v1/sla/schedules", nil), staffRead(200)},
		{"POST /api/v1/sla/schedules", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/sla/schedules", body: map[string]any{"name": "Office " + role, "time_zone": "Europe/Berlin",
				"hours":    map[string]any{"monday": []string{"08:00-12:00", "13:00-17:00"}, "saturday": []string{"10:00-14:00"}},
				"holidays": []map[string]string{{"date": "2026-12-25", "name": "Christmas"}}}}
		}, map[string]int{asAdmin: 201}},
		{"PATCH /api/v1/sla/schedules/{id}", fixed("PATCH", "/api/v1/sla/schedules/2", map[string]any{"time_zone": "America/New_York"}), map[string]int{asAdmin: 200}},
		{"GET /api/v1/jobs", fixed("GET", "/api/v1/jobs?status=dead", nil), map[string]int{asAdmin: 200}},

		{"GET /api/v1/incidents", fixed("GET", "/api/v1/incidents", nil), everyone(200)},
		{"POST /api/v1/incidents", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/incidents", body: map[string]any{"short_description": "new-" + role}}
		}, reporters(201)},
		{"POST /api/v1/incidents/bulk", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/incidents/bulk", body: []map[string]any{{"short_description": "bulk-" + role}}}
		}, reporters(201)},
		// The requester is the caller: other, a requester too, gets 404.
		{"GET /api/v1/incidents/{key}", func(e *env, f fixture, role string) req {
			return req{method: "GET", path: "/api/v1/incidents/" + e.newIncident(role)}
		}, merge(staffRead(200), roles(200, asRequester), roles(404, vt.Other))},
		{"PATCH /api/v1/incidents/{key}", func(e *env, f fixture, role string) req {
			return req{method: "PATCH", path: "/api/v1/incidents/" + e.newIncident(role), body: map[string]any{"description": "changed"}}
		}, writers(200)},
		{"POST /api/v1/incidents/{key}/notes", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/incidents/" + e.newIncident(role) + "/notes", body: map[string]any{"kind": "comment", "body": "hello"}}
		}, merge(reporters(201), roles(404, vt.Other))},
		{"GET /api/v1/incidents/{key}/timeline", func(e *env, f fixture, role string) req {
			return req{method: "GET", path: "/api/v1/incidents/" + e.newIncident(role) + "/timeline"}
		}, merge(staffRead(200), roles(200, asRequester), roles(404, vt.Other))},
		{"GET /api/v1/incidents/{key}/sightings", func(e *env, f fixture, role string) req {
			return req{method: "GET", path: "/api/v1/incidents/" + e.newIncident(role) + "/sightings"}
		}, merge(staffRead(200), roles(200, asRequester), roles(404, vt.Other))},
		{"POST /api/v1/incidents/{key}/shares", func(e *env, f fixture, role string) req {
			return req{method: "POST", path: "/api/v1/incidents/" + e.newIncident(role) + "/shares", body: map[string]any{"user": "other"}}
		}, writers(201)},
		{"DELETE /api/v1/incidents/{key}/shares", func(e *env, f fixture, role string) req {
			key := e.newIncident(role)
			if _, err := e.incs.ShareIncident(e.ctx, auth.System, key, "other", ""); err != nil {
				e.t.Fatal(err)
			}
			return req{method: "DELETE", path: "/api/v1/incidents/" + key + "/shares?user=other"}
		}, writers(204)},
		{"GET /api/v1/priority-matrix", fixed("GET", "/api/v1/priority-matrix", nil), everyone(200)},
		{"PUT /api/v1/priority-matrix", fixed("PUT", "/api/v1/priority-matrix", map[string]any{"cells": incident.DefaultMatrix.Cells()}),
			map[string]int{asAdmin: 200}},
		// No job 424242: an admin passes authorisation and gets 404.
		{"POST /api/v1/jobs/{id}/retry", fixed("POST", "/api/v1/jobs/424242/retry", nil), map[string]int{asAdmin: 404}},
	}
}

// reporters: the roles that raise incidents.
func reporters(code int) map[string]int {
	return roles(code, asAdmin, asAgent, asAnalyst, asRequester, vt.Other)
}

// newIncident raises an incident whose caller is the requester, for a
// role's request to act on.
func (e *env) newIncident(role string) string {
	inc, err := e.incs.CreateIncident(e.ctx, auth.System, incident.Incident{ShortDescription: "for " + role, Caller: asRequester})
	if err != nil {
		e.t.Fatalf("create incident: %v", err)
	}
	return inc.Key
}

func (e *env) anImport() string {
	rep, err := e.cmdb.Import(e.ctx, auth.System, cmdb.ImportRequest{Format: "json", Filename: "x.json",
		Candidates: []cmdb.Candidate{{Row: 1, Label: "row 1", Identifiers: cmdb.Identifiers{Hostnames: []string{"imp-host"}}}}})
	if err != nil {
		e.t.Fatalf("import: %v", err)
	}
	return rep.Key
}

// aFinding imports a one-finding scanner report and returns the
// finding's key.
func (e *env) aFinding() string { return e.aFindingOf("CVE-2024-1234") }

// aFindingOf returns the key of the finding with this identifier on one
// image, importing it first (the same identifier gives the same finding).
func (e *env) aFindingOf(id string) string {
	report := `{"SchemaVersion":2,"ArtifactName":"app:1","ArtifactType":"container_image","Results":[{"Target":"app:1","Class":"os-pkgs","Type":"debian",
		"Vulnerabilities":[{"VulnerabilityID":"` + id + `","PkgName":"lib","InstalledVersion":"1.0","Severity":"HIGH"}]}]}`
	if _, err := e.vuln.Import(e.ctx, auth.System, vuln.ImportRequest{Format: "trivy",
		Read: scanner.Source("trivy", strings.NewReader(report), scanner.Options{})}); err != nil {
		e.t.Fatalf("import: %v", err)
	}
	page, err := e.vuln.FindFindings(e.ctx, auth.System, vuln.Filter{Limit: 500})
	if err != nil {
		e.t.Fatalf("findings: %v", err)
	}
	for _, f := range page.Items {
		if f.Identifier == id {
			return f.Key
		}
	}
	e.t.Fatalf("no finding %s", id)
	return ""
}

func (e *env) aTeam(name string) string {
	if _, err := e.auth.FindTeamByName(e.ctx, auth.System, name); err == nil {
		return name
	}
	if _, err := e.auth.CreateTeam(e.ctx, auth.System, auth.Team{Name: name, Members: []string{"agent"}}); err != nil {
		e.t.Fatalf("create team: %v", err)
	}
	return name
}

// aToken issues a token to the role's user (admin's for anonymous and the
// scoped tokens) and returns its id.
func (e *env) aToken(role string) string {
	user := role
	if _, scoped := scopedTokens[role]; scoped || role == asAnonymous {
		user = asAdmin
	}
	_, tok, err := e.auth.CreateToken(e.ctx, auth.System, user, "to-revoke", nil)
	if err != nil {
		e.t.Fatalf("token: %v", err)
	}
	return strconv.FormatInt(tok.ID, 10)
}

// TestAuthorisationMatrix sends every route as every role and checks the
// answer: allowed roles get the success status, others 403 (or 404 where a
// record is hidden), anonymous callers 401 everywhere but the document.
func TestAuthorisationMatrix(t *testing.T) {
	table := accessTable()
	covered := map[string]bool{}
	for _, a := range table {
		covered[a.pattern] = true
	}
	for _, rt := range testRoutes() {
		if !covered[rt.pattern()] {
			t.Errorf("route %s has no authorisation case", rt.pattern())
		}
	}
	writes := map[string]bool{}
	for _, rt := range testRoutes() {
		writes[rt.pattern()] = rt.write
	}
	eachEnv(t, func(t *testing.T, e *env) {
		f := e.fixture()
		for _, a := range table {
			for _, role := range allRoles {
				want, ok := a.allow[role]
				switch {
				case ok:
				case role == asAnonymous:
					want = 401
				case role == asReadToken && !writes[a.pattern]:
					if want, ok = a.allow[asAdmin]; !ok {
						want = 403
					}
				default:
					want = 403
				}
				q := a.target(e, f, role)
				q.as = role
				r := e.do(q)
				if r.Code != want {
					t.Errorf("%s as %s: status %d, want %d; body %s", a.pattern, role, r.Code, want, r.Body)
					continue
				}
				if want >= 400 {
					p := r.problem(t)
					if p.Status != want {
						t.Errorf("%s as %s: problem status %d", a.pattern, role, p.Status)
					}
				}
				if want == 401 && r.Header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s: 401 without WWW-Authenticate", a.pattern)
				}
			}
		}
	})
}

// Requesters see only their own CIs, in lists and counts alike, and only
// themselves in the user directory.
func TestRequesterSeesOnlyOwnRecords(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := e.fixture()
		e.run(t, nil, []step{
			{name: "own CIs only", q: req{as: asRequester, method: "GET", path: "/api/v1/cis"}, want: 200,
				contains: []string{f.laptop.Key, `"total":1`}, absent: []string{f.otherLaptop.Key, f.db.Key, "Web shop"}},
			{name: "search cannot find others", q: req{as: asRequester, method: "GET", path: "/api/v1/cis?q=laptop"}, want: 200,
				contains: []string{`"total":1`}, absent: []string{"laptop-other"}},
			{name: "own CI readable", q: req{as: asRequester, method: "GET", path: "/api/v1/cis/" + f.laptop.Key}, want: 200},
			{name: "other's CI hidden", q: req{as: asRequester, method: "GET", path: "/api/v1/cis/" + f.otherLaptop.Key}, want: 404, absent: []string{"laptop-other"}},
			{name: "cannot write own CI", q: req{as: asRequester, method: "PATCH", path: "/api/v1/cis/" + f.laptop.Key, body: map[string]any{"name": "mine"}}, want: 403},
			{name: "users: self only", q: req{as: asRequester, method: "GET", path: "/api/v1/users"}, want: 200,
				contains: []string{`"username":"requester"`, `"total":1`}, absent: []string{`"other"`, `"admin"`}},
			{name: "other user hidden", q: req{as: asRequester, method: "GET", path: "/api/v1/users/admin"}, want: 404},
			{name: "self visible", q: req{as: asRequester, method: "GET", path: "/api/v1/users/requester"}, want: 200},
			{name: "others' tokens", q: req{as: asRequester, method: "GET", path: "/api/v1/tokens?user=other"}, want: 403},
			{name: "audit", q: req{as: asRequester, method: "GET", path: "/api/v1/audit", headers: map[string]string{"Accept": NDJSONContentType}}, want: 403},
			{name: "staff count everything", q: req{as: asAuditor, method: "GET", path: "/api/v1/cis"}, want: 200, contains: []string{`"total":5`}},
		})
	})
}

// Credentials that are present but wrong are refused, not treated as
// anonymous.
func TestBadCredentials(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, h := range []string{"Bearer rmp_notatokenatallbutlongenough", "Basic YWRtaW46YWRtaW4=", "Bearer"} {
			r := e.do(req{method: "GET", path: "/api/v1/cis", headers: map[string]string{"Authorization": h}})
			if r.Code != 401 {
				t.Errorf("Authorization %q: status %d", h, r.Code)
			}
		}
		// A revoked token stops working at once.
		id := e.aToken(asAgent)
		e.must(req{as: asAgent, method: "DELETE", path: "/api/v1/tokens/" + id}, 204)
		e.must(req{as: asAgent, method: "GET", path: "/api/v1/me"}, 200) // the harness token is another one
		// A disabled user's token stops working too.
		e.must(req{as: asAdmin, method: "PATCH", path: "/api/v1/users/other", body: map[string]any{"disabled": true}}, 200)
		e.must(req{as: "other", method: "GET", path: "/api/v1/me"}, 401)
	})
}

// A browser session (cookie) may read, but writes need the CSRF header.
func TestSessionCookieNeedsCSRF(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		sid, csrf := e.session("agent")
		cookie := "rampart_session=" + sid
		body := map[string]any{"name": "via-browser", "kind": "server"}
		e.must(req{method: "GET", path: "/api/v1/me", headers: map[string]string{"Cookie": cookie}}, 200)
		r := e.must(req{method: "POST", path: "/api/v1/cis", body: body, headers: map[string]string{"Cookie": cookie}}, 403)
		if p := r.problem(t); !strings.Contains(p.Detail, "CSRF") {
			t.Errorf("detail %q does not mention CSRF", p.Detail)
		}
		e.must(req{method: "POST", path: "/api/v1/cis", body: body, headers: map[string]string{"Cookie": cookie, "X-CSRF-Token": "wrong"}}, 403)
		before := e.countCIs()
		e.must(req{method: "POST", path: "/api/v1/cis", body: body, headers: map[string]string{"Cookie": cookie, "X-CSRF-Token": csrf}}, 201)
		if got := e.countCIs(); got != before+1 {
			t.Errorf("CIs %d → %d", before, got)
		}
		// A bogus cookie is a 401, not anonymous access.
		e.must(req{method: "GET", path: "/api/v1/me", headers: map[string]string{"Cookie": "rampart_session=nope"}}, 401)
	})
}

// The roles the document names for each operation (from its permission)
// are exactly the roles the matrix lets through: the document cannot
// promise or deny access the services decide otherwise.
func TestDocumentedAccessMatchesMatrix(t *testing.T) {
	table := map[string]access{}
	for _, a := range accessTable() {
		table[a.pattern] = a
	}
	for _, rt := range testRoutes() {
		a, ok := table[rt.pattern()]
		if !ok {
			continue // TestAuthorisationMatrix reports it
		}
		for _, role := range allRoles {
			if _, scoped := scopedTokens[role]; scoped {
				continue // token scopes are not role permissions
			}
			_, allowed := a.allow[role]
			var documented bool
			switch {
			case rt.public:
				documented = true
			case role == asAnonymous:
				documented = false
			case rt.doc.perm == "":
				documented = true
			default:
				documented = slices.Contains(rt.doc.perm.Roles(), vt.RoleOf(role))
			}
			if allowed != documented {
				t.Errorf("%s as %s: the document says allowed=%v (%s), the matrix allowed=%v", rt.pattern(), role, documented, rt.who(), allowed)
			}
		}
	}
}

// A route the document could not describe stops the server from starting.
func TestRouteTableNeedsDocumentation(t *testing.T) {
	good := route{method: "GET", path: "/api/v1/x", doc: op{id: "x", tag: "meta", summary: "X", desc: "What x is."}}
	cases := []struct {
		name  string
		spoil func(*route)
	}{
		{"no summary", func(r *route) { r.doc.summary = "" }},
		{"no description", func(r *route) { r.doc.desc = "" }},
		{"no tag", func(r *route) { r.doc.tag = "" }},
		{"no id", func(r *route) { r.doc.id = "" }},
		{"unknown permission", func(r *route) { r.doc.perm = "ci:wirte" }},
	}
	checkTable([]route{good})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := good
			c.spoil(&bad)
			defer func() {
				if recover() == nil {
					t.Error("checkTable accepted the route")
				}
			}()
			checkTable([]route{bad})
		})
	}
	t.Run("repeated id", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("checkTable accepted two routes with one id")
			}
		}()
		checkTable([]route{good, good})
	})
}

// Every route that is not a GET changes state and must say so, or a
// read-only token could call it.
func TestWritesAreMarked(t *testing.T) {
	for _, rt := range testRoutes() {
		if rt.method != "GET" && !rt.write {
			t.Errorf("%s is not marked write", rt.pattern())
		}
	}
}

package web

import "net/http"

// routes is the one table of UI paths. Pages behind s.page need a signed-in
// user and, for POST, the session's CSRF token.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", staticHandler())

	mux.Handle("GET /login", s.public(s.loginForm))
	mux.Handle("POST /login", s.public(s.login))
	mux.Handle("POST /logout", s.page(s.logout))
	mux.Handle("GET /account/password", s.page(s.passwordForm))
	mux.Handle("POST /account/password", s.page(s.changePassword))
	mux.Handle("GET /{$}", s.page(s.home))

	mux.Handle("GET /cis", s.page(s.ciList))
	mux.Handle("POST /cis", s.page(s.ciCreate))
	mux.Handle("GET /cis/new", s.page(s.ciNew))
	mux.Handle("GET /cis/export.csv", s.page(s.ciExport))
	mux.Handle("GET /pick/{what}", s.page(s.pick))
	mux.Handle("GET /cis/{key}", s.page(s.ciShow))
	mux.Handle("GET /cis/{key}/edit", s.page(s.ciEdit))
	mux.Handle("POST /cis/{key}", s.page(s.ciUpdate))
	mux.Handle("GET /cis/{key}/delete", s.page(s.ciDeleteConfirm))
	mux.Handle("POST /cis/{key}/delete", s.page(s.ciDelete))
	mux.Handle("POST /cis/{key}/relations", s.page(s.relationAdd))
	mux.Handle("POST /cis/{key}/relations/{id}/delete", s.page(s.relationDelete))
	mux.Handle("GET /cis/{key}/impact", s.page(s.impact))

	mux.Handle("GET /vulnerabilities", s.page(s.vulnDashboard))
	mux.Handle("GET /incidents", s.page(s.incidentList))
	mux.Handle("GET /incidents/new", s.page(s.incidentNew))
	mux.Handle("POST /incidents", s.page(s.incidentCreate))
	mux.Handle("GET /incidents/{key}", s.page(s.incidentShow))
	mux.Handle("POST /incidents/{key}", s.page(s.incidentUpdate))
	mux.Handle("POST /incidents/{key}/notes", s.page(s.incidentNote))

	mux.Handle("GET /imports", s.page(s.importList))
	mux.Handle("POST /imports", s.page(s.importRun))
	mux.Handle("GET /imports/{key}", s.page(s.importShow))

	mux.Handle("GET /admin/users", s.page(s.userList))
	mux.Handle("GET /admin/users/new", s.page(s.userNew))
	mux.Handle("POST /admin/users", s.page(s.userCreate))
	mux.Handle("GET /admin/users/{name}", s.page(s.userEdit))
	mux.Handle("POST /admin/users/{name}", s.page(s.userUpdate))
	mux.Handle("POST /admin/users/{name}/disable", s.page(s.userDisable))
	mux.Handle("POST /admin/users/{name}/unlock", s.page(s.userUnlock))
	mux.Handle("GET /admin/teams", s.page(s.teamList))
	mux.Handle("GET /admin/teams/new", s.page(s.teamNew))
	mux.Handle("POST /admin/teams", s.page(s.teamCreate))
	mux.Handle("GET /admin/teams/{name}", s.page(s.teamEdit))
	mux.Handle("POST /admin/teams/{name}", s.page(s.teamUpdate))

	mux.Handle("GET /admin/jobs", s.page(s.jobList))
	mux.Handle("POST /admin/jobs/{id}/retry", s.page(s.jobRetry))

	mux.Handle("GET /audit", s.page(s.auditList))
	mux.Handle("GET /audit/verify", s.page(s.auditVerify))
	mux.Handle("GET /audit/export.ndjson", s.page(s.auditExport))

	mux.Handle("/", s.public(s.notFound))

	// Cross-origin protection (Sec-Fetch-Site / Origin) refuses forged
	// cross-site POSTs before any handler runs, including the sign-in form,
	// which has no session and so no CSRF token yet.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, nil, errForbiddenOrigin)
	}))
	return securityHeaders(s.recoverPanics(cop.Handler(mux)))
}

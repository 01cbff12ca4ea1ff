package web

import "net/http"

// pageRoute is one UI path and how it is served.
type pageRoute struct {
	pattern string
	h       handlerFunc
	// public pages need no sign-in; the others need a signed-in user and,
	// for POST, the session's CSRF token.
	public bool
	// temporary marks what a user signed in with a temporary password may
	// use: changing it and signing out. Every other page sends them to
	// the change-password form first (TestTemporaryPasswordGate).
	temporary bool
}

// table is the one table of UI paths.
func (s *server) table() []pageRoute {
	return []pageRoute{
		{pattern: "GET /login", h: s.loginForm, public: true},
		{pattern: "POST /login", h: s.login, public: true},
		{pattern: "POST /logout", h: s.logout, temporary: true},
		{pattern: "GET /account/password", h: s.passwordForm, temporary: true},
		{pattern: "POST /account/password", h: s.changePassword, temporary: true},
		{pattern: "GET /{$}", h: s.home},
		{pattern: "GET /account/tokens", h: s.myTokens},
		{pattern: "POST /account/tokens/{id}/revoke", h: s.tokenRevoke},

		{pattern: "GET /cis", h: s.ciList},
		{pattern: "POST /cis", h: s.ciCreate},
		{pattern: "GET /cis/new", h: s.ciNew},
		{pattern: "GET /cis/export.csv", h: s.ciExport},
		{pattern: "GET /pick/{what}", h: s.pick},
		{pattern: "GET /cis/{key}", h: s.ciShow},
		{pattern: "GET /cis/{key}/edit", h: s.ciEdit},
		{pattern: "POST /cis/{key}", h: s.ciUpdate},
		{pattern: "GET /cis/{key}/delete", h: s.ciDeleteConfirm},
		{pattern: "POST /cis/{key}/delete", h: s.ciDelete},
		{pattern: "POST /cis/{key}/relations", h: s.relationAdd},
		{pattern: "POST /cis/{key}/relations/{id}/delete", h: s.relationDelete},
		{pattern: "GET /cis/{key}/impact", h: s.impact},

		{pattern: "GET /vulnerabilities", h: s.vulnDashboard},
		{pattern: "GET /incidents", h: s.incidentList},
		{pattern: "GET /incidents/new", h: s.incidentNew},
		{pattern: "POST /incidents", h: s.incidentCreate},
		{pattern: "GET /incidents/{key}", h: s.incidentShow},
		{pattern: "POST /incidents/{key}", h: s.incidentUpdate},
		{pattern: "POST /incidents/{key}/notes", h: s.incidentNote},
		{pattern: "GET /imports", h: s.importList},
		{pattern: "POST /imports", h: s.importRun},
		{pattern: "GET /imports/{key}", h: s.importShow},

		{pattern: "GET /admin/users", h: s.userList},
		{pattern: "GET /admin/users/new", h: s.userNew},
		{pattern: "POST /admin/users", h: s.userCreate},
		{pattern: "GET /admin/users/{name}", h: s.userEdit},
		{pattern: "POST /admin/users/{name}", h: s.userUpdate},
		{pattern: "POST /admin/users/{name}/disable", h: s.userDisable},
		{pattern: "POST /admin/users/{name}/unlock", h: s.userUnlock},
		{pattern: "GET /admin/teams", h: s.teamList},
		{pattern: "GET /admin/teams/new", h: s.teamNew},
		{pattern: "POST /admin/teams", h: s.teamCreate},
		{pattern: "GET /admin/teams/{name}", h: s.teamEdit},
		{pattern: "POST /admin/teams/{name}", h: s.teamUpdate},

		{pattern: "GET /admin/tokens", h: s.allTokens},
		{pattern: "POST /admin/tokens/{id}/revoke", h: s.tokenRevoke},

		{pattern: "GET /admin/jobs", h: s.jobList},
		{pattern: "POST /admin/jobs/{id}/retry", h: s.jobRetry},

		{pattern: "GET /audit", h: s.auditList},
		{pattern: "GET /audit/verify", h: s.auditVerify},
		{pattern: "GET /audit/export.ndjson", h: s.auditExport},
	}
}

// routes serves the table, static files and a not-found page for the
// rest, behind cross-origin protection and the security headers.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", staticHandler())

	for _, rt := range s.table() {
		h := s.page(rt.h, rt.temporary)
		if rt.public {
			h = s.public(rt.h)
		}
		mux.Handle(rt.pattern, h)
	}

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

// Package services is the one set of practice services that every adapter
// takes: the JSON API, the web UI and the CLI and server (through app.App)
// get the same Services, built once by New. Adding a practice adds its
// service here, and every adapter can reach it.
package services

import (
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/authstore"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
	"github.com/rampart-itsm/rampart/internal/store/incidentstore"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
)

// Services are the practices' services. An adapter may be given a
// Services with Jobs nil; it then leaves out what needs the jobs service.
type Services struct {
	CMDB      *cmdb.Service
	Auth      *auth.Service
	Audit     *auditlog.Service
	Jobs      *jobs.Service
	Incidents *incident.Service
}

// New builds every practice's service on db, each on its own view of the
// unit of work. clk is the clock sessions and tokens expire by.
func New(db *store.DB, clk clock.Clock) Services {
	cmdbSvc := cmdb.NewService(store.Bind(db, cmdbstore.Bind)).WithScratch(cmdbstore.OpenScratch)
	return Services{
		CMDB:      cmdbSvc,
		Auth:      auth.NewService(store.Bind(db, authstore.Bind), clk),
		Audit:     auditlog.NewService(store.Bind(db, func(tx *store.Tx) auditlog.Tx { return tx })),
		Jobs:      jobs.NewService(store.Bind(db, jobstore.Bind)),
		Incidents: incident.NewService(store.Bind(db, incidentstore.Bind), cmdbSvc),
	}
}

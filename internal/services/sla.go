package services

import (
	"github.com/rampart-itsm/rampart/internal/sla"
	"github.com/rampart-itsm/rampart/internal/sla/incidentsla"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
	"github.com/rampart-itsm/rampart/internal/store/slastore"
)

// newSLA builds the SLA service; the poller's events go to the job queue
// in the same units of work.
func newSLA(db *store.DB) *sla.Service {
	return sla.NewService(store.Bind(db, slastore.Bind), store.Bind(db, jobstore.Bind))
}

// withSLA wires the SLA practice into the practices whose records it
// times: incidents keep SLA clocks in the unit of work of each change.
func withSLA(s Services) Services {
	s.Incidents.WithClocks(incidentsla.New(s.SLA))
	return s
}

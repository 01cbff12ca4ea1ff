// Package services is the one set of practice services that every adapter
// takes: the JSON API, the web UI and the CLI and server (through app.App)
// get the same Services, built once by New. Adding a practice adds its
// service here, and every adapter can reach it.
package services

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/sla"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/authstore"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
	"github.com/rampart-itsm/rampart/internal/store/incidentstore"
	"github.com/rampart-itsm/rampart/internal/store/jobstore"
	"github.com/rampart-itsm/rampart/internal/store/vulnstore"
	"github.com/rampart-itsm/rampart/internal/uow"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// Services are the practices' services. An adapter may be given a
// Services with Jobs nil; it then leaves out what needs the jobs service.
type Services struct {
	SLA       *sla.Service
	CMDB      *cmdb.Service
	Auth      *auth.Service
	Audit     *auditlog.Service
	Jobs      *jobs.Service
	Incidents *incident.Service
	Vuln      *vuln.Service
}

// New builds every practice's service on db, each on its own view of the
// unit of work. clk is the clock sessions and tokens expire by.
func New(db *store.DB, clk clock.Clock) (s Services) {
	cmdbSvc := cmdb.NewService(store.Bind(db, cmdbstore.Bind)).WithScratch(cmdbstore.OpenScratch)
	defer func() { s = withSLA(s) }() // once every service exists
	return Services{
		SLA:       newSLA(db),
		CMDB:      cmdbSvc,
		Auth:      auth.NewService(store.Bind(db, authstore.Bind), clk),
		Audit:     auditlog.NewService(store.Bind(db, func(tx *store.Tx) auditlog.Tx { return tx })),
		Jobs:      jobs.NewService(store.Bind(db, jobstore.Bind)),
		Incidents: incident.NewService(store.Bind(db, incidentstore.Bind), cmdbSvc),
		Vuln:      vuln.NewService(store.Bind(db, vulnstore.Bind), vulnAssets{store.Bind(db, cmdbstore.Bind)}),
	}
}

// vulnAssets matches scanned targets to CIs through the CMDB's store,
// joined to the vulnerability import's unit of work.
type vulnAssets struct{ cmdb store.Bound[cmdb.Tx] }

func (a vulnAssets) Match(ctx context.Context, u uow.Unit, targets []vuln.Target) ([]vuln.AssetRef, error) {
	lists := make([][]cmdb.IdentifierValue, len(targets))
	for i, t := range targets {
		for _, id := range t.Identifiers() {
			lists[i] = append(lists[i], cmdb.IdentifierValue{Kind: cmdb.IdentifierKind(id.Kind), Value: id.Value})
		}
	}
	out := make([]vuln.AssetRef, len(targets))
	err := a.cmdb.Join(u, func(tx cmdb.Tx) error {
		ms, err := cmdb.MatchAssets(ctx, tx.CMDB(), lists)
		for i, m := range ms {
			out[i] = vuln.AssetRef{CIID: m.CIID, CIKey: m.CIKey, Asset: vuln.Asset{Known: m.CIID != 0, Criticality: m.Criticality,
				InternetExposed: m.InternetExposed, DataClassification: m.DataClassification}}
		}
		return err
	})
	return out, err
}

func (a vulnAssets) ByCI(ctx context.Context, u uow.Unit, ids []int64) (map[int64]vuln.Asset, error) {
	out := make(map[int64]vuln.Asset, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := a.cmdb.Join(u, func(tx cmdb.Tx) error {
		cis, err := tx.CMDB().FindCIsByIDUnscoped(ctx, ids)
		for id, ci := range cis {
			out[id] = vuln.Asset{Known: true, Criticality: ci.Criticality, InternetExposed: ci.InternetExposed, DataClassification: ci.DataClassification}
		}
		return err
	})
	return out, err
}

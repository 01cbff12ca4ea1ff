// Package incidentsla times incidents with SLA clocks: it is the
// incident.Clocks the incident practice calls in the unit of work of each
// change, turning an incident into what the SLA practice reads (its
// priority, category, services, security flag and on-hold reason).
package incidentsla

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/sla"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// recordKind is what SLA definitions name incidents by.
const recordKind = "incident"

// Clocks implements incident.Clocks on the SLA service.
type Clocks struct{ svc *sla.Service }

var _ incident.Clocks = Clocks{}

// New returns the incident clocks kept by svc.
func New(svc *sla.Service) Clocks { return Clocks{svc: svc} }

// record is what the SLA practice reads of an incident.
func record(inc *incident.Incident) sla.Record {
	rec := sla.Record{Kind: recordKind, ID: inc.ID, Attrs: sla.Attributes{
		Priority: inc.Priority, Category: inc.Category, Services: services(inc), Security: inc.Security}}
	if inc.State == incident.StateOnHold {
		rec.Hold = inc.OnHoldReason
	}
	return rec
}

// services are the keys of every business service the incident affects,
// whoever is looking: conditions must not depend on the viewer.
func services(inc *incident.Incident) []string {
	out := append([]string(nil), inc.Services...)
	for _, r := range inc.ServiceRefs {
		if n := len(r.Path); n > 0 {
			out = append(out, r.Path[n-1])
		}
	}
	return out
}

// Start starts the clocks whose definitions match a new incident.
func (c Clocks) Start(ctx context.Context, u uow.Unit, inc *incident.Incident) error {
	if err := c.svc.Apply(ctx, u, record(inc)); err != nil {
		return err
	}
	return c.stopIfClosed(ctx, u, inc)
}

// stopIfClosed stops the clocks of an incident raised already resolved
// or cancelled.
func (c Clocks) stopIfClosed(ctx context.Context, u uow.Unit, inc *incident.Incident) error {
	switch {
	case inc.State == incident.StateCancelled:
		return c.svc.Cancel(ctx, u, recordKind, inc.ID)
	case !inc.State.Open():
		return c.svc.Stop(ctx, u, recordKind, inc.ID)
	}
	return nil
}

// Respond stops the response clocks at the first response; a later one
// changes nothing (Zammad #5177).
func (c Clocks) Respond(ctx context.Context, u uow.Unit, inc *incident.Incident) error {
	return c.svc.Stop(ctx, u, recordKind, inc.ID, sla.TargetResponse)
}

// Pause applies the incident's on-hold reason: clocks whose definition
// pauses on it pause.
func (c Clocks) Pause(ctx context.Context, u uow.Unit, inc *incident.Incident) error {
	return c.svc.Hold(ctx, u, record(inc))
}

// Resume runs the clocks again when the incident leaves hold or is
// reopened.
func (c Clocks) Resume(ctx context.Context, u uow.Unit, inc *incident.Incident) error {
	return c.svc.Resume(ctx, u, record(inc))
}

// Stop stops every clock when the incident is resolved or closed (met or
// breached), and cancels them when it is cancelled.
func (c Clocks) Stop(ctx context.Context, u uow.Unit, inc *incident.Incident) error {
	return c.stopIfClosed(ctx, u, inc)
}

// Reprioritise brings the clocks in line with the incident's new
// priority, category or security flag: the new definitions' clocks
// replace the old ones, keeping the time elapsed or restarting as each
// definition says.
func (c Clocks) Reprioritise(ctx context.Context, u uow.Unit, _, after *incident.Incident) error {
	return c.svc.Apply(ctx, u, record(after))
}

// SLAs fills each incident's clocks for display.
func (c Clocks) SLAs(ctx context.Context, u uow.Unit, incs []*incident.Incident) error {
	ids := make([]int64, len(incs))
	for i, inc := range incs {
		ids[i] = inc.ID
	}
	reports, err := c.svc.Reports(ctx, u, recordKind, ids)
	if err != nil {
		return err
	}
	for _, inc := range incs {
		inc.SLAs = []incident.SLA{}
		for _, r := range reports[inc.ID] {
			inc.SLAs = append(inc.SLAs, incident.SLA{Name: r.Name, Kind: string(r.Kind), Target: string(r.Target),
				DueAt: r.DueAt, State: string(r.State), Elapsed: r.ElapsedSeconds})
		}
	}
	return nil
}

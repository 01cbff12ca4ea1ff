// Package slastore is the SQL of the SLA practice on the unit of work of
// internal/store: schedules and their holidays, definitions, and the clock
// rows the poller scans by next_at.
package slastore

import (
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/sla"
	"github.com/rampart-itsm/rampart/internal/store"
)

// Bind returns the SLA practice's view of the unit of work tx, for
// store.Bind(db, slastore.Bind).
func Bind(tx *store.Tx) sla.Tx { return unit{tx} }

// unit is the unit of work with the SLA store added.
type unit struct{ *store.Tx }

// SLA returns the SLA tables bound to this unit of work.
func (u unit) SLA() sla.Store { return &slaStore{u.Tx} }

// slaStore implements sla.Store.
type slaStore struct{ tx *store.Tx }

// configVisibility is what visibility means for SLA configuration: all or
// nothing.
var configVisibility = store.Columns{Kind: auth.KindSLA}

package incident

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// Sighting is where else an observable was seen: the other incidents that
// record it and the CIs that carry it as an identifier (an IP address, a
// domain as host name or FQDN), among those the viewer may see.
type Sighting struct {
	Observable
	Incidents []string `json:"incidents"`
	CIs       []string `json:"cis"`
}

// Sightings returns, for each observable of an incident p may see, where
// else it was seen, among the incidents and CIs p may see. Requires
// auth.IncidentRead. Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) Sightings(ctx context.Context, p auth.Principal, key string) ([]Sighting, error) {
	if err := p.Require(auth.IncidentRead); err != nil {
		return nil, err
	}
	var out []Sighting
	err := s.t.View(ctx, func(tx Tx) error {
		st := tx.Incidents()
		inc, err := find(ctx, st, key, views(p))
		if err != nil || len(inc.Observables) == 0 {
			return err
		}
		out, err = st.Sightings(ctx, inc.ID, inc.Observables, views(p))
		return err
	})
	if out == nil {
		out = []Sighting{}
	}
	return out, err
}

// Package demo loads a small but realistic estate — teams, people, business
// services and the applications, platforms and network they stand on — so a
// newcomer sees a working CMDB and impact analysis on first start.
package demo

import (
	"context"
	"fmt"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Load fills an empty CMDB with demonstration data and reports whether it
// did; a CMDB that already holds CIs is left alone. Everything goes through
// the services, so demo records are validated and audited like any other.
func Load(ctx context.Context, a *app.App) (bool, error) {
	page, err := a.CMDB.FindCIs(ctx, auth.System, cmdb.Filter{Limit: 1})
	if err != nil {
		return false, err
	}
	if page.Total > 0 {
		return false, nil
	}
	for i, t := range teams {
		if _, err := a.Auth.CreateTeam(ctx, auth.System, t); err != nil {
			if i == 0 && errs.Is(err, errs.Conflict) {
				// Another replica started with --demo at the same moment
				// and is loading the same data: leave it to that one.
				return false, nil
			}
			return false, fmt.Errorf("team %s: %w", t.Name, err)
		}
	}
	for _, u := range people {
		// Demo people get random passwords nobody knows; an admin sets
		// one from the Users page to sign in as them.
		u.Password = auth.RandomSecret(18)
		if _, err := a.Auth.CreateUser(ctx, auth.System, u); err != nil {
			return false, fmt.Errorf("user %s: %w", u.Username, err)
		}
	}
	keys := map[string]string{}
	for _, ci := range estate {
		created, err := a.CMDB.CreateCI(ctx, auth.System, ci)
		if err != nil {
			return false, fmt.Errorf("CI %s: %w", ci.Name, err)
		}
		keys[ci.Name] = created.Key
	}
	for _, r := range links {
		rel := cmdb.Relation{Source: keys[r.source], Type: r.typ, Target: keys[r.target]}
		if _, err := a.CMDB.AddRelation(ctx, auth.System, rel); err != nil {
			return false, fmt.Errorf("relation %s %s %s: %w", r.source, r.typ, r.target, err)
		}
	}
	return true, nil
}

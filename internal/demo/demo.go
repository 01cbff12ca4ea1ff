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

// Account is how to sign in as one demo user the first time.
type Account struct {
	Username string
	Roles    []auth.Role
	Password string // random and one-time: the user chooses another at first sign-in
}

// Load fills an empty CMDB with demonstration data and returns the demo
// users' one-time passwords, for the caller to print once (like the first
// admin's); they are kept nowhere else. loaded is false, and nothing is
// returned, when the CMDB already holds CIs: it is left alone. Everything
// goes through the services, so demo records are validated and audited
// like any other.
func Load(ctx context.Context, a *app.App) (accounts []Account, loaded bool, err error) {
	page, err := a.CMDB.FindCIs(ctx, auth.System, cmdb.Filter{Limit: 1})
	if err != nil {
		return nil, false, err
	}
	if page.Total > 0 {
		return nil, false, nil
	}
	for i, t := range teams {
		if _, err := a.Auth.CreateTeam(ctx, auth.System, t); err != nil {
			if i == 0 && errs.Is(err, errs.Conflict) {
				// Another replica started with --demo at the same moment
				// and is loading the same data: leave it to that one.
				return nil, false, nil
			}
			return nil, false, fmt.Errorf("team %s: %w", t.Name, err)
		}
	}
	for _, u := range people {
		// Random, never a fixed demo password: a demo left running on a
		// network must not be open to anyone who read this file.
		u.Password, u.OneTimePassword = auth.RandomSecret(18), true
		created, err := a.Auth.CreateUser(ctx, auth.System, u)
		if err != nil {
			return nil, false, fmt.Errorf("user %s: %w", u.Username, err)
		}
		accounts = append(accounts, Account{Username: created.Username, Roles: created.Roles, Password: u.Password})
	}
	keys := map[string]string{}
	for _, ci := range estate {
		created, err := a.CMDB.CreateCI(ctx, auth.System, ci)
		if err != nil {
			return nil, false, fmt.Errorf("CI %s: %w", ci.Name, err)
		}
		keys[ci.Name] = created.Key
	}
	for _, r := range links {
		rel := cmdb.Relation{Source: keys[r.source], Type: r.typ, Target: keys[r.target]}
		if _, err := a.CMDB.AddRelation(ctx, auth.System, rel); err != nil {
			return nil, false, fmt.Errorf("relation %s %s %s: %w", r.source, r.typ, r.target, err)
		}
	}
	return accounts, true, nil
}

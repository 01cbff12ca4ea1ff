package auth

import (
	"context"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// FindTeams lists teams by name. Staff see every team; a requester sees
// only the teams they belong to, and of their members only themselves
// (auth.VisibilityFor with KindTeam and KindUser). Errors: Unauthenticated, Forbidden.
func (s *Service) FindTeams(ctx context.Context, p Principal) ([]Team, error) {
	if err := p.Require(UserRead); err != nil {
		return nil, err
	}
	var out []Team
	err := s.tx.View(ctx, func(tx Tx) (err error) {
		out, err = tx.Auth().FindTeams(ctx, VisibilityFor(p, KindTeam), VisibilityFor(p, KindUser))
		return err
	})
	return out, err
}

// FindTeamByName returns one team; a team the caller may not see is
// NotFound, like a missing one. Errors: Unauthenticated, Forbidden,
// NotFound.
func (s *Service) FindTeamByName(ctx context.Context, p Principal, name string) (Team, error) {
	if err := p.Require(UserRead); err != nil {
		return Team{}, err
	}
	name = strings.TrimSpace(name)
	var t Team
	err := s.tx.View(ctx, func(tx Tx) (err error) {
		t, err = tx.Auth().FindTeam(ctx, VisibilityFor(p, KindTeam), VisibilityFor(p, KindUser), name)
		return notFound(err, "no team named %q", name)
	})
	return t, err
}

// CreateTeam adds a team with its members (usernames). Needs
// auth.UserManage. Errors: Unauthenticated, Forbidden, Invalid (name,
// email, unknown member), Conflict (name taken).
func (s *Service) CreateTeam(ctx context.Context, p Principal, t Team) (Team, error) {
	if err := p.Require(UserManage); err != nil {
		return Team{}, err
	}
	t = Team{Name: strings.TrimSpace(t.Name), Description: strings.TrimSpace(t.Description),
		Email: strings.TrimSpace(t.Email), Members: normalizeNames(t.Members, NormalizeUsername)}
	var fe errs.Fields
	checkTeamName(&fe, t.Name)
	checkText(&fe, "description", t.Description, 2000)
	checkEmail(&fe, "email", t.Email)
	if err := fe.Err(); err != nil {
		return Team{}, err
	}
	var created Team
	err := s.tx.InTx(ctx, func(tx Tx) (err error) {
		if created, err = tx.Auth().InsertTeam(ctx, t); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionCreate, Kind: auditTeam, Key: created.Name, After: created})
	})
	return created, taken(err, "name", "a team named %q already exists", t.Name)
}

// UpdateTeam changes a team's description, email or members (the whole
// list). Needs auth.UserManage. Errors: Unauthenticated, Forbidden,
// NotFound, Invalid.
func (s *Service) UpdateTeam(ctx context.Context, p Principal, name string, u TeamUpdate) (Team, error) {
	if err := p.Require(UserManage); err != nil {
		return Team{}, err
	}
	name = strings.TrimSpace(name)
	var fe errs.Fields
	if u.Description != nil {
		checkText(&fe, "description", strings.TrimSpace(*u.Description), 2000)
	}
	if u.Email != nil {
		checkEmail(&fe, "email", strings.TrimSpace(*u.Email))
	}
	if err := fe.Err(); err != nil {
		return Team{}, err
	}
	var updated Team
	err := s.tx.InTx(ctx, func(tx Tx) error {
		before, err := tx.Auth().FindTeam(ctx, VisibilityFor(p, KindTeam), Unrestricted("a team's whole membership, as audited"), name)
		if err != nil {
			return notFound(err, "no team named %q", name)
		}
		after := before
		if u.Description != nil {
			after.Description = strings.TrimSpace(*u.Description)
		}
		if u.Email != nil {
			after.Email = strings.TrimSpace(*u.Email)
		}
		if u.Members != nil {
			after.Members = normalizeNames(*u.Members, NormalizeUsername)
		}
		if updated, err = tx.Auth().UpdateTeam(ctx, after); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionUpdate, Kind: auditTeam, Key: name, Before: before, After: updated})
	})
	return updated, err
}

// DeleteTeam removes a team; CIs it supported lose their support group.
// Needs auth.UserManage. Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) DeleteTeam(ctx context.Context, p Principal, name string) error {
	if err := p.Require(UserManage); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	return s.tx.InTx(ctx, func(tx Tx) error {
		before, err := tx.Auth().FindTeam(ctx, VisibilityFor(p, KindTeam), Unrestricted("a team's whole membership, as audited"), name)
		if err != nil {
			return notFound(err, "no team named %q", name)
		}
		if err := tx.Auth().DeleteTeam(ctx, before.ID); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionDelete, Kind: auditTeam, Key: name, Before: before})
	})
}

// checkTeamName: a team name appears in URLs and CSV columns, so no
// slashes or control characters.
func checkTeamName(fe *errs.Fields, name string) {
	switch {
	case name == "":
		fe.Add("name", "is required")
	case strings.ContainsAny(name, "/\\"):
		fe.Add("name", "must not contain slashes")
	default:
		checkText(fe, "name", name, 100)
	}
}

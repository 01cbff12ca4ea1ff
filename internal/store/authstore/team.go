package authstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
)

const authTeamColumns = `teams.id, teams.name, teams.description, teams.email, teams.created_at, teams.updated_at`

// teamVisibility is what visibility means for a team row: a requester owns
// the teams they are a member of (the principal's team ids).
var teamVisibility = store.Columns{Kind: auth.KindTeam, Team: "teams.id"}

// FindTeams lists teams v covers by name, with the members that members
// covers.
func (s *authStore) FindTeams(ctx context.Context, v, members auth.Visibility) ([]auth.Team, error) {
	var q store.Query
	q.And(store.Visible(&q, v, teamVisibility))
	return s.loadTeams(ctx, members, q.Where()+" ORDER BY teams.name", q.Args()...)
}

// FindTeam returns a team by name when v covers it, with the members that
// members covers.
func (s *authStore) FindTeam(ctx context.Context, v, members auth.Visibility, name string) (auth.Team, error) {
	var q store.Query
	q.And("teams.name = " + q.Arg(name))
	q.And(store.Visible(&q, v, teamVisibility))
	teams, err := s.loadTeams(ctx, members, q.Where(), q.Args()...)
	if err != nil {
		return auth.Team{}, err
	}
	if len(teams) == 0 {
		return auth.Team{}, errs.E(errs.NotFound, "no team named %q", name)
	}
	return teams[0], nil
}

// InsertTeam stores a team and its members (by username).
func (s *authStore) InsertTeam(ctx context.Context, t auth.Team) (auth.Team, error) {
	err := s.tx.QueryRow(ctx, `INSERT INTO teams (name, description, email, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
		t.Name, t.Description, t.Email, store.At(s.tx.Now())).Scan(&t.ID)
	if err != nil {
		return auth.Team{}, store.MapError(fmt.Errorf("insert team: %w", err))
	}
	if err := s.setTeamMembers(ctx, t.ID, t.Members); err != nil {
		return auth.Team{}, err
	}
	return s.writtenTeam(ctx, t.Name)
}

// UpdateTeam writes description, email and members of t.
func (s *authStore) UpdateTeam(ctx context.Context, t auth.Team) (auth.Team, error) {
	res, err := s.tx.Exec(ctx, `UPDATE teams SET description = $1, email = $2, updated_at = $3 WHERE id = $4`,
		t.Description, t.Email, store.At(s.tx.Now()), t.ID)
	if err != nil {
		return auth.Team{}, fmt.Errorf("update team: %w", err)
	}
	if affected(res) == 0 {
		return auth.Team{}, errs.E(errs.NotFound, "no team named %q", t.Name)
	}
	if err := s.setTeamMembers(ctx, t.ID, t.Members); err != nil {
		return auth.Team{}, err
	}
	return s.writtenTeam(ctx, t.Name)
}

// writtenTeam reads back a team just written, as it is stored.
func (s *authStore) writtenTeam(ctx context.Context, name string) (auth.Team, error) {
	all := auth.Unrestricted("a team just written, as stored")
	return s.FindTeam(ctx, all, all, name)
}

// DeleteTeam removes a team; memberships cascade, CIs lose it as support
// group. Former members count as updated (their team list changed).
func (s *authStore) DeleteTeam(ctx context.Context, teamID int64) error {
	if _, err := s.tx.Exec(ctx, `UPDATE users SET updated_at = $1 WHERE id IN (SELECT user_id FROM team_members WHERE team_id = $2)`,
		store.At(s.tx.Now()), teamID); err != nil {
		return fmt.Errorf("delete team: %w", err)
	}
	res, err := s.tx.Exec(ctx, `DELETE FROM teams WHERE id = $1`, teamID)
	if err != nil {
		return fmt.Errorf("delete team: %w", err)
	}
	if affected(res) == 0 {
		return errs.E(errs.NotFound, "no team %d", teamID)
	}
	return nil
}

// setTeamMembers makes the team's members exactly usernames. Users who
// join or leave are marked updated, since their team list is part of the
// user record that incremental sync (updated_since) follows.
func (s *authStore) setTeamMembers(ctx context.Context, teamID int64, usernames []string) error {
	want, err := s.idsByName(ctx, "users", "username", "members", "no user named %q", usernames)
	if err != nil {
		return err
	}
	have, err := s.teamMemberIDs(ctx, teamID)
	if err != nil {
		return err
	}
	var changed []int64
	for _, id := range have {
		if !slices.Contains(want, id) {
			changed = append(changed, id)
			if _, err := s.tx.Exec(ctx, `DELETE FROM team_members WHERE team_id = $1 AND user_id = $2`, teamID, id); err != nil {
				return fmt.Errorf("set members: %w", err)
			}
		}
	}
	for _, id := range want {
		if !slices.Contains(have, id) {
			changed = append(changed, id)
			if _, err := s.tx.Exec(ctx, `INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)`, teamID, id); err != nil {
				return fmt.Errorf("set members: %w", err)
			}
		}
	}
	if len(changed) == 0 {
		return nil
	}
	var q store.Query
	now := q.Arg(store.At(s.tx.Now()))
	_, err = s.tx.Exec(ctx, `UPDATE users SET updated_at = `+now+` WHERE id IN `+store.InList(&q, changed), q.Args()...)
	return err
}

func (s *authStore) teamMemberIDs(ctx context.Context, teamID int64) ([]int64, error) {
	return s.tx.SelectIDs(ctx, `SELECT user_id FROM team_members WHERE team_id = $1`, teamID)
}

// loadTeams runs SELECT <team columns> FROM teams <rest> and attaches the
// members that members covers (a requester sees only themselves).
func (s *authStore) loadTeams(ctx context.Context, members auth.Visibility, rest string, args ...any) ([]auth.Team, error) {
	rows, err := s.tx.Query(ctx, `SELECT `+authTeamColumns+` FROM teams`+rest, args...)
	if err != nil {
		return nil, fmt.Errorf("find teams: %w", err)
	}
	defer rows.Close()
	teams := []auth.Team{}
	for rows.Next() {
		var t auth.Team
		if err := rows.Scan(&t.ID, &t.Name, &t.Description, &t.Email, store.ScanTime(&t.CreatedAt), store.ScanTime(&t.UpdatedAt)); err != nil {
			return nil, store.MapError(fmt.Errorf("scan team: %w", err))
		}
		t.Members = []string{}
		teams = append(teams, t)
	}
	if err := rows.Err(); err != nil {
		return nil, store.MapError(err)
	}
	rows.Close()
	if len(teams) == 0 {
		return teams, nil
	}
	byID := make(map[int64]*auth.Team, len(teams))
	ids := make([]int64, len(teams))
	for i := range teams {
		byID[teams[i].ID] = &teams[i]
		ids[i] = teams[i].ID
	}
	var q store.Query
	q.And(`team_members.team_id IN ` + store.InList(&q, ids))
	q.And(store.Visible(&q, members, userVisibility))
	mrows, err := s.tx.Query(ctx, `SELECT team_members.team_id, users.username FROM team_members JOIN users ON users.id = team_members.user_id`+
		q.Where()+` ORDER BY users.username`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("find members: %w", err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var tid int64
		var name string
		if err := mrows.Scan(&tid, &name); err != nil {
			return nil, store.MapError(err)
		}
		byID[tid].Members = append(byID[tid].Members, name)
	}
	return teams, store.MapError(mrows.Err())
}

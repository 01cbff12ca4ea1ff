package authstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
)

// idsByName resolves names in table.column to ids, failing with a field
// error naming every unknown one. table and column are constants of this
// file, never input.
func (s *authStore) idsByName(ctx context.Context, table, column, field, unknown string, names []string) ([]int64, error) {
	if len(names) == 0 {
		return nil, nil
	}
	var q store.Query
	rows, err := s.tx.Query(ctx, `SELECT id, `+column+` FROM `+table+` WHERE `+column+` IN `+store.InList(&q, names), q.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := map[string]int64{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, store.MapError(err)
		}
		found[name] = id
	}
	if err := rows.Err(); err != nil {
		return nil, store.MapError(err)
	}
	var fe errs.Fields
	ids := make([]int64, 0, len(names))
	for _, n := range names {
		id, ok := found[n]
		if !ok {
			fe.Add(field, unknown, n)
			continue
		}
		ids = append(ids, id)
	}
	return ids, fe.Err()
}

func (s *authStore) findOneUser(ctx context.Context, where string, arg any) (auth.User, error) {
	a, err := s.findOneAccount(ctx, where, arg)
	return a.User, err
}

func (s *authStore) findOneAccount(ctx context.Context, where string, arg any) (auth.Account, error) {
	accts, err := s.loadUsers(ctx, true, " WHERE "+where, arg)
	if err != nil {
		return auth.Account{}, err
	}
	if len(accts) == 0 {
		return auth.Account{}, errs.E(errs.NotFound, "no such user")
	}
	return accts[0], nil
}

// loadUsers runs SELECT <user columns> FROM users <rest> and attaches each
// user's roles and teams with one query each. The password hash is read
// only when withHash is set (sign-in and password checks).
func (s *authStore) loadUsers(ctx context.Context, withHash bool, rest string, args ...any) ([]auth.Account, error) {
	cols := authUserColumns
	if withHash {
		cols += ", users.password_hash"
	}
	rows, err := s.tx.Query(ctx, `SELECT `+cols+` FROM users`+rest, args...)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var accts []auth.Account
	for rows.Next() {
		var a auth.Account
		dst := []any{&a.ID, &a.Username, &a.DisplayName, &a.Email, &a.MustChangePassword, &a.Disabled, store.ScanTime(&a.CreatedAt), store.ScanTime(&a.UpdatedAt)}
		if withHash {
			dst = append(dst, &a.PasswordHash)
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, store.MapError(fmt.Errorf("scan user: %w", err))
		}
		a.Roles, a.Teams, a.TeamIDs = []auth.Role{}, []string{}, []int64{}
		accts = append(accts, a)
	}
	if err := rows.Err(); err != nil {
		return nil, store.MapError(err)
	}
	rows.Close()
	return accts, s.attachRolesAndTeams(ctx, accts)
}

func (s *authStore) attachRolesAndTeams(ctx context.Context, accts []auth.Account) error {
	if len(accts) == 0 {
		return nil
	}
	byID := make(map[int64]*auth.Account, len(accts))
	ids := make([]int64, len(accts))
	for i := range accts {
		byID[accts[i].ID] = &accts[i]
		ids[i] = accts[i].ID
	}
	var q store.Query
	rows, err := s.tx.Query(ctx, `SELECT user_id, role FROM user_roles WHERE user_id IN `+store.InList(&q, ids), q.Args()...)
	if err != nil {
		return fmt.Errorf("find roles: %w", err)
	}
	for rows.Next() {
		var id int64
		var r string
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return store.MapError(err)
		}
		byID[id].Roles = append(byID[id].Roles, auth.Role(r))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.MapError(err)
	}
	var tq store.Query
	rows, err = s.tx.Query(ctx, `SELECT team_members.user_id, teams.id, teams.name FROM team_members JOIN teams ON teams.id = team_members.team_id
		WHERE team_members.user_id IN `+store.InList(&tq, ids)+` ORDER BY teams.name`, tq.Args()...)
	if err != nil {
		return fmt.Errorf("find teams: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid, tid int64
		var name string
		if err := rows.Scan(&uid, &tid, &name); err != nil {
			return store.MapError(err)
		}
		a := byID[uid]
		a.Teams = append(a.Teams, name)
		a.TeamIDs = append(a.TeamIDs, tid)
	}
	for i := range accts {
		slices.SortFunc(accts[i].Roles, func(a, b auth.Role) int {
			return slices.Index(auth.AllRoles, a) - slices.Index(auth.AllRoles, b)
		})
	}
	return store.MapError(rows.Err())
}

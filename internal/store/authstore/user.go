package authstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
)

const authUserColumns = `users.id, users.username, users.display_name, users.email, users.must_change_password, users.disabled, users.created_at, users.updated_at`

// userVisibility is what visibility means for a user row: a requester owns
// their own.
var userVisibility = store.Columns{Kind: auth.KindUser, Owner: "users.id"}

// CountUsersUnscoped counts every user.
func (s *authStore) CountUsersUnscoped(ctx context.Context) (int, error) {
	var n int
	err := s.tx.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, store.MapError(err)
}

// InsertUser stores a user with roles and teams (by name).
func (s *authStore) InsertUser(ctx context.Context, u auth.User, passwordHash string) (auth.User, error) {
	now := s.tx.Now()
	err := s.tx.QueryRow(ctx, `INSERT INTO users (username, display_name, email, password_hash, must_change_password, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		u.Username, u.DisplayName, u.Email, passwordHash, u.MustChangePassword, u.Disabled, store.At(now)).Scan(&u.ID)
	if err != nil {
		return auth.User{}, store.MapError(fmt.Errorf("insert user: %w", err))
	}
	if err := s.setUserRoles(ctx, u.ID, u.Roles); err != nil {
		return auth.User{}, err
	}
	if err := s.setUserTeams(ctx, u.ID, u.Teams); err != nil {
		return auth.User{}, err
	}
	return s.findOneUser(ctx, "users.id = $1", u.ID)
}

// FindAccountUnscoped returns a user by username with the password hash.
func (s *authStore) FindAccountUnscoped(ctx context.Context, username string) (auth.Account, error) {
	return s.findOneAccount(ctx, "users.username = $1", username)
}

// FindAccountByIDUnscoped returns a user by id with the password hash.
func (s *authStore) FindAccountByIDUnscoped(ctx context.Context, id int64) (auth.Account, error) {
	return s.findOneAccount(ctx, "users.id = $1", id)
}

// FindUser returns a user by username when v covers it.
func (s *authStore) FindUser(ctx context.Context, v auth.Visibility, username string) (auth.User, error) {
	var q store.Query
	q.And("users.username = " + q.Arg(username))
	q.And(store.Visible(&q, v, userVisibility))
	accts, err := s.loadUsers(ctx, false, q.Where(), q.Args()...)
	if err != nil {
		return auth.User{}, err
	}
	if len(accts) == 0 {
		return auth.User{}, errs.E(errs.NotFound, "no user named %q", username)
	}
	return accts[0].User, nil
}

// FindUsers lists users v covers matching f, ordered by username.
func (s *authStore) FindUsers(ctx context.Context, v auth.Visibility, f auth.UserFilter) (auth.UserPage, error) {
	var q store.Query
	q.And(store.Visible(&q, v, userVisibility))
	if f.Query != "" {
		pat := q.Arg("%" + store.LikePrefix(strings.ToLower(f.Query)))
		q.And(`(lower(users.username) LIKE ` + pat + ` ESCAPE '\' OR lower(users.display_name) LIKE ` + pat + ` ESCAPE '\')`)
	}
	if f.Role != "" {
		q.And(`EXISTS (SELECT 1 FROM user_roles fr WHERE fr.user_id = users.id AND fr.role = ` + q.Arg(string(f.Role)) + `)`)
	}
	if f.Team != "" {
		q.And(`EXISTS (SELECT 1 FROM team_members fm JOIN teams ft ON ft.id = fm.team_id WHERE fm.user_id = users.id AND ft.name = ` + q.Arg(f.Team) + `)`)
	}
	if !f.UpdatedSince.IsZero() {
		q.And("users.updated_at >= " + q.Arg(store.At(f.UpdatedSince)))
	}
	var page auth.UserPage
	var err error
	if page.Total, page.TotalCapped, err = s.tx.CountCapped(ctx, "users", &q); err != nil {
		return auth.UserPage{}, err
	}
	if f.Cursor != "" {
		var after string
		if err := store.DecodeCursor(f.Cursor, &after); err != nil {
			return auth.UserPage{}, err
		}
		q.And("users.username > " + q.Arg(after))
	}
	limit := auth.ClampLimit(f.Limit)
	accts, err := s.loadUsers(ctx, false, q.Where()+" ORDER BY users.username LIMIT "+q.Arg(limit+1), q.Args()...)
	if err != nil {
		return auth.UserPage{}, err
	}
	page.Items = []auth.User{}
	for i, a := range accts {
		if i == limit {
			page.NextCursor = store.EncodeCursor(page.Items[i-1].Username)
			break
		}
		page.Items = append(page.Items, a.User)
	}
	return page, nil
}

// UpdateUser writes the changeable fields, roles and teams of u.
func (s *authStore) UpdateUser(ctx context.Context, u auth.User) (auth.User, error) {
	res, err := s.tx.Exec(ctx, `UPDATE users SET display_name = $1, email = $2, disabled = $3, must_change_password = $4, updated_at = $5 WHERE id = $6`,
		u.DisplayName, u.Email, u.Disabled, u.MustChangePassword, store.At(s.tx.Now()), u.ID)
	if err != nil {
		return auth.User{}, fmt.Errorf("update user: %w", err)
	}
	if affected(res) == 0 {
		return auth.User{}, errs.E(errs.NotFound, "no user %q", u.Username)
	}
	if err := s.setUserRoles(ctx, u.ID, u.Roles); err != nil {
		return auth.User{}, err
	}
	if err := s.setUserTeams(ctx, u.ID, u.Teams); err != nil {
		return auth.User{}, err
	}
	return s.findOneUser(ctx, "users.id = $1", u.ID)
}

// SetPassword replaces the password hash and must-change flag.
func (s *authStore) SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) error {
	res, err := s.tx.Exec(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4`,
		hash, mustChange, store.At(s.tx.Now()), userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if affected(res) == 0 {
		return errs.E(errs.NotFound, "no user %d", userID)
	}
	return nil
}

// DeleteUser removes a user; foreign keys cascade to roles, memberships,
// sessions and tokens, and unset CI ownership.
func (s *authStore) DeleteUser(ctx context.Context, userID int64) error {
	res, err := s.tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, userID)
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	if affected(res) == 0 {
		return errs.E(errs.NotFound, "no user %d", userID)
	}
	return nil
}

// LockEnabledAdminsUnscoped returns the enabled admins' ids. On PostgreSQL FOR
// UPDATE locks their user and role rows, so a concurrent demotion waits and
// then re-reads: two admins cannot demote each other at the same moment
// and leave none. Ordered by id so every caller locks in the same order.
// SQLite has one writer and needs no lock.
func (s *authStore) LockEnabledAdminsUnscoped(ctx context.Context) ([]int64, error) {
	ids, err := s.tx.SelectIDs(ctx, `SELECT users.id FROM users JOIN user_roles ON user_roles.user_id = users.id
		WHERE user_roles.role = $1 AND users.disabled = FALSE ORDER BY users.id`+s.tx.Dialect().ForUpdate, string(auth.RoleAdmin))
	if err != nil {
		return nil, fmt.Errorf("lock admins: %w", err)
	}
	return ids, nil
}

// setUserRoles makes the user's roles exactly roles, leaving unchanged
// rows alone (a row lock someone else holds on them stays meaningful).
func (s *authStore) setUserRoles(ctx context.Context, userID int64, roles []auth.Role) error {
	var q store.Query
	del := `DELETE FROM user_roles WHERE user_id = ` + q.Arg(userID)
	if len(roles) > 0 {
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = string(r)
		}
		del += ` AND role NOT IN ` + store.InList(&q, names)
	}
	if _, err := s.tx.Exec(ctx, del, q.Args()...); err != nil {
		return fmt.Errorf("set roles: %w", err)
	}
	for _, r := range roles {
		if _, err := s.tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING`, userID, string(r)); err != nil {
			return fmt.Errorf("set roles: %w", err)
		}
	}
	return nil
}

// setUserTeams makes the user a member of exactly the named teams.
func (s *authStore) setUserTeams(ctx context.Context, userID int64, names []string) error {
	ids, err := s.idsByName(ctx, "teams", "name", "teams", "no team named %q", names)
	if err != nil {
		return err
	}
	var q store.Query
	del := `DELETE FROM team_members WHERE user_id = ` + q.Arg(userID)
	if len(ids) > 0 {
		del += ` AND team_id NOT IN ` + store.InList(&q, ids)
	}
	if _, err := s.tx.Exec(ctx, del, q.Args()...); err != nil {
		return fmt.Errorf("set teams: %w", err)
	}
	for _, id := range ids {
		if _, err := s.tx.Exec(ctx, `INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, userID); err != nil {
			return fmt.Errorf("set teams: %w", err)
		}
	}
	return nil
}

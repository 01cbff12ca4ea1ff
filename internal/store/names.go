package store

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// UserIDs resolves the usernames visible to v (a user visibility) to ids;
// unknown or hidden names are absent. Every practice that refers to users
// by name (owners, callers, assignees) resolves them here.
func (tx *Tx) UserIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error) {
	return tx.namesToIDs(ctx, `SELECT username, id FROM users`, "username",
		v, Columns{Kind: auth.KindUser, Owner: "users.id"}, names)
}

// TeamIDs resolves the team names visible to v (a team visibility) to ids.
func (tx *Tx) TeamIDs(ctx context.Context, names []string, v auth.Visibility) (map[string]int64, error) {
	return tx.namesToIDs(ctx, `SELECT name, id FROM teams`, "name",
		v, Columns{Kind: auth.KindTeam, Team: "teams.id"}, names)
}

func (tx *Tx) namesToIDs(ctx context.Context, sqlHead, column string, v auth.Visibility, cols Columns, names []string) (map[string]int64, error) {
	out := make(map[string]int64, len(names))
	err := Batches(names, tx.InBatch(), func(part []string) error {
		q := tx.ListQuery()
		q.And(column + " IN " + InList(&q, part))
		q.And(Visible(&q, v, cols))
		rows, err := tx.QueryCached(ctx, sqlHead+q.Where(), q.Args()...)
		if err != nil {
			return err
		}
		return EachRow(rows, func(sc Scanner) error {
			var name string
			var id int64
			err := sc.Scan(&name, &id)
			out[name] = id
			return err
		})
	})
	return out, err
}

package authstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/store"
)

const authTokenSelect = `SELECT api_tokens.id, api_tokens.user_id, api_tokens.name, users.username, api_tokens.scopes,
	api_tokens.created_at, api_tokens.expires_at, api_tokens.last_used_at, api_tokens.revoked_at
	FROM api_tokens JOIN users ON users.id = api_tokens.user_id`

// InsertToken stores the hash and scopes of a new token; scopes are kept
// as one space-separated column, read back whole with the token.
func (s *authStore) InsertToken(ctx context.Context, userID int64, name, hash string, expiresAt *time.Time, scopes []auth.TokenScope) (auth.StoredToken, error) {
	var id int64
	names := make([]string, len(scopes))
	for i, sc := range scopes {
		names[i] = string(sc)
	}
	err := s.tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		userID, name, hash, strings.Join(names, " "), store.At(s.tx.Now()), store.AtPtr(expiresAt)).Scan(&id)
	if err != nil {
		return auth.StoredToken{}, store.MapError(fmt.Errorf("insert token: %w", err))
	}
	return s.findOneToken(ctx, ` WHERE api_tokens.id = $1`, id)
}

// tokenVisibility is what visibility means for a token: its user owns it.
var tokenVisibility = store.Columns{Kind: auth.KindToken, Owner: "api_tokens.user_id"}

// FindTokenByHashUnscoped returns the token stored under hash.
func (s *authStore) FindTokenByHashUnscoped(ctx context.Context, hash string) (auth.StoredToken, error) {
	return s.findOneToken(ctx, ` WHERE api_tokens.token_hash = $1`, hash)
}

// FindTokenByID returns a token by id when v covers it.
func (s *authStore) FindTokenByID(ctx context.Context, v auth.Visibility, id int64) (auth.StoredToken, error) {
	var q store.Query
	q.And("api_tokens.id = " + q.Arg(id))
	q.And(store.Visible(&q, v, tokenVisibility))
	return scanAuthToken(s.tx.QueryRow(ctx, authTokenSelect+q.Where(), q.Args()...))
}

// FindTokens lists the tokens of a user that v covers, newest first.
func (s *authStore) FindTokens(ctx context.Context, v auth.Visibility, userID int64) ([]auth.Token, error) {
	var q store.Query
	q.And("api_tokens.user_id = " + q.Arg(userID))
	q.And(store.Visible(&q, v, tokenVisibility))
	rows, err := s.tx.Query(ctx, authTokenSelect+q.Where()+` ORDER BY api_tokens.id DESC`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	defer rows.Close()
	out := []auth.Token{}
	for rows.Next() {
		t, err := scanAuthToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t.Token)
	}
	return out, store.MapError(rows.Err())
}

// RevokeToken marks a token revoked, once.
func (s *authStore) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, store.At(at), id)
	return err
}

// TouchToken records a use unless one after notBefore is recorded; the
// condition in the UPDATE keeps concurrent requests to one write.
func (s *authStore) TouchToken(ctx context.Context, id int64, at, notBefore time.Time) error {
	_, err := s.tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)`,
		store.At(at), id, store.At(notBefore))
	return err
}

func (s *authStore) findOneToken(ctx context.Context, where string, arg any) (auth.StoredToken, error) {
	t, err := scanAuthToken(s.tx.QueryRow(ctx, authTokenSelect+where, arg))
	return t, err
}

func scanAuthToken(sc store.Scanner) (auth.StoredToken, error) {
	var t auth.StoredToken
	var scopes string
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Username, &scopes, store.ScanTime(&t.CreatedAt),
		store.ScanTimePtr(&t.ExpiresAt), store.ScanTimePtr(&t.LastUsedAt), store.ScanTimePtr(&t.RevokedAt))
	if err != nil {
		return auth.StoredToken{}, store.MapError(err)
	}
	t.Scopes = []auth.TokenScope{}
	for _, sc := range strings.Fields(scopes) {
		t.Scopes = append(t.Scopes, auth.TokenScope(sc))
	}
	return t, nil
}

// RevokeUserTokens revokes every live token of a user and returns their ids.
func (s *authStore) RevokeUserTokens(ctx context.Context, userID int64, at time.Time) ([]int64, error) {
	ids, err := s.tx.SelectIDs(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL RETURNING id`,
		store.At(at), userID)
	if err != nil {
		return nil, fmt.Errorf("revoke tokens of user %d: %w", userID, err)
	}
	return ids, nil
}

// FindAllTokens lists the tokens v covers, every user's, newest first,
// limit of them with ids below before (0: from the newest).
func (s *authStore) FindAllTokens(ctx context.Context, v auth.Visibility, before int64, limit int) ([]auth.Token, error) {
	var q store.Query
	if before > 0 {
		q.And("api_tokens.id < " + q.Arg(before))
	}
	q.And(store.Visible(&q, v, tokenVisibility))
	rows, err := s.tx.Query(ctx, authTokenSelect+q.Where()+` ORDER BY api_tokens.id DESC LIMIT `+q.Arg(limit), q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("find all tokens: %w", err)
	}
	defer rows.Close()
	out := []auth.Token{}
	for rows.Next() {
		t, err := scanAuthToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t.Token)
	}
	return out, store.MapError(rows.Err())
}

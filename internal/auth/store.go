package auth

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/uow"
)

// Tx is the unit of work the auth service runs in (bound by
// internal/store/authstore).
type Tx interface {
	uow.Unit
	Auth() Store
}

// Transactor opens units of work: InTx for writes, View for a read-only
// snapshot.
type Transactor interface {
	InTx(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
}

// Account is a user as sign-in sees it: the public record plus the password
// hash and the ids of the user's teams. It stays inside this package: it is
// never returned to callers nor written to the audit log.
type Account struct {
	User
	PasswordHash string  `json:"-"`
	TeamIDs      []int64 `json:"-"`
}

// Principal is the principal an account acts as.
func (a Account) Principal() Principal {
	return Principal{UserID: a.ID, Username: a.Username, Roles: a.Roles, TeamIDs: a.TeamIDs}
}

// StoredSession is a session row. Only the hash of the session id is kept.
type StoredSession struct {
	IDHash     string
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// StoredToken is an API token row with the id of the user it acts as.
type StoredToken struct {
	Token
	UserID int64
}

// Store is the persistence the auth service needs. Times that carry meaning
// (expiry, last use) are passed in; created_at/updated_at are the unit of
// work's time. Methods return errs kinds: NotFound for a missing row,
// Conflict for a taken username or team name, Invalid for a team or member
// name that does not exist. Reads that serve a principal take its
// Visibility and apply it in SQL; the reads of sign-in and of rules over
// every account (last admin, first start) say "Unscoped" in their name.
type Store interface {
	// CountUsersUnscoped counts every user, enabled or not.
	CountUsersUnscoped(ctx context.Context) (int, error)
	// InsertUser stores a new user with its roles and team memberships
	// (teams by name) and returns it as stored.
	InsertUser(ctx context.Context, u User, passwordHash string) (User, error)
	// FindAccountUnscoped returns a user by username with its password
	// hash, for sign-in and for writes already authorised.
	FindAccountUnscoped(ctx context.Context, username string) (Account, error)
	// FindAccountByIDUnscoped returns a user by id with its password hash.
	FindAccountByIDUnscoped(ctx context.Context, id int64) (Account, error)
	// FindUser returns a user by username when v covers it.
	FindUser(ctx context.Context, v Visibility, username string) (User, error)
	// FindUsers lists the users v covers that match f.
	FindUsers(ctx context.Context, v Visibility, f UserFilter) (UserPage, error)
	// UpdateUser writes display name, email, disabled, must-change flag,
	// roles and teams of user u.ID and returns it as stored.
	UpdateUser(ctx context.Context, u User) (User, error)
	// SetPassword replaces a user's password hash and must-change flag.
	SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) error
	// DeleteUser removes a user; sessions, tokens, roles and memberships go with it.
	DeleteUser(ctx context.Context, userID int64) error
	// LockEnabledAdminsUnscoped returns the ids of enabled admins and, on
	// engines with row locks, locks them until the unit of work ends, so
	// two concurrent changes cannot both remove "the other" last admin.
	LockEnabledAdminsUnscoped(ctx context.Context) ([]int64, error)

	// FindTeams lists the teams v (a team visibility) covers, with the
	// members that members (a user visibility) covers.
	FindTeams(ctx context.Context, v, members Visibility) ([]Team, error)
	// FindTeam returns a team by name when v covers it, with the members
	// that members covers.
	FindTeam(ctx context.Context, v, members Visibility, name string) (Team, error)
	// InsertTeam stores a new team with its members (by username).
	InsertTeam(ctx context.Context, t Team) (Team, error)
	// UpdateTeam writes description, email and members of team t.ID.
	UpdateTeam(ctx context.Context, t Team) (Team, error)
	// DeleteTeam removes a team and its memberships.
	DeleteTeam(ctx context.Context, teamID int64) error

	// InsertSession stores a new session.
	InsertSession(ctx context.Context, s StoredSession) error
	// FindSessionUnscoped returns the session with this id hash.
	FindSessionUnscoped(ctx context.Context, idHash string) (StoredSession, error)
	// TouchSession records activity and the new expiry, unless activity
	// was already recorded after notBefore (another request or replica
	// got there first); it reports whether it wrote.
	TouchSession(ctx context.Context, idHash string, seen, expires, notBefore time.Time) (bool, error)
	// DeleteSession removes one session; a missing one is not an error.
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteUserSessions signs a user out everywhere.
	DeleteUserSessions(ctx context.Context, userID int64) error
	// DeleteExpiredSessions removes sessions that expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)

	// InsertToken stores a token's hash and scopes for a user.
	InsertToken(ctx context.Context, userID int64, name, hash string, expiresAt *time.Time, scopes []TokenScope) (StoredToken, error)
	// FindTokenByHashUnscoped returns the token with this hash, for
	// sign-in.
	FindTokenByHashUnscoped(ctx context.Context, hash string) (StoredToken, error)
	// FindTokenByID returns a token by id when v covers it.
	FindTokenByID(ctx context.Context, v Visibility, id int64) (StoredToken, error)
	// FindTokens lists the tokens of a user that v covers, newest first.
	FindTokens(ctx context.Context, v Visibility, userID int64) ([]Token, error)
	// RevokeToken marks a token revoked at the given time.
	RevokeToken(ctx context.Context, id int64, at time.Time) error
	// RevokeUserTokens revokes, at the given time, every token of a user
	// not yet revoked, and returns the ids revoked.
	RevokeUserTokens(ctx context.Context, userID int64, at time.Time) ([]int64, error)
	// FindAllTokens lists the tokens v covers of every user, newest first,
	// a page at a time (cursor: the id to continue below; 0 for the first).
	FindAllTokens(ctx context.Context, v Visibility, before int64, limit int) ([]Token, error)
	// DeleteOtherSessions signs a user out everywhere but the session
	// with hash keep.
	DeleteOtherSessions(ctx context.Context, userID int64, keep string) error

	// FindThrottlesUnscoped returns the stored sign-in throttle state of
	// each of keys that has one.
	FindThrottlesUnscoped(ctx context.Context, keys []string) ([]Throttle, error)
	// FindLocksUnscoped returns the keys starting with prefix that are
	// locked after now.
	FindLocksUnscoped(ctx context.Context, prefix string, now time.Time) ([]Throttle, error)
	// RecordFailure counts a failed password check against key at now
	// (starting again when the last was before forgetBefore) and returns
	// the count.
	RecordFailure(ctx context.Context, key string, now, forgetBefore time.Time) (int, error)
	// BlockThrottle blocks key until the given time; locked marks a lock
	// rather than a delay.
	BlockThrottle(ctx context.Context, key string, until time.Time, locked bool) error
	// ClearThrottle forgets key's failures and block and reports whether
	// it was blocked after now.
	ClearThrottle(ctx context.Context, key string, now time.Time) (bool, error)
	// DeleteStaleThrottles removes keys neither blocked after now nor
	// counting failures after forgetBefore.
	DeleteStaleThrottles(ctx context.Context, now, forgetBefore time.Time) (int64, error)

	// TouchToken records a use at the given time unless one was recorded
	// after notBefore.
	TouchToken(ctx context.Context, id int64, at, notBefore time.Time) error
}

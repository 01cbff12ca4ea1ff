package auth

import (
	"sync/atomic"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Session and token timing.
const (
	// SessionIdleTimeout ends a session nobody used for this long.
	SessionIdleTimeout = 12 * time.Hour
	// SessionMaxAge ends every session this long after sign-in, used or not.
	SessionMaxAge = 7 * 24 * time.Hour
	// touchInterval is how often a session's expiry or a token's last use
	// is written: at most once a minute, so a busy client costs one write a
	// minute, not one per request.
	touchInterval = time.Minute
)

// Service manages users, teams, sessions and API tokens, and turns
// credentials into principals. It is safe for concurrent use; everything
// durable lives in the database, so several replicas can share one.
type Service struct {
	tx            Transactor
	clk           clock.Clock
	loginFailures atomic.Uint64
	gate          *hashGate
}

// NewService returns the auth service; a nil clock means the real one.
func NewService(t Transactor, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Real{}
	}
	return &Service{tx: t, clk: clk, gate: newHashGate(DefaultHashSlots, HashWait)}
}

// LoginFailures counts failed sign-ins since this process started, for
// metrics and alerting on password guessing.
func (s *Service) LoginFailures() uint64 { return s.loginFailures.Load() }

func (s *Service) now() time.Time { return clock.Normalize(s.clk.Now()) }

// signedIn returns Unauthenticated for the anonymous principal.
func signedIn(p Principal) error {
	if p.UserID == 0 && !p.System {
		return errs.E(errs.Unauthenticated, "sign in first")
	}
	return nil
}

// Record kinds this service writes to the audit log.
const (
	auditUser  = "user"
	auditTeam  = "team"
	auditToken = "token"
)

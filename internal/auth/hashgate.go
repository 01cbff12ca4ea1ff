package auth

import (
	"context"
	"time"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// HashMemory is what one argon2id computation allocates (argonMemory KiB):
// the unit in which the server's memory is shared out among concurrent
// password checks.
const HashMemory = argonMemory * 1024

// Bounds of the number of password hashes computed at once.
const (
	// DefaultHashSlots is used until the server sizes the gate from the
	// memory it has (LimitHashing).
	DefaultHashSlots = 4
	// HashWait is how long a password check waits for a free slot before
	// it is refused with 503: long enough to absorb a burst of honest
	// sign-ins, short enough that a flood does not queue up goroutines.
	HashWait = 2 * time.Second
	// hashRetryAfter is the Retry-After of a refused check.
	hashRetryAfter = 2 * time.Second
)

// hashGate bounds concurrent argon2id computations. Each takes 64 MiB for
// about 100 ms; without a bound, 64 concurrent anonymous sign-in attempts
// grew the server to 4.2 GB. Beyond the bound a caller waits up to wait for
// a slot and is then refused (Unavailable with a Retry-After), so memory
// stays near slots × 64 MiB whatever the load.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration
}

func newHashGate(n int, wait time.Duration) *hashGate {
	if n < 1 {
		n = 1
	}
	return &hashGate{slots: make(chan struct{}, n), wait: wait}
}

// acquire takes a slot and returns its release, or an Unavailable error
// when none came free within the gate's wait (or ctx ended).
func (g *hashGate) acquire(ctx context.Context) (func(), error) {
	release := func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	busy := errs.Retry(errs.Unavailable, hashRetryAfter, "too many sign-ins are being checked at once; try again in a moment")
	if g.wait <= 0 {
		return nil, busy
	}
	// A real timer: the wait is about this process's memory now, not
	// about the application's clock.
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, busy
	case <-ctx.Done():
		return nil, busy
	}
}

// LimitHashing sets how many password hashes may be computed at once (the
// server sizes it from available memory, see app.HashSlots) and how long a
// check waits for a slot before it is refused. Call it before serving.
func (s *Service) LimitHashing(slots int, wait time.Duration) {
	s.gate = newHashGate(slots, wait)
}

// HashSlots is the current bound, for the start-up log line.
func (s *Service) HashSlots() int { return cap(s.gate.slots) }

// hashPassword is HashPassword within the gate.
func (s *Service) hashPassword(ctx context.Context, password string) (string, error) {
	release, err := s.gate.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return HashPassword(password)
}

// checkPassword is CheckPassword within the gate; hash "" checks against
// the dummy hash, so an unknown user costs what a known one does.
func (s *Service) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	release, err := s.gate.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	if hash == "" {
		CheckMissingUser(password)
		return false, nil
	}
	return CheckPassword(hash, password), nil
}

package auth

import (
	"context"
	"net/netip"
	"strings"
	"time"
)

// Throttling of password guessing. Every failed password check (sign-in,
// or the current password when changing it) counts against two keys: the
// account named and the client address it came from. Past a few free
// failures each key must wait a delay that doubles with every further
// failure, and past a limit it is locked for LockDuration. An attempt
// while a key waits is refused with TooMany and its Retry-After, before any
// password is hashed, and does not count. The counts live in the database,
// so every replica sees the same ones.
//
// Nobody can be locked out for good: a lock lasts LockDuration and then
// the count starts again; an administrator can lift an account's lock at
// once (Unlock); and an attacker who keeps an account locked needs ever
// more addresses, since each address is throttled and locked on its own.
// An administrator can always sign in on the server itself: rampart token
// create needs no password.

// ThrottlePolicy is how one kind of key is throttled.
type ThrottlePolicy struct {
	// After Free failures the next attempt waits FirstDelay, doubling
	// with each further failure, at most MaxDelay.
	Free       int
	FirstDelay time.Duration
	MaxDelay   time.Duration
	// LockAt failures lock the key for LockDuration.
	LockAt int
}

// Throttle timing shared by both policies.
const (
	// ThrottleWindow: failures this much older than the last are forgotten,
	// so a lock that has run out starts the count again.
	ThrottleWindow = 15 * time.Minute
	// LockDuration is how long a lock lasts: never longer.
	LockDuration = 15 * time.Minute
)

var (
	// AccountPolicy throttles one account: after 5 failures 1 s, then
	// 2 s, 4 s, 8 s, 16 s between attempts, locked at the 10th.
	AccountPolicy = ThrottlePolicy{Free: 5, FirstDelay: time.Second, MaxDelay: 30 * time.Second, LockAt: 10}
	// AddressPolicy throttles one client address (an IPv6 /64), across
	// accounts: delays from the 10th failure, locked at the 40th; more
	// generous, since an office or a proxy shares one address.
	AddressPolicy = ThrottlePolicy{Free: 10, FirstDelay: time.Second, MaxDelay: time.Minute, LockAt: 40}
)

// Throttle is the stored state of one key.
type Throttle struct {
	Key           string
	Failures      int
	LastFailureAt time.Time
	BlockedUntil  time.Time // zero: not blocked
	Locked        bool      // the block is a lock, not a delay
}

// after returns how long a key is blocked after its failures-th failure,
// and whether that is a lock.
func (pol ThrottlePolicy) after(failures int) (time.Duration, bool) {
	switch {
	case failures >= pol.LockAt:
		return LockDuration, true
	case failures < pol.Free:
		return 0, false
	}
	d := pol.FirstDelay
	for i := pol.Free; i < failures && d < pol.MaxDelay; i++ {
		d *= 2
	}
	return min(d, pol.MaxDelay), false
}

// Throttle key prefixes.
const (
	accountKeyPrefix = "account:"
	addressKeyPrefix = "address:"
)

func accountKey(username string) string { return accountKeyPrefix + username }

// addressKey is the key of a client address: IPv4 as is, IPv6 by its /64,
// which one host usually holds whole. "" when the address is unknown.
func addressKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return ""
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return addressKeyPrefix + p.String()
	}
	return addressKeyPrefix + a.String()
}

func policyOf(key string) ThrottlePolicy {
	if strings.HasPrefix(key, addressKeyPrefix) {
		return AddressPolicy
	}
	return AccountPolicy
}

// throttleKeys are the keys an attempt on username from the context's
// client address counts against.
func throttleKeys(ctx context.Context, username string) []string {
	keys := []string{accountKey(username)}
	if k := addressKey(ClientAddr(ctx)); k != "" {
		keys = append(keys, k)
	}
	return keys
}

// blockedFor is how long the longest block among ts still runs at now.
func blockedFor(ts []Throttle, now time.Time) time.Duration {
	var d time.Duration
	for _, t := range ts {
		if w := t.BlockedUntil.Sub(now); w > d {
			d = w
		}
	}
	return d
}

type clientAddrKey struct{}

// WithClientAddr returns a context carrying the address of the client a
// request came from (behind trusted proxies, the one they name), which
// sign-in throttling and the audit log use.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddr returns the client address in ctx, "" when unknown (the CLI,
// background work).
func ClientAddr(ctx context.Context) string {
	s, _ := ctx.Value(clientAddrKey{}).(string)
	return s
}

// Package clock is the only caller of time.Now. Services, stores and runners
// take a Clock so tests move time instead of sleeping.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Real reads the system clock, in UTC truncated to microseconds so that a
// value survives a round trip through either database unchanged.
type Real struct{}

// Now returns the current UTC time.
func (Real) Now() time.Time { return Normalize(time.Now()) }

// Normalize converts t to UTC at microsecond precision, the precision both
// SQLite (as text) and PostgreSQL (timestamptz) keep.
func Normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Fake is a clock that only moves when told to.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake returns a fake clock set to t.
func NewFake(t time.Time) *Fake { return &Fake{now: Normalize(t)} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the fake time forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = Normalize(f.now.Add(d))
	f.mu.Unlock()
}

// Set moves the fake time to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.now = Normalize(t)
	f.mu.Unlock()
}

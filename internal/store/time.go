package store

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
)

// timeLayout is how times travel to both engines: UTC, fixed width, so text
// comparison in SQLite orders the same as timestamptz in PostgreSQL, which
// parses this text form on input.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// At wraps a time for use as a query argument; the zero time is NULL.
type At time.Time

// Value implements driver.Valuer.
func (t At) Value() (driver.Value, error) {
	tt := time.Time(t)
	if tt.IsZero() {
		return nil, nil
	}
	return clock.Normalize(tt).Format(timeLayout), nil
}

// AtPtr is At for an optional time: nil is NULL.
func AtPtr(t *time.Time) At {
	if t == nil {
		return At{}
	}
	return At(*t)
}

// ScanTime returns a scanner that reads a time column of either engine
// into dst; NULL reads as the zero time.
func ScanTime(dst *time.Time) sql.Scanner { return timeCol{dst} }

// ScanTimePtr returns a scanner that reads a nullable time column into
// dst: nil for NULL.
func ScanTimePtr(dst **time.Time) sql.Scanner { return timePtrCol{dst} }

// timeCol scans a time column from either engine.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = clock.Normalize(v)
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("scan time: unexpected %T", src)
	}
	return nil
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time %q: %w", s, err)
	}
	*c.t = clock.Normalize(t)
	return nil
}

// timePtrCol scans a nullable time column into a pointer.
type timePtrCol struct{ p **time.Time }

// Scan implements sql.Scanner.
func (c timePtrCol) Scan(src any) error {
	var t time.Time
	if err := (timeCol{&t}).Scan(src); err != nil {
		return err
	}
	*c.p = nil
	if !t.IsZero() {
		*c.p = &t
	}
	return nil
}

// Null returns v as a query argument, or NULL when v is its type's zero
// value: 0 for an optional reference, "" for an optional text.
func Null[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

package store

import (
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
)

// timeLayout is how times travel to both engines: UTC, fixed width, so text
// comparison in SQLite orders the same as timestamptz in PostgreSQL, which
// parses this text form on input.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// At wraps a time for use as a query argument.
type At time.Time

// Value implements driver.Valuer.
func (t At) Value() (driver.Value, error) {
	tt := time.Time(t)
	if tt.IsZero() {
		return nil, nil
	}
	return clock.Normalize(tt).Format(timeLayout), nil
}

// timeCol scans a time column from either engine.
type timeCol struct{ t *time.Time }

// scanTime returns a scanner that writes into dst.
func scanTime(dst *time.Time) timeCol { return timeCol{dst} }

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

package store_test

import (
	"context"
	"testing"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// A duplicate on a unique column comes back as Conflict naming the column,
// on both engines, so the API can tell the user which field clashed.
func TestUniqueViolationNamesTheColumn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		insert := func() error {
			return db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO counters (kind, last_value) VALUES ('DUP', 1)`)
				return err
			})
		}
		if err := insert(); err != nil {
			t.Fatal(err)
		}
		err := insert()
		e, ok := errs.As(err)
		if !ok || e.Kind != errs.Conflict {
			t.Fatalf("err = %v, want Conflict", err)
		}
		if len(e.Fields) != 1 || e.Fields[0].Field != "kind" {
			t.Fatalf("fields = %+v, want the column kind", e.Fields)
		}
	})
}

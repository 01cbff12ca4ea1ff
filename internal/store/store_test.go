package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("second migrate applied %d migrations, want 0", n)
		}
	})
}

func TestUnitOfWorkRollsBackAuditWithRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("fail after write")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			first, err := tx.NextKeys(ctx, "T", 1)
			if err != nil || first != 1 {
				t.Fatalf("NextKeys = %d, %v", first, err)
			}
			if err := tx.Audit().Append(audit.Record{Actor: "t", Action: "create", Kind: "test", Key: "T-1", After: map[string]int{"a": 1}}); err != nil {
				t.Fatal(err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx err = %v", err)
		}
		var entries int64
		err = db.View(ctx, func(tx *store.Tx) error {
			var err error
			entries, err = audit.Verify(ctx, tx.AuditLog())
			return err
		})
		if err != nil || entries != 0 {
			t.Fatalf("after rollback: %d entries, %v", entries, err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			first, err := tx.NextKeys(ctx, "T", 3)
			if first != 1 {
				t.Errorf("key counter survived rollback: first = %d", first)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

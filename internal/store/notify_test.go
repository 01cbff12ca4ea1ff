package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// A commit that asked to notify wakes a listener on another connection
// (PostgreSQL LISTEN/NOTIFY); a rollback does not, and a later commit
// still does. On SQLite, Listen only waits for its context.
func TestListenWakesOnCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		woken := make(chan struct{}, 16)
		stopped := make(chan error, 1)
		go func() { stopped <- db.Listen(ctx, "rampart_test", func() { woken <- struct{}{} }) }()
		stop := func() {
			t.Helper()
			cancel()
			select {
			case err := <-stopped:
				if err != nil {
					t.Errorf("Listen = %v, want nil once its context ended", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("Listen did not return when its context ended")
			}
		}
		if !db.Dialect.Notify {
			stop()
			return
		}
		receive := func(what string) {
			t.Helper()
			select {
			case <-woken:
			case <-time.After(30 * time.Second):
				t.Fatalf("no wake-up for %s", what)
			}
		}
		receive("listening") // Listen wakes once as it starts
		boom := errors.New("roll back")
		if err := db.InTx(ctx, func(tx *store.Tx) error { tx.Notify("rampart_test"); return boom }); !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			tx.Notify("rampart_test")
			tx.Notify("rampart_test") // sent once
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		receive("the commit")
		stop()
		if n := len(woken); n != 0 {
			t.Errorf("%d more wake-ups, want one for the one commit (none for the rollback)", n)
		}
	})
}

package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// The tests below are about SQLite's writer (first come, first served,
// group commit); PostgreSQL has no single writer and runs each unit in a
// transaction of its own.

// openWriterDB opens an SQLite database on a clock that stands still, so
// no group of units is ever closed for its age: which units share a
// transaction depends on the order they queue in, not on how fast the
// machine is.
func openWriterDB(t *testing.T) *store.DB {
	t.Helper()
	db := storetest.OpenWithClock(t, "sqlite", clock.NewFake(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
	if _, err := db.SQL().Exec(`CREATE TABLE w (name TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func insertW(ctx context.Context, tx *store.Tx, name string) error {
	_, err := tx.Exec(ctx, `INSERT INTO w (name) VALUES ($1)`, name)
	return err
}

// committed lists the rows another connection sees: what has committed.
func committed(t *testing.T, db *store.DB) []string {
	t.Helper()
	var names []string
	err := db.View(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT name FROM w ORDER BY name`)
		if err != nil {
			return err
		}
		names, err = store.Collect(rows, func(sc store.Scanner) (n string, err error) { return n, sc.Scan(&n) })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// waitFor polls until cond holds: the tests need a unit to be queued
// before the next one starts, and queueing happens on another goroutine.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// queue runs the units in order while a first unit holds the writer, each
// queued only once the one before it waits, then lets the holder finish.
// It returns each unit's error, the holder's first.
func queue(t *testing.T, db *store.DB, holder func(*store.Tx) error, units ...func(ctx context.Context) error) []error {
	t.Helper()
	ctx := context.Background()
	results := make([]error, len(units)+1)
	inside, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		results[0] = db.InTx(ctx, func(tx *store.Tx) error {
			close(inside)
			<-release
			return holder(tx)
		})
	})
	<-inside
	for i, u := range units {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					results[i+1] = errors.New("panicked")
				}
			}()
			results[i+1] = u(ctx)
		})
		waitFor(t, "the unit to queue", func() bool { return db.WaitingWriters() == i+1 })
	}
	close(release)
	wg.Wait()
	return results
}

func TestWritersAreServedInArrivalOrder(t *testing.T) {
	db := openWriterDB(t)
	var mu sync.Mutex
	var order []int
	var units []func(context.Context) error
	for i := range 12 {
		run := db.InTx
		if i%3 == 1 {
			run = db.InTxAlone // bulk units keep their place too
		}
		units = append(units, func(ctx context.Context) error {
			return run(ctx, func(tx *store.Tx) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				return nil
			})
		})
	}
	for i, err := range queue(t, db, func(*store.Tx) error { return nil }, units...) {
		if err != nil {
			t.Fatalf("unit %d: %v", i, err)
		}
	}
	want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	if !slices.Equal(order, want) {
		t.Fatalf("units ran in order %v, want %v", order, want)
	}
}

func TestGroupCommit(t *testing.T) {
	boom := errors.New("boom")
	insert := func(db *store.DB, name string) func(context.Context) error {
		return func(ctx context.Context) error {
			return db.InTx(ctx, func(tx *store.Tx) error { return insertW(ctx, tx, name) })
		}
	}
	tests := []struct {
		name  string
		units func(t *testing.T, db *store.DB) []func(context.Context) error
		want  []error // holder first; nil = success
		rows  []string
	}{{
		name: "a failed unit is rolled back alone",
		units: func(t *testing.T, db *store.DB) []func(context.Context) error {
			return []func(context.Context) error{
				func(ctx context.Context) error {
					return db.InTx(ctx, func(tx *store.Tx) error {
						if err := insertW(ctx, tx, "b"); err != nil {
							return err
						}
						return boom
					})
				},
				insert(db, "c"),
			}
		},
		want: []error{nil, boom, nil},
		rows: []string{"a", "c"},
	}, {
		name: "a unit that panics is rolled back alone",
		units: func(t *testing.T, db *store.DB) []func(context.Context) error {
			return []func(context.Context) error{
				func(ctx context.Context) error {
					return db.InTx(ctx, func(tx *store.Tx) error {
						if err := insertW(ctx, tx, "b"); err != nil {
							return err
						}
						panic("boom")
					})
				},
				insert(db, "c"),
			}
		},
		want: []error{nil, errors.New("panicked"), nil},
		rows: []string{"a", "c"},
	}, {
		name: "a unit's conflict does not fail the group",
		units: func(t *testing.T, db *store.DB) []func(context.Context) error {
			return []func(context.Context) error{insert(db, "a"), insert(db, "c")}
		},
		want: []error{nil, errors.New("conflict"), nil},
		rows: []string{"a", "c"},
	}, {
		name: "units share the transaction until the group commits",
		units: func(t *testing.T, db *store.DB) []func(context.Context) error {
			return []func(context.Context) error{func(ctx context.Context) error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					var n int
					if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM w WHERE name = 'a'`).Scan(&n); err != nil || n != 1 {
						t.Errorf("the joining unit sees a %d times (%v), want the holder's uncommitted row", n, err)
					}
					if got := committed(t, db); len(got) != 0 {
						t.Errorf("committed before the group ended: %v", got)
					}
					return insertW(ctx, tx, "b")
				})
			}}
		},
		want: []error{nil, nil},
		rows: []string{"a", "b"},
	}, {
		name: "a bulk unit never shares a transaction",
		units: func(t *testing.T, db *store.DB) []func(context.Context) error {
			return []func(context.Context) error{
				func(ctx context.Context) error {
					return db.InTxAlone(ctx, func(tx *store.Tx) error {
						if got := committed(t, db); !slices.Equal(got, []string{"a"}) {
							t.Errorf("a bulk unit began before the holder committed: committed %v", got)
						}
						return insertW(ctx, tx, "b")
					})
				},
				func(ctx context.Context) error {
					return db.InTx(ctx, func(tx *store.Tx) error {
						if got := committed(t, db); !slices.Equal(got, []string{"a", "b"}) {
							t.Errorf("a unit joined the bulk unit's transaction: committed %v", got)
						}
						return insertW(ctx, tx, "c")
					})
				},
			}
		},
		want: []error{nil, nil, nil},
		rows: []string{"a", "b", "c"},
	}, {
		name: "a unit that ends the transaction fails its whole group, and the next unit starts afresh",
		units: func(t *testing.T, db *store.DB) []func(context.Context) error {
			return []func(context.Context) error{
				func(ctx context.Context) error {
					return db.InTx(ctx, func(tx *store.Tx) error {
						_, err := tx.Exec(ctx, `ROLLBACK`)
						return err
					})
				},
				insert(db, "c"),
			}
		},
		want: []error{errors.New("broken"), errors.New("broken"), nil},
		rows: []string{"c"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openWriterDB(t)
			got := queue(t, db, func(tx *store.Tx) error { return insertW(context.Background(), tx, "a") }, tc.units(t, db)...)
			for i, err := range got {
				want := tc.want[i]
				switch {
				case want == nil && err != nil:
					t.Errorf("unit %d failed: %v", i, err)
				case want != nil && err == nil:
					t.Errorf("unit %d succeeded, want an error (%v)", i, want)
				case errors.Is(want, boom) && !errors.Is(err, boom):
					t.Errorf("unit %d: %v, want its own error", i, err)
				}
			}
			if rows := committed(t, db); !slices.Equal(rows, tc.rows) {
				t.Errorf("committed rows %v, want %v", rows, tc.rows)
			}
		})
	}
}

func TestGroupCommitRunsAfterCommitHooksOnceCommitted(t *testing.T) {
	db := openWriterDB(t)
	var seen [][]string
	var mu sync.Mutex
	unit := func(name string) func(context.Context) error {
		return func(ctx context.Context) error {
			return db.InTx(ctx, func(tx *store.Tx) error {
				tx.AfterCommit(func() {
					mu.Lock()
					defer mu.Unlock()
					seen = append(seen, committed(t, db))
				})
				return insertW(ctx, tx, name)
			})
		}
	}
	errs := queue(t, db, func(tx *store.Tx) error { return insertW(context.Background(), tx, "a") }, unit("b"), unit("c"))
	for i, err := range errs {
		if err != nil {
			t.Fatalf("unit %d: %v", i, err)
		}
	}
	if len(seen) != 2 {
		t.Fatalf("after-commit hooks ran %d times, want 2", len(seen))
	}
	for _, got := range seen {
		if !slices.Equal(got, []string{"a", "b", "c"}) {
			t.Errorf("a hook ran before its group committed: it saw %v", got)
		}
	}
}

func TestWriterWaiterGivesUpWhenItsContextEnds(t *testing.T) {
	db := openWriterDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	var gaveUp error
	errs := queue(t, db, func(tx *store.Tx) error {
		cancel()
		waitFor(t, "the waiter to leave the queue", func() bool { return db.WaitingWriters() == 1 })
		return insertW(context.Background(), tx, "a")
	}, func(context.Context) error {
		gaveUp = db.InTx(ctx, func(tx *store.Tx) error { return insertW(ctx, tx, "never") })
		return nil
	}, func(ctx context.Context) error {
		return db.InTx(ctx, func(tx *store.Tx) error { return insertW(ctx, tx, "c") })
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("unit %d: %v", i, err)
		}
	}
	if !errors.Is(gaveUp, context.Canceled) {
		t.Errorf("the cancelled waiter returned %v, want context.Canceled", gaveUp)
	}
	if rows := committed(t, db); !slices.Equal(rows, []string{"a", "c"}) {
		t.Errorf("committed rows %v, want [a c]", rows)
	}
}

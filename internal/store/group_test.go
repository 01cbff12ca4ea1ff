package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// item is a small record submitted to a group: its id is the key.
type item struct {
	ID   int64
	Body string
}

func createItemTable(t testing.TB, db *store.DB) {
	t.Helper()
	if _, err := db.SQL().Exec(`CREATE TABLE gc_item (id BIGINT PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
}

func plainTx(tx *store.Tx) *store.Tx { return tx }

// insertItems writes a batch with one multi-row statement per engine's
// batch size, and one audit entry per item; the result is the id.
func insertItems(ctx context.Context, tx *store.Tx, items []item) ([]int64, error) {
	in := tx.NewInserter("gc_item", []string{"id", "body"}, nil)
	defer in.Close()
	if err := in.Run(ctx, len(items), func(i int, dst []any) []any { return append(dst, items[i].ID, items[i].Body) }); err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		if err := tx.Audit().Append(audit.Record{Actor: "intake", Action: "create", Kind: "item", Key: fmt.Sprint(it.ID)}); err != nil {
			return nil, err
		}
		ids[i] = it.ID
	}
	return ids, nil
}

// storedItems lists the ids another connection sees: what has committed.
func storedItems(t testing.TB, db *store.DB) []int64 {
	t.Helper()
	var ids []int64
	err := db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		ids, err = tx.SelectIDs(context.Background(), `SELECT id FROM gc_item ORDER BY id`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// gate lets a test hold the committer inside its first batch, so the
// items submitted meanwhile queue up and form the next batch. Tests that
// use it run one committer (PostgreSQL's default is more).
type gate struct {
	once    sync.Once
	mu      sync.Mutex
	sizes   []int
	entered chan struct{}
	release chan struct{}
}

// newGate returns a closed gate. Tests defer open after deferring the
// group's Close, so a test that fails before opening it still lets the
// committer go and Close does not hang.
func newGate() *gate { return &gate{entered: make(chan struct{}), release: make(chan struct{})} }

// open lets the held batch go on.
func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

func (g *gate) apply(fail func(item) bool) func(context.Context, *store.Tx, []item) ([]int64, error) {
	return func(ctx context.Context, tx *store.Tx, items []item) ([]int64, error) {
		g.mu.Lock()
		g.sizes = append(g.sizes, len(items))
		first := len(g.sizes) == 1
		g.mu.Unlock()
		if first {
			close(g.entered)
			<-g.release
		}
		ids, err := insertItems(ctx, tx, items)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if fail != nil && fail(it) {
				return nil, errs.Field("body", "item %d refused", it.ID)
			}
		}
		return ids, nil
	}
}

func (g *gate) batchSizes() []int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.sizes)
}

// submitAll submits each item from its own goroutine once the previous one
// is queued (so they queue in order), and returns a function that waits
// for every caller's result and error, in item order.
func submitAll(t *testing.T, grp *store.Group[*store.Tx, item, int64], items []item) func() ([]int64, []error) {
	t.Helper()
	ids, errList := make([]int64, len(items)), make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Go(func() { ids[i], errList[i] = grp.Submit(context.Background(), it) })
		waitFor(t, "the item to queue", func() bool { return grp.Queued() == i+1 })
	}
	return func() ([]int64, []error) { wg.Wait(); return ids, errList }
}

// Items submitted while a batch commits form the next batch: one
// transaction for all of them, each caller answered with its own result
// once the rows are visible to others.
func TestGroupCommitsQueuedItemsTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		createItemTable(t, db)
		g := newGate()
		grp := store.NewGroup(store.Bind(db, plainTx), g.apply(nil), store.GroupOptions{Committers: 1})
		defer grp.Close()
		defer g.open()
		var wg sync.WaitGroup
		var firstErr error
		wg.Go(func() { _, firstErr = grp.Submit(context.Background(), item{ID: 1, Body: "first"}) })
		<-g.entered
		var later []item
		for id := int64(2); id <= 11; id++ {
			later = append(later, item{ID: id, Body: "later"})
		}
		wait := submitAll(t, grp, later)
		g.open()
		wg.Wait()
		ids, errList := wait()
		if firstErr != nil {
			t.Fatal(firstErr)
		}
		for i, err := range errList {
			if err != nil || ids[i] != later[i].ID {
				t.Errorf("item %d answered %d, %v", later[i].ID, ids[i], err)
			}
		}
		if got := g.batchSizes(); !slices.Equal(got, []int{1, 10}) {
			t.Errorf("batches %v, want [1 10]: one transaction for the items queued together", got)
		}
		if got := storedItems(t, db); len(got) != 11 {
			t.Errorf("committed %v, want 11 items", got)
		}
	})
}

// One bad item in a batch fails alone: its caller gets its own error, the
// rest commit, and nothing of the bad item (row or audit entry) remains.
// Both a rule in apply and a constraint the database enforces (a
// duplicate key) are caught this way.
func TestGroupFailsOnlyTheBadItem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		createItemTable(t, db)
		g := newGate()
		grp := store.NewGroup(store.Bind(db, plainTx), g.apply(func(it item) bool { return it.Body == "bad" }), store.GroupOptions{Committers: 1})
		defer grp.Close()
		defer g.open()
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := grp.Submit(context.Background(), item{ID: 1, Body: "first"}); err != nil {
				t.Error(err)
			}
		})
		<-g.entered
		batch := []item{{2, "ok"}, {3, "bad"}, {4, "ok"}, {1, "duplicate of the first"}, {5, "ok"}}
		wait := submitAll(t, grp, batch)
		g.open()
		wg.Wait()
		_, errList := wait()
		for i, it := range batch {
			err := errList[i]
			switch it.ID {
			case 3:
				if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "item 3 refused") {
					t.Errorf("bad item answered %v, want its own Invalid error", err)
				}
			case 1:
				if !errs.Is(err, errs.Conflict) {
					t.Errorf("duplicate answered %v, want Conflict", err)
				}
			default:
				if err != nil {
					t.Errorf("good item %d answered %v", it.ID, err)
				}
			}
		}
		if got := storedItems(t, db); !slices.Equal(got, []int64{1, 2, 4, 5}) {
			t.Errorf("committed %v, want [1 2 4 5]", got)
		}
		var n int64
		if err := db.View(context.Background(), func(tx *store.Tx) error {
			var err error
			n, err = audit.Verify(context.Background(), tx.AuditLog())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n != 4 {
			t.Errorf("audit log holds %d entries, want 4 (one per stored item)", n)
		}
	})
}

// A full queue refuses at once with Overloaded and a Retry-After, and
// takes items again once the committer has drained it; Close commits what
// is queued and refuses what comes after.
func TestGroupQueueIsBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		createItemTable(t, db)
		g := newGate()
		grp := store.NewGroup(store.Bind(db, plainTx), g.apply(nil), store.GroupOptions{MaxQueued: 3, MaxItems: 2, Committers: 1})
		defer g.open()
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := grp.Submit(context.Background(), item{ID: 1}); err != nil {
				t.Error(err)
			}
		})
		<-g.entered
		wait := submitAll(t, grp, []item{{2, ""}, {3, ""}, {4, ""}})
		_, err := grp.Submit(context.Background(), item{ID: 5})
		if e, ok := errs.As(err); !ok || e.Kind != errs.Overloaded || e.RetryAfter != store.DefaultGroupRetryAfter {
			t.Fatalf("Submit on a full queue = %v, want Overloaded with RetryAfter %s", err, store.DefaultGroupRetryAfter)
		}
		g.open()
		wg.Wait()
		_, errList := wait()
		for _, err := range errList {
			if err != nil {
				t.Error(err)
			}
		}
		if got := g.batchSizes(); !slices.Equal(got, []int{1, 2, 1}) {
			t.Errorf("batches %v, want [1 2 1] (at most MaxItems each)", got)
		}
		if _, err := grp.Submit(context.Background(), item{ID: 5}); err != nil {
			t.Fatalf("Submit after the queue drained: %v", err)
		}
		grp.Close()
		if _, err := grp.Submit(context.Background(), item{ID: 6}); !errs.Is(err, errs.Unavailable) {
			t.Errorf("Submit after Close = %v, want Unavailable", err)
		}
		if got := storedItems(t, db); !slices.Equal(got, []int64{1, 2, 3, 4, 5}) {
			t.Errorf("committed %v", got)
		}
	})
}

// A caller that gives up while its item is still queued takes the item
// with it: nothing is written for it.
func TestGroupDropsItemsOfCallersThatLeft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		createItemTable(t, db)
		g := newGate()
		grp := store.NewGroup(store.Bind(db, plainTx), g.apply(nil), store.GroupOptions{Committers: 1})
		defer grp.Close()
		defer g.open()
		var wg sync.WaitGroup
		wg.Go(func() { _, _ = grp.Submit(context.Background(), item{ID: 1}) })
		<-g.entered
		ctx, cancel := context.WithCancel(context.Background())
		var err error
		wg.Go(func() { _, err = grp.Submit(ctx, item{ID: 2}) })
		waitFor(t, "the item to queue", func() bool { return grp.Queued() == 1 })
		cancel()
		waitFor(t, "the item to leave the queue", func() bool { return grp.Queued() == 0 })
		g.open()
		wg.Wait()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Submit = %v, want context.Canceled", err)
		}
		if got := storedItems(t, db); !slices.Equal(got, []int64{1}) {
			t.Errorf("committed %v, want [1]", got)
		}
	})
}

// Many callers at once, with the engine's default committers: every
// caller gets its own answer and every item is stored once.
func TestGroupServesManyCallers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		createItemTable(t, db)
		grp := store.NewGroup(store.Bind(db, plainTx), insertItems, store.GroupOptions{})
		defer grp.Close()
		const callers, each = 16, 20
		var wg sync.WaitGroup
		for c := range callers {
			wg.Go(func() {
				for i := range each {
					id := int64(c*each + i + 1)
					got, err := grp.Submit(context.Background(), item{ID: id, Body: "b"})
					if err != nil || got != id {
						t.Errorf("item %d answered %d, %v", id, got, err)
					}
				}
			})
		}
		wg.Wait()
		if got := storedItems(t, db); len(got) != callers*each {
			t.Errorf("stored %d items, want %d", len(got), callers*each)
		}
	})
}

package cmdb_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// pageAll pages through f as p with the given page size and returns the
// keys in list order, tombstones marked "-KEY", checking that every page
// carries the same total and no key appears twice.
func (e *env) pageAll(p auth.Principal, f cmdb.Filter, size int) []string {
	e.t.Helper()
	var out []string
	seen := map[string]bool{}
	total := -1
	for pages := 0; ; pages++ {
		if pages > 100 {
			e.t.Fatal("paging does not end")
		}
		f.Limit = size
		page, err := e.svc.FindCIs(e.ctx, p, f)
		if err != nil {
			e.t.Fatalf("page %d: %v", pages, err)
		}
		if total >= 0 && page.Total != total {
			e.t.Fatalf("total moved from %d to %d", total, page.Total)
		}
		total = page.Total
		if n := len(page.Items) + len(page.Deleted); n > size || (n < size && page.NextCursor != "") {
			e.t.Fatalf("page of %d for limit %d, next %q", n, size, page.NextCursor)
		}
		for _, ci := range page.Items {
			out = append(out, ci.Key)
		}
		for _, t := range page.Deleted {
			out = append(out, "-"+t.Key)
		}
		for _, k := range out {
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	if len(seen) != len(out) || total != len(out) {
		e.t.Fatalf("%d keys, %d distinct, total %d: %v", len(out), len(seen), total, out)
	}
	return out
}

// TestIncrementalSyncSeesDeletes: updated_since with IncludeDeleted lists
// the CIs changed since then and, after them, the tombstones of CIs
// deleted since then; a requester gets only the tombstones of CIs they
// owned.
func TestIncrementalSyncSeesDeletes(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		gone := e.mustCreate(cmdb.CI{Name: "deleted-before", Kind: cmdb.KindServer})
		if err := e.svc.DeleteCI(e.ctx, e.admin, gone.Key); err != nil {
			t.Fatal(err)
		}
		var keep, drop []cmdb.CI
		for i := range 5 {
			owner := ""
			if i%2 == 0 {
				owner = "alice"
			}
			keep = append(keep, e.mustCreate(cmdb.CI{Name: fmt.Sprintf("keep-%d", i), Kind: cmdb.KindServer, Owner: owner}))
			drop = append(drop, e.mustCreate(cmdb.CI{Name: fmt.Sprintf("drop-%d", i), Kind: cmdb.KindServer, Owner: owner}))
		}
		e.clk.Advance(time.Minute)
		since := e.clk.Now()
		e.clk.Advance(time.Minute)
		if _, err := e.svc.UpdateCI(e.ctx, e.admin, keep[0].Key, cmdb.Update{Description: ptr("changed")}); err != nil {
			t.Fatal(err)
		}
		for i, ci := range drop {
			e.clk.Advance(time.Second)
			if err := e.svc.DeleteCI(e.ctx, e.admin, ci.Key); err != nil {
				t.Fatal(err)
			}
			if i == 1 { // deleted in reverse of creation would also do; interleave a change
				if _, err := e.svc.UpdateCI(e.ctx, e.admin, keep[1].Key, cmdb.Update{Description: ptr("changed")}); err != nil {
					t.Fatal(err)
				}
			}
		}
		tomb := func(cis ...cmdb.CI) []string {
			var out []string
			for _, ci := range cis {
				out = append(out, "-"+ci.Key)
			}
			return out
		}
		tests := []struct {
			name string
			p    auth.Principal
			f    cmdb.Filter
			want []string
		}{
			{"agent: changed CIs then tombstones oldest first", e.agent, cmdb.Filter{UpdatedSince: since, IncludeDeleted: true},
				append([]string{keep[0].Key, keep[1].Key}, tomb(drop...)...)},
			{"without include_deleted: no tombstones", e.agent, cmdb.Filter{UpdatedSince: since}, []string{keep[0].Key, keep[1].Key}},
			{"requester: own CIs and tombstones of CIs she owned", e.alice, cmdb.Filter{UpdatedSince: since, IncludeDeleted: true},
				append([]string{keep[0].Key}, tomb(drop[0], drop[2], drop[4])...)},
			{"everything kept, with the earlier delete", e.agent, cmdb.Filter{IncludeDeleted: true, Sort: "-name"},
				append([]string{keep[4].Key, keep[3].Key, keep[2].Key, keep[1].Key, keep[0].Key}, tomb(append([]cmdb.CI{gone}, drop...)...)...)},
		}
		for _, tt := range tests {
			for _, size := range []int{1, 2, 3, 50} {
				t.Run(fmt.Sprintf("%s/limit %d", tt.name, size), func(t *testing.T) {
					if got := e.pageAll(tt.p, tt.f, size); !slices.Equal(got, tt.want) {
						t.Fatalf("got %v, want %v", got, tt.want)
					}
				})
			}
		}
		t.Run("tombstone carries the time of the delete", func(t *testing.T) {
			page, err := e.svc.FindCIs(e.ctx, e.agent, cmdb.Filter{UpdatedSince: e.clk.Now(), IncludeDeleted: true})
			if err != nil || len(page.Deleted) != 1 || page.Deleted[0].Key != drop[4].Key || !page.Deleted[0].DeletedAt.Equal(e.clk.Now()) {
				t.Fatalf("page %+v, %v", page, err)
			}
		})
		t.Run("a cursor of the CI part is refused for another order", func(t *testing.T) {
			page, err := e.svc.FindCIs(e.ctx, e.agent, cmdb.Filter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.svc.FindCIs(e.ctx, e.agent, cmdb.Filter{Limit: 1, Cursor: page.NextCursor, Sort: "kind"})
			wantKind(t, err, errs.Invalid)
		})
		t.Run("older than retention: refused, then purged", func(t *testing.T) {
			e.clk.Advance(cmdb.TombstoneRetention + time.Hour)
			_, err := e.svc.FindCIs(e.ctx, e.agent, cmdb.Filter{UpdatedSince: since, IncludeDeleted: true})
			wantKind(t, err, errs.Invalid)
			if !hasField(err, "updated_since") {
				t.Fatalf("err = %v", err)
			}
			n, err := e.svc.PurgeTombstones(e.ctx)
			if err != nil || n != int64(len(drop)+1) {
				t.Fatalf("purged %d, %v", n, err)
			}
			if got := e.pageAll(e.agent, cmdb.Filter{IncludeDeleted: true}, 10); len(got) != len(keep) {
				t.Fatalf("after purge: %v", got)
			}
		})
	})
}

// TestFindCIsSorts: every order pages through the whole list in the order
// it promises, ties broken by name then id (id alone for name and
// updated), descending orders reading the ascending one backwards.
func TestFindCIsSorts(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		kinds := []cmdb.Kind{cmdb.KindServer, cmdb.KindDatabase, cmdb.KindApplication}
		envs := []string{"production", "staging", ""}
		var all []cmdb.CI
		for i := range 14 {
			e.clk.Advance(time.Second * time.Duration(1-i%2)) // pairs share an update time
			all = append(all, e.mustCreate(cmdb.CI{Name: fmt.Sprintf("ci-%02d", (i*5)%7), Kind: kinds[i%3],
				Criticality: 1 + i%5, Environment: envs[i%3]}))
		}
		byNameID := func(a, b cmdb.CI) int {
			return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
		}
		orders := map[string]func(a, b cmdb.CI) int{
			"name":        byNameID,
			"kind":        func(a, b cmdb.CI) int { return cmp.Or(strings.Compare(string(a.Kind), string(b.Kind)), byNameID(a, b)) },
			"criticality": func(a, b cmdb.CI) int { return cmp.Or(cmp.Compare(a.Criticality, b.Criticality), byNameID(a, b)) },
			"environment": func(a, b cmdb.CI) int { return cmp.Or(strings.Compare(a.Environment, b.Environment), byNameID(a, b)) },
			"updated": func(a, b cmdb.CI) int {
				return cmp.Or(a.UpdatedAt.Compare(b.UpdatedAt), cmp.Compare(a.ID, b.ID))
			},
		}
		for _, sort := range cmdb.Sorts {
			t.Run(sort, func(t *testing.T) {
				want := slices.Clone(all)
				slices.SortFunc(want, orders[strings.TrimPrefix(sort, "-")])
				if strings.HasPrefix(sort, "-") {
					slices.Reverse(want)
				}
				var wantKeys []string
				for _, ci := range want {
					wantKeys = append(wantKeys, ci.Key)
				}
				for _, size := range []int{1, 4, 100} {
					if got := e.pageAll(e.agent, cmdb.Filter{Sort: sort}, size); !slices.Equal(got, wantKeys) {
						t.Fatalf("limit %d: got %v, want %v", size, got, wantKeys)
					}
				}
			})
		}
		_, err := e.svc.FindCIs(e.ctx, e.agent, cmdb.Filter{Sort: "colour"})
		wantKind(t, err, errs.Invalid)
		if !hasField(err, "sort") {
			t.Fatalf("err = %v", err)
		}
	})
}

package store_test

import (
	"context"
	"testing"

	"github.com/rampart-itsm/rampart/internal/paging"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// A total is exact up to paging.TotalCap and capped past it.
func TestCountCapped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, stmt := range []string{
			`CREATE TABLE nums (n BIGINT PRIMARY KEY)`,
			`INSERT INTO nums WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 10005) SELECT n FROM s`,
		} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			below      int
			want       int
			wantCapped bool
		}{
			{0, 0, false},
			{5, 4, false},
			{paging.TotalCap + 1, paging.TotalCap, false},
			{paging.TotalCap + 2, paging.TotalCap, true},
			{20000, paging.TotalCap, true},
		}
		for _, c := range cases {
			err := db.View(ctx, func(tx *store.Tx) error {
				var q store.Query
				q.And("n < " + q.Arg(c.below))
				n, capped, err := tx.CountCapped(ctx, "nums", &q)
				if n != c.want || capped != c.wantCapped {
					t.Errorf("n < %d: %d capped %v, want %d capped %v", c.below, n, capped, c.want, c.wantCapped)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}

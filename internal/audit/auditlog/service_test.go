package auditlog_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

var (
	auditor   = auth.Principal{UserID: 2, Username: "alice", Roles: []auth.Role{auth.RoleAuditor}}
	admin     = auth.Principal{UserID: 1, Username: "root", Roles: []auth.Role{auth.RoleAdmin}}
	agent     = auth.Principal{UserID: 3, Username: "bob", Roles: []auth.Role{auth.RoleAgent}}
	requester = auth.Principal{UserID: 4, Username: "carol", Roles: []auth.Role{auth.RoleRequester}}
	analyst   = auth.Principal{UserID: 5, Username: "dave", Roles: []auth.Role{auth.RoleSecurityAnalyst, auth.RoleChangeManager}}
)

func service(db *store.DB) *auditlog.Service {
	return auditlog.NewService(store.Bind(db, func(tx *store.Tx) auditlog.Tx { return tx }))
}

type ciState struct {
	Name string `json:"name"`
	Env  string `json:"environment"`
}

// history writes six entries in four units of work, one minute apart:
//
//	seq 1 09:00 ann create ci CI-1      seq 4 09:02 ann delete ci CI-2
//	seq 2 09:00 ann create ci CI-2      seq 5 09:03 bob update ci CI-1
//	seq 3 09:01 bob create user dave    seq 6 09:03 bob create team noc
func history(t *testing.T, db *store.DB, clk *clock.Fake) time.Time {
	t.Helper()
	start := clk.Now()
	units := [][]audit.Record{
		{
			{Actor: "ann", Action: audit.ActionCreate, Kind: "ci", Key: "CI-1", After: ciState{"web-01", "prod"}},
			{Actor: "ann", Action: audit.ActionCreate, Kind: "ci", Key: "CI-2", After: ciState{"db-01", "prod"}},
		},
		{{Actor: "bob", Action: audit.ActionCreate, Kind: "user", Key: "dave", After: map[string]string{"username": "dave"}}},
		{{Actor: "ann", Action: audit.ActionDelete, Kind: "ci", Key: "CI-2", Before: ciState{"db-01", "prod"}}},
		{
			{Actor: "bob", Action: audit.ActionUpdate, Kind: "ci", Key: "CI-1", Before: ciState{"web-01", "prod"}, After: ciState{"web-01", "test"}},
			{Actor: "bob", Action: audit.ActionCreate, Kind: "team", Key: "noc", After: map[string]string{"name": "noc"}},
		},
	}
	for _, recs := range units {
		err := db.InTx(context.Background(), func(tx *store.Tx) error {
			for _, r := range recs {
				if err := tx.Audit().Append(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
	}
	return start
}

func seqs(es []audit.Entry) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.Seq
	}
	return out
}

func TestFindFiltersNewestFirst(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		start := history(t, db, clk)
		tests := []struct {
			name string
			f    auditlog.Filter
			want []int64
		}{
			{"all", auditlog.Filter{}, []int64{6, 5, 4, 3, 2, 1}},
			{"kind", auditlog.Filter{Kind: "ci"}, []int64{5, 4, 2, 1}},
			{"kind and key", auditlog.Filter{Kind: "ci", Key: "CI-2"}, []int64{4, 2}},
			{"actor", auditlog.Filter{Actor: "bob"}, []int64{6, 5, 3}},
			{"action", auditlog.Filter{Action: audit.ActionCreate}, []int64{6, 3, 2, 1}},
			{"since inclusive", auditlog.Filter{Since: start.Add(2 * time.Minute)}, []int64{6, 5, 4}},
			{"until exclusive", auditlog.Filter{Until: start.Add(time.Minute)}, []int64{2, 1}},
			{"window", auditlog.Filter{Since: start.Add(time.Minute), Until: start.Add(3 * time.Minute)}, []int64{4, 3}},
			{"no match", auditlog.Filter{Actor: "mallory"}, []int64{}},
		}
		svc := service(db)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				page, err := svc.Find(context.Background(), auditor, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if got := seqs(page.Items); !slices.Equal(got, tc.want) {
					t.Errorf("seqs = %v, want %v", got, tc.want)
				}
				if page.Total != len(tc.want) || page.NextCursor != "" {
					t.Errorf("total = %d, next = %q; want %d, none", page.Total, page.NextCursor, len(tc.want))
				}
			})
		}
	})
}

func TestFindReturnsEntryContent(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		start := history(t, db, clk)
		page, err := service(db).Find(context.Background(), admin, auditlog.Filter{Kind: "ci", Key: "CI-1", Action: audit.ActionUpdate})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("find = %+v, %v", page, err)
		}
		e := page.Items[0]
		if e.Actor != "bob" || !e.At.Equal(start.Add(3*time.Minute)) || e.Hash == "" || e.PrevHash == "" {
			t.Errorf("entry = %+v", e)
		}
		if string(e.Changes) != `[{"field":"environment","from":"prod","to":"test"}]` {
			t.Errorf("changes = %s", e.Changes)
		}
		if string(e.Before) != `{"name":"web-01","environment":"prod"}` {
			t.Errorf("before = %s", e.Before)
		}
	})
}

func TestFindPagesByCursor(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		history(t, db, clk)
		svc := service(db)
		var pages [][]int64
		cursor := ""
		for range 5 {
			page, err := svc.Find(context.Background(), auditor, auditlog.Filter{Limit: 4, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != 6 {
				t.Errorf("total = %d, want 6", page.Total)
			}
			pages = append(pages, seqs(page.Items))
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if len(pages) != 2 || !slices.Equal(pages[0], []int64{6, 5, 4, 3}) || !slices.Equal(pages[1], []int64{2, 1}) {
			t.Errorf("pages = %v, want [[6 5 4 3] [2 1]]", pages)
		}
		// A full last page has no cursor either.
		page, err := svc.Find(context.Background(), auditor, auditlog.Filter{Limit: 6})
		if err != nil || len(page.Items) != 6 || page.NextCursor != "" {
			t.Errorf("limit 6: %d items, cursor %q, %v", len(page.Items), page.NextCursor, err)
		}
	})
}

func TestFindRejectsBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		tests := []struct {
			name, field string
			f           auditlog.Filter
		}{
			{"cursor", "cursor", auditlog.Filter{Cursor: "not-a-cursor"}},
			{"limit", "limit", auditlog.Filter{Limit: -1}},
			{"window", "until", auditlog.Filter{Since: now, Until: now.Add(-time.Second)}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := service(db).Find(context.Background(), auditor, tc.f)
				e, ok := errs.As(err)
				if !ok || e.Kind != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
					t.Errorf("err = %v, want invalid %s", err, tc.field)
				}
			})
		}
	})
}

func TestExportStreamsOldestFirst(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		history(t, db, clk)
		svc := service(db)
		collect := func(f auditlog.Filter) []int64 {
			t.Helper()
			var got []int64
			if err := svc.Export(context.Background(), auditor, f, func(e audit.Entry) error {
				got = append(got, e.Seq)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := collect(auditlog.Filter{Limit: 2, Cursor: "ignored"}); !slices.Equal(got, []int64{1, 2, 3, 4, 5, 6}) {
			t.Errorf("export all = %v", got)
		}
		if got := collect(auditlog.Filter{Kind: "ci", Actor: "ann"}); !slices.Equal(got, []int64{1, 2, 4}) {
			t.Errorf("export ci by ann = %v", got)
		}
		stop := errors.New("client went away")
		n := 0
		err := svc.Export(context.Background(), admin, auditlog.Filter{}, func(audit.Entry) error {
			n++
			if n == 2 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 2 {
			t.Errorf("export stopped after %d with %v, want 2 and the callback's error", n, err)
		}
	})
}

func TestReadingTheLogNeedsAuditRead(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		history(t, db, clk)
		svc := service(db)
		tests := []struct {
			name string
			p    auth.Principal
			want errs.Kind // "" = allowed
		}{
			{"admin", admin, ""},
			{"auditor", auditor, ""},
			{"agent", agent, errs.Forbidden},
			{"requester", requester, errs.Forbidden},
			{"analyst and change manager", analyst, errs.Forbidden},
			{"nobody", auth.Principal{}, errs.Unauthenticated},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				page, err := svc.Find(context.Background(), tc.p, auditlog.Filter{})
				exported := 0
				xerr := svc.Export(context.Background(), tc.p, auditlog.Filter{}, func(audit.Entry) error { exported++; return nil })
				if tc.want == "" {
					if err != nil || xerr != nil || page.Total != 6 || exported != 6 {
						t.Fatalf("allowed: find %d, %v; export %d, %v", page.Total, err, exported, xerr)
					}
					return
				}
				if errs.KindOf(err) != tc.want || errs.KindOf(xerr) != tc.want {
					t.Errorf("find err = %v, export err = %v, want %s", err, xerr, tc.want)
				}
				if len(page.Items) != 0 || exported != 0 {
					t.Errorf("denied principal read %d entries and exported %d", len(page.Items), exported)
				}
			})
		}
	})
}

// The store applies the visibility itself, so a caller that skipped the
// service's check still reads nothing, and a visibility built for another
// record kind reads nothing either.
func TestStoreAppliesAuditVisibility(t *testing.T) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		history(t, db, clk)
		tests := []struct {
			name string
			v    auth.Visibility
			want int
		}{
			{"auditor", auth.VisibilityFor(auditor, auth.KindAudit), 6},
			{"unrestricted", auth.Unrestricted("test"), 6},
			{"agent", auth.VisibilityFor(agent, auth.KindAudit), 0},
			{"the zero visibility", auth.Visibility{}, 0},
			{"a CI visibility", auth.VisibilityFor(auditor, auth.KindCI), 0},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := db.View(context.Background(), func(tx *store.Tx) error {
					page, err := tx.AuditReader().FindEntries(context.Background(), tc.v, auditlog.Filter{Limit: 50})
					if err != nil {
						return err
					}
					exported, err := tx.AuditReader().ExportEntries(context.Background(), tc.v, auditlog.Filter{}, 0, 100)
					if err != nil {
						return err
					}
					n := len(exported)
					if page.Total != tc.want || len(page.Items) != tc.want || n != tc.want {
						t.Errorf("total %d, items %d, exported %d; want %d", page.Total, len(page.Items), n, tc.want)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

package cmdb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
	"github.com/rampart-itsm/rampart/internal/uow"
)

func TestCICRUDWritesAudit(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ci := e.mustCreate(cmdb.CI{Name: "web-01", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.1"}}})
		if ci.Key != "CI-1" {
			t.Fatalf("first key = %s, want CI-1", ci.Key)
		}
		e.clk.Advance(time.Minute)
		up, err := e.svc.UpdateCI(e.ctx, e.agent, ci.Key, cmdb.Update{Criticality: ptr(5), Version: ptr(ci.Version),
			Identifiers: &cmdb.Identifiers{IPs: []string{"10.0.0.1", "10.0.0.2"}}})
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != 2 || up.Criticality != 5 || !up.UpdatedAt.After(ci.UpdatedAt) || len(up.Identifiers.IPs) != 2 {
			t.Fatalf("updated = %+v", up)
		}
		if err := e.svc.DeleteCI(e.ctx, e.agent, ci.Key); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.FindCIByKey(e.ctx, e.admin, ci.Key)
		wantKind(t, err, errs.NotFound)
		if n := e.count("ci_identifiers"); n != 0 {
			t.Fatalf("%d identifiers left after delete", n)
		}

		entries := e.auditFor(cmdb.AuditKindCI, ci.Key)
		if len(entries) != 3 {
			t.Fatalf("%d audit entries, want create, update, delete", len(entries))
		}
		for i, want := range []struct{ action, actor string }{{"create", "ada"}, {"update", "nico"}, {"delete", "nico"}} {
			if entries[i].Action != want.action || entries[i].Actor != want.actor {
				t.Errorf("entry %d = %s by %s, want %s by %s", i, entries[i].Action, entries[i].Actor, want.action, want.actor)
			}
		}
		if got := jsonField(t, entries[0].After, "name"); got != "web-01" {
			t.Errorf("create after.name = %v", got)
		}
		if jsonField(t, entries[1].Before, "business_criticality") != 3.0 || jsonField(t, entries[1].After, "business_criticality") != 5.0 {
			t.Errorf("update entry before/after = %s / %s", entries[1].Before, entries[1].After)
		}
		if entries[1].Changes == nil || entries[2].Before == nil || entries[2].After != nil {
			t.Errorf("update changes %s, delete before %s after %s", entries[1].Changes, entries[2].Before, entries[2].After)
		}
	})
}

func TestUpdateCI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ci := e.mustCreate(cmdb.CI{Name: "db-01", Kind: cmdb.KindDatabase, Identifiers: cmdb.Identifiers{Hostnames: []string{"db-01"}}})
		other := e.mustCreate(cmdb.CI{Name: "db-02", Kind: cmdb.KindDatabase, Identifiers: cmdb.Identifiers{Hostnames: []string{"db-02"}}})

		t.Run("second writer with the same version conflicts", func(t *testing.T) {
			cur, _ := e.svc.FindCIByKey(e.ctx, e.admin, ci.Key)
			if _, err := e.svc.UpdateCI(e.ctx, e.agent, ci.Key, cmdb.Update{Supplier: ptr("first"), Version: ptr(cur.Version)}); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Supplier: ptr("second"), Version: ptr(cur.Version)})
			wantKind(t, err, errs.Conflict)
			if got, _ := e.svc.FindCIByKey(e.ctx, e.admin, ci.Key); got.Supplier != "first" || got.Version != cur.Version+1 {
				t.Fatalf("after the conflict: %+v", got)
			}
		})
		t.Run("stale version conflicts", func(t *testing.T) {
			_, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Name: ptr("x"), Version: ptr(ci.Version + 7)})
			wantKind(t, err, errs.Conflict)
		})
		t.Run("identifier of another CI conflicts and names it", func(t *testing.T) {
			_, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Identifiers: &cmdb.Identifiers{Hostnames: []string{"db-01", "DB-02"}}})
			wantKind(t, err, errs.Conflict)
			if !hasField(err, "identifiers.hostnames[1]") {
				t.Fatalf("err = %v", err)
			}
			if e2, _ := errs.As(err); e2.Fields[0].Message != "db-02 already identifies "+other.Key {
				t.Fatalf("message = %q", e2.Fields[0].Message)
			}
		})
		t.Run("invalid field", func(t *testing.T) {
			_, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Criticality: ptr(0)})
			wantKind(t, err, errs.Invalid)
			if !hasField(err, "business_criticality") {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("no change writes nothing", func(t *testing.T) {
			before := len(e.auditEntries())
			cur, _ := e.svc.FindCIByKey(e.ctx, e.admin, ci.Key)
			got, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Name: ptr(" db-01 "), Kind: ptr(cmdb.KindDatabase)})
			if err != nil || got.Version != cur.Version {
				t.Fatalf("got version %d, %v", got.Version, err)
			}
			if len(e.auditEntries()) != before {
				t.Fatal("a no-op update was audited")
			}
		})
		t.Run("owner set and cleared, tags replaced", func(t *testing.T) {
			got, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Owner: ptr("bob"), Tags: &[]string{"a", "b"}})
			if err != nil || got.Owner != "bob" || got.OwnerID != e.bob.UserID {
				t.Fatalf("got %+v, %v", got, err)
			}
			got, err = e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Owner: ptr(""), Tags: &[]string{"b", "c"}})
			if err != nil || got.Owner != "" || got.OwnerID != 0 {
				t.Fatalf("got %+v, %v", got, err)
			}
			stored, _ := e.svc.FindCIByKey(e.ctx, e.admin, ci.Key)
			if fmt.Sprint(stored.Tags) != "[b c]" || stored.Owner != "" || stored.Version != got.Version {
				t.Fatalf("stored %+v", stored)
			}
		})
		t.Run("identifier order kept", func(t *testing.T) {
			_, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Identifiers: &cmdb.Identifiers{IPs: []string{"10.9.0.2", "10.9.0.10", "10.9.0.1"}}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Identifiers: &cmdb.Identifiers{IPs: []string{"10.9.0.1", "10.9.0.2"}}})
			if err != nil {
				t.Fatal(err)
			}
			stored, _ := e.svc.FindCIByKey(e.ctx, e.admin, ci.Key)
			if fmt.Sprint(stored.Identifiers.IPs) != "[10.9.0.1 10.9.0.2]" || stored.Identifiers.Hostnames != nil {
				t.Fatalf("identifiers = %+v", stored.Identifiers)
			}
		})
		t.Run("unknown key", func(t *testing.T) {
			_, err := e.svc.UpdateCI(e.ctx, e.admin, "CI-999", cmdb.Update{Name: ptr("x")})
			wantKind(t, err, errs.NotFound)
		})
	})
}

func TestCreateCIConflictingIdentifier(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		first := e.mustCreate(cmdb.CI{Name: "a", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{MACs: []string{"00:11:22:33:44:55"}}})
		_, err := e.svc.CreateCI(e.ctx, e.admin, cmdb.CI{Name: "b", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{MACs: []string{"00-11-22-33-44-55"}}})
		wantKind(t, err, errs.Conflict)
		if !hasField(err, "identifiers.macs[0]") {
			t.Fatalf("err = %v", err)
		}
		if e.count("cis") != 1 || len(e.auditFor(cmdb.AuditKindCI, first.Key)) != 1 || len(e.auditEntries()) != 1 {
			t.Fatal("the refused CI left rows or audit entries")
		}
	})
}

// failAfter runs the service's unit of work and then fails, as if a later
// step of the same transaction had broken.
type failAfter struct {
	inner cmdb.Transactor
	err   error
}

func (f failAfter) InTx(ctx context.Context, fn func(cmdb.Tx) error) error {
	return f.inner.InTx(ctx, func(tx cmdb.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return f.err
	})
}

func (f failAfter) InTxAlone(ctx context.Context, fn func(cmdb.Tx) error) error {
	return f.inner.InTxAlone(ctx, func(tx cmdb.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return f.err
	})
}

func (f failAfter) View(ctx context.Context, fn func(cmdb.Tx) error) error {
	return f.inner.View(ctx, fn)
}

func (f failAfter) Join(u uow.Unit, fn func(cmdb.Tx) error) error { return f.inner.Join(u, fn) }

func TestFailureAfterWriteRollsBackCIAndAudit(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		boom := errors.New("disk on fire")
		svc := cmdb.NewService(failAfter{inner: store.Bind(e.db, cmdbstore.Bind), err: boom})
		tests := []struct {
			name string
			run  func() error
		}{
			{"create", func() error {
				_, err := svc.CreateCI(e.ctx, e.admin, cmdb.CI{Name: "ghost", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{IPs: []string{"10.6.6.6"}}})
				return err
			}},
			{"import", func() error {
				_, err := svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "csv", Candidates: []cmdb.Candidate{
					{Row: 1, Identifiers: cmdb.Identifiers{Hostnames: []string{"ghost"}}}}})
				return err
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.run(); !errors.Is(err, boom) {
					t.Fatalf("err = %v, want the injected failure", err)
				}
				for _, table := range []string{"cis", "ci_identifiers", "imports", "audit_log"} {
					if n := e.count(table); n != 0 {
						t.Errorf("%s has %d rows after rollback", table, n)
					}
				}
			})
		}
	})
}

func TestCIAuthorisation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ci := e.mustCreate(cmdb.CI{Name: "srv", Kind: cmdb.KindServer})
		nobody := auth.Principal{}
		noRoles := auth.Principal{UserID: 99, Username: "x"}
		tests := []struct {
			name string
			p    auth.Principal
			run  func(p auth.Principal) error
			want errs.Kind
		}{
			{"requester cannot create", e.alice, func(p auth.Principal) error {
				_, err := e.svc.CreateCI(e.ctx, p, cmdb.CI{Name: "mine", Kind: cmdb.KindEndpoint})
				return err
			}, errs.Forbidden},
			{"auditor cannot create", e.auditor, func(p auth.Principal) error {
				_, err := e.svc.CreateCI(e.ctx, p, cmdb.CI{Name: "x", Kind: cmdb.KindServer})
				return err
			}, errs.Forbidden},
			{"auditor cannot update", e.auditor, func(p auth.Principal) error {
				_, err := e.svc.UpdateCI(e.ctx, p, ci.Key, cmdb.Update{Name: ptr("x")})
				return err
			}, errs.Forbidden},
			{"auditor cannot delete", e.auditor, func(p auth.Principal) error { return e.svc.DeleteCI(e.ctx, p, ci.Key) }, errs.Forbidden},
			{"auditor cannot relate", e.auditor, func(p auth.Principal) error {
				_, err := e.svc.AddRelation(e.ctx, p, cmdb.Relation{Source: ci.Key, Type: cmdb.RelDependsOn, Target: "CI-2"})
				return err
			}, errs.Forbidden},
			{"auditor cannot import", e.auditor, func(p auth.Principal) error {
				_, err := e.svc.Import(e.ctx, p, cmdb.ImportRequest{Format: "csv"})
				return err
			}, errs.Forbidden},
			{"requester cannot import", e.alice, func(p auth.Principal) error {
				_, err := e.svc.Import(e.ctx, p, cmdb.ImportRequest{Format: "csv"})
				return err
			}, errs.Forbidden},
			{"requester cannot read import reports", e.alice, func(p auth.Principal) error {
				_, _, err := e.svc.FindImports(e.ctx, p, "", 0)
				return err
			}, errs.Forbidden},
			{"requester cannot delete relations", e.alice, func(p auth.Principal) error { return e.svc.DeleteRelation(e.ctx, p, 1) }, errs.Forbidden},
			{"anonymous cannot read", nobody, func(p auth.Principal) error {
				_, err := e.svc.FindCIs(e.ctx, p, cmdb.Filter{})
				return err
			}, errs.Unauthenticated},
			{"no roles cannot read", noRoles, func(p auth.Principal) error {
				_, err := e.svc.FindCIByKey(e.ctx, p, ci.Key)
				return err
			}, errs.Forbidden},
			{"no roles cannot walk impact", noRoles, func(p auth.Principal) error {
				_, err := e.svc.Impact(e.ctx, p, ci.Key, "", 0)
				return err
			}, errs.Forbidden},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantKind(t, tt.run(tt.p), tt.want)
			})
		}
		if n := len(e.auditEntries()); n != 1 {
			t.Fatalf("%d audit entries, want only the admin's create", n)
		}
		// The auditor reads everything.
		if _, err := e.svc.FindCIByKey(e.ctx, e.auditor, ci.Key); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRequesterSeesOnlyOwnCIs(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		mine := e.mustCreate(cmdb.CI{Name: "alice-laptop", Kind: cmdb.KindEndpoint, Owner: "alice",
			Identifiers: cmdb.Identifiers{Hostnames: []string{"alice-laptop"}, IPs: []string{"10.20.0.5"}}})
		theirs := e.mustCreate(cmdb.CI{Name: "bob-laptop", Kind: cmdb.KindEndpoint, Owner: "bob",
			Identifiers: cmdb.Identifiers{Hostnames: []string{"bob-laptop"}, IPs: []string{"10.20.0.6"}}})
		server := e.mustCreate(cmdb.CI{Name: "alpha-server", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{IPs: []string{"10.20.0.7"}}})
		e.mustRelate(mine.Key, "connects_to", server.Key)
		e.mustRelate(mine.Key, "depends_on", theirs.Key)

		lists := []struct {
			name string
			f    cmdb.Filter
		}{
			{"everything", cmdb.Filter{}},
			{"name prefix", cmdb.Filter{Query: "al"}},
			{"identifier prefix", cmdb.Filter{Query: "10.20.0."}},
			{"exact key of another's CI", cmdb.Filter{Query: theirs.Key}},
			{"kind", cmdb.Filter{Kind: cmdb.KindEndpoint}},
			{"owner bob", cmdb.Filter{Owner: "bob"}},
		}
		for _, tt := range lists {
			t.Run("list/"+tt.name, func(t *testing.T) {
				page, err := e.svc.FindCIs(e.ctx, e.alice, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				for _, ci := range page.Items {
					if ci.Key != mine.Key {
						t.Errorf("alice sees %s", ci.Key)
					}
				}
				if page.Total != len(page.Items) {
					t.Errorf("total %d counts CIs alice cannot see (%d items)", page.Total, len(page.Items))
				}
				staff, err := e.svc.FindCIs(e.ctx, e.agent, tt.f)
				if err != nil || staff.Total < page.Total || staff.Total == 0 {
					t.Errorf("agent sees %d, alice %d, %v", staff.Total, page.Total, err)
				}
			})
		}
		t.Run("search by another's identifier finds nothing", func(t *testing.T) {
			page, err := e.svc.FindCIs(e.ctx, e.alice, cmdb.Filter{Query: "10.20.0.6"})
			if err != nil || page.Total != 0 || len(page.Items) != 0 {
				t.Fatalf("page %+v, %v", page, err)
			}
		})
		t.Run("another's CI by key is not found", func(t *testing.T) {
			_, err := e.svc.FindCIByKey(e.ctx, e.alice, theirs.Key)
			wantKind(t, err, errs.NotFound)
			_, err = e.svc.FindRelations(e.ctx, e.alice, theirs.Key)
			wantKind(t, err, errs.NotFound)
			_, err = e.svc.Impact(e.ctx, e.alice, theirs.Key, "", 0)
			wantKind(t, err, errs.NotFound)
		})
		t.Run("own CI readable, relations and impact only through visible CIs", func(t *testing.T) {
			if _, err := e.svc.FindCIByKey(e.ctx, e.alice, mine.Key); err != nil {
				t.Fatal(err)
			}
			rels, err := e.svc.FindRelations(e.ctx, e.alice, mine.Key)
			if err != nil || len(rels) != 0 {
				t.Fatalf("alice sees relations %+v, %v", rels, err)
			}
			imp, err := e.svc.Impact(e.ctx, e.alice, mine.Key, cmdb.Upstream, 0)
			if err != nil || len(imp.Nodes) != 0 {
				t.Fatalf("alice's impact reaches %+v, %v", imp.Nodes, err)
			}
			staff, err := e.svc.Impact(e.ctx, e.agent, mine.Key, cmdb.Upstream, 0)
			if err != nil || len(staff.Nodes) != 2 {
				t.Fatalf("agent's impact = %+v, %v", staff.Nodes, err)
			}
		})
	})
}

func TestFindCIsFilters(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		web := e.mustCreate(cmdb.CI{Name: "Web-01", Kind: cmdb.KindServer, Environment: "production", Criticality: 4,
			InternetExposed: true, SupportGroup: "NOC", Tags: []string{"pci"}, LifecycleStatus: "operational",
			Identifiers: cmdb.Identifiers{FQDNs: []string{"web-01.example.com"}, MACs: []string{"00:aa:bb:cc:dd:01"}, Serial: "SN-ABC"}})
		e.mustCreate(cmdb.CI{Name: "web-02", Kind: cmdb.KindServer, Environment: "staging", Criticality: 2})
		e.mustCreate(cmdb.CI{Name: "payroll", Kind: cmdb.KindApplication, Owner: "alice", LifecycleStatus: "retired"})
		e.mustCreate(cmdb.CI{Name: "web_%", Kind: cmdb.KindApplication}) // wildcards must match literally
		tests := []struct {
			name string
			f    cmdb.Filter
			want []string // names, in list order
		}{
			{"all ordered by name", cmdb.Filter{}, []string{"payroll", "Web-01", "web-02", "web_%"}},
			{"name prefix any case", cmdb.Filter{Query: "WEB-"}, []string{"Web-01", "web-02"}},
			{"name prefix with wildcard characters", cmdb.Filter{Query: "web_"}, []string{"web_%"}},
			{"key", cmdb.Filter{Query: strings.ToLower(web.Key)}, []string{"Web-01"}},
			{"fqdn prefix", cmdb.Filter{Query: "web-01.exa"}, []string{"Web-01"}},
			{"mac prefix upper case", cmdb.Filter{Query: "00:AA:BB"}, []string{"Web-01"}},
			{"serial exact case", cmdb.Filter{Query: "SN-A"}, []string{"Web-01"}},
			{"kind", cmdb.Filter{Kind: cmdb.KindApplication}, []string{"payroll", "web_%"}},
			{"environment any case", cmdb.Filter{Environment: "Production"}, []string{"Web-01"}},
			{"owner", cmdb.Filter{Owner: "alice"}, []string{"payroll"}},
			{"support group", cmdb.Filter{SupportGroup: "NOC"}, []string{"Web-01"}},
			{"tag", cmdb.Filter{Tag: "pci"}, []string{"Web-01"}},
			{"lifecycle", cmdb.Filter{LifecycleStatus: "retired"}, []string{"payroll"}},
			{"min criticality", cmdb.Filter{MinCriticality: 4}, []string{"Web-01"}},
			{"internet exposed", cmdb.Filter{InternetExposed: ptr(true)}, []string{"Web-01"}},
			{"not internet exposed", cmdb.Filter{InternetExposed: ptr(false), Kind: cmdb.KindServer}, []string{"web-02"}},
			{"no match", cmdb.Filter{Query: "zzz"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := e.svc.FindCIs(e.ctx, e.agent, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, ci := range page.Items {
					got = append(got, ci.Name)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) || page.Total != len(tt.want) {
					t.Fatalf("got %q (total %d), want %q", got, page.Total, tt.want)
				}
			})
		}
		invalid := []struct {
			name  string
			f     cmdb.Filter
			field string
		}{
			{"kind", cmdb.Filter{Kind: "toaster"}, "kind"},
			{"lifecycle", cmdb.Filter{LifecycleStatus: "zombie"}, "lifecycle_status"},
			{"criticality", cmdb.Filter{MinCriticality: 9}, "min_criticality"},
			{"limit", cmdb.Filter{Limit: -1}, "limit"},
			{"cursor", cmdb.Filter{Cursor: "not-a-cursor"}, "cursor"},
		}
		for _, tt := range invalid {
			t.Run("invalid/"+tt.name, func(t *testing.T) {
				_, err := e.svc.FindCIs(e.ctx, e.agent, tt.f)
				wantKind(t, err, errs.Invalid)
				if !hasField(err, tt.field) {
					t.Fatalf("err = %v", err)
				}
			})
		}
	})
}

func TestFindCIsPaginationAndUpdatedSince(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		const n = 23
		// Several CIs share a name, so the id tiebreak matters.
		for i := 0; i < n; i++ {
			e.mustCreate(cmdb.CI{Name: fmt.Sprintf("node-%02d", i%9), Kind: cmdb.KindServer})
		}
		seen := map[string]bool{}
		var order []string
		cursor := ""
		pages := 0
		for {
			page, err := e.svc.FindCIs(e.ctx, e.agent, cmdb.Filter{Limit: 5, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if want := n + min(pages/3, 1); page.Total != want { // one more once "aaa-late" exists
				t.Fatalf("total = %d", page.Total)
			}
			for _, ci := range page.Items {
				if seen[ci.Key] {
					t.Fatalf("%s on two pages", ci.Key)
				}
				seen[ci.Key] = true
				order = append(order, ci.Name+"/"+ci.Key)
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
			// A CI created mid-pagination sorts before the cursor and must
			// not shift later pages.
			if pages == 2 {
				e.mustCreate(cmdb.CI{Name: "aaa-late", Kind: cmdb.KindServer})
			}
		}
		if len(seen) != n || pages != 5 {
			t.Fatalf("saw %d CIs in %d pages, want %d in 5", len(seen), pages, n)
		}
		for i := 1; i < len(order); i++ {
			if order[i-1][:7] > order[i][:7] {
				t.Fatalf("out of order: %s before %s", order[i-1], order[i])
			}
		}

		mark := e.clk.Now().Add(time.Hour)
		e.clk.Set(mark)
		if _, err := e.svc.UpdateCI(e.ctx, e.admin, "CI-3", cmdb.Update{Description: ptr("touched")}); err != nil {
			t.Fatal(err)
		}
		fresh := e.mustCreate(cmdb.CI{Name: "zz-new", Kind: cmdb.KindServer})
		page, err := e.svc.FindCIs(e.ctx, e.agent, cmdb.Filter{UpdatedSince: mark})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 || page.Items[0].Key != "CI-3" || page.Items[1].Key != fresh.Key {
			t.Fatalf("updated since: %+v", page.Items)
		}
		page, err = e.svc.FindCIs(e.ctx, e.agent, cmdb.Filter{UpdatedSince: mark.Add(time.Microsecond)})
		if err != nil || page.Total != 0 {
			t.Fatalf("updated after the mark: %d, %v", page.Total, err)
		}
	})
}

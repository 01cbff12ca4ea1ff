package cmdb_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// env is one test database with a CMDB service and a few people.
type env struct {
	t   *testing.T
	db  *store.DB
	clk *clock.Fake
	svc *cmdb.Service
	ctx context.Context

	admin, agent, auditor, alice, bob auth.Principal // alice and bob are requesters
}

func bind(db *store.DB) cmdb.Transactor {
	return store.Bind(db, cmdbstore.Bind)
}

// each runs fn on every backend with a fresh, seeded database.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		e := &env{t: t, db: db, clk: clk, svc: cmdb.NewService(bind(db)), ctx: context.Background()}
		e.admin = e.user("ada", auth.RoleAdmin)
		e.agent = e.user("nico", auth.RoleAgent)
		e.auditor = e.user("aud", auth.RoleAuditor)
		e.alice = e.user("alice", auth.RoleRequester)
		e.bob = e.user("bob", auth.RoleRequester)
		e.team("NOC")
		e.team("SOC")
		fn(t, e)
	})
}

func (e *env) user(name string, role auth.Role) auth.Principal {
	e.t.Helper()
	var id int64
	now := e.clk.Now().Format("2006-01-02T15:04:05.000000Z")
	if err := e.db.SQL().QueryRow(`INSERT INTO users (username, created_at, updated_at) VALUES ($1, $2, $3) RETURNING id`,
		name, now, now).Scan(&id); err != nil {
		e.t.Fatalf("seed user: %v", err)
	}
	return auth.Principal{UserID: id, Username: name, Roles: []auth.Role{role}}
}

func (e *env) team(name string) {
	e.t.Helper()
	now := e.clk.Now().Format("2006-01-02T15:04:05.000000Z")
	if _, err := e.db.SQL().Exec(`INSERT INTO teams (name, created_at, updated_at) VALUES ($1, $2, $3)`, name, now, now); err != nil {
		e.t.Fatalf("seed team: %v", err)
	}
}

// mustCreate creates a CI as admin.
func (e *env) mustCreate(ci cmdb.CI) cmdb.CI {
	e.t.Helper()
	out, err := e.svc.CreateCI(e.ctx, e.admin, ci)
	if err != nil {
		e.t.Fatalf("create %q: %v", ci.Name, err)
	}
	return out
}

func (e *env) mustRelate(src, typ, dst string) cmdb.Relation {
	e.t.Helper()
	r, err := e.svc.AddRelation(e.ctx, e.admin, cmdb.Relation{Source: src, Type: cmdb.RelationType(typ), Target: dst})
	if err != nil {
		e.t.Fatalf("relate %s %s %s: %v", src, typ, dst, err)
	}
	return r
}

// auditEntries returns the audit log, verified.
func (e *env) auditEntries() []audit.Entry {
	e.t.Helper()
	var out []audit.Entry
	err := e.db.View(e.ctx, func(tx *store.Tx) error {
		if _, err := audit.Verify(e.ctx, tx.AuditLog()); err != nil {
			return err
		}
		return tx.AuditLog().EachEntry(e.ctx, func(en audit.Entry) error {
			out = append(out, en)
			return nil
		})
	})
	if err != nil {
		e.t.Fatalf("audit log: %v", err)
	}
	return out
}

// auditFor returns the entries about one record.
func (e *env) auditFor(kind, key string) []audit.Entry {
	var out []audit.Entry
	for _, en := range e.auditEntries() {
		if en.Kind == kind && en.Key == key {
			out = append(out, en)
		}
	}
	return out
}

func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func wantKind(t *testing.T, err error, kind errs.Kind) {
	t.Helper()
	if !errs.Is(err, kind) {
		t.Fatalf("err = %v (kind %s), want kind %s", err, errs.KindOf(err), kind)
	}
}

// hasField reports whether err is an errs.Error naming field.
func hasField(err error, field string) bool {
	e, ok := errs.As(err)
	if !ok {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func jsonField(t *testing.T, raw json.RawMessage, field string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("unmarshal %s: %v", raw, err)
	}
	return m[field]
}

func ptr[T any](v T) *T { return &v }

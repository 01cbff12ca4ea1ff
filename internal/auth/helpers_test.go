package auth_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/clock"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/store/authstore"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

// testPassword satisfies the password policy; every fixture user has it.
const testPassword = "correct horse battery"

type fixture struct {
	t   *testing.T
	ctx context.Context
	db  *store.DB
	clk *clock.Fake
	svc *auth.Service
}

// each runs fn on every backend with a fresh database, a fake clock and a
// service bound to both.
func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	storetest.EachWithClock(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		svc := auth.NewService(store.Bind(db, authstore.Bind), clk)
		fn(t, &fixture{t: t, ctx: context.Background(), db: db, clk: clk, svc: svc})
	})
}

// user creates a user (as the system) and returns the principal it signs in as.
func (f *fixture) user(name string, roles ...auth.Role) auth.Principal {
	f.t.Helper()
	u, err := f.svc.CreateUser(f.ctx, auth.System, auth.NewUser{Username: name, DisplayName: strings.ToUpper(name[:1]) + name[1:], Password: testPassword, Roles: roles})
	if err != nil {
		f.t.Fatalf("create user %s: %v", name, err)
	}
	return auth.Principal{UserID: u.ID, Username: u.Username, Roles: u.Roles}
}

// login signs in and returns the session id.
func (f *fixture) login(name, password string) string {
	f.t.Helper()
	id, _, err := f.svc.Login(f.ctx, name, password)
	if err != nil {
		f.t.Fatalf("login %s: %v", name, err)
	}
	return id
}

// signedIn signs name in and returns the principal its session carries,
// teams included.
func (f *fixture) signedIn(name string) auth.Principal {
	f.t.Helper()
	p, _, err := f.svc.SessionPrincipal(f.ctx, f.login(name, testPassword))
	if err != nil {
		f.t.Fatalf("session of %s: %v", name, err)
	}
	return p
}

// scalar reads one value with SQL straight from the database.
func (f *fixture) scalar(query string, args ...any) string {
	f.t.Helper()
	var v sql.NullString
	if err := f.db.SQL().QueryRowContext(f.ctx, query, args...).Scan(&v); err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
	return v.String
}

// dbText renders every row of every table as text, to prove a secret is
// stored nowhere in the clear.
func (f *fixture) dbText() string {
	f.t.Helper()
	list := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if f.db.Dialect.Name == "postgres" {
		list = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`
	}
	var b strings.Builder
	for _, table := range f.strings(list) {
		b.WriteString(f.tableText(table))
	}
	return b.String()
}

// tableText renders every row of one table as text.
func (f *fixture) tableText(table string) string {
	f.t.Helper()
	rows, err := f.db.SQL().QueryContext(f.ctx, `SELECT * FROM `+table)
	if err != nil {
		f.t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			f.t.Fatal(err)
		}
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%v\t", v)
		}
		b.WriteString("\n")
	}
	if err := rows.Err(); err != nil {
		f.t.Fatal(err)
	}
	return b.String()
}

func (f *fixture) strings(query string, args ...any) []string {
	f.t.Helper()
	rows, err := f.db.SQL().QueryContext(f.ctx, query, args...)
	if err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// wantKind fails unless err is of kind want ("" means no error).
func wantKind(t *testing.T, err error, want errs.Kind) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("succeeded, want %s error", want)
	case want != "" && errs.KindOf(err) != want:
		t.Fatalf("error %v is %s, want %s", err, errs.KindOf(err), want)
	}
}

func ptr[T any](v T) *T { return &v }

// at is a time relative to the fixture clock's start.
func (f *fixture) after(d time.Duration) time.Time { return f.clk.Now().Add(d) }

// Package visibilitytest is the restricted-record contract suite: for each
// record kind, a record carrying a unique marker that some viewers may see
// and others may not, and every query method of the kind run as every
// viewer. The marker must show in exactly the answers of the viewers
// allowed to see the record: lists, totals, facets, searches,
// updated_since, exports, key lookups and the audit log alike.
//
// The suite is the same at every level: store methods (with the viewer's
// auth.Visibility), services (with the viewer's principal) and the HTTP
// API (with the viewer's token). Each practice adds its kinds; a new query
// method adds a Read to its kind.
package visibilitytest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store"
)

// Password is the password of every viewer the suite creates.
const Password = "correct horse battery"

// Other is the name of the second requester: records of the suite's kinds
// that a requester may own are owned by Other, so Requester must not see
// them and Other must.
const Other = "other"

// Viewer is one principal the suite reads as. Name is its username: the
// role's name for one user per role, and Other.
type Viewer struct {
	Name string
	P    auth.Principal
}

// Names lists the viewers the suite creates: one user per role, named
// after it, and Other (a requester).
func Names() []string {
	names := make([]string, 0, len(auth.AllRoles)+1)
	for _, r := range auth.AllRoles {
		names = append(names, string(r))
	}
	return append(names, Other)
}

// Staff names the viewers of every role but requester: those who see the
// whole CMDB and directory, and the names in more.
func Staff(more ...string) []string {
	var names []string
	for _, r := range auth.AllRoles {
		if r != auth.RoleRequester {
			names = append(names, string(r))
		}
	}
	return append(names, more...)
}

// RoleOf is the role of the viewer named name.
func RoleOf(name string) auth.Role {
	if name == Other {
		return auth.RoleRequester
	}
	return auth.Role(name)
}

// Users creates the users of Names (each with the one role its name says,
// members of the given teams) and returns them as they sign in: with their
// roles, ids and teams, as a request would carry them.
func Users(t testing.TB, ctx context.Context, svc *auth.Service, teams map[string][]string) []Viewer {
	t.Helper()
	var out []Viewer
	for _, name := range Names() {
		if _, err := svc.CreateUser(ctx, auth.System, auth.NewUser{Username: name, Password: Password,
			Roles: []auth.Role{RoleOf(name)}, Teams: teams[name]}); err != nil {
			t.Fatalf("create viewer %s: %v", name, err)
		}
		token, _, err := svc.CreateToken(ctx, auth.System, name, "visibility suite", nil)
		if err != nil {
			t.Fatalf("token for %s: %v", name, err)
		}
		p, err := svc.TokenPrincipal(ctx, token)
		if err != nil {
			t.Fatalf("principal of %s: %v", name, err)
		}
		out = append(out, Viewer{Name: name, P: p})
	}
	return out
}

// Kind is one record kind's part of the suite: its marked record, who may
// see it, and every query method that could show it.
type Kind struct {
	// Name says which record, e.g. "CI owned by other".
	Name string
	// Marker is unique text the record carries (in its title or name),
	// found nowhere else in the database.
	Marker string
	// Sees names the viewers allowed to see the record; every other
	// viewer must not see it through any Read.
	Sees []string
	// Reads are the kind's query methods.
	Reads []Read
}

// Read is one query method. Shown runs it as v and reports whether the
// marked record showed in the answer: its marker in the items, a total or
// facet count that includes it, a key lookup that found it. A viewer the
// method refuses (Forbidden) or a record it does not find (NotFound) is
// "not shown"; any other error fails t.
type Read struct {
	Name  string
	Shown func(t *testing.T, v Viewer) bool
}

// Run runs every Read of every kind as every viewer and checks the record
// shows exactly to the viewers its kind names.
func Run(t *testing.T, viewers []Viewer, kinds ...Kind) {
	t.Helper()
	for _, k := range kinds {
		for _, name := range k.Sees {
			if !slices.ContainsFunc(viewers, func(v Viewer) bool { return v.Name == name }) {
				t.Fatalf("%s: viewer %s is not among the viewers", k.Name, name)
			}
		}
		if len(k.Reads) == 0 {
			t.Fatalf("%s has no reads", k.Name)
		}
		t.Run(k.Name, func(t *testing.T) {
			for _, r := range k.Reads {
				t.Run(r.Name, func(t *testing.T) {
					for _, v := range viewers {
						want := slices.Contains(k.Sees, v.Name)
						if got := r.Shown(t, v); got != want {
							t.Errorf("%s as %s: shown %v, want %v", r.Name, v.Name, got, want)
						}
					}
				})
			}
		})
	}
}

// Contains reports whether marker appears anywhere in v, as JSON (or as
// is, for a string or bytes).
func Contains(marker string, v any) bool {
	switch s := v.(type) {
	case string:
		return strings.Contains(s, marker)
	case []byte:
		return strings.Contains(string(s), marker)
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("visibilitytest: " + err.Error())
	}
	return strings.Contains(string(b), marker)
}

// InView runs a store-level read: fn on a read-only unit of work of b,
// reporting whether the record showed; a NotFound or Forbidden error is
// "not shown" (see Hidden).
func InView[T any](t *testing.T, b store.Bound[T], fn func(T) (bool, error)) bool {
	t.Helper()
	var shown bool
	err := b.View(context.Background(), func(tx T) (err error) {
		shown, err = fn(tx)
		return err
	})
	if Hidden(t, err) {
		return false
	}
	return shown
}

// Hidden turns a query's error into "not shown": NotFound and Forbidden
// hide the record (true); nil is false; anything else fails t.
func Hidden(t *testing.T, err error) bool {
	t.Helper()
	switch {
	case err == nil:
		return false
	case errs.Is(err, errs.NotFound), errs.Is(err, errs.Forbidden):
		return true
	}
	t.Fatalf("query failed: %v", err)
	return true
}

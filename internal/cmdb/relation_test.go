package cmdb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestRelations(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		app := e.mustCreate(cmdb.CI{Name: "shop", Kind: cmdb.KindApplication})
		vm := e.mustCreate(cmdb.CI{Name: "vm-1", Kind: cmdb.KindVirtualMachine})
		r := e.mustRelate(app.Key, "runs_on", strings.ToLower(vm.Key))
		if r.ID == 0 || r.Source != app.Key || r.Target != vm.Key || r.CreatedAt.IsZero() {
			t.Fatalf("relation = %+v", r)
		}
		invalid := []struct {
			name string
			r    cmdb.Relation
			kind errs.Kind
			fld  string
		}{
			{"self loop", cmdb.Relation{Source: app.Key, Type: cmdb.RelDependsOn, Target: app.Key}, errs.Invalid, "target"},
			{"unknown type", cmdb.Relation{Source: app.Key, Type: "likes", Target: vm.Key}, errs.Invalid, "type"},
			{"missing source", cmdb.Relation{Type: cmdb.RelDependsOn, Target: vm.Key}, errs.Invalid, "source"},
			{"unknown target", cmdb.Relation{Source: app.Key, Type: cmdb.RelDependsOn, Target: "CI-404"}, errs.Invalid, "target"},
			{"duplicate", cmdb.Relation{Source: app.Key, Type: cmdb.RelRunsOn, Target: vm.Key}, errs.Conflict, ""},
		}
		for _, tt := range invalid {
			t.Run(tt.name, func(t *testing.T) {
				_, err := e.svc.AddRelation(e.ctx, e.admin, tt.r)
				wantKind(t, err, tt.kind)
				if tt.fld != "" && !hasField(err, tt.fld) {
					t.Fatalf("err = %v, want field %s", err, tt.fld)
				}
			})
		}
		// The same pair with another type is a different relation.
		e.mustRelate(app.Key, "depends_on", vm.Key)
		for _, key := range []string{app.Key, vm.Key} {
			rels, err := e.svc.FindRelations(e.ctx, e.agent, key)
			if err != nil || len(rels) != 2 {
				t.Fatalf("relations of %s = %+v, %v", key, rels, err)
			}
		}
		if err := e.svc.DeleteRelation(e.ctx, e.agent, r.ID); err != nil {
			t.Fatal(err)
		}
		wantKind(t, e.svc.DeleteRelation(e.ctx, e.agent, r.ID), errs.NotFound)
		entries := e.auditFor(cmdb.AuditKindRelation, app.Key+" runs_on "+vm.Key)
		if len(entries) != 2 || entries[0].Action != "create" || entries[1].Action != "delete" {
			t.Fatalf("relation audit = %+v", entries)
		}
		// Deleting a CI removes its relations and audits each.
		if err := e.svc.DeleteCI(e.ctx, e.admin, vm.Key); err != nil {
			t.Fatal(err)
		}
		if n := e.count("ci_relations"); n != 0 {
			t.Fatalf("%d relations survive their CI", n)
		}
		if got := e.auditFor(cmdb.AuditKindRelation, app.Key+" depends_on "+vm.Key); len(got) != 2 || got[1].Action != "delete" {
			t.Fatalf("cascaded relation audit = %+v", got)
		}
	})
}

// estate builds:
//
//	payments (service) -depends_on-> shop (app) -runs_on-> vm-1 -hosted_on-> host-1 -connects_to-> switch-1
//	reporting (service) -depends_on-> shop
//	shop -depends_on-> db (database) -runs_on-> vm-2 -hosted_on-> host-1
//	switch-1 -connects_to-> switch-2 -connects_to-> switch-1 (a cycle)
//	vm-1 -depends_on-> shop (a cycle through the app)
func estate(e *env) map[string]string {
	keys := map[string]string{}
	for _, c := range []struct {
		name string
		kind cmdb.Kind
	}{
		{"payments", cmdb.KindBusinessService}, {"reporting", cmdb.KindBusinessService}, {"shop", cmdb.KindApplication},
		{"db", cmdb.KindDatabase}, {"vm-1", cmdb.KindVirtualMachine}, {"vm-2", cmdb.KindVirtualMachine},
		{"host-1", cmdb.KindServer}, {"switch-1", cmdb.KindNetworkDevice}, {"switch-2", cmdb.KindNetworkDevice},
	} {
		keys[c.name] = e.mustCreate(cmdb.CI{Name: c.name, Kind: c.kind}).Key
	}
	for _, r := range [][3]string{
		{"payments", "depends_on", "shop"}, {"reporting", "depends_on", "shop"}, {"shop", "runs_on", "vm-1"},
		{"vm-1", "hosted_on", "host-1"}, {"host-1", "connects_to", "switch-1"}, {"shop", "depends_on", "db"},
		{"db", "runs_on", "vm-2"}, {"vm-2", "hosted_on", "host-1"}, {"switch-1", "connects_to", "switch-2"},
		{"switch-2", "connects_to", "switch-1"}, {"vm-1", "depends_on", "shop"},
	} {
		e.mustRelate(keys[r[0]], r[1], keys[r[2]])
	}
	return keys
}

func TestImpact(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		k := estate(e)
		names := map[string]string{}
		for n, key := range k {
			names[key] = n
		}
		path := func(p []string) string {
			var out []string
			for _, key := range p {
				out = append(out, names[key])
			}
			return strings.Join(out, ">")
		}
		tests := []struct {
			name      string
			root      string
			dir       cmdb.Direction
			depth     int
			nodes     []string // "name@depth:path"
			services  []string
			edges     int
			truncated bool
		}{
			{"switch failure reaches both services", "switch-1", "", 0, []string{
				"host-1@1:switch-1>host-1", "switch-2@1:switch-1>switch-2",
				"vm-1@2:switch-1>host-1>vm-1", "vm-2@2:switch-1>host-1>vm-2",
				"shop@3:switch-1>host-1>vm-1>shop", "db@3:switch-1>host-1>vm-2>db",
				"payments@4:switch-1>host-1>vm-1>shop>payments", "reporting@4:switch-1>host-1>vm-1>shop>reporting",
			}, []string{"payments", "reporting"}, 11, false},
			{"depth cap truncates", "switch-1", cmdb.Downstream, 2, []string{
				"host-1@1:switch-1>host-1", "switch-2@1:switch-1>switch-2",
				"vm-1@2:switch-1>host-1>vm-1", "vm-2@2:switch-1>host-1>vm-2",
			}, nil, 5, true},
			{"exact depth is not truncated", "vm-2", cmdb.Downstream, 3, []string{
				"db@1:vm-2>db", "shop@2:vm-2>db>shop", "payments@3:vm-2>db>shop>payments",
				"reporting@3:vm-2>db>shop>reporting", "vm-1@3:vm-2>db>shop>vm-1",
			}, []string{"payments", "reporting"}, 5, false},
			// No direction: a business service opens on what it is built on.
			{"upstream: what a service is built on", "payments", "", 0, []string{
				"shop@1:payments>shop", "vm-1@2:payments>shop>vm-1", "db@2:payments>shop>db",
				"host-1@3:payments>shop>vm-1>host-1", "vm-2@3:payments>shop>db>vm-2",
				"switch-1@4:payments>shop>vm-1>host-1>switch-1", "switch-2@5:payments>shop>vm-1>host-1>switch-1>switch-2",
			}, nil, 10, false},
			{"leaf service has no dependants", "payments", cmdb.Downstream, 0, nil, nil, 0, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				imp, err := e.svc.Impact(e.ctx, e.agent, k[tt.root], tt.dir, tt.depth)
				if err != nil {
					t.Fatal(err)
				}
				var got, services []string
				for _, n := range imp.Nodes {
					got = append(got, fmt.Sprintf("%s@%d:%s", n.CI.Name, n.Depth, path(n.Path)))
				}
				for _, n := range imp.Services {
					services = append(services, n.CI.Name)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.nodes) {
					t.Errorf("nodes\n got %q\nwant %q", got, tt.nodes)
				}
				if fmt.Sprint(services) != fmt.Sprint(tt.services) {
					t.Errorf("services = %q, want %q", services, tt.services)
				}
				if len(imp.Edges) != tt.edges || imp.Truncated != tt.truncated {
					t.Errorf("%d edges truncated=%v, want %d, %v", len(imp.Edges), imp.Truncated, tt.edges, tt.truncated)
				}
				if imp.Root.Name != tt.root || imp.Direction == "" {
					t.Errorf("root %+v direction %q", imp.Root, imp.Direction)
				}
				for _, ed := range imp.Edges {
					if ed.Source == "" || ed.Target == "" || ed.Type == "" {
						t.Errorf("edge without keys: %+v", ed)
					}
				}
			})
		}
		invalid := []struct {
			name  string
			dir   cmdb.Direction
			depth int
			field string
		}{
			{"direction", "sideways", 0, "direction"},
			{"depth too deep", cmdb.Downstream, 51, "depth"},
			{"depth negative", cmdb.Downstream, -1, "depth"},
		}
		for _, tt := range invalid {
			t.Run("invalid/"+tt.name, func(t *testing.T) {
				_, err := e.svc.Impact(e.ctx, e.agent, k["shop"], tt.dir, tt.depth)
				wantKind(t, err, errs.Invalid)
				if !hasField(err, tt.field) {
					t.Fatalf("err = %v", err)
				}
			})
		}
		_, err := e.svc.Impact(e.ctx, e.agent, "CI-999", "", 0)
		wantKind(t, err, errs.NotFound)
	})
}

package cmdb_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestCreateCIValidation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		valid := []struct {
			name  string
			in    cmdb.CI
			check func(t *testing.T, got cmdb.CI)
		}{
			{"defaults applied", cmdb.CI{Name: " web-01 ", Kind: cmdb.KindServer}, func(t *testing.T, got cmdb.CI) {
				if got.Name != "web-01" || got.Criticality != 3 || got.DataClassification != "internal" ||
					got.LifecycleStatus != "operational" || got.Version != 1 || got.Key == "" {
					t.Errorf("got %+v", got)
				}
			}},
			{"long text keeps line breaks and tabs", cmdb.CI{Name: "a\tb", Kind: cmdb.KindServer, Description: "line 1\n\tline 2",
				Attributes: map[string]any{"motd": "Welcome\nto x"}}, func(t *testing.T, got cmdb.CI) {
				if got.Description != "line 1\n\tline 2" || got.Name != "a\tb" || got.Attributes["motd"] != "Welcome\nto x" {
					t.Errorf("got %+v", got)
				}
			}},
			{"environment trimmed and lower-cased", cmdb.CI{Name: "db", Kind: cmdb.KindDatabase, Environment: " Production "}, func(t *testing.T, got cmdb.CI) {
				if got.Environment != "production" {
					t.Errorf("environment = %q", got.Environment)
				}
			}},
			{"owner and support group resolved", cmdb.CI{Name: "laptop", Kind: cmdb.KindEndpoint, Owner: "alice", SupportGroup: "NOC"}, func(t *testing.T, got cmdb.CI) {
				if got.Owner != "alice" || got.OwnerID != e.alice.UserID || got.SupportGroup != "NOC" || got.SupportGroupID == 0 {
					t.Errorf("owner %q/%d group %q/%d", got.Owner, got.OwnerID, got.SupportGroup, got.SupportGroupID)
				}
			}},
			{"identifiers normalised", cmdb.CI{Name: "h", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{
				IPs: []string{"2001:DB8::0:1", "10.1.1.1"}, MACs: []string{"AA-BB-CC-DD-EE-FF"}, Hostnames: []string{"H1"}}},
				func(t *testing.T, got cmdb.CI) {
					want := cmdb.Identifiers{IPs: []string{"2001:db8::1", "10.1.1.1"}, MACs: []string{"aa:bb:cc:dd:ee:ff"}, Hostnames: []string{"h1"}}
					if !reflect.DeepEqual(got.Identifiers, want) {
						t.Errorf("identifiers = %+v", got.Identifiers)
					}
				}},
			{"tags trimmed, deduplicated, sorted", cmdb.CI{Name: "t", Kind: cmdb.KindServer, Tags: []string{" pci ", "linux", "pci", ""}}, func(t *testing.T, got cmdb.CI) {
				if !reflect.DeepEqual(got.Tags, []string{"linux", "pci"}) {
					t.Errorf("tags = %q", got.Tags)
				}
			}},
			{"attributes any JSON object", cmdb.CI{Name: "a", Kind: cmdb.KindApplication, Attributes: map[string]any{"ports": []int{22, 443}, "os": map[string]any{"name": "debian"}}}, func(t *testing.T, got cmdb.CI) {
				if got.Attributes["ports"].([]any)[1] != 443.0 {
					t.Errorf("attributes = %v", got.Attributes)
				}
			}},
			{"every field", cmdb.CI{Name: "svc", Kind: cmdb.KindBusinessService, Criticality: 5, DataClassification: "Restricted",
				LifecycleStatus: "in_build", InternetExposed: true, Supplier: " ACME ", Description: "payments"}, func(t *testing.T, got cmdb.CI) {
				if got.Criticality != 5 || got.DataClassification != "restricted" || got.LifecycleStatus != "in_build" || !got.InternetExposed || got.Supplier != "ACME" {
					t.Errorf("got %+v", got)
				}
			}},
		}
		for _, tt := range valid {
			t.Run("valid/"+tt.name, func(t *testing.T) {
				got, err := e.svc.CreateCI(e.ctx, e.admin, tt.in)
				if err != nil {
					t.Fatal(err)
				}
				tt.check(t, got)
				stored, err := e.svc.FindCIByKey(e.ctx, e.admin, got.Key)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(stored, got) {
					t.Errorf("stored %+v\nreturned %+v", stored, got)
				}
			})
		}

		invalid := []struct {
			name  string
			in    cmdb.CI
			field string
		}{
			{"name required", cmdb.CI{Name: "  ", Kind: cmdb.KindServer}, "name"},
			{"kind required", cmdb.CI{Name: "x"}, "kind"},
			{"kind unknown", cmdb.CI{Name: "x", Kind: "toaster"}, "kind"},
			{"criticality too high", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Criticality: 6}, "business_criticality"},
			{"criticality negative", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Criticality: -1}, "business_criticality"},
			{"classification unknown", cmdb.CI{Name: "x", Kind: cmdb.KindServer, DataClassification: "secret"}, "data_classification"},
			{"lifecycle unknown", cmdb.CI{Name: "x", Kind: cmdb.KindServer, LifecycleStatus: "zombie"}, "lifecycle_status"},
			{"owner unknown", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Owner: "nobody"}, "owner"},
			{"support group unknown", cmdb.CI{Name: "x", Kind: cmdb.KindServer, SupportGroup: "Ghosts"}, "support_group"},
			{"bad second ip", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.1", "10.0.0"}}}, "identifiers.ips[1]"},
			{"bad mac", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{MACs: []string{"01:02"}}}, "identifiers.macs[0]"},
			{"bad hostname", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{Hostnames: []string{"a b"}}}, "identifiers.hostnames[0]"},
			{"fqdn without dot", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{FQDNs: []string{"db"}}}, "identifiers.fqdns[0]"},
			{"attributes too large", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Attributes: map[string]any{"blob": strings.Repeat("x", 70<<10)}}, "attributes"},
			{"attributes not JSON", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Attributes: map[string]any{"f": func() {}}}, "attributes"},
			// Text the same on both engines: PostgreSQL would fail on NUL
			// and bytes that are not UTF-8, SQLite would store them.
			{"NUL in name", cmdb.CI{Name: "web\x00", Kind: cmdb.KindServer}, "name"},
			{"ESC in description", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Description: "\x1b[2J"}, "description"},
			{"CR in description", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Description: "a\r\nb"}, "description"},
			{"line break in name", cmdb.CI{Name: "a\nb", Kind: cmdb.KindServer}, "name"},
			{"invalid UTF-8 in environment", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Environment: "pro\xffd"}, "environment"},
			{"NUL in owner (looked up by name)", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Owner: "al\x00ice"}, "owner"},
			{"invalid UTF-8 in support group", cmdb.CI{Name: "x", Kind: cmdb.KindServer, SupportGroup: "NOC\xff"}, "support_group"},
			{"C1 control in supplier", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Supplier: "a\u009b"}, "supplier"},
			{"NUL in tag", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Tags: []string{"ok", "b\x00d"}}, "tags[1]"},
			{"C1 control in serial", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{Serial: "S\u0085N"}}, "identifiers.serial"},
			{"NUL in attribute value", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Attributes: map[string]any{"os": map[string]any{"name": "x\x00"}}}, "attributes.os.name"},
			{"NUL in attribute key", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Attributes: map[string]any{"a\x00": "x"}}, `attributes.a\u0000`},
			{"ESC in attribute list", cmdb.CI{Name: "x", Kind: cmdb.KindServer, Attributes: map[string]any{"ports": []any{"22", "\x1b"}}}, "attributes.ports[1]"},
		}
		for _, tt := range invalid {
			t.Run("invalid/"+tt.name, func(t *testing.T) {
				before := e.count("cis")
				_, err := e.svc.CreateCI(e.ctx, e.admin, tt.in)
				wantKind(t, err, errs.Invalid)
				if !hasField(err, tt.field) {
					t.Fatalf("err = %v, want a field error on %s", err, tt.field)
				}
				if e.count("cis") != before {
					t.Fatal("an invalid CI was stored")
				}
			})
		}
	})
}

func TestCreateCIReportsEveryProblemAtOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, err := e.svc.CreateCI(e.ctx, e.admin, cmdb.CI{Kind: "nope", Criticality: 9, Owner: "ghost",
			Identifiers: cmdb.Identifiers{IPs: []string{"x"}}})
		for _, f := range []string{"name", "kind", "business_criticality", "owner", "identifiers.ips[0]"} {
			if !hasField(err, f) {
				t.Errorf("err = %v, want a field error on %s", err, f)
			}
		}
	})
}

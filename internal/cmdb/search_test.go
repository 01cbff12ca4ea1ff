package cmdb_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// searchNames runs a search as p and returns the names found, in list
// order, failing when the total disagrees with the items.
func (e *env) searchNames(p auth.Principal, query string) []string {
	e.t.Helper()
	page, err := e.svc.FindCIs(e.ctx, p, cmdb.Filter{Query: query, Limit: 500})
	if err != nil {
		e.t.Fatalf("search %q: %v", query, err)
	}
	names := []string{}
	for _, ci := range page.Items {
		names = append(names, ci.Name)
	}
	if page.Total != len(names) {
		e.t.Fatalf("search %q: total %d, %d items", query, page.Total, len(names))
	}
	return names
}

// TestSearchMatchesSubstrings: words typed in the search box are found
// anywhere in a CI's name and identifiers, in any case; words too short
// for the trigram index fall back to matching the start.
func TestSearchMatchesSubstrings(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		portal := e.mustCreate(cmdb.CI{Name: "Online Banking", Kind: cmdb.KindBusinessService})
		e.mustCreate(cmdb.CI{Name: "core-banking-db", Kind: cmdb.KindDatabase,
			Identifiers: cmdb.Identifiers{FQDNs: []string{"cbdb.prod.example.net"}, IPs: []string{"10.40.12.7"}}})
		e.mustCreate(cmdb.CI{Name: "core-sw-01", Kind: cmdb.KindNetworkDevice,
			Identifiers: cmdb.Identifiers{Hostnames: []string{"core-sw-01"}, MACs: []string{"00:1b:44:11:3a:b7"}, Serial: "FOC1234X9ZQ"}})
		e.mustCreate(cmdb.CI{Name: "db-primary", Kind: cmdb.KindDatabase,
			Identifiers: cmdb.Identifiers{CloudID: "arn:aws:rds:eu-west-1:123456789012:db:Orders"}})
		e.mustCreate(cmdb.CI{Name: `50% "quoted" web_app`, Kind: cmdb.KindApplication})
		tests := []struct {
			name, query string
			want        []string
		}{
			{"word inside a name", "banking", []string{"core-banking-db", "Online Banking"}},
			{"any case", "BANKING", []string{"core-banking-db", "Online Banking"}},
			{"end of a name", "sw-01", []string{"core-sw-01"}},
			{"middle of a name", "re-ban", []string{"core-banking-db"}},
			{"two words in any order", "banking online", []string{"Online Banking"}},
			{"a long and a short word", "core db", []string{"core-banking-db"}},
			{"middle of an FQDN", "prod.example", []string{"core-banking-db"}},
			{"middle of an IP", "40.12", []string{"core-banking-db"}},
			{"middle of a MAC", "44:11:3a", []string{"core-sw-01"}},
			{"serial any case", "1234x9", []string{"core-sw-01"}},
			{"cloud id", "db:orders", []string{"db-primary"}},
			{"exact key", portal.Key, []string{"Online Banking"}},
			{"quotes and wildcards literally", `"quoted" web_`, []string{`50% "quoted" web_app`}},
			{"percent literally", "50%", []string{`50% "quoted" web_app`}},
			{"words never span a name and an identifier", "db cbdb.prod", []string{"core-banking-db"}},
			{"no match across lines", "-dbcbdb", []string{}},
			{"short query: start of a name", "db", []string{"db-primary"}},
			{"short query: start of an identifier", "10", []string{"core-banking-db"}},
			{"no match", "mainframe", []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := e.searchNames(e.agent, tt.query)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Fatalf("search %q = %q, want %q", tt.query, got, tt.want)
				}
			})
		}
	})
}

// TestSearchFollowsWrites: the search index follows creates, renames,
// identifier changes, deletes and imports in the same transaction.
func TestSearchFollowsWrites(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ci := e.mustCreate(cmdb.CI{Name: "payments-api", Kind: cmdb.KindApplication,
			Identifiers: cmdb.Identifiers{Hostnames: []string{"pay-host-7"}}})
		steps := []struct {
			name  string
			write func()
			query string
			want  []string
		}{
			{"created", func() {}, "ments-a", []string{"payments-api"}},
			{"renamed: old name gone", func() {
				if _, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Name: ptr("billing-gateway")}); err != nil {
					t.Fatal(err)
				}
			}, "ments-a", []string{}},
			{"renamed: new name found", func() {}, "ling-gate", []string{"billing-gateway"}},
			{"identifiers kept through a rename", func() {}, "host-7", []string{"billing-gateway"}},
			{"identifier replaced: old gone", func() {
				ids := cmdb.Identifiers{IPs: []string{"192.168.77.5"}}
				if _, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Identifiers: &ids}); err != nil {
					t.Fatal(err)
				}
			}, "host-7", []string{}},
			{"identifier replaced: new found", func() {}, "168.77", []string{"billing-gateway"}},
			{"unrelated field changed: still found", func() {
				if _, err := e.svc.UpdateCI(e.ctx, e.admin, ci.Key, cmdb.Update{Description: ptr("card payments")}); err != nil {
					t.Fatal(err)
				}
			}, "gateway", []string{"billing-gateway"}},
			{"deleted", func() {
				if err := e.svc.DeleteCI(e.ctx, e.admin, ci.Key); err != nil {
					t.Fatal(err)
				}
			}, "gateway", []string{}},
			{"imported", func() {
				name, kind := "edge-fw-east", cmdb.KindNetworkDevice
				if _, err := e.svc.Import(e.ctx, auth.System, cmdb.ImportRequest{Format: "json", Candidates: []cmdb.Candidate{{
					Row: 1, Label: name, Identifiers: cmdb.Identifiers{Hostnames: []string{name}, IPs: []string{"172.16.9.1"}},
					Fields: cmdb.Update{Name: &name, Kind: &kind}}}}); err != nil {
					t.Fatal(err)
				}
			}, "fw-ea", []string{"edge-fw-east"}},
			{"re-imported with a new name", func() {
				name := "edge-firewall-east"
				if _, err := e.svc.Import(e.ctx, auth.System, cmdb.ImportRequest{Format: "json", Candidates: []cmdb.Candidate{{
					Row: 1, Label: name, Identifiers: cmdb.Identifiers{IPs: []string{"172.16.9.1"}},
					Fields: cmdb.Update{Name: &name}}}}); err != nil {
					t.Fatal(err)
				}
			}, "firewall-ea", []string{"edge-firewall-east"}},
		}
		for _, s := range steps {
			s.write()
			if got := e.searchNames(e.agent, s.query); !slices.Equal(got, s.want) {
				t.Fatalf("%s: search %q = %q, want %q", s.name, s.query, got, s.want)
			}
		}
	})
}

package e2e_test

import (
	"context"
	"testing"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// seed fills the CMDB with a small, realistic estate and returns the keys
// of its CIs by name.
func seed(t *testing.T, a *app.App) map[string]string {
	t.Helper()
	ctx := context.Background()
	for _, team := range []string{"Service Desk", "NOC", "SOC", "DBA", "Platform"} {
		if _, err := a.Auth.CreateTeam(ctx, auth.System, auth.Team{Name: team}); err != nil {
			t.Fatal(err)
		}
	}
	cis := []cmdb.CI{
		{Name: "Online shop", Kind: cmdb.KindBusinessService, Criticality: 5, SupportGroup: "Service Desk", Environment: "production", InternetExposed: true},
		{Name: "Mobile banking", Kind: cmdb.KindBusinessService, Criticality: 5, SupportGroup: "Service Desk", Environment: "production", InternetExposed: true},
		{Name: "Partner portal", Kind: cmdb.KindBusinessService, Criticality: 3, SupportGroup: "Service Desk", Environment: "production"},
		{Name: "checkout-api", Kind: cmdb.KindApplication, Criticality: 4, SupportGroup: "Platform", Environment: "production", Tags: []string{"pci"}},
		{Name: "mobile-gateway", Kind: cmdb.KindApplication, Criticality: 4, SupportGroup: "Platform", Environment: "production", InternetExposed: true},
		{Name: "db-vm-01", Kind: cmdb.KindVirtualMachine, Criticality: 4, SupportGroup: "Platform", Environment: "production", Identifiers: cmdb.Identifiers{IPs: []string{"10.20.0.11"}}},
		{Name: "esx-cluster-a", Kind: cmdb.KindCluster, Criticality: 5, SupportGroup: "Platform", Environment: "production"},
		{Name: "core-sw-01", Kind: cmdb.KindNetworkDevice, Criticality: 5, SupportGroup: "NOC", Environment: "production", Identifiers: cmdb.Identifiers{IPs: []string{"10.0.0.1"}}},
		{Name: "edge-fw-01", Kind: cmdb.KindNetworkDevice, Criticality: 5, SupportGroup: "NOC", Environment: "production", InternetExposed: true},
		{Name: "Okta", Kind: cmdb.KindIdentityProvider, Criticality: 5, SupportGroup: "SOC", Supplier: "Okta", Environment: "production"},
		{Name: "siem-collector", Kind: cmdb.KindServer, Criticality: 3, SupportGroup: "SOC", Environment: "production"},
		{Name: "jira-cloud", Kind: cmdb.KindSaaSApplication, Criticality: 2, SupportGroup: "Service Desk", Supplier: "Atlassian"},
		{Name: "laptop-ann", Kind: cmdb.KindEndpoint, Criticality: 1, SupportGroup: "Service Desk", Environment: "production"},
		{Name: "staging-web-01", Kind: cmdb.KindServer, Criticality: 2, SupportGroup: "Platform", Environment: "staging"},
		{Name: "s3-invoices", Kind: cmdb.KindCloudResource, Criticality: 4, SupportGroup: "Platform", Environment: "production", Identifiers: cmdb.Identifiers{CloudID: "arn:aws:s3:::invoices"}},
	}
	keys := map[string]string{}
	for _, ci := range cis {
		created, err := a.CMDB.CreateCI(ctx, auth.System, ci)
		if err != nil {
			t.Fatalf("create %s: %v", ci.Name, err)
		}
		keys[ci.Name] = created.Key
	}
	for _, r := range [][3]string{
		{"Online shop", "depends_on", "checkout-api"},
		{"Mobile banking", "depends_on", "mobile-gateway"},
		{"mobile-gateway", "depends_on", "checkout-api"},
		{"Partner portal", "depends_on", "checkout-api"},
		{"checkout-api", "depends_on", "Okta"},
		{"checkout-api", "runs_on", "db-vm-01"},
		{"db-vm-01", "hosted_on", "esx-cluster-a"},
		{"esx-cluster-a", "connects_to", "core-sw-01"},
		{"core-sw-01", "connects_to", "edge-fw-01"},
	} {
		rel := cmdb.Relation{Source: keys[r[0]], Type: cmdb.RelationType(r[1]), Target: keys[r[2]]}
		if _, err := a.CMDB.AddRelation(ctx, auth.System, rel); err != nil {
			t.Fatalf("relate %v: %v", r, err)
		}
	}
	return keys
}

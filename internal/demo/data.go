package demo

import (
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

var teams = []auth.Team{
	{Name: "Service Desk", Description: "First line: requests, incidents, triage", Email: "servicedesk@example.org"},
	{Name: "NOC", Description: "Network and infrastructure operations", Email: "noc@example.org"},
	{Name: "SOC", Description: "Security operations: detection and response", Email: "soc@example.org"},
	{Name: "CAB", Description: "Change advisory board", Email: "cab@example.org"},
	{Name: "Platform Engineering", Description: "Kubernetes, virtualisation, cloud", Email: "platform@example.org"},
	{Name: "Database Administration", Description: "PostgreSQL and Oracle estates", Email: "dba@example.org"},
}

var people = []auth.NewUser{
	{Username: "alice", DisplayName: "Alice Martin", Email: "alice@example.org", Roles: []auth.Role{auth.RoleAgent}, Teams: []string{"Service Desk", "NOC"}},
	{Username: "bob", DisplayName: "Bob Okafor", Email: "bob@example.org", Roles: []auth.Role{auth.RoleSecurityAnalyst}, Teams: []string{"SOC"}},
	{Username: "carol", DisplayName: "Carol Weiss", Email: "carol@example.org", Roles: []auth.Role{auth.RoleAuditor}},
	{Username: "dave", DisplayName: "Dave Lindqvist", Email: "dave@example.org", Roles: []auth.Role{auth.RoleRequester}},
	{Username: "erin", DisplayName: "Erin Tanaka", Email: "erin@example.org", Roles: []auth.Role{auth.RoleChangeManager}, Teams: []string{"CAB"}},
	{Username: "frank", DisplayName: "Frank Moreau", Email: "frank@example.org", Roles: []auth.Role{auth.RoleApprover, auth.RoleAgent}, Teams: []string{"CAB", "Platform Engineering"}},
	{Username: "grace", DisplayName: "Grace Ito", Email: "grace@example.org", Roles: []auth.Role{auth.RoleAgent}, Teams: []string{"Database Administration"}},
}

func ci(name string, kind cmdb.Kind, crit int, env, owner, group string, exposed bool, ids cmdb.Identifiers, tags ...string) cmdb.CI {
	return cmdb.CI{Name: name, Kind: kind, Criticality: crit, Environment: env, Owner: owner, SupportGroup: group,
		InternetExposed: exposed, Identifiers: ids, Tags: tags, DataClassification: "internal", LifecycleStatus: "operational"}
}

func host(hostname, ip string) cmdb.Identifiers {
	return cmdb.Identifiers{Hostnames: []string{hostname}, FQDNs: []string{hostname + ".corp.example.org"}, IPs: []string{ip}}
}

var estate = []cmdb.CI{
	ci("Online Banking", cmdb.KindBusinessService, 5, "production", "frank", "Service Desk", true, cmdb.Identifiers{}, "customer-facing", "pci"),
	ci("Payroll", cmdb.KindBusinessService, 4, "production", "erin", "Service Desk", false, cmdb.Identifiers{}, "hr"),
	ci("Corporate Email", cmdb.KindBusinessService, 4, "production", "alice", "Service Desk", false, cmdb.Identifiers{}),
	ci("Customer Support Portal", cmdb.KindBusinessService, 3, "production", "alice", "Service Desk", true, cmdb.Identifiers{}, "customer-facing"),
	ci("banking-web", cmdb.KindApplication, 5, "production", "frank", "Platform Engineering", true, cmdb.Identifiers{FQDNs: []string{"www.bank.example.org"}}, "pci"),
	ci("banking-api", cmdb.KindApplication, 5, "production", "frank", "Platform Engineering", false, cmdb.Identifiers{FQDNs: []string{"api.bank.example.org"}}, "pci"),
	ci("payroll-app", cmdb.KindApplication, 4, "production", "erin", "Platform Engineering", false, cmdb.Identifiers{}),
	ci("support-portal", cmdb.KindApplication, 3, "production", "alice", "Platform Engineering", true, cmdb.Identifiers{FQDNs: []string{"support.example.org"}}),
	ci("core-banking-db", cmdb.KindDatabase, 5, "production", "grace", "Database Administration", false, cmdb.Identifiers{}, "pci", "postgresql"),
	ci("payroll-db", cmdb.KindDatabase, 4, "production", "grace", "Database Administration", false, cmdb.Identifiers{}, "postgresql"),
	ci("k8s-prod", cmdb.KindCluster, 5, "production", "frank", "Platform Engineering", false, cmdb.Identifiers{CloudID: "cluster/k8s-prod"}, "kubernetes"),
	ci("k8s-node-01", cmdb.KindVirtualMachine, 4, "production", "frank", "Platform Engineering", false, host("k8s-node-01", "10.20.1.11")),
	ci("k8s-node-02", cmdb.KindVirtualMachine, 4, "production", "frank", "Platform Engineering", false, host("k8s-node-02", "10.20.1.12")),
	ci("k8s-node-03", cmdb.KindVirtualMachine, 4, "production", "frank", "Platform Engineering", false, host("k8s-node-03", "10.20.1.13")),
	ci("payroll-vm-01", cmdb.KindVirtualMachine, 4, "production", "erin", "Platform Engineering", false, host("payroll-vm-01", "10.20.2.21")),
	ci("db-01", cmdb.KindServer, 5, "production", "grace", "Database Administration", false, cmdb.Identifiers{Hostnames: []string{"db-01"}, IPs: []string{"10.20.3.31"}, Serial: "CZJ9340AB1"}),
	ci("db-02", cmdb.KindServer, 4, "production", "grace", "Database Administration", false, cmdb.Identifiers{Hostnames: []string{"db-02"}, IPs: []string{"10.20.3.32"}, Serial: "CZJ9340AB2"}),
	ci("esx-01", cmdb.KindServer, 5, "production", "frank", "Platform Engineering", false, cmdb.Identifiers{Hostnames: []string{"esx-01"}, IPs: []string{"10.20.0.5"}, MACs: []string{"00:50:56:a1:00:01"}}),
	ci("esx-02", cmdb.KindServer, 5, "production", "frank", "Platform Engineering", false, cmdb.Identifiers{Hostnames: []string{"esx-02"}, IPs: []string{"10.20.0.6"}, MACs: []string{"00:50:56:a1:00:02"}}),
	ci("core-sw-01", cmdb.KindNetworkDevice, 5, "production", "alice", "NOC", false, cmdb.Identifiers{Hostnames: []string{"core-sw-01"}, IPs: []string{"10.20.0.1"}}, "cisco"),
	ci("fw-edge-01", cmdb.KindNetworkDevice, 5, "production", "bob", "NOC", true, cmdb.Identifiers{Hostnames: []string{"fw-edge-01"}, IPs: []string{"203.0.113.10", "10.20.0.254"}}, "firewall"),
	ci("Corporate SSO", cmdb.KindIdentityProvider, 5, "production", "bob", "SOC", true, cmdb.Identifiers{FQDNs: []string{"sso.example.org"}}, "identity"),
	ci("Microsoft 365", cmdb.KindSaaSApplication, 4, "production", "alice", "Service Desk", true, cmdb.Identifiers{}),
	ci("statements-bucket", cmdb.KindCloudResource, 4, "production", "frank", "Platform Engineering", false, cmdb.Identifiers{CloudID: "arn:aws:s3:::bank-statements-prod"}, "pci"),
	ci("LT-DAVE-01", cmdb.KindEndpoint, 2, "production", "dave", "Service Desk", false, cmdb.Identifiers{Hostnames: []string{"lt-dave-01"}, Serial: "PF3XK2LM"}),
}

type link struct {
	source string
	typ    cmdb.RelationType
	target string
}

// links read "source needs target".
var links = []link{
	{"Online Banking", cmdb.RelDependsOn, "banking-web"},
	{"Online Banking", cmdb.RelDependsOn, "fw-edge-01"},
	{"banking-web", cmdb.RelDependsOn, "banking-api"},
	{"banking-web", cmdb.RelRunsOn, "k8s-prod"},
	{"banking-api", cmdb.RelRunsOn, "k8s-prod"},
	{"banking-api", cmdb.RelDependsOn, "core-banking-db"},
	{"banking-api", cmdb.RelDependsOn, "Corporate SSO"},
	{"banking-api", cmdb.RelDependsOn, "statements-bucket"},
	{"core-banking-db", cmdb.RelRunsOn, "db-01"},
	{"k8s-prod", cmdb.RelDependsOn, "k8s-node-01"},
	{"k8s-prod", cmdb.RelDependsOn, "k8s-node-02"},
	{"k8s-prod", cmdb.RelDependsOn, "k8s-node-03"},
	{"k8s-node-01", cmdb.RelHostedOn, "esx-01"},
	{"k8s-node-02", cmdb.RelHostedOn, "esx-01"},
	{"k8s-node-03", cmdb.RelHostedOn, "esx-02"},
	{"esx-01", cmdb.RelConnectsTo, "core-sw-01"},
	{"esx-02", cmdb.RelConnectsTo, "core-sw-01"},
	{"db-01", cmdb.RelConnectsTo, "core-sw-01"},
	{"db-02", cmdb.RelConnectsTo, "core-sw-01"},
	{"fw-edge-01", cmdb.RelConnectsTo, "core-sw-01"},
	{"Payroll", cmdb.RelDependsOn, "payroll-app"},
	{"payroll-app", cmdb.RelRunsOn, "payroll-vm-01"},
	{"payroll-app", cmdb.RelDependsOn, "payroll-db"},
	{"payroll-app", cmdb.RelDependsOn, "Corporate SSO"},
	{"payroll-vm-01", cmdb.RelHostedOn, "esx-02"},
	{"payroll-db", cmdb.RelRunsOn, "db-02"},
	{"Corporate Email", cmdb.RelDependsOn, "Microsoft 365"},
	{"Corporate Email", cmdb.RelDependsOn, "Corporate SSO"},
	{"Customer Support Portal", cmdb.RelDependsOn, "support-portal"},
	{"support-portal", cmdb.RelRunsOn, "k8s-prod"},
	{"support-portal", cmdb.RelDependsOn, "Corporate SSO"},
}

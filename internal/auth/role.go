package auth

import "slices"

// Role is a named set of permissions. The start set comes from DESIGN.md.
type Role string

const (
	RoleAdmin           Role = "admin"
	RoleAgent           Role = "agent"            // service desk and NOC
	RoleSecurityAnalyst Role = "security_analyst" // SOC
	RoleChangeManager   Role = "change_manager"
	RoleApprover        Role = "approver" // CAB member
	RoleAuditor         Role = "auditor"  // read-only, including the audit log's general stream
	// RoleSecurityAuditor is an auditor cleared for the security stream
	// and restricted entries of the audit log.
	RoleSecurityAuditor Role = "security_auditor"
	RoleRequester       Role = "requester"
)

// AllRoles lists every role in display order.
var AllRoles = []Role{RoleAdmin, RoleAgent, RoleSecurityAnalyst, RoleChangeManager, RoleApprover, RoleAuditor, RoleSecurityAuditor, RoleRequester}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(AllRoles, r) }

// Action is something a principal may be allowed to do.
type Action string

const (
	CIRead      Action = "ci:read"      // read configuration items (scoped: requesters see their own)
	CIWrite     Action = "ci:write"     // create, update, delete CIs and relationships
	ImportRun   Action = "import:run"   // run discovery imports
	ImportRead  Action = "import:read"  // read import reports, which name CIs across the whole CMDB
	UserRead    Action = "user:read"    // read the user and team directory (scoped: requesters see themselves)
	UserManage  Action = "user:manage"  // create and change users, teams, roles
	TokenManage Action = "token:manage" // issue API tokens for any user
	AuditRead   Action = "audit:read"   // read and export the audit log
	JobsAdmin   Action = "jobs:admin"   // see and retry dead-lettered background jobs
	// CMDBConfigure changes how the CMDB reconciles imports: the order
	// of import sources.
	CMDBConfigure Action = "cmdb:configure"

	// AuditReadRestricted reads the security stream and restricted
	// entries of the audit log, on top of AuditRead.
	AuditReadRestricted Action = "audit:read-restricted"
	// SLARead reads SLA definitions and business-hours schedules;
	// SLAManage creates and changes them.
	SLARead   Action = "sla:read"
	SLAManage Action = "sla:manage"
	// IncidentRead reads incidents (requesters: those they raised);
	// IncidentReadRestricted also every restricted (security) incident.
	IncidentRead           Action = "incident:read"
	IncidentReadRestricted Action = "incident:read-restricted"
	// IncidentReport raises an incident and comments on one the
	// principal may see (requesters: their own, through the portal).
	IncidentReport Action = "incident:report"
	// IncidentWrite works incidents: assigns, changes state and fields,
	// writes work notes, shares.
	IncidentWrite Action = "incident:write"
	// IncidentConfigure changes the incident practice's configuration,
	// such as the priority matrix.
	IncidentConfigure Action = "incident:configure"
	// MetricsRead reads GET /metrics: process and request aggregates,
	// never record content. A Prometheus scraper uses a token of a user
	// holding it, limited to auth.ScopeMetrics.
	MetricsRead Action = "metrics:read"

	// FindingRead reads vulnerability findings, remediation tasks and the
	// vulnerability dashboard: staff, who plan and do the remediation.
	FindingRead Action = "finding:read"
	// FindingWrite moves findings through their life cycle (in
	// remediation, back to open).
	FindingWrite Action = "finding:write"
	// FindingDecide takes the security decisions on a finding: accepting
	// its risk (with an approver, a reason and an expiry) or declaring it
	// a false positive.
	FindingDecide Action = "finding:decide"
)

// staff are the roles that work the desk and may read the whole CMDB.
var staff = []Role{RoleAdmin, RoleAgent, RoleSecurityAnalyst, RoleChangeManager, RoleApprover, RoleAuditor, RoleSecurityAuditor}

// grants is the permission table: which roles may take each action.
var grants = map[Action][]Role{
	CIRead:      append(slices.Clone(staff), RoleRequester),
	CIWrite:     {RoleAdmin, RoleAgent, RoleSecurityAnalyst},
	ImportRun:   {RoleAdmin, RoleAgent, RoleSecurityAnalyst},
	ImportRead:  slices.Clone(staff),
	UserRead:    append(slices.Clone(staff), RoleRequester),
	UserManage:  {RoleAdmin},
	TokenManage: {RoleAdmin},
	AuditRead:   {RoleAdmin, RoleAuditor, RoleSecurityAuditor},
	JobsAdmin:   {RoleAdmin},

	CMDBConfigure: {RoleAdmin},

	AuditReadRestricted:    {RoleAdmin, RoleSecurityAuditor},
	SLARead:                slices.Clone(staff),
	SLAManage:              {RoleAdmin},
	IncidentRead:           append(slices.Clone(staff), RoleRequester),
	IncidentReadRestricted: {RoleAdmin, RoleSecurityAnalyst},
	IncidentReport:         {RoleAdmin, RoleAgent, RoleSecurityAnalyst, RoleRequester},
	IncidentWrite:          {RoleAdmin, RoleAgent, RoleSecurityAnalyst},
	IncidentConfigure:      {RoleAdmin},
	MetricsRead:            {RoleAdmin, RoleAuditor, RoleSecurityAuditor},

	FindingRead:   slices.Clone(staff),
	FindingWrite:  {RoleAdmin, RoleAgent, RoleSecurityAnalyst},
	FindingDecide: {RoleAdmin, RoleSecurityAnalyst},
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool {
	_, ok := grants[a]
	return ok
}

// Roles lists the roles that may take action a, in AllRoles order: what
// the API document and the UI tell people, from the same table Can reads.
func (a Action) Roles() []Role {
	var out []Role
	for _, r := range AllRoles {
		if slices.Contains(grants[a], r) {
			out = append(out, r)
		}
	}
	return out
}

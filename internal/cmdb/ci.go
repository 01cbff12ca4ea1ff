package cmdb

import "time"

// Kind is the class of a configuration item.
type Kind string

const (
	KindBusinessService  Kind = "business_service"
	KindApplication      Kind = "application"
	KindServer           Kind = "server"
	KindVirtualMachine   Kind = "virtual_machine"
	KindContainer        Kind = "container"
	KindCluster          Kind = "cluster"
	KindDatabase         Kind = "database"
	KindNetworkDevice    Kind = "network_device"
	KindEndpoint         Kind = "endpoint"
	KindCloudResource    Kind = "cloud_resource"
	KindIdentityProvider Kind = "identity_provider"
	KindSaaSApplication  Kind = "saas_application"
)

// Kinds lists every CI kind in display order.
var Kinds = []Kind{KindBusinessService, KindApplication, KindServer, KindVirtualMachine, KindContainer, KindCluster,
	KindDatabase, KindNetworkDevice, KindEndpoint, KindCloudResource, KindIdentityProvider, KindSaaSApplication}

// IdentifierKind names an identifier used to match discovered assets.
type IdentifierKind string

const (
	IDHostname IdentifierKind = "hostname"
	IDFQDN     IdentifierKind = "fqdn"
	IDIP       IdentifierKind = "ip"
	IDMAC      IdentifierKind = "mac"
	IDSerial   IdentifierKind = "serial"
	IDCloud    IdentifierKind = "cloud_id"
)

// IdentifierKinds lists identifier kinds in reconciliation precedence order:
// the strongest evidence that two records are the same asset comes first.
var IdentifierKinds = []IdentifierKind{IDCloud, IDSerial, IDMAC, IDFQDN, IDHostname, IDIP}

// Identifiers are the ways a CI is recognised on the network and in clouds.
type Identifiers struct {
	Hostnames []string `json:"hostnames,omitempty"`
	FQDNs     []string `json:"fqdns,omitempty"`
	IPs       []string `json:"ips,omitempty"`
	MACs      []string `json:"macs,omitempty"`
	Serial    string   `json:"serial,omitempty"`
	CloudID   string   `json:"cloud_id,omitempty"`
}

// Data classifications, lowest to highest.
var DataClassifications = []string{"public", "internal", "confidential", "restricted"}

// Lifecycle statuses of a CI.
var LifecycleStatuses = []string{"planned", "in_build", "operational", "maintenance", "retired"}

// CI is a configuration item.
type CI struct {
	ID                 int64          `json:"-"`
	Key                string         `json:"key"` // CI-314
	Name               string         `json:"name"`
	Kind               Kind           `json:"kind"`
	Description        string         `json:"description"`
	Environment        string         `json:"environment"` // production, staging, development, test, dr
	Owner              string         `json:"owner"`       // username, "" when unowned
	SupportGroup       string         `json:"support_group"`
	Criticality        int            `json:"business_criticality"` // 1 (lowest) .. 5 (mission critical)
	DataClassification string         `json:"data_classification"`
	InternetExposed    bool           `json:"internet_exposed"`
	Supplier           string         `json:"supplier"`
	LifecycleStatus    string         `json:"lifecycle_status"`
	Identifiers        Identifiers    `json:"identifiers"`
	Tags               []string       `json:"tags"`
	Attributes         map[string]any `json:"attributes"`
	// Sources says who last set each field: a person or an import
	// source. Read-only; an import may not overwrite a field held by a
	// source ranked above its own (see Precedence).
	Sources        Sources   `json:"sources,omitempty"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	OwnerID        int64     `json:"-"`
	SupportGroupID int64     `json:"-"`
}

// RelationType is the verb of a relationship, read "source <type> target".
// In every type the source needs the target, so impact flows from target to
// source: if the target fails, the source is affected.
type RelationType string

const (
	RelDependsOn  RelationType = "depends_on"
	RelRunsOn     RelationType = "runs_on"
	RelHostedOn   RelationType = "hosted_on"
	RelConnectsTo RelationType = "connects_to"
	RelMemberOf   RelationType = "member_of"
)

// RelationTypes lists every relationship type.
var RelationTypes = []RelationType{RelDependsOn, RelRunsOn, RelHostedOn, RelConnectsTo, RelMemberOf}

// Relation is a typed edge between two CIs.
type Relation struct {
	ID        int64        `json:"id"`
	Source    string       `json:"source"` // CI key
	Type      RelationType `json:"type"`
	Target    string       `json:"target"` // CI key
	SourceID  int64        `json:"-"`
	TargetID  int64        `json:"-"`
	CreatedAt time.Time    `json:"created_at,omitzero"` // zero in impact edges, which carry only the graph
}

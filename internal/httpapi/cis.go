package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

var ciFilterParams = append([]param{
	{name: "q", typ: "string", desc: "search: CIs whose name or one of whose identifiers (host name, FQDN, IP, MAC, serial, " +
		"cloud id) contains every word of q, in any case (banking finds Online Banking and core-banking-db; sw-01 finds " +
		"core-sw-01), or whose key q is (CI-314). Words of one or two characters alone (db, 10) match the start of the " +
		"name or of an identifier instead"},
	{name: "kind", typ: "string", enum: kindNames(), desc: "only CIs of this kind"},
	{name: "environment", typ: "string", desc: "only CIs in this environment, any case, e.g. production"},
	{name: "owner", typ: "string", desc: "only CIs owned by this username (exact)"},
	{name: "support_group", typ: "string", desc: "only CIs supported by this team (exact name)"},
	{name: "tag", typ: "string", desc: "only CIs carrying this tag (exact)"},
	{name: "lifecycle_status", typ: "string", enum: cmdb.LifecycleStatuses, desc: "only CIs in this lifecycle status"},
	{name: "min_criticality", typ: "integer", desc: "only CIs with business criticality at least this, 1 to 5"},
	{name: "internet_exposed", typ: "boolean", desc: "true: only internet-exposed CIs; false: only internal ones"},
	{name: "updated_since", typ: "string", format: "date-time", desc: "only CIs changed at or after this RFC 3339 time, for incremental sync"},
	{name: "include_deleted", typ: "boolean", desc: "true: after the last CI, also list the tombstones {key, deleted_at} of CIs " +
		"deleted at or after updated_since (the other filters do not apply to them; requesters get those of CIs they owned). " +
		"Deletes are remembered for 90 days: an older updated_since is refused, and the client reads the full list again"},
	{name: "sort", typ: "string", enum: cmdb.Sorts, desc: "order: name (default), kind, criticality, environment or updated, " +
		"ascending; with a leading - descending (-updated: most recently changed first). Ties go by name, then key"},
}, pageParams...)

func kindNames() []string {
	names := make([]string, len(cmdb.Kinds))
	for i, k := range cmdb.Kinds {
		names[i] = string(k)
	}
	return names
}

// listCIs: GET /api/v1/cis. Requesters get (and count) only their own CIs.
func (a *api) listCIs(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	pg := q.page()
	f := cmdb.Filter{
		Query:           q.str("q"),
		Kind:            cmdb.Kind(q.oneOf("kind", kindNames()...)),
		Environment:     q.str("environment"),
		Owner:           q.str("owner"),
		SupportGroup:    q.str("support_group"),
		Tag:             q.str("tag"),
		LifecycleStatus: q.oneOf("lifecycle_status", cmdb.LifecycleStatuses...),
		MinCriticality:  q.integer("min_criticality", 0, 1, 5),
		InternetExposed: q.boolean("internet_exposed"),
		UpdatedSince:    q.time("updated_since"),
		Sort:            q.oneOf("sort", cmdb.Sorts...),
		Cursor:          pg.Cursor,
		Limit:           pg.Limit,
	}
	if del := q.boolean("include_deleted"); del != nil {
		f.IncludeDeleted = *del
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := a.d.CMDB.FindCIs(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	// Tombstones share items with the CIs, after them, so a sync client
	// pages through one list.
	items := make([]any, 0, len(page.Items)+len(page.Deleted))
	for i := range page.Items {
		items = append(items, &page.Items[i])
	}
	for i := range page.Deleted {
		items = append(items, &page.Deleted[i])
	}
	writeJSON(w, http.StatusOK, struct {
		Items      []any  `json:"items"`
		Total      int    `json:"total"`
		NextCursor string `json:"next_cursor,omitempty"`
	}{items, page.Total, page.NextCursor})
	return nil
}

// ciInput is the body of POST /api/v1/cis: the writable fields of a CI.
type ciInput struct {
	Name               string           `json:"name"`
	Kind               cmdb.Kind        `json:"kind"`
	Description        string           `json:"description" text:"long"`
	Environment        string           `json:"environment"`
	Owner              string           `json:"owner"`
	SupportGroup       string           `json:"support_group"`
	Criticality        *int             `json:"business_criticality"` // nil: the default; 0 is refused`
	DataClassification string           `json:"data_classification"`
	InternetExposed    bool             `json:"internet_exposed"`
	Supplier           string           `json:"supplier"`
	LifecycleStatus    string           `json:"lifecycle_status"`
	Identifiers        cmdb.Identifiers `json:"identifiers"`
	Tags               []string         `json:"tags"`
	Attributes         map[string]any   `json:"attributes" text:"long"`
}

// createCI: POST /api/v1/cis.
func (a *api) createCI(w http.ResponseWriter, r *http.Request) error {
	var in ciInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var fe errs.Fields
	crit := cmdb.ExplicitCriticality(in.Criticality, "business_criticality", &fe)
	if err := fe.Err(); err != nil {
		return err
	}
	ci, err := a.d.CMDB.CreateCI(r.Context(), principal(r), cmdb.CI{
		Name: in.Name, Kind: in.Kind, Description: in.Description, Environment: in.Environment,
		Owner: in.Owner, SupportGroup: in.SupportGroup, Criticality: crit,
		DataClassification: in.DataClassification, InternetExposed: in.InternetExposed,
		Supplier: in.Supplier, LifecycleStatus: in.LifecycleStatus, Identifiers: in.Identifiers,
		Tags: in.Tags, Attributes: in.Attributes,
	})
	if err != nil {
		return err
	}
	setETag(w, ci.Version)
	created(w, ciPath(ci.Key), ci)
	return nil
}

// getCI: GET /api/v1/cis/{key}. A CI the caller may not see is 404, the
// same answer as a CI that does not exist.
func (a *api) getCI(w http.ResponseWriter, r *http.Request) error {
	ci, err := a.d.CMDB.FindCIByKey(r.Context(), principal(r), r.PathValue("key"))
	if err != nil {
		return err
	}
	setETag(w, ci.Version)
	writeJSON(w, http.StatusOK, ci)
	return nil
}

// ciPatch is the body of PATCH /api/v1/cis/{key}: merge-style, an absent or
// null field is left as it is. Version (or If-Match) makes the update
// conditional on the version the client last read.
type ciPatch struct {
	Name               *string           `json:"name"`
	Kind               *cmdb.Kind        `json:"kind"`
	Description        *string           `json:"description" text:"long"`
	Environment        *string           `json:"environment"`
	Owner              *string           `json:"owner"`
	SupportGroup       *string           `json:"support_group"`
	Criticality        *int              `json:"business_criticality"`
	DataClassification *string           `json:"data_classification"`
	InternetExposed    *bool             `json:"internet_exposed"`
	Supplier           *string           `json:"supplier"`
	LifecycleStatus    *string           `json:"lifecycle_status"`
	Identifiers        *cmdb.Identifiers `json:"identifiers"`
	Tags               *[]string         `json:"tags"`
	Attributes         *map[string]any   `json:"attributes" text:"long"`
	Version            *int64            `json:"version"`
}

// patchCI: PATCH /api/v1/cis/{key}.
func (a *api) patchCI(w http.ResponseWriter, r *http.Request) error {
	var in ciPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, fromHeader, err := ifMatch(r, in.Version)
	if err != nil {
		return err
	}
	ci, err := a.d.CMDB.UpdateCI(r.Context(), principal(r), r.PathValue("key"), cmdb.Update{
		Name: in.Name, Kind: in.Kind, Description: in.Description, Environment: in.Environment,
		Owner: in.Owner, SupportGroup: in.SupportGroup, Criticality: in.Criticality,
		DataClassification: in.DataClassification, InternetExposed: in.InternetExposed,
		Supplier: in.Supplier, LifecycleStatus: in.LifecycleStatus, Identifiers: in.Identifiers,
		Tags: in.Tags, Attributes: in.Attributes, Version: version,
	})
	if fromHeader && staleVersion(err) {
		return precondition(err)
	}
	if err != nil {
		return err
	}
	setETag(w, ci.Version)
	writeJSON(w, http.StatusOK, ci)
	return nil
}

// deleteCI: DELETE /api/v1/cis/{key}.
func (a *api) deleteCI(w http.ResponseWriter, r *http.Request) error {
	if err := a.d.CMDB.DeleteCI(r.Context(), principal(r), r.PathValue("key")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func ciPath(key string) string { return "/api/v1/cis/" + url.PathEscape(key) }

// setETag publishes a record's version as a strong entity tag ("3"), the
// value PATCH accepts back in If-Match.
func setETag(w http.ResponseWriter, version int64) {
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(version, 10)))
}

// ifMatch combines the If-Match header with a body "version": either may
// carry the version the client read; when both do they must agree.
// fromHeader says the header did, so a stale version is a failed
// precondition (412) rather than a conflict in the body (409).
func ifMatch(r *http.Request, body *int64) (version *int64, fromHeader bool, err error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return body, false, nil
	}
	tags := strings.Split(h, ",")
	if len(tags) != 1 {
		return nil, false, badField("If-Match", "give one entity tag, the ETag of the version you read")
	}
	tag := strings.TrimPrefix(strings.TrimSpace(tags[0]), "W/")
	v, err := strconv.ParseInt(strings.Trim(tag, `"`), 10, 64)
	if err != nil {
		return nil, false, badField("If-Match", "must be the ETag of a version you read, such as \"3\"")
	}
	if body != nil && *body != v {
		return nil, false, badRequest(errs.Field("version", "differs from the If-Match header (%d)", v))
	}
	return &v, true, nil
}

// staleVersion reports the service's answer to an update guarded by a
// version that is no longer the record's: a Conflict about "version".
func staleVersion(err error) bool {
	e, ok := errs.As(err)
	return ok && e.Kind == errs.Conflict && len(e.Fields) > 0 && e.Fields[0].Field == "version"
}

// precondition answers 412 with the service's explanation.
func precondition(err error) error {
	e, _ := errs.As(err)
	return &protocolError{code: http.StatusPreconditionFailed, kind: kindPrecondition, err: e}
}

// releaseSources: POST /api/v1/cis/{key}/release-sources.
func (a *api) releaseSources(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Fields []string `json:"fields"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ci, err := a.d.CMDB.ReleaseFields(r.Context(), principal(r), r.PathValue("key"), in.Fields)
	if err != nil {
		return err
	}
	setETag(w, ci.Version)
	writeJSON(w, http.StatusOK, ci)
	return nil
}

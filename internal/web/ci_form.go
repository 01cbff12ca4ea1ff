package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// ciForm is the create/edit form as typed by the user.
type ciForm struct {
	Name, Kind, Description, Environment, Owner, SupportGroup string
	Criticality                                               string
	DataClassification, Supplier, LifecycleStatus             string
	InternetExposed                                           bool
	Hostnames, FQDNs, IPs, MACs, Serial, CloudID              string
	Tags, Attributes                                          string
	Version                                                   string
}

// ciFormView is the page showing the form, new or edit.
type ciFormView struct {
	layout
	Key          string // "" for a new CI
	Form         ciForm
	Errors       fieldErrors
	Kinds        []cmdb.Kind
	Environments []string
	Teams        []string
	DataClasses  []string
	Lifecycles   []string
}

// ciFields maps the CMDB's field names to the form's.
var ciFields = map[string]string{
	"name": "name", "kind": "kind", "description": "description", "environment": "environment",
	"owner": "owner", "support_group": "support_group", "business_criticality": "criticality",
	"criticality": "criticality", "data_classification": "data_classification",
	"internet_exposed": "internet_exposed", "supplier": "supplier", "lifecycle_status": "lifecycle_status",
	"identifiers": "identifiers", "identifiers.hostnames": "hostnames", "identifiers.fqdns": "fqdns",
	"identifiers.ips": "ips", "identifiers.macs": "macs", "identifiers.serial": "serial",
	"identifiers.cloud_id": "cloud_id", "hostnames": "hostnames", "fqdns": "fqdns", "ips": "ips",
	"macs": "macs", "serial": "serial", "cloud_id": "cloud_id", "tags": "tags", "attributes": "attributes",
}

func (s *server) ciFormView(r *http.Request, rq *request, title, key string, f ciForm, fe fieldErrors) ciFormView {
	return ciFormView{layout: s.frame(r, rq, title, "cmdb"), Key: key, Form: f, Errors: fe, Kinds: cmdb.Kinds,
		Environments: environments, Teams: s.teamNames(r, rq), DataClasses: cmdb.DataClassifications,
		Lifecycles: cmdb.LifecycleStatuses}
}

// readCIForm reads the posted form.
func readCIForm(r *http.Request) ciForm {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return ciForm{
		Name: g("name"), Kind: g("kind"), Description: g("description"), Environment: g("environment"),
		Owner: g("owner"), SupportGroup: g("support_group"), Criticality: g("criticality"),
		DataClassification: g("data_classification"), Supplier: g("supplier"), LifecycleStatus: g("lifecycle_status"),
		InternetExposed: r.PostFormValue("internet_exposed") != "",
		Hostnames:       g("hostnames"), FQDNs: g("fqdns"), IPs: g("ips"), MACs: g("macs"), Serial: g("serial"),
		CloudID: g("cloud_id"), Tags: g("tags"), Attributes: g("attributes"), Version: g("version"),
	}
}

// formFromCI fills the form from a stored CI, for editing.
func formFromCI(ci cmdb.CI) ciForm {
	f := ciForm{
		Name: ci.Name, Kind: string(ci.Kind), Description: ci.Description, Environment: ci.Environment,
		Owner: ci.Owner, SupportGroup: ci.SupportGroup, Criticality: strconv.Itoa(ci.Criticality),
		DataClassification: ci.DataClassification, Supplier: ci.Supplier, LifecycleStatus: ci.LifecycleStatus,
		InternetExposed: ci.InternetExposed,
		Hostnames:       strings.Join(ci.Identifiers.Hostnames, ", "), FQDNs: strings.Join(ci.Identifiers.FQDNs, ", "),
		IPs: strings.Join(ci.Identifiers.IPs, ", "), MACs: strings.Join(ci.Identifiers.MACs, ", "),
		Serial: ci.Identifiers.Serial, CloudID: ci.Identifiers.CloudID, Tags: strings.Join(ci.Tags, ", "),
		Version: strconv.FormatInt(ci.Version, 10),
	}
	if len(ci.Attributes) > 0 {
		b, _ := json.MarshalIndent(ci.Attributes, "", "  ")
		f.Attributes = string(b)
	}
	return f
}

// toCI converts the form into a CI, reporting what the form itself can
// tell is wrong (a number that is not one, attributes that are not JSON);
// every other rule is the CMDB's.
func (f ciForm) toCI() (cmdb.CI, fieldErrors) {
	fe := fieldErrors{}
	ci := cmdb.CI{
		Name: f.Name, Kind: cmdb.Kind(f.Kind), Description: f.Description, Environment: f.Environment,
		Owner: f.Owner, SupportGroup: f.SupportGroup, DataClassification: f.DataClassification,
		InternetExposed: f.InternetExposed, Supplier: f.Supplier, LifecycleStatus: f.LifecycleStatus,
		Identifiers: cmdb.Identifiers{Hostnames: splitList(f.Hostnames), FQDNs: splitList(f.FQDNs),
			IPs: splitList(f.IPs), MACs: splitList(f.MACs), Serial: f.Serial, CloudID: f.CloudID},
		Tags: splitList(f.Tags),
	}
	if f.Criticality != "" {
		c, err := strconv.Atoi(f.Criticality)
		if err != nil {
			fe.add("criticality", "must be a number from 1 to 5")
		} else {
			// A typed 0 is a value (out of range), not "use the default".
			var given errs.Fields
			ci.Criticality = cmdb.ExplicitCriticality(&c, "criticality", &given)
			for _, g := range given {
				fe.add(g.Field, g.Message)
			}
		}
	}
	if f.Attributes != "" {
		if err := json.Unmarshal([]byte(f.Attributes), &ci.Attributes); err != nil {
			fe.add("attributes", `must be a JSON object, for example {"rack": "B4"}`)
		}
	}
	if f.Version != "" {
		ci.Version, _ = strconv.ParseInt(f.Version, 10, 64)
	}
	return ci, fe
}

// toUpdate converts the form into a full update: an edit form shows every
// field, so every field is written, guarded by the version it was read at.
func (f ciForm) toUpdate() (cmdb.Update, fieldErrors) {
	ci, fe := f.toCI()
	if ci.Attributes == nil {
		ci.Attributes = map[string]any{}
	}
	if ci.Tags == nil {
		ci.Tags = []string{}
	}
	u := cmdb.Update{
		Name: &ci.Name, Kind: &ci.Kind, Description: &ci.Description, Environment: &ci.Environment,
		Owner: &ci.Owner, SupportGroup: &ci.SupportGroup, Criticality: &ci.Criticality,
		DataClassification: &ci.DataClassification, InternetExposed: &ci.InternetExposed,
		Supplier: &ci.Supplier, LifecycleStatus: &ci.LifecycleStatus, Identifiers: &ci.Identifiers,
		Tags: &ci.Tags, Attributes: &ci.Attributes,
	}
	if f.Version != "" {
		u.Version = &ci.Version
	}
	return u, fe
}

// formFailure turns a CMDB refusal of a form into messages on the form, or
// returns the error for the error page when it is not about the input.
func formFailure(err error) (fieldErrors, error) {
	switch {
	case errs.Is(err, errs.Invalid):
		return mapFieldErrors(err, ciFields), nil
	case errs.Is(err, errs.Conflict):
		// Someone else saved first, or an identifier belongs to another
		// CI; the CMDB's message says which.
		e, _ := errs.As(err)
		return fieldErrors{"": {e.Message}}, nil
	}
	return nil, err
}

// ciNew shows an empty form with sensible defaults.
func (s *server) ciNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.P.Require(auth.CIWrite); err != nil {
		return err
	}
	f := ciForm{Kind: string(cmdb.KindServer), Criticality: "3", LifecycleStatus: "operational",
		Environment: "production", DataClassification: "internal"}
	return s.render(w, http.StatusOK, "ci_form", s.ciFormView(r, rq, "New CI", "", f, nil))
}

// ciCreate creates a CI from the form and opens it.
func (s *server) ciCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := readCIForm(r)
	f.Owner = s.resolveUser(r.Context(), rq.P, f.Owner)
	ci, fe := f.toCI()
	if !fe.Any() {
		created, err := s.CMDB.CreateCI(r.Context(), rq.P, ci)
		if err == nil {
			return redirect(w, r, "/cis/"+created.Key, "created")
		}
		if fe, err = formFailure(err); err != nil {
			return err
		}
	}
	return s.render(w, http.StatusUnprocessableEntity, "ci_form", s.ciFormView(r, rq, "New CI", "", f, fe))
}

// ciEdit shows the form filled with the stored CI.
func (s *server) ciEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.P.Require(auth.CIWrite); err != nil {
		return err
	}
	ci, err := s.CMDB.FindCIByKey(r.Context(), rq.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "ci_form", s.ciFormView(r, rq, "Edit "+ci.Key, ci.Key, formFromCI(ci), nil))
}

// ciUpdate saves the edit form.
func (s *server) ciUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	key := r.PathValue("key")
	f := readCIForm(r)
	f.Owner = s.resolveUser(r.Context(), rq.P, f.Owner)
	u, fe := f.toUpdate()
	if !fe.Any() {
		_, err := s.CMDB.UpdateCI(r.Context(), rq.P, key, u)
		if err == nil {
			return redirect(w, r, "/cis/"+key, "updated")
		}
		if fe, err = formFailure(err); err != nil {
			return err
		}
	}
	return s.render(w, http.StatusUnprocessableEntity, "ci_form", s.ciFormView(r, rq, "Edit "+key, key, f, fe))
}

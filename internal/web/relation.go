package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// relationForm is the add-relationship form on a CI page: "this CI <type>
// <other>" (outgoing) or "<other> <type> this CI" (incoming).
type relationForm struct {
	Direction string
	Type      string
	Other     string
}

var relationFields = map[string]string{"source": "other", "target": "other", "type": "type"}

// relationAdd adds a relationship from or to the CI whose page it is; on
// bad input the CI page is shown again with the message by the form.
func (s *server) relationAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	key := r.PathValue("key")
	f := relationForm{Direction: r.PostFormValue("direction"), Type: r.PostFormValue("type"),
		Other: strings.TrimSpace(r.PostFormValue("other"))}
	// The other CI is picked by name (or key): resolved here, so the form
	// works as a plain text box too.
	other, opts, problem, err := s.resolveCI(r.Context(), rq.P, f.Other)
	if err != nil {
		return err
	}
	rel := cmdb.Relation{Source: key, Type: cmdb.RelationType(f.Type), Target: other}
	if f.Direction == "incoming" {
		rel.Source, rel.Target = other, key
	}
	var fe fieldErrors
	if problem != "" {
		fe = fieldErrors{"other": {problem}}
	} else if _, err := s.CMDB.AddRelation(r.Context(), rq.P, rel); err == nil {
		return redirect(w, r, "/cis/"+key+"#relationships", "relation-added")
	} else if errs.Is(err, errs.Invalid) || errs.Is(err, errs.Conflict) || errs.Is(err, errs.NotFound) {
		fe = mapFieldErrors(err, relationFields)
		if errs.Is(err, errs.NotFound) {
			fe = fieldErrors{"other": {"no CI " + other + " that you may see"}}
		}
	} else {
		return err
	}
	v, err := s.ciShowView(r, rq, key)
	if err != nil {
		return err
	}
	v.RelForm, v.RelErrors, v.RelOptions = f, fe, opts
	return s.render(w, http.StatusUnprocessableEntity, "ci_show", v)
}

// relationDelete removes one relationship of the CI whose page it is.
func (s *server) relationDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	key := r.PathValue("key")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "no such relationship")
	}
	// Only a relationship of this CI may be removed from its page.
	rels, err := s.CMDB.FindRelations(r.Context(), rq.P, key)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(rels, func(rel cmdb.Relation) bool { return rel.ID == id }) {
		return errs.E(errs.NotFound, "%s has no such relationship", key)
	}
	if err := s.CMDB.DeleteRelation(r.Context(), rq.P, id); err != nil {
		return err
	}
	return redirect(w, r, "/cis/"+key+"#relationships", "relation-deleted")
}

package web

import (
	"net/http"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// ciShowView is a CI's page: every field, its relationships both ways and
// the form to add one.
type ciShowView struct {
	layout
	CI            cmdb.CI
	Attributes    []attrView
	Outgoing      []cmdb.Relation // this CI needs the target
	Incoming      []cmdb.Relation // the source needs this CI
	RelationTypes []cmdb.RelationType
	RelForm       relationForm
	RelErrors     fieldErrors
	// RelOptions are the CIs a name typed into the form could mean.
	RelOptions []pickOption
	// Neighbours names the CIs at the other end of each relationship, so
	// the lists read "CI-12 orders-db", not bare keys.
	Neighbours map[string]cmdb.CISummary
}

// ciShow shows one CI the viewer may see (not found otherwise).
func (s *server) ciShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.ciShowView(r, rq, r.PathValue("key"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "ci_show", v)
}

func (s *server) ciShowView(r *http.Request, rq *request, key string) (ciShowView, error) {
	ci, err := s.CMDB.FindCIByKey(r.Context(), rq.P, key)
	if err != nil {
		return ciShowView{}, err
	}
	rels, err := s.CMDB.FindRelations(r.Context(), rq.P, ci.Key)
	if err != nil {
		return ciShowView{}, err
	}
	v := ciShowView{layout: s.frame(r, rq, ci.Key+" "+ci.Name, "cmdb"), CI: ci, Attributes: attributeViews(ci.Attributes),
		RelationTypes: cmdb.RelationTypes, RelForm: relationForm{Direction: "outgoing"}}
	for _, rel := range rels {
		if rel.Source == ci.Key {
			v.Outgoing = append(v.Outgoing, rel)
		} else {
			v.Incoming = append(v.Incoming, rel)
		}
	}
	if v.Neighbours, err = s.neighbours(r, rq, ci.Key, len(v.Incoming) > 0, len(v.Outgoing) > 0); err != nil {
		return ciShowView{}, err
	}
	return v, nil
}

// neighbours summarises the CIs one step away, both ways, with one
// depth-1 impact walk per direction instead of one lookup per relationship.
func (s *server) neighbours(r *http.Request, rq *request, key string, down, up bool) (map[string]cmdb.CISummary, error) {
	out := map[string]cmdb.CISummary{}
	for dir, want := range map[cmdb.Direction]bool{cmdb.Downstream: down, cmdb.Upstream: up} {
		if !want {
			continue
		}
		imp, err := s.CMDB.Impact(r.Context(), rq.P, key, dir, 1)
		if err != nil {
			return nil, err
		}
		for _, n := range imp.Nodes {
			out[n.CI.Key] = n.CI
		}
	}
	return out, nil
}

// ciDeleteView asks for confirmation before a CI is deleted.
type ciDeleteView struct {
	layout
	CI        cmdb.CI
	Relations int
}

// ciDeleteConfirm shows what deleting a CI would remove.
func (s *server) ciDeleteConfirm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.P.Require(auth.CIWrite); err != nil {
		return err
	}
	ci, err := s.CMDB.FindCIByKey(r.Context(), rq.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	rels, err := s.CMDB.FindRelations(r.Context(), rq.P, ci.Key)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "ci_delete", ciDeleteView{layout: s.frame(r, rq, "Delete "+ci.Key, "cmdb"), CI: ci, Relations: len(rels)})
}

// ciDelete deletes a CI after confirmation.
func (s *server) ciDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.CMDB.DeleteCI(r.Context(), rq.P, r.PathValue("key")); err != nil {
		return err
	}
	return redirect(w, r, "/cis", "deleted")
}

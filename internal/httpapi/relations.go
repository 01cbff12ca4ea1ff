package httpapi

import (
	"net/http"
	"strconv"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// listRelations: GET /api/v1/cis/{key}/relations, both directions.
func (a *api) listRelations(w http.ResponseWriter, r *http.Request) error {
	rels, err := a.d.CMDB.FindRelations(r.Context(), principal(r), r.PathValue("key"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf(rels))
	return nil
}

// relationInput is the body of POST /api/v1/relations: "source type target"
// by CI keys, read as "the source needs the target".
type relationInput struct {
	Source string            `json:"source"`
	Type   cmdb.RelationType `json:"type"`
	Target string            `json:"target"`
}

// createRelation: POST /api/v1/relations.
func (a *api) createRelation(w http.ResponseWriter, r *http.Request) error {
	var in relationInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rel, err := a.d.CMDB.AddRelation(r.Context(), principal(r), cmdb.Relation{Source: in.Source, Type: in.Type, Target: in.Target})
	if err != nil {
		return err
	}
	created(w, "/api/v1/relations/"+strconv.FormatInt(rel.ID, 10), rel)
	return nil
}

// deleteRelation: DELETE /api/v1/relations/{id}.
func (a *api) deleteRelation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.d.CMDB.DeleteRelation(r.Context(), principal(r), id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// getImpact: GET /api/v1/cis/{key}/impact?direction=&depth=.
func (a *api) getImpact(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	dir := q.oneOf("direction", string(cmdb.Downstream), string(cmdb.Upstream))
	depth := q.integer("depth", 0, 1, 1000)
	if err := q.err(); err != nil {
		return err
	}
	imp, err := a.d.CMDB.Impact(r.Context(), principal(r), r.PathValue("key"), cmdb.Direction(dir), depth)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, imp)
	return nil
}

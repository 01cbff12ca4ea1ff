package httpapi

import (
	"net/http"
	"strconv"

	"github.com/rampart-itsm/rampart/internal/sla"
)

// listSLADefinitions: GET /api/v1/sla/definitions[?record_kind=incident].
func (a *api) listSLADefinitions(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	kind := q.oneOf("record_kind", sla.RecordKinds...)
	if err := q.err(); err != nil {
		return err
	}
	defs, err := a.d.SLA.FindDefinitions(r.Context(), principal(r), kind)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf(defs))
	return nil
}

// createSLADefinition: POST /api/v1/sla/definitions (admins).
func (a *api) createSLADefinition(w http.ResponseWriter, r *http.Request) error {
	var in sla.DefinitionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	def, err := in.Definition()
	if err != nil {
		return err
	}
	d, err := a.d.SLA.CreateDefinition(r.Context(), principal(r), def)
	if err != nil {
		return err
	}
	created(w, "/api/v1/sla/definitions/"+strconv.FormatInt(d.ID, 10), d)
	return nil
}

// patchSLADefinition: PATCH /api/v1/sla/definitions/{id} (admins).
func (a *api) patchSLADefinition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in sla.DefinitionUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := a.d.SLA.UpdateDefinition(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// listSLASchedules: GET /api/v1/sla/schedules.
func (a *api) listSLASchedules(w http.ResponseWriter, r *http.Request) error {
	list, err := a.d.SLA.FindSchedules(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf(list))
	return nil
}

// createSLASchedule: POST /api/v1/sla/schedules (admins).
func (a *api) createSLASchedule(w http.ResponseWriter, r *http.Request) error {
	var in sla.ScheduleInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	s, err := in.Schedule()
	if err != nil {
		return err
	}
	sc, err := a.d.SLA.CreateSchedule(r.Context(), principal(r), s)
	if err != nil {
		return err
	}
	created(w, "/api/v1/sla/schedules/"+strconv.FormatInt(sc.ID, 10), sc)
	return nil
}

// patchSLASchedule: PATCH /api/v1/sla/schedules/{id} (admins).
func (a *api) patchSLASchedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in sla.ScheduleUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sc, err := a.d.SLA.UpdateSchedule(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sc)
	return nil
}

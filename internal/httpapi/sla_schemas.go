package httpapi

import (
	"net/http"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/sla"
)

// slaRoutes are the SLA configuration routes.
func (a *api) slaRoutes() []route {
	const get, post, patch = http.MethodGet, http.MethodPost, http.MethodPatch
	return []route{
		{method: get, path: "/api/v1/sla/definitions", h: a.listSLADefinitions,
			doc: op{id: "listSLADefinitions", tag: "sla", summary: "List SLA and OLA definitions", resp: "SLADefinitionList", perm: auth.SLARead,
				query: []param{{name: "record_kind", typ: "string", enum: sla.RecordKinds, desc: "only definitions timing this kind of record"}},
				desc: "Every definition, active or not, ordered by name (not paged). A record gets a clock for each active " +
					"definition of its kind whose conditions it meets; Rampart ships a response and a resolution SLA per " +
					"incident priority."}},
		{method: post, path: "/api/v1/sla/definitions", h: a.createSLADefinition, write: true,
			doc: op{id: "createSLADefinition", tag: "sla", summary: "Create an SLA or OLA definition", body: "SLADefinitionInput", status: 201, resp: "SLADefinition", perm: auth.SLAManage,
				desc: "Applies to records whose clocks start or change from then on. The change is in the audit log. A " +
					"taken name is 409; an unknown schedule, a bad duration or warning is 422 naming the field."}},
		{method: patch, path: "/api/v1/sla/definitions/{id}", h: a.patchSLADefinition, write: true,
			doc: op{id: "patchSLADefinition", tag: "sla", summary: "Change an SLA or OLA definition", body: "SLADefinitionPatch", resp: "SLADefinition", perm: auth.SLAManage,
				desc: "A field given replaces the stored value; absent keeps it. Running clocks keep their targets until " +
					"their record's attributes next change; setting active to false starts no new clocks (definitions " +
					"are never deleted, their clocks refer to them). With version, a definition changed meanwhile is 409."}},
		{method: get, path: "/api/v1/sla/schedules", h: a.listSLASchedules,
			doc: op{id: "listSLASchedules", tag: "sla", summary: "List business-hours schedules", resp: "SLAScheduleList", perm: auth.SLARead,
				desc: "Every schedule with its weekly hours and holidays, ordered by name (not paged)."}},
		{method: post, path: "/api/v1/sla/schedules", h: a.createSLASchedule, write: true,
			doc: op{id: "createSLASchedule", tag: "sla", summary: "Create a business-hours schedule", body: "SLAScheduleInput", status: 201, resp: "SLASchedule", perm: auth.SLAManage,
				desc: "Hours are read in the schedule's IANA time zone, whoever looks at them. A taken name is 409; an " +
					"unknown zone, overlapping windows or a bad holiday date is 422 naming the field. Audited."}},
		{method: patch, path: "/api/v1/sla/schedules/{id}", h: a.patchSLASchedule, write: true,
			doc: op{id: "patchSLASchedule", tag: "sla", summary: "Change a business-hours schedule", body: "SLASchedulePatch", resp: "SLASchedule", perm: auth.SLAManage,
				desc: "A field given replaces the stored value (hours and holidays as a whole); absent keeps it. Running " +
					"clocks keep their due times until they next pause, resume or change priority. Audited."}},
	}
}

// weekSchema is a schedule's weekly hours.
func weekSchema() obj {
	props := obj{}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		props[d] = array("business windows on "+d+", local time, each \"HH:MM-HH:MM\" (24:00 ends the day)", str("one window, e.g. 09:00-17:00"))
	}
	return object("business hours per weekday in the schedule's zone; a day left out has none", nil, props)
}

func slaSchemas() obj {
	conditions := object("which records a definition applies to: every condition given must hold; an empty list matches anything", nil, obj{
		"priorities": array("record priorities, 1 to 5", obj{"type": "integer", "description": "a priority"}),
		"categories": array("record categories", str("a category")),
		"services":   array("business service keys; any one affected service matches", str("a service key")),
		"security":   boolean("true: only security records; false: only other records; absent: both"),
	})
	defProps := func() obj {
		return obj{
			"name":               str("unique name, up to 100 characters"),
			"description":        str("what the agreement is, for people"),
			"record_kind":        enum("the kind of record timed", sla.RecordKinds),
			"kind":               enum("sla: agreed with the customer; ola: between teams", []string{"sla", "ola"}),
			"target":             enum("response: until the first response; resolution: until resolved", []string{"response", "resolution"}),
			"duration":           str("business time allowed, e.g. 15m, 4h, 3d (3×24 hours of business time)"),
			"schedule":           str("name of the business-hours schedule the time is counted on"),
			"conditions":         conditions,
			"pause_on":           array("on-hold reasons that pause the clock, e.g. awaiting_caller", str("an on-hold reason")),
			"warnings":           array("percentages of the target at which a warning is raised, e.g. [50, 75, 90]", obj{"type": "integer", "description": "1 to 99"}),
			"on_priority_change": enum("when a change of priority (or any condition) replaces this clock by another definition's: keep_elapsed carries the time counted and a pause over; restart starts from zero", []string{"keep_elapsed", "restart"}),
			"active":             boolean("inactive definitions start no new clocks"),
		}
	}
	def := with(defProps(), obj{
		"id":         integer("definition id, for PATCH /api/v1/sla/definitions/{id}"),
		"version":    integer("increases with every change; send it back to update safely"),
		"created_at": timestamp("when it was created (UTC)"),
		"updated_at": timestamp("when it last changed (UTC)"),
	})
	defRequired := []string{"name", "record_kind", "kind", "target", "duration", "schedule"}
	patch := defProps()
	delete(patch, "record_kind")
	patch["version"] = integer("the version you read; a definition changed since is 409")
	holiday := object("a whole local day without business hours", []string{"date"}, obj{
		"date": str("YYYY-MM-DD in the schedule's zone"),
		"name": str("what the holiday is"),
	})
	schedProps := func() obj {
		return obj{
			"name":        str("unique name, up to 100 characters"),
			"description": str("what the schedule is for"),
			"time_zone":   str("IANA time zone the hours are read in, e.g. Europe/Berlin"),
			"hours":       weekSchema(),
			"holidays":    array("days without business hours", holiday),
		}
	}
	sched := with(schedProps(), obj{
		"id":         integer("schedule id, for PATCH /api/v1/sla/schedules/{id}"),
		"version":    integer("increases with every change; send it back to update safely"),
		"created_at": timestamp("when it was created (UTC)"),
		"updated_at": timestamp("when it last changed (UTC)"),
	})
	schedPatch := schedProps()
	schedPatch["version"] = integer("the version you read; a schedule changed since is 409")
	return obj{
		"SLADefinition":      object("an SLA or OLA definition", append(defRequired, "id", "conditions", "pause_on", "warnings", "on_priority_change", "active", "version", "created_at", "updated_at"), def),
		"SLADefinitionInput": object("a new definition", defRequired, defProps()),
		"SLADefinitionPatch": object("fields to change", nil, patch),
		"SLADefinitionList":  listOfSchema("SLA and OLA definitions by name", "SLADefinition"),
		"SLASchedule":        object("a business-hours schedule", []string{"id", "name", "description", "time_zone", "hours", "holidays", "version", "created_at", "updated_at"}, sched),
		"SLAScheduleInput":   object("a new schedule", []string{"name", "time_zone", "hours"}, schedProps()),
		"SLASchedulePatch":   object("fields to change", nil, schedPatch),
		"SLAScheduleList":    listOfSchema("business-hours schedules by name", "SLASchedule"),
	}
}

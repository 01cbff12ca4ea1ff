package httpapi

import "github.com/rampart-itsm/rampart/internal/incident"

func stateNames() []string {
	out := make([]string, len(incident.States))
	for i, s := range incident.States {
		out[i] = string(s)
	}
	return out
}

// incidentFields are the writable fields of an incident, shared by
// Incident, IncidentInput and IncidentPatch.
func incidentFields() obj {
	level := func(desc string) obj {
		return obj{"type": "integer", "minimum": 1, "maximum": 3, "description": desc}
	}
	return obj{
		"short_description": str("one line saying what is wrong, up to 200 characters; searched by ?q="),
		"description":       str("details, up to 20,000 characters; line breaks kept"),
		"caller":            str("username of the person affected, who sees the incident and its comments; default: whoever raised it"),
		"category":          enum("operational or security category; a security category makes a security incident", incident.Categories()),
		"subcategory":       str("free-form refinement of the category, up to 200 characters"),
		"impact":            level("how widely the business is affected: 1 high, 2 medium, 3 low (default)"),
		"urgency":           level("how soon it must be fixed: 1 high, 2 medium, 3 low (default)"),
		"assignment_group":  str("name of the team working it"),
		"assignee":          str("username of the person working it; must be a member of assignment_group"),
		"cis":               array("keys of the affected CIs (any case); each must exist and be visible to you", str("CI key, e.g. CI-314")),
		"parent":            str("key of the parent incident (for example a major incident); a parent has no parent"),
		"major":             boolean("a major incident: the highest impact, with its own communications"),
		"security":          boolean("a security incident (need-to-know): key SIR-n, seen only by security analysts, admins and whoever it is shared with"),
		"attack_vector":     str("security incidents: how the attack came in, e.g. e-mail attachment, up to 200 characters"),
		"techniques":        array("security incidents: MITRE ATT&CK technique ids, e.g. T1566 or T1566.001", str("technique id")),
		"response_phase":    enum("security incidents: NIST SP 800-61 response phase", incident.ResponsePhases),
		"observables":       array("security incidents: what was seen (IP, domain, URL, file hash, e-mail, user account)", ref("Observable")),
	}
}

func incidentSchemas() obj {
	inc := with(incidentFields(), obj{
		"key":                str("INC-n, or SIR-n for a security incident (its own series); never reused"),
		"priority":           obj{"type": "integer", "minimum": 1, "maximum": 5, "description": "1 critical to 5 planning, from impact × urgency through the priority matrix"},
		"state":              enum("where it is in its life cycle", stateNames()),
		"on_hold_reason":     enum("why it waits, while on_hold; empty otherwise", append([]string{""}, incident.OnHoldReasons...)),
		"resolution_code":    enum("how it was resolved; empty until resolved", append([]string{""}, incident.ResolutionCodes...)),
		"resolution_notes":   str("what was done to resolve it"),
		"cis":                nullable(array("keys of the affected CIs you may see", str("CI key"))),
		"services":           nullable(array("keys of the business services that depend on the affected CIs (impact analysis), those you may see", str("CI key of a business service"))),
		"service_paths":      obj{"type": "object", "description": "for each key in services, the CI keys from an affected CI to that service", "additionalProperties": array("CI keys, affected CI first, the service last", str("CI key"))},
		"techniques":         nullable(array("MITRE ATT&CK technique ids, sorted", str("technique id"))),
		"observables":        nullable(array("observables recorded on a security incident", ref("Observable"))),
		"slas":               nullable(array("the SLA clocks running on the incident", ref("SLA"))),
		"reassignment_count": obj{"type": "integer", "description": "how often it moved to another group or assignee after the first assignment"},
		"reopen_count":       obj{"type": "integer", "description": "how often it went from resolved back to in_progress"},
		"version":            integer("increases with every change; send it back (or as If-Match) to update safely"),
		"created_at":         timestamp("when it was raised (UTC)"),
		"updated_at":         timestamp("when it last changed (UTC); what updated_since filters on"),
		"first_response_at":  nullable(timestamp("when the desk first took it up (left new); null until then")),
		"resolved_at":        nullable(timestamp("when it was resolved; null while not resolved")),
		"closed_at":          nullable(timestamp("when it was closed; null until then")),
	})
	patch := with(incidentFields(), obj{
		"state":            enum("the state to move to, by the life cycle (409 otherwise)", stateNames()),
		"on_hold_reason":   enum("why it waits: required with state on_hold", incident.OnHoldReasons),
		"resolution_code":  enum("how it was resolved: required with state resolved", incident.ResolutionCodes),
		"resolution_notes": str("what was done: required with state resolved"),
		"version":          integer("the version you read; the change is refused if the incident changed since"),
	})
	return obj{
		"Incident":      object("an incident, or a security incident", []string{"key", "short_description", "state", "priority", "impact", "urgency", "security", "version", "created_at", "updated_at"}, inc),
		"IncidentInput": object("a new incident", []string{"short_description"}, incidentFields()),
		"IncidentPatch": object("fields to change; absent or null fields stay as they are", nil, patch),
		"IncidentBulk":  array("up to 500 new incidents", ref("IncidentInput")),
		"IncidentList":  listOfSchema("the incidents created, in the order given", "Incident"),
		"IncidentPage": object("a page of incidents", []string{"items", "total"}, obj{
			"items": array("this page's incidents in the list's order; with include_deleted=true, after the last incident, "+
				"tombstones of incidents that left your view, oldest first", obj{"oneOf": []any{ref("Incident"), ref("IncidentTombstone")}}),
			"total":        integer("how many incidents (and tombstones) match in all pages, counted up to " + totalCap),
			"total_capped": boolean("true when more than " + totalCap + " match (total is then a lower bound); absent otherwise"),
			"next_cursor":  str("opaque; pass as ?cursor= (with the same filters and sort) for the next page. Absent on the last page"),
		}),
		"IncidentTombstone": object("an incident that left your view (it became a security incident): delete your copy", []string{"key", "deleted_at"}, obj{
			"key": str("the incident's key"), "deleted_at": timestamp("when it left your view"),
		}),
		"Observable": object("something seen in a security incident, stored in canonical form", []string{"kind", "value"}, obj{
			"kind":  enum("what it is", incident.ObservableKinds),
			"value": str("the address, name, URL, hash (hex), e-mail or account"),
		}),
		"SLA": object("one SLA clock on an incident", []string{"name", "kind", "target", "state"}, obj{
			"name":    str("the SLA definition's name"),
			"kind":    str("sla or ola"),
			"target":  str("response or resolution"),
			"due_at":  nullable(timestamp("when the target is breached at the current pace; null while paused")),
			"state":   str("running, paused, met, breached or cancelled"),
			"elapsed": integer("business time counted so far, in seconds"),
		}),
		"Sighting": object("where else one observable was seen", []string{"kind", "value", "incidents", "cis"}, obj{
			"kind":      enum("what the observable is", incident.ObservableKinds),
			"value":     str("the observable's value, canonical"),
			"incidents": array("keys of the other incidents that record it, those you may see (at most 100)", str("incident key")),
			"cis":       array("keys of the CIs that carry it as an identifier, those you may see (at most 100)", str("CI key")),
		}),
		"SightingList": listOfSchema("sightings of each observable of the incident", "Sighting"),
		"Note": object("a work note or comment", []string{"id", "kind", "body", "author", "created_at"}, obj{
			"id":         integer("note id"),
			"kind":       enum("work_note: internal to the desk; comment: the caller sees it too", []string{incident.NoteWork, incident.NoteComment}),
			"body":       str("the text, up to 20,000 characters"),
			"author":     str("username of who wrote it"),
			"created_at": timestamp("when it was written (UTC)"),
		}),
		"NoteInput": object("a new work note or comment", []string{"kind", "body"}, obj{
			"kind": enum("work_note (internal, needs incident:write) or comment (the caller sees it)", []string{incident.NoteWork, incident.NoteComment}),
			"body": str("the text, up to 20,000 characters; line breaks kept"),
		}),
		"TimelineEntry": object("one thing that happened to an incident", []string{"at", "kind", "actor"}, obj{
			"at":    timestamp("when (UTC)"),
			"kind":  enum("what happened", []string{"created", incident.NoteWork, incident.NoteComment, incident.EventState, incident.EventAssignment, incident.EventParent, incident.EventMajor}),
			"actor": str("username of who did it"),
			"body":  str("the note's or comment's text; the short description for created"),
			"from":  str("the value before: a state, a group / assignee, a parent key"),
			"to":    str("the value after"),
		}),
		"Timeline": listOfSchema("an incident's timeline, oldest first", "TimelineEntry"),
		"Share": object("one user or team an incident is shared with", []string{"created_at"}, obj{
			"user":       str("username it is shared with"),
			"team":       str("team it is shared with"),
			"created_at": timestamp("when it was shared"),
		}),
		"ShareInput": object("a user or a team to share with (one of them)", nil, obj{
			"user": str("username of the user to share with"),
			"team": str("name of the team to share with"),
		}),
		"ShareList": listOfSchema("who the incident is shared with", "Share"),
		"PriorityMatrix": object("the priority matrix", []string{"cells"}, obj{
			"cells": array("all nine cells", ref("PriorityCell")),
		}),
		"PriorityCell": object("one cell of the priority matrix", []string{"impact", "urgency", "priority"}, obj{
			"impact":   obj{"type": "integer", "minimum": 1, "maximum": 3, "description": "1 high to 3 low"},
			"urgency":  obj{"type": "integer", "minimum": 1, "maximum": 3, "description": "1 high to 3 low"},
			"priority": obj{"type": "integer", "minimum": 1, "maximum": 5, "description": "1 critical to 5 planning"},
		}),
	}
}

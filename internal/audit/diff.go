package audit

import (
	"encoding/json"
	"reflect"
	"sort"
)

// Change is one field's old and new value.
type Change struct {
	Field string `json:"field"`
	From  any    `json:"from"`
	To    any    `json:"to"`
}

// EntryChanges returns the entry's changed fields: those stored for an
// update, or for a create or delete every field of the one state present.
func EntryChanges(e Entry) (json.RawMessage, error) {
	if len(e.Changes) > 0 {
		return e.Changes, nil
	}
	return Diff(e.Before, e.After)
}

// Diff compares two JSON object states and lists the top-level fields that
// differ, sorted by name. Either side may be empty (create, delete).
func Diff(before, after json.RawMessage) (json.RawMessage, error) {
	var b, a map[string]any
	if len(before) > 0 {
		if err := json.Unmarshal(before, &b); err != nil {
			return nil, err
		}
	}
	if len(after) > 0 {
		if err := json.Unmarshal(after, &a); err != nil {
			return nil, err
		}
	}
	fields := map[string]bool{}
	for k := range b {
		fields[k] = true
	}
	for k := range a {
		fields[k] = true
	}
	var changes []Change
	for k := range fields {
		if k == "updated_at" || k == "version" {
			continue // bookkeeping, changes with every write
		}
		if !reflect.DeepEqual(b[k], a[k]) {
			changes = append(changes, Change{Field: k, From: b[k], To: a[k]})
		}
	}
	if len(changes) == 0 {
		return nil, nil
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Field < changes[j].Field })
	return json.Marshal(changes)
}

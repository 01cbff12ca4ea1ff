package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/incident"
)

// NewIncidentCmd returns "rampart incident": list, show, create, update and
// note incidents through the API.
func NewIncidentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incident",
		Short: "List, show, raise and work incidents (through the API)",
	}
	addClientFlags(cmd)
	cmd.AddCommand(newIncidentListCmd(), newIncidentShowCmd(), newIncidentCreateCmd(), newIncidentUpdateCmd(), newIncidentNoteCmd())
	return cmd
}

func newIncidentListCmd() *cobra.Command {
	var f incident.Filter
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List incidents matching filters",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			page, err := c.ListIncidents(cmd.Context(), f)
			if err != nil {
				return err
			}
			for all && page.NextCursor != "" {
				f.Cursor = page.NextCursor
				next, err := c.ListIncidents(cmd.Context(), f)
				if err != nil {
					return err
				}
				page.Items, page.NextCursor = append(page.Items, next.Items...), next.NextCursor
			}
			return render(cmd, page, func(w io.Writer) { incidentTable(w, page) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Query, "q", "", "key, or words of the short description")
	fl.StringVar(&f.State, "state", "", "open, new, in_progress, on_hold, resolved, closed or cancelled")
	fl.IntVar(&f.Priority, "priority", 0, "priority 1 (critical) to 5")
	fl.StringVar(&f.AssignmentGroup, "group", "", "assignment group (team)")
	fl.StringVar(&f.Assignee, "assignee", "", "assignee's username")
	fl.BoolVar(&f.Unassigned, "unassigned", false, "only incidents nobody is assigned to")
	fl.BoolVar(&f.MyGroups, "my-groups", false, "only incidents assigned to one of your teams")
	fl.StringVar(&f.Caller, "caller", "", "caller's username")
	fl.StringVar(&f.CI, "ci", "", "affected CI key")
	fl.StringVar(&f.Sort, "sort", "", "created, updated or priority; - for descending (default -created)")
	fl.StringVar(&f.Cursor, "cursor", "", "continue after a previous page")
	fl.IntVar(&f.Limit, "limit", 0, "page size (server default 50, at most 500)")
	fl.BoolVar(&all, "all", false, "fetch every page")
	return cmd
}

func incidentTable(w io.Writer, page incident.Page) {
	fmt.Fprintln(w, "KEY\tP\tSTATE\tSHORT DESCRIPTION\tGROUP\tASSIGNEE\tCALLER")
	for _, i := range page.Items {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", cell(i.Key), i.Priority, cell(string(i.State)), cell(i.ShortDescription),
			orDash(i.AssignmentGroup), orDash(i.Assignee), orDash(i.Caller))
	}
	fmt.Fprintf(w, "\n%d of %d incidents", len(page.Items), page.Total)
	if page.NextCursor != "" {
		fmt.Fprintf(w, "; next page: --cursor %s (or --all)", cell(page.NextCursor))
	}
	fmt.Fprintln(w)
}

func newIncidentShowCmd() *cobra.Command {
	var timeline bool
	cmd := &cobra.Command{
		Use:   "show KEY",
		Short: "Show one incident (with --timeline, what happened to it)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			inc, err := c.GetIncident(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			var tl []incident.TimelineEntry
			if timeline {
				if tl, err = c.Timeline(cmd.Context(), args[0]); err != nil {
					return err
				}
			}
			v := any(inc)
			if timeline {
				v = struct {
					incident.Incident
					Timeline []incident.TimelineEntry `json:"timeline"`
				}{inc, tl}
			}
			return render(cmd, v, func(w io.Writer) {
				incidentDetails(w, inc)
				if timeline {
					fmt.Fprintln(w)
					timelineTable(w, tl)
				}
			})
		},
	}
	cmd.Flags().BoolVar(&timeline, "timeline", false, "also show notes, comments and changes, oldest first")
	return cmd
}

// incidentDetails prints an incident as "field  value" lines.
func incidentDetails(w io.Writer, i incident.Incident) {
	row := func(k, v string) { fmt.Fprintf(w, "%s\t%s\n", cell(k), orDash(v)) }
	row("key", i.Key)
	row("short description", i.ShortDescription)
	row("state", string(i.State))
	row("on hold reason", i.OnHoldReason)
	row("priority", fmt.Sprintf("P%d (impact %d, urgency %d)", i.Priority, i.Impact, i.Urgency))
	row("category", strings.Trim(i.Category+" / "+i.Subcategory, " /"))
	row("caller", i.Caller)
	row("assignment group", i.AssignmentGroup)
	row("assignee", i.Assignee)
	row("cis", strings.Join(i.CIs, ", "))
	row("services", strings.Join(i.Services, ", "))
	row("parent", i.Parent)
	row("major", strconv.FormatBool(i.Major))
	row("security", strconv.FormatBool(i.Security))
	if i.Security {
		row("attack vector", i.AttackVector)
		row("techniques", strings.Join(i.Techniques, ", "))
		row("response phase", i.ResponsePhase)
		obs := make([]string, len(i.Observables))
		for k, o := range i.Observables {
			obs[k] = o.Kind + ":" + o.Value
		}
		row("observables", strings.Join(obs, ", "))
	}
	row("resolution", strings.Trim(i.ResolutionCode+": "+i.ResolutionNotes, " :"))
	row("description", i.Description)
	row("reassignments", strconv.Itoa(i.ReassignmentCount))
	row("reopened", strconv.Itoa(i.ReopenCount))
	row("version", strconv.FormatInt(i.Version, 10))
	row("created", i.CreatedAt.Format("2006-01-02 15:04:05Z07:00"))
	row("updated", i.UpdatedAt.Format("2006-01-02 15:04:05Z07:00"))
}

func timelineTable(w io.Writer, tl []incident.TimelineEntry) {
	fmt.Fprintln(w, "WHEN\tWHO\tWHAT\tDETAIL")
	for _, e := range tl {
		detail := e.Body
		if detail == "" {
			detail = e.From + " → " + e.To
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", e.At.Format("2006-01-02 15:04:05Z07:00"), orDash(e.Actor), cell(e.Kind), orDash(detail))
	}
}

// incidentTextFlags map each text flag to its API field; a value is sent
// only when its flag was given.
var incidentTextFlags = []struct{ flag, field, usage string }{
	{"short-description", "short_description", "one line saying what is wrong"},
	{"description", "description", "details"},
	{"caller", "caller", "username of the person affected"},
	{"category", "category", "category, e.g. network or phishing"},
	{"subcategory", "subcategory", "refinement of the category"},
	{"group", "assignment_group", "assignment group (team)"},
	{"assignee", "assignee", "assignee's username (a member of the group)"},
	{"parent", "parent", "key of the parent incident"},
	{"state", "state", "new state: in_progress, on_hold, resolved, closed, cancelled"},
	{"on-hold-reason", "on_hold_reason", "awaiting_caller, awaiting_change, awaiting_vendor or awaiting_evidence"},
	{"resolution-code", "resolution_code", "how it was resolved, e.g. fixed"},
	{"resolution-notes", "resolution_notes", "what was done"},
}

// incidentBody builds the JSON body of create and update from the flags
// given, or reads it from --file.
func incidentBody(cmd *cobra.Command, update bool) (any, error) {
	fl := cmd.Flags()
	if file, _ := fl.GetString("file"); file != "" {
		return readJSONFile(cmd, file)
	}
	m := map[string]any{}
	for _, t := range incidentTextFlags {
		if fl.Changed(t.flag) {
			v, _ := fl.GetString(t.flag)
			m[t.field] = v
		}
	}
	for _, name := range []string{"impact", "urgency"} {
		if fl.Changed(name) {
			v, _ := fl.GetInt(name)
			m[name] = v
		}
	}
	for _, name := range []string{"major", "security"} {
		if fl.Changed(name) {
			v, _ := fl.GetBool(name)
			m[name] = v
		}
	}
	if fl.Changed("ci") {
		v, _ := fl.GetStringSlice("ci")
		m["cis"] = v
	}
	if update && fl.Changed("version") {
		v, _ := fl.GetInt64("version")
		m["version"] = v
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("nothing to send: give field flags or --file")
	}
	return m, nil
}

func registerIncidentFlags(cmd *cobra.Command, update bool) {
	fl := cmd.Flags()
	for _, t := range incidentTextFlags {
		if !update && (t.flag == "state" || t.flag == "on-hold-reason" || strings.HasPrefix(t.flag, "resolution")) {
			continue
		}
		fl.String(t.flag, "", t.usage)
	}
	fl.Int("impact", 0, "impact 1 (high) to 3 (low)")
	fl.Int("urgency", 0, "urgency 1 (high) to 3 (low)")
	fl.Bool("major", false, "a major incident")
	fl.Bool("security", false, "a security incident (need-to-know, key SIR-n)")
	fl.StringSlice("ci", nil, "affected CI key (repeat or comma-separate); on update the whole list")
	fl.String("file", "", "JSON file with the fields (- for stdin); excludes the field flags")
	if update {
		fl.Int64("version", 0, "the version you read: refuse the change if it changed since")
	}
}

func newIncidentCreateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create (--short-description TEXT [flags] | --file incident.json)",
		Short: "Raise an incident",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			body, err := incidentBody(cmd, false)
			if err != nil {
				return err
			}
			inc, err := c.CreateIncident(cmd.Context(), body)
			if err != nil {
				return err
			}
			return render(cmd, inc, func(w io.Writer) {
				fmt.Fprintf(w, "created %s\n\n", cell(inc.Key))
				incidentDetails(w, inc)
			})
		},
	}
	registerIncidentFlags(cmd, false)
	return cmd
}

func newIncidentUpdateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update KEY [flags]",
		Short: "Change an incident: fields, assignment, state (--state resolved --resolution-code fixed --resolution-notes …)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			body, err := incidentBody(cmd, true)
			if err != nil {
				return err
			}
			inc, err := c.UpdateIncident(cmd.Context(), args[0], body)
			if err != nil {
				return err
			}
			return render(cmd, inc, func(w io.Writer) { incidentDetails(w, inc) })
		},
	}
	registerIncidentFlags(cmd, true)
	return cmd
}

func newIncidentNoteCmd() *cobra.Command {
	var comment bool
	cmd := &cobra.Command{
		Use:   "note KEY TEXT",
		Short: "Add a work note (internal), or with --comment a comment the caller sees",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			kind := incident.NoteWork
			if comment {
				kind = incident.NoteComment
			}
			n, err := c.AddNote(cmd.Context(), args[0], kind, args[1])
			if err != nil {
				return err
			}
			return render(cmd, n, func(w io.Writer) {
				fmt.Fprintf(w, "added %s %d to %s\n", strings.ReplaceAll(n.Kind, "_", " "), n.ID, cell(strings.ToUpper(args[0])))
			})
		},
	}
	cmd.Flags().BoolVar(&comment, "comment", false, "a comment the caller sees, instead of an internal work note")
	return cmd
}

package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/vuln"
)

// NewFindingCmd returns "rampart finding": list, show and accept
// vulnerability findings through the API.
func NewFindingCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "finding",
		Short: "List, show and accept the risk of vulnerability findings (through the API)",
	}
	addClientFlags(cmd)
	cmd.AddCommand(newFindingListCmd(), newFindingShowCmd(), newFindingAcceptCmd())
	return cmd
}

func newFindingListCmd() *cobra.Command {
	var f vuln.Filter
	var priority, state, kev string
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List findings, highest priority first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			for _, p := range splitList(priority) {
				f.Priority = append(f.Priority, vuln.Priority(strings.ToUpper(p)))
			}
			for _, s := range splitList(state) {
				f.State = append(f.State, vuln.State(s))
			}
			switch kev {
			case "":
			case "true", "false":
				b := kev == "true"
				f.KEV = &b
			default:
				return fmt.Errorf("--kev: want true or false")
			}
			page, err := c.ListFindings(cmd.Context(), f)
			if err != nil {
				return err
			}
			for all && page.NextCursor != "" {
				f.Cursor = page.NextCursor
				next, err := c.ListFindings(cmd.Context(), f)
				if err != nil {
					return err
				}
				page.Items, page.NextCursor = append(page.Items, next.Items...), next.NextCursor
			}
			return render(cmd, page, func(w io.Writer) { findingTable(w, page) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.CI, "ci", "", "only findings on this CI (CI-n)")
	fl.StringVar(&priority, "priority", "", "only these priorities, comma-separated (P1..P5)")
	fl.StringVar(&state, "state", "", "only these states, comma-separated")
	fl.StringVar(&kev, "kev", "", "true: only findings in CISA KEV; false: only those not")
	fl.StringVar(&f.CVE, "cve", "", "only findings about this CVE")
	fl.StringVar(&f.Cursor, "cursor", "", "continue after a previous page")
	fl.IntVar(&f.Limit, "limit", 0, "page size (server default 50, at most 500)")
	fl.BoolVar(&all, "all", false, "fetch every page")
	return cmd
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func findingTable(w io.Writer, page vuln.Page) {
	fmt.Fprintln(w, "KEY\tPRIO\tSTATE\tIDENTIFIER\tCI/TARGET\tPACKAGE\tCVSS\tKEV\tDUE")
	for _, f := range page.Items {
		where := f.CI
		if where == "" {
			where = f.Target
		}
		score := "-"
		if f.CVSS != nil && f.CVSS.Score != nil {
			score = fmt.Sprintf("%.1f", *f.CVSS.Score)
		}
		kev, due := "-", "-"
		if f.KEV != nil {
			kev = "yes"
		}
		if f.DueAt != nil {
			due = f.DueAt.Format(time.DateOnly)
			if f.Overdue {
				due += " overdue"
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(f.Key), cell(string(f.Priority)), cell(string(f.State)),
			cell(f.Identifier), cell(where), orDash(f.Package), score, kev, due)
	}
	fmt.Fprintf(w, "\n%d of %d findings", len(page.Items), page.Total)
	if page.NextCursor != "" {
		fmt.Fprintf(w, "; next page: --cursor %s (or --all)", cell(page.NextCursor))
	}
	fmt.Fprintln(w)
}

func newFindingShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show KEY",
		Short: "Show one finding with why it ranks where it does",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			f, err := c.GetFinding(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return render(cmd, f, func(w io.Writer) { findingDetails(w, f) })
		},
	}
}

func findingDetails(w io.Writer, f vuln.Record) {
	row := func(k, v string) { fmt.Fprintf(w, "%s\t%s\n", cell(k), orDash(v)) }
	row("key", f.Key)
	row("identifier", f.Identifier)
	row("cves", strings.Join(f.CVEs, ", "))
	row("title", f.Title)
	row("ci", f.CI)
	row("target", f.Target)
	row("scanner", f.Scanner)
	row("package", strings.TrimSpace(f.Package+" "+f.InstalledVersion))
	row("fixed_version", f.FixedVersion)
	row("path", f.Path)
	row("endpoint", f.Endpoint)
	if f.CVSS != nil {
		score := "not scored"
		if f.CVSS.Score != nil {
			score = fmt.Sprintf("%.1f", *f.CVSS.Score)
		}
		row("cvss", score+" "+f.CVSS.Vector)
	}
	if f.EPSS != nil {
		row("epss", fmt.Sprintf("%.5f", *f.EPSS))
	}
	if f.KEV != nil {
		row("kev", "yes, due "+f.KEV.DueDate.Format(time.DateOnly))
	}
	row("priority", fmt.Sprintf("%s (risk %.1f)", f.Priority, f.RiskScore))
	for _, r := range f.PriorityReasons {
		fmt.Fprintf(w, "\t  %s %s %+.1f %s\n", cell(r.Factor), cell(r.Value), r.Points, cell(r.Note))
	}
	row("state", string(f.State))
	if d := f.Decision; d != nil {
		row("decision", fmt.Sprintf("%s by %s at %s: %s", d.State, d.By, d.At.Format(time.RFC3339), d.Reason))
		if d.ExpiresAt != nil {
			row("accepted_until", d.ExpiresAt.Format(time.RFC3339)+" (approved by "+d.Approver+")")
		}
	}
	if f.DueAt != nil {
		due := f.DueAt.Format(time.RFC3339) + " (" + f.DueSource + ")"
		if f.Overdue {
			due += ", overdue"
		}
		row("due", due)
	}
	row("first_seen", f.FirstSeen.Format(time.RFC3339))
	row("last_seen", f.LastSeen.Format(time.RFC3339))
}

func newFindingAcceptCmd() *cobra.Command {
	var ch vuln.StateChange
	var until string
	cmd := &cobra.Command{
		Use:   "accept KEY --approver NAME --reason TEXT --until TIME",
		Short: "Accept a finding's risk until a time (then it reopens)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			ch.State = vuln.StateRiskAccepted
			if until != "" {
				t, err := time.Parse(time.RFC3339, until)
				if err != nil {
					if t, err = time.Parse(time.DateOnly, until); err != nil {
						return fmt.Errorf("--until: want an RFC 3339 time or a date such as 2026-06-30")
					}
				}
				ch.ExpiresAt = &t
			}
			f, err := c.ChangeFinding(cmd.Context(), args[0], ch)
			if err != nil {
				return err
			}
			return render(cmd, f, func(w io.Writer) { findingDetails(w, f) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&ch.Approver, "approver", "", "who approved the acceptance (required)")
	fl.StringVar(&ch.Reason, "reason", "", "why the risk is accepted (required)")
	fl.StringVar(&until, "until", "", "when the acceptance ends (RFC 3339 time or date; required, at most a year ahead)")
	return cmd
}

package cli

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

func newCIListCmd() *cobra.Command {
	var f cmdb.Filter
	var kind, since, exposed string
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List CIs matching filters",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			f.Kind = cmdb.Kind(kind)
			if since != "" {
				if f.UpdatedSince, err = time.Parse(time.RFC3339, since); err != nil {
					return fmt.Errorf("--updated-since: want an RFC 3339 time such as 2026-03-01T09:00:00Z")
				}
			}
			if exposed != "" {
				b, err := strconv.ParseBool(exposed)
				if err != nil {
					return fmt.Errorf("--internet-exposed: want true or false")
				}
				f.InternetExposed = &b
			}
			page, err := c.ListCIs(cmd.Context(), f)
			if err != nil {
				return err
			}
			// --all follows the cursor to the last page.
			for all && page.NextCursor != "" {
				f.Cursor = page.NextCursor
				next, err := c.ListCIs(cmd.Context(), f)
				if err != nil {
					return err
				}
				page.Items, page.NextCursor = append(page.Items, next.Items...), next.NextCursor
			}
			return render(cmd, page, func(w io.Writer) { ciTable(w, page) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Query, "q", "", "name prefix, key, or identifier (IP, hostname, MAC) prefix")
	fl.StringVar(&kind, "kind", "", "CI kind, e.g. server, database, business_service")
	fl.StringVar(&f.Environment, "environment", "", "environment, e.g. production")
	fl.StringVar(&f.Owner, "owner", "", "owner's username")
	fl.StringVar(&f.SupportGroup, "support-group", "", "support group (team)")
	fl.StringVar(&f.Tag, "tag", "", "carries this tag")
	fl.StringVar(&f.LifecycleStatus, "lifecycle-status", "", "planned, in_build, operational, maintenance or retired")
	fl.IntVar(&f.MinCriticality, "min-criticality", 0, "business criticality at least this (1-5)")
	fl.StringVar(&exposed, "internet-exposed", "", "true or false")
	fl.StringVar(&since, "updated-since", "", "changed at or after this RFC 3339 time")
	fl.StringVar(&f.Cursor, "cursor", "", "continue after a previous page")
	fl.IntVar(&f.Limit, "limit", 0, "page size (server default 50, at most 500)")
	fl.BoolVar(&all, "all", false, "fetch every page")
	return cmd
}

func ciTable(w io.Writer, page cmdb.Page) {
	fmt.Fprintln(w, "KEY\tNAME\tKIND\tCRIT\tENVIRONMENT\tOWNER\tSUPPORT GROUP")
	for _, ci := range page.Items {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", cell(ci.Key), cell(ci.Name), cell(string(ci.Kind)), ci.Criticality,
			orDash(ci.Environment), orDash(ci.Owner), orDash(ci.SupportGroup))
	}
	fmt.Fprintf(w, "\n%d of %d CIs", len(page.Items), page.Total)
	if page.NextCursor != "" {
		fmt.Fprintf(w, "; next page: --cursor %s (or --all)", cell(page.NextCursor))
	}
	fmt.Fprintln(w)
}

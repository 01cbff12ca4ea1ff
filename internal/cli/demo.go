package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/demo"
)

func newDemoCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Load demonstration teams, users and CMDB data into an empty database",
		Long: `Load demonstration teams, users and CMDB data into an empty database. Each demo
user's one-time password is printed once, with their roles; they choose a new
one at first sign-in.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Its job is to fill an empty database: like migrate it
			// creates the schema in one that exists.
			return withAppConfig(cmd, app.Config{Provision: app.CreateSchema}, func(a *app.App) error {
				loaded, err := loadDemo(cmd.Context(), cmd.OutOrStdout(), a)
				if err == nil && !loaded {
					fmt.Fprintln(cmd.OutOrStdout(), "the CMDB already has data; nothing loaded")
				}
				return err
			})
		},
	}
	addDBFlags(cmd)
	return cmd
}

// loadDemo loads the demo data (serve --demo and rampart demo) and prints
// each demo user's one-time password once, the way serve prints the first
// admin's: nobody can read them anywhere later.
func loadDemo(ctx context.Context, out io.Writer, a *app.App) (bool, error) {
	accounts, loaded, err := demo.Load(ctx, a)
	if err != nil || !loaded {
		return loaded, err
	}
	fmt.Fprintln(out, "demo data loaded; demo users (one-time passwords, shown once; each chooses a new one at first sign-in):")
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, acct := range accounts {
		roles := make([]string, len(acct.Roles))
		for i, r := range acct.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(tw, "  %s password: %s\troles: %s\n", acct.Username, acct.Password, strings.Join(roles, ", "))
	}
	return true, tw.Flush()
}

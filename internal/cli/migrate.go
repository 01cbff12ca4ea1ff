package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"
)

func newMigrateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations (serve does this too)",
		Long: `Apply pending database migrations (serve does this too).

The database must exist: an existing --data directory (the SQLite file in
it is created when missing) or an existing, possibly empty, PostgreSQL
database named by --db. Only serve creates a data directory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withAppConfig(cmd, app.Config{Provision: app.CreateSchema}, func(a *app.App) error { // opening migrates
				fmt.Fprintf(cmd.OutOrStdout(), "database (%s) is up to date\n", a.DB.Dialect.Name)
				return nil
			})
		},
	}
	addDBFlags(cmd)
	return cmd
}

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
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, func(a *app.App) error { // opening migrates
				fmt.Fprintf(cmd.OutOrStdout(), "database (%s) is up to date\n", a.DB.Dialect.Name)
				return nil
			})
		},
	}
	addDBFlags(cmd)
	return cmd
}

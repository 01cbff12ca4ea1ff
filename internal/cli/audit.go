package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"
)

func newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Work with the audit log"}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit hash chain; exit non-zero naming the first broken entry",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, func(a *app.App) error {
				n, err := a.Audit.Verify(cmd.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "audit chain OK: %d entries\n", n)
				return nil
			})
		},
	}
	addDBFlags(verify)
	cmd.AddCommand(verify)
	return cmd
}

package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"

	"github.com/rampart-itsm/rampart/internal/demo"
)

func newDemoCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Load demonstration teams, users and CMDB data into an empty database",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, func(a *app.App) error {
				loaded, err := demo.Load(cmd.Context(), a)
				if err != nil {
					return err
				}
				if loaded {
					fmt.Fprintln(cmd.OutOrStdout(), "demo data loaded")
				} else {
					fmt.Fprintln(cmd.OutOrStdout(), "the CMDB already has data; nothing loaded")
				}
				return nil
			})
		},
	}
	addDBFlags(cmd)
	return cmd
}

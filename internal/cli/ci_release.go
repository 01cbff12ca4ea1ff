package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newCIReleaseCmd returns "rampart ci release KEY FIELD...": hands fields of
// a CI back to imports, so the next import that gives them sets them.
func newCIReleaseCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "release KEY FIELD...",
		Short: "Hand fields of a CI (name, environment, attributes.rack...) back to imports: whoever set them no longer holds them",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			ci, err := c.ReleaseSources(cmd.Context(), args[0], args[1:])
			if err != nil {
				return err
			}
			fmt.Fprintf(terminalSafe(cmd.OutOrStdout()), "%s: the next import that gives these fields sets them (version %d)\n", cell(ci.Key), ci.Version)
			return nil
		},
	}
}

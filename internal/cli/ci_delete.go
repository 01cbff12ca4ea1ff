package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCIDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "delete KEY...",
		Short: "Delete CIs (and their relationships)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			for _, key := range args {
				if err := c.DeleteCI(cmd.Context(), key); err != nil {
					return fmt.Errorf("delete %s: %w", key, err)
				}
				fmt.Fprintf(terminalSafe(cmd.OutOrStdout()), "deleted %s\n", key)
			}
			return nil
		},
	}
}

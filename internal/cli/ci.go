package cli

import (
	"github.com/spf13/cobra"
)

// NewCICmd returns "rampart ci": list, show, create and delete CIs through
// the API.
func NewCICmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ci",
		Short: "List, show, create and delete configuration items (through the API)",
	}
	addClientFlags(cmd)
	cmd.AddCommand(newCIListCmd(), newCIShowCmd(), newCICreateCmd(), newCIDeleteCmd())
	return cmd
}

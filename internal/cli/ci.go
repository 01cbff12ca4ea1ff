package cli

import (
	"github.com/spf13/cobra"
)

// NewCICmd returns "rampart ci": list, show, create, update and delete CIs through
// the API.
func NewCICmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ci",
		Short: "List, show, create, update and delete configuration items (through the API)",
	}
	addClientFlags(cmd)
	cmd.AddCommand(newCIListCmd(), newCIShowCmd(), newCICreateCmd(), newCIUpdateCmd(), newCIDeleteCmd(), newCIReleaseCmd())
	return cmd
}

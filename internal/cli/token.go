package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"

	"github.com/rampart-itsm/rampart/internal/auth"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var user, name, scope string
	create := &cobra.Command{
		Use:   "create",
		Short: "Print a new API token for a user (for scripts and first set-up)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, func(a *app.App) error {
				// Whoever can run this command can read the database
				// files, so it acts as the system itself; the token is
				// still audited.
				scopes, err := auth.ParseTokenScopes(scope)
				if err != nil {
					return err
				}
				token, _, err := a.Auth.CreateToken(cmd.Context(), auth.System, user, name, nil, scopes...)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), token)
				return nil
			})
		},
	}
	create.Flags().StringVar(&user, "user", "", "user the token acts as (required)")
	create.Flags().StringVar(&name, "name", "cli", "a label to recognise the token by")
	create.Flags().StringVar(&scope, "scope", "full", "what the token may do: full, read (no writes) or metrics (GET /metrics only); comma-separated for several")
	_ = create.MarkFlagRequired("user")
	addDBFlags(create)
	cmd.AddCommand(create)
	return cmd
}

package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// NewUserCmd returns "rampart user": account work for administrators
// through the API.
func NewUserCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage user accounts (administrators, through the API)",
	}
	addClientFlags(cmd)
	cmd.AddCommand(&cobra.Command{
		Use:   "reset-password NAME",
		Short: "Give a user a new one-time password, printed once",
		Long: `Give a user a new random one-time password and print it once: hand it to them
over a channel you trust. They must choose a new password when they next sign
in, and every session of theirs ends now. Needs an administrator's token.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			r, err := c.ResetPassword(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return render(cmd, r, func(w io.Writer) {
				fmt.Fprintf(w, "%s password: %s\n", r.Username, r.Password)
				fmt.Fprintf(w, "  (shown once; %s must choose a new password at next sign-in; their sessions have ended)\n", r.Username)
			})
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "unlock NAME",
		Short: "Lift a user's sign-in lock after repeated failed sign-ins",
		Long: `Lift the delay or 15-minute lock repeated failed sign-ins put on a user's
account, at once (the throttle of the client addresses that failed stays).
Needs an administrator's token.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			if err := c.Unlock(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s may sign in again\n", auth.NormalizeUsername(args[0]))
			return nil
		},
	})
	return cmd
}

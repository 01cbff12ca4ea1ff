package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"

	"github.com/rampart-itsm/rampart/internal/auth"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var user, name, scope, expires string
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
				life, err := parseLifetime(expires)
				if err != nil {
					return err
				}
				at := a.Clock.Now().Add(life)
				token, _, err := a.Auth.CreateToken(cmd.Context(), auth.System, user, name, &at, scopes...)
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
	create.Flags().StringVar(&expires, "expires", "90d", "how long the token works: days (30d) or a duration (12h), at most 365d")
	_ = create.MarkFlagRequired("user")
	addDBFlags(create)
	cmd.AddCommand(create)
	return cmd
}

// parseLifetime reads a token lifetime as typed: whole days ("30d") or a
// Go duration ("12h", "90m").
func parseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("--expires %q: want a number of days such as 30d, or a duration such as 12h", s)
}

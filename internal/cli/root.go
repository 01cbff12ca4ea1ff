// Package cli holds Rampart's Cobra commands, one file per verb. Server
// verbs (serve, migrate, token, audit, demo) open the database directly;
// client verbs (ci, relation, import, impact, user) talk to a running Rampart
// over the API.
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/config"
)

// Execute runs the command line and returns the process exit code (see
// exit.go).
func Execute() int {
	root := NewRootCmd(os.Stdout, os.Stderr)
	err := root.Execute()
	if err != nil {
		printError(os.Stderr, err)
	}
	return exitCode(err)
}

// NewRootCmd builds the command tree writing to out and errOut.
func NewRootCmd(out, errOut io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "rampart",
		Short:         "IT service management and security operations in one system",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(terminalSafe(out))
	root.SetErr(terminalSafe(errOut))
	config.Register(root.PersistentFlags(), "log-level")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		return setupLogging(cmd.ErrOrStderr(), config.Get(cmd.Flags(), "log-level"))
	}
	root.AddCommand(newServeCmd(), newMigrateCmd(), newTokenCmd(), newAuditCmd(), newDemoCmd(), newConfigCmd(),
		NewCICmd(), NewRelationCmd(), NewImportCmd(), NewImpactCmd(), NewUserCmd(), NewFindingCmd(), NewIncidentCmd(), newBenchCmd())
	return root
}

func setupLogging(w io.Writer, level string) error {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})))
	return nil
}

// addDBFlags adds --data and --db to a command that opens the database.
func addDBFlags(cmd *cobra.Command) { config.Register(cmd.Flags(), "data", "db") }

// withApp opens the database named by the command's --data/--db flags
// (which must hold Rampart's schema), runs fn and closes it again.
func withApp(cmd *cobra.Command, fn func(a *app.App) error) error {
	return withAppConfig(cmd, app.Config{Provision: app.ExistingOnly}, fn)
}

// withAppConfig is withApp with the rest of the configuration.
func withAppConfig(cmd *cobra.Command, cfg app.Config, fn func(a *app.App) error) error {
	a, err := openAppWith(cmd.Context(), cmd, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}

// openAppWith is openApp with the rest of the configuration (serve's).
func openAppWith(ctx context.Context, cmd *cobra.Command, cfg app.Config) (*app.App, error) {
	cfg.Target, cfg.Logger = config.Target(cmd.Flags()), slog.Default()
	return app.Open(ctx, cfg)
}

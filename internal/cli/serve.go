package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/config"
	"github.com/rampart-itsm/rampart/internal/demo"
)

func newServeCmd() *cobra.Command {
	var withDemo bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the web UI, the API and the background runner",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return serve(ctx, cmd, withDemo)
		},
	}
	cmd.Flags().BoolVar(&withDemo, "demo", false, "load demonstration data into an empty CMDB")
	addDBFlags(cmd)
	config.Register(cmd.Flags(), "addr", "secure-cookies")
	return cmd
}

func serve(ctx context.Context, cmd *cobra.Command, withDemo bool) error {
	a, err := openApp(ctx, cmd)
	if err != nil {
		return err
	}
	defer a.Close()
	out := cmd.OutOrStdout()
	password, created, err := a.Auth.Bootstrap(ctx)
	if err != nil {
		return fmt.Errorf("create first admin: %w", err)
	}
	if created {
		fmt.Fprintf(out, "admin password: %s\n", password)
		fmt.Fprintln(out, "  (user \"admin\"; shown once, you will be asked to change it at first sign-in)")
	}
	if withDemo {
		loaded, err := demo.Load(ctx, a)
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		if loaded {
			fmt.Fprintln(out, "demo data loaded")
		}
	}
	ln, err := net.Listen("tcp", config.Get(cmd.Flags(), "addr"))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		if err := a.Runner.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			slog.Error("background runner stopped", "error", err)
		}
	}()
	fmt.Fprintf(out, "Rampart is running at http://%s (database: %s)\n", ln.Addr(), a.DB.Dialect.Name)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	slog.Info("shutting down")
	return srv.Shutdown(shutdown)
}

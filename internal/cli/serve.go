package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/config"
	"github.com/rampart-itsm/rampart/internal/httpauth"
	"github.com/rampart-itsm/rampart/internal/jobs"
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
	config.Register(cmd.Flags(), serveFlags...)
	return cmd
}

// serveFlags are serve's options besides the database.
var serveFlags = []string{"addr", "secure-cookies", "trusted-proxies", "read-header-timeout", "read-timeout",
	"upload-timeout", "idle-timeout", "max-header-bytes", "metrics-public", "password-hash-concurrency",
	"keep-done-jobs", "keep-dead-jobs"}

// serverSettings bound what a client may make the server wait for, and say
// how to tell a request that came over HTTPS.
type serverSettings struct {
	transport                                                  httpauth.Transport
	readHeaderTimeout, readTimeout, uploadTimeout, idleTimeout time.Duration
	maxHeaderBytes                                             int
	metricsPublic                                              bool
	hashSlots                                                  int // 0: from available memory
	jobRetention                                               jobs.Retention
}

// readServerSettings reads serve's flags, refusing values that are not
// durations, sizes or addresses rather than guessing.
func readServerSettings(fs *pflag.FlagSet) (serverSettings, error) {
	var s serverSettings
	var err error
	if s.transport.Secure, err = httpauth.ParseSecureMode(config.Get(fs, "secure-cookies")); err != nil {
		return s, fmt.Errorf("--secure-cookies: %w", err)
	}
	if s.transport.Proxies, err = httpauth.ParseProxies(config.Get(fs, "trusted-proxies")); err != nil {
		return s, fmt.Errorf("--trusted-proxies: %w", err)
	}
	for _, d := range []struct {
		flag string
		dst  *time.Duration
	}{{"read-header-timeout", &s.readHeaderTimeout}, {"read-timeout", &s.readTimeout},
		{"upload-timeout", &s.uploadTimeout}, {"idle-timeout", &s.idleTimeout}} {
		v, err := time.ParseDuration(config.Get(fs, d.flag))
		if err != nil || v <= 0 {
			return s, fmt.Errorf("--%s %q: want a positive duration such as 30s or 5m", d.flag, config.Get(fs, d.flag))
		}
		*d.dst = v
	}
	n, err := strconv.Atoi(config.Get(fs, "max-header-bytes"))
	if err != nil || n < 4096 {
		return s, fmt.Errorf("--max-header-bytes %q: want a number of bytes, at least 4096", config.Get(fs, "max-header-bytes"))
	}
	s.maxHeaderBytes = n
	if s.metricsPublic, err = strconv.ParseBool(config.Get(fs, "metrics-public")); err != nil {
		return s, fmt.Errorf("--metrics-public %q: want true or false", config.Get(fs, "metrics-public"))
	}
	if v := config.Get(fs, "password-hash-concurrency"); v != "auto" && v != "" {
		if s.hashSlots, err = strconv.Atoi(v); err != nil || s.hashSlots < 1 || s.hashSlots > 1024 {
			return s, fmt.Errorf("--password-hash-concurrency %q: want auto or a number from 1 to 1024", v)
		}
	}
	s.jobRetention = jobs.DefaultRetention
	for _, d := range []struct {
		flag string
		dst  *time.Duration
	}{{"keep-done-jobs", &s.jobRetention.Done}, {"keep-dead-jobs", &s.jobRetention.Dead}} {
		v, err := time.ParseDuration(config.Get(fs, d.flag))
		if err != nil || v < 0 {
			return s, fmt.Errorf("--%s %q: want a duration such as 168h, or 0 to keep them", d.flag, config.Get(fs, d.flag))
		}
		*d.dst = v
	}
	return s, nil
}

// newHTTPServer is the server serve runs. Every read is bounded, so a
// client that sends its headers or body slowly (or never) loses its
// connection instead of holding it: headers within readHeaderTimeout, the
// whole request within readTimeout (upload routes extend it for signed-in
// users), and an idle keep-alive connection closes after idleTimeout.
// There is no write timeout: the audit export streams for as long as the
// log is.
func newHTTPServer(h http.Handler, s serverSettings) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: s.readHeaderTimeout, ReadTimeout: s.readTimeout,
		IdleTimeout: s.idleTimeout, MaxHeaderBytes: s.maxHeaderBytes}
}

func serve(ctx context.Context, cmd *cobra.Command, withDemo bool) error {
	settings, err := readServerSettings(cmd.Flags())
	if err != nil {
		return err
	}
	a, err := openAppWith(ctx, cmd, app.Config{Transport: settings.transport, UploadTimeout: settings.uploadTimeout, MetricsPublic: settings.metricsPublic,
		HashSlots: settings.hashSlots, JobRetention: settings.jobRetention})
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
		if _, err := loadDemo(ctx, out, a); err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
	}
	ln, err := net.Listen("tcp", config.Get(cmd.Flags(), "addr"))
	if err != nil {
		return err
	}
	srv := newHTTPServer(a.Handler(), settings)
	// The runner stops before the database closes, however serve ends:
	// on PostgreSQL it holds a listening connection.
	runCtx, stopRunner := context.WithCancel(ctx)
	defer stopRunner()
	go func() {
		if err := a.Runner.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
			slog.Error("background runner stopped", "error", err)
		}
	}()
	slog.Info("password hashing bounded", "concurrent", a.Auth.HashSlots(), "memory_mib", a.Auth.HashSlots()*auth.HashMemory>>20)
	fmt.Fprintf(out, "Rampart is running at http://%s (database: %s); Ctrl-C stops it\n", ln.Addr(), a.DB.Dialect.Name)
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

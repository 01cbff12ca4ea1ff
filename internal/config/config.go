// Package config holds every option Rampart reads, in one table: the flag,
// the environment variable that can set it instead, its default, and
// whether it is a secret (never printed).
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// Option describes one setting.
type Option struct {
	Flag    string
	Env     string
	Default string
	Usage   string
	Secret  bool
}

// Options is the table of every setting.
var Options = []Option{
	{Flag: "addr", Env: "RAMPART_ADDR", Default: "127.0.0.1:8080", Usage: "HOST:PORT the web UI and API listen on"},
	{Flag: "data", Env: "RAMPART_DATA", Default: "./rampart-data", Usage: "directory for the embedded SQLite database and files"},
	{Flag: "db", Env: "RAMPART_DB", Default: "", Usage: "PostgreSQL DSN (postgres://…); when set, used instead of embedded SQLite", Secret: true},
	{Flag: "log-level", Env: "RAMPART_LOG_LEVEL", Default: "info", Usage: "debug, info, warn or error"},
	{Flag: "secure-cookies", Env: "RAMPART_SECURE_COOKIES", Default: "auto", Usage: "mark session cookies Secure: auto (when the request came over HTTPS, directly or per X-Forwarded-Proto from a trusted proxy; HSTS is sent then too), true (always) or false (never)"},
	{Flag: "trusted-proxies", Env: "RAMPART_TRUSTED_PROXIES", Default: "", Usage: "comma-separated addresses or CIDR blocks of the reverse proxies whose X-Forwarded-Proto is believed (nobody else's is)"},
	{Flag: "read-header-timeout", Env: "RAMPART_READ_HEADER_TIMEOUT", Default: "10s", Usage: "time a client has to send a request's headers"},
	{Flag: "read-timeout", Env: "RAMPART_READ_TIMEOUT", Default: "60s", Usage: "time a client has to send a whole request, headers and body (file uploads: --upload-timeout)"},
	{Flag: "upload-timeout", Env: "RAMPART_UPLOAD_TIMEOUT", Default: "10m", Usage: "time a signed-in user has to send an uploaded discovery file"},
	{Flag: "idle-timeout", Env: "RAMPART_IDLE_TIMEOUT", Default: "2m", Usage: "how long an idle keep-alive connection stays open"},
	{Flag: "max-header-bytes", Env: "RAMPART_MAX_HEADER_BYTES", Default: "65536", Usage: "largest request headers accepted, in bytes (beyond: 431)"},
	{Flag: "metrics-public", Env: "RAMPART_METRICS_PUBLIC", Default: "false", Usage: "serve /metrics without a token, for a scraper on a trusted network (by default it needs a token whose user holds metrics:read: admin, auditor)"},
	{Flag: "password-hash-concurrency", Env: "RAMPART_PASSWORD_HASH_CONCURRENCY", Default: "auto", Usage: "how many passwords may be checked at once (64 MiB each; more sign-ins wait briefly, then get 503 with Retry-After): auto sizes it from available memory (a quarter of the cgroup limit's headroom or MemAvailable) and CPUs (two each), 2 to 32; or a number"},
	{Flag: "keep-done-jobs", Env: "RAMPART_KEEP_DONE_JOBS", Default: "168h", Usage: "how long finished background jobs stay for admins to inspect before they are purged (0: forever)"},
	{Flag: "keep-dead-jobs", Env: "RAMPART_KEEP_DEAD_JOBS", Default: "720h", Usage: "how long dead background jobs (failed their last attempt) stay before they are purged (0: forever)"},
	{Flag: "url", Env: "RAMPART_URL", Default: "http://127.0.0.1:8080", Usage: "base URL of a running Rampart, for API client commands"},
	{Flag: "token", Env: "RAMPART_TOKEN", Default: "", Usage: "API token for client commands", Secret: true},
}

func lookup(flag string) Option {
	for _, o := range Options {
		if o.Flag == flag {
			return o
		}
	}
	panic("config: unknown option " + flag)
}

// Register adds the named options as flags on fs; an option's environment
// variable, when set, replaces its default.
func Register(fs *pflag.FlagSet, flags ...string) {
	for _, name := range flags {
		o := lookup(name)
		def := o.Default
		if v, ok := os.LookupEnv(o.Env); ok {
			def = v
		}
		usage := o.Usage + " (env " + o.Env + ")"
		if o.Secret && def != "" {
			// Keep secrets out of --help output.
			fs.String(o.Flag, "", usage)
			_ = fs.Set(o.Flag, def)
			fs.Lookup(o.Flag).DefValue = ""
			continue
		}
		fs.String(o.Flag, def, usage)
	}
}

// Get returns the value of a registered option.
func Get(fs *pflag.FlagSet, flag string) string {
	v, err := fs.GetString(flag)
	if err != nil {
		panic("config: option not registered: " + flag)
	}
	return strings.TrimSpace(v)
}

// Target returns where the database lives: the PostgreSQL DSN from --db
// when given, otherwise the SQLite file inside --data.
func Target(fs *pflag.FlagSet) string {
	if db := Get(fs, "db"); db != "" {
		return db
	}
	return filepath.Join(Get(fs, "data"), "rampart.db")
}

// Dump lists every option's effective value with secrets hidden.
func Dump(fs *pflag.FlagSet) []string {
	var out []string
	fs.VisitAll(func(f *pflag.Flag) {
		for _, o := range Options {
			if o.Flag == f.Name {
				v := f.Value.String()
				if o.Secret && v != "" {
					v = "********"
				}
				out = append(out, fmt.Sprintf("%s=%s", o.Flag, v))
			}
		}
	})
	sort.Strings(out)
	return out
}

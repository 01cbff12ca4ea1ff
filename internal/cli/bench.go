package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/auth"
)

// newBenchCmd returns "rampart bench": load drivers that measure a running
// Rampart (or one they start on a throwaway database) through its API.
func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "bench", Short: "Measure Rampart under load through its API"}
	cmd.AddCommand(newBenchIncidentsCmd())
	return cmd
}

func newBenchIncidentsCmd() *cobra.Command {
	var clients int
	var duration time.Duration
	var url, token, db string
	cmd := &cobra.Command{
		Use:   "incidents [--clients N] [--duration D] [--url URL --token TOKEN | --db DSN]",
		Short: "Raise incidents through POST /api/v1/incidents from many clients; print incidents/s, p50 and p99",
		Long: "Each client raises incidents one after another for the duration and the latencies of all are " +
			"collected. With --url and --token it measures that server (the token's user must raise incidents); " +
			"without, it starts Rampart in this process on a throwaway SQLite database, or on --db (a PostgreSQL " +
			"database it writes incidents into).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if url == "" {
				stop, u, t, err := benchServer(ctx, db)
				if err != nil {
					return err
				}
				defer stop()
				url, token = u, t
			} else if token == "" {
				return fmt.Errorf("--url needs --token")
			}
			r := runIncidentLoad(ctx, url, token, clients, duration)
			fmt.Fprint(cmd.OutOrStdout(), r)
			if r.ok == 0 {
				return fmt.Errorf("no incident was raised: %s", r.firstErr)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&clients, "clients", 200, "concurrent clients")
	fl.DurationVar(&duration, "duration", 30*time.Second, "how long to run")
	fl.StringVar(&url, "url", "", "Rampart to measure, e.g. http://127.0.0.1:8080 (default: start one here)")
	fl.StringVar(&token, "token", "", "API token for --url")
	fl.StringVar(&db, "db", "", "without --url: a postgres:// DSN to run on instead of a throwaway SQLite database")
	return cmd
}

// benchServer starts Rampart in this process on a throwaway SQLite
// database (or dsn) with a user who raises the incidents, and returns how
// to reach it and how to stop it.
func benchServer(ctx context.Context, dsn string) (stop func(), url, token string, err error) {
	target, dir := dsn, ""
	if target == "" {
		if dir, err = os.MkdirTemp("", "rampart-bench-"); err != nil {
			return nil, "", "", err
		}
		target = filepath.Join(dir, "rampart.db")
	}
	cleanup := func() {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	// Its log would only report the requests cut off at the end.
	a, err := app.Open(ctx, app.Config{Target: target, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		cleanup()
		return nil, "", "", err
	}
	name := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	if _, err = a.Auth.CreateUser(ctx, auth.System, auth.NewUser{Username: name, Password: "bench-" + name,
		Roles: []auth.Role{auth.RoleAgent}}); err == nil {
		token, _, err = a.Auth.CreateToken(ctx, auth.System, name, "bench", nil)
	}
	if err != nil {
		a.Close()
		cleanup()
		return nil, "", "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		cleanup()
		return nil, "", "", err
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Close below
	return func() {
		srv.Close()
		a.Close()
		cleanup()
	}, "http://" + ln.Addr().String(), token, nil
}

// loadResult is what a load run measured.
type loadResult struct {
	ok, failed int
	elapsed    time.Duration
	latencies  []time.Duration // of successful requests, sorted
	firstErr   string
	clients    int
}

func (r loadResult) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(q*float64(len(r.latencies))))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func (r loadResult) String() string {
	rate := float64(r.ok) / r.elapsed.Seconds()
	s := fmt.Sprintf("%d incidents in %.1f s from %d clients: %.0f incidents/s\nlatency p50 %s, p99 %s, max %s\n",
		r.ok, r.elapsed.Seconds(), r.clients, rate, ms(r.quantile(0.50)), ms(r.quantile(0.99)), ms(r.quantile(1)))
	if r.failed > 0 {
		s += fmt.Sprintf("%d requests failed; the first: %s\n", r.failed, r.firstErr)
	}
	return s
}

// runIncidentLoad has clients raise incidents for d, each one request at
// a time, and collects every latency.
func runIncidentLoad(ctx context.Context, url, token string, clients int, d time.Duration) loadResult {
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	res := loadResult{clients: clients}
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			failed, firstErr := 0, ""
			for n := 0; ctx.Err() == nil; n++ {
				body := fmt.Sprintf(`{"short_description":"bench %d-%d: service degraded","impact":%d,"urgency":%d}`, c, n, n%3+1, c%3+1)
				t0 := time.Now()
				err := postIncident(ctx, hc, url, token, body)
				switch {
				case err == nil:
					lat = append(lat, time.Since(t0))
				case ctx.Err() != nil: // cut off by the end of the run
				default:
					failed++
					if firstErr == "" {
						firstErr = err.Error()
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.latencies = append(res.latencies, lat...)
			res.failed += failed
			if res.firstErr == "" {
				res.firstErr = firstErr
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.ok = len(res.latencies)
	slices.Sort(res.latencies)
	return res
}

func postIncident(ctx context.Context, hc *http.Client, url, token, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/v1/incidents", bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("status %d: %s", resp.StatusCode, bytes.TrimSpace(msg))
	}
	return nil
}

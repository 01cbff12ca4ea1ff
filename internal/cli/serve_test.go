package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/config"
	"github.com/rampart-itsm/rampart/internal/httpauth"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

func serveFlagSet(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	config.Register(fs, serveFlags...)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestServerSettings(t *testing.T) {
	for _, env := range []string{"RAMPART_SECURE_COOKIES", "RAMPART_TRUSTED_PROXIES", "RAMPART_READ_TIMEOUT", "RAMPART_READ_HEADER_TIMEOUT",
		"RAMPART_UPLOAD_TIMEOUT", "RAMPART_IDLE_TIMEOUT", "RAMPART_MAX_HEADER_BYTES"} {
		if _, ok := os.LookupEnv(env); ok {
			t.Setenv(env, "")
			os.Unsetenv(env)
		}
	}
	s, err := readServerSettings(serveFlagSet(t))
	if err != nil {
		t.Fatal(err)
	}
	// Sane defaults: every read bounded; uploads get longer than forms.
	if s.readHeaderTimeout <= 0 || s.readTimeout <= 0 || s.idleTimeout <= 0 || s.uploadTimeout <= s.readTimeout ||
		s.maxHeaderBytes <= 0 || s.transport.Secure != httpauth.SecureAuto || len(s.transport.Proxies) != 0 {
		t.Errorf("defaults %+v", s)
	}
	srv := newHTTPServer(http.NotFoundHandler(), s)
	if srv.ReadHeaderTimeout != s.readHeaderTimeout || srv.ReadTimeout != s.readTimeout || srv.IdleTimeout != s.idleTimeout ||
		srv.MaxHeaderBytes != s.maxHeaderBytes {
		t.Errorf("server %+v does not carry the settings", srv)
	}
	s, err = readServerSettings(serveFlagSet(t, "--secure-cookies", "true", "--trusted-proxies", "10.0.0.1,10.2.0.0/16",
		"--read-timeout", "5s", "--upload-timeout", "1h", "--max-header-bytes", "8192"))
	if err != nil || s.transport.Secure != httpauth.SecureAlways || len(s.transport.Proxies) != 2 ||
		s.readTimeout != 5*time.Second || s.uploadTimeout != time.Hour || s.maxHeaderBytes != 8192 {
		t.Errorf("explicit settings %+v, %v", s, err)
	}
	for _, bad := range [][]string{
		{"--read-timeout", "soon"}, {"--read-header-timeout", "0s"}, {"--idle-timeout", "-1m"}, {"--upload-timeout", "10"},
		{"--max-header-bytes", "lots"}, {"--max-header-bytes", "100"}, {"--secure-cookies", "maybe"}, {"--trusted-proxies", "proxy.local"},
	} {
		if _, err := readServerSettings(serveFlagSet(t, bad...)); err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%v: error %v, want one naming the flag", bad, err)
		}
	}
}

// startServer runs Rampart's handler in the server serve builds, with
// short timeouts so the test need not wait for the real ones.
func startServer(t *testing.T, s serverSettings) string {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{Target: storetest.Target(t, "sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(a.Handler(), s)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// closedByServer sends start, then trickles one byte of more every few
// milliseconds, and reports whether the server closed the connection (the
// reader saw the end) before the safety limit. What the server answered on
// the way, if anything, is returned too.
func closedByServer(t *testing.T, addr, start, more string) (bool, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A safety net for a server that never closes, not a measurement.
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, start); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if _, err := io.WriteString(conn, more[i%len(more):i%len(more)+1]); err != nil {
				return
			}
		}
	}()
	answer, err := io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false, string(answer)
	}
	return true, string(answer) // EOF or reset: closed
}

// Slow clients lose their connection: a POST body trickled to the
// anonymous sign-in form, headers trickled, and a connection left idle.
func TestSlowClientsAreCutOff(t *testing.T) {
	addr := startServer(t, serverSettings{readHeaderTimeout: 200 * time.Millisecond, readTimeout: 400 * time.Millisecond,
		uploadTimeout: time.Minute, idleTimeout: 300 * time.Millisecond, maxHeaderBytes: 8192})

	body := "POST /login HTTP/1.1\r\nHost: rampart\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nusername=admin&password="
	if closed, _ := closedByServer(t, addr, body, "abcdefgh"); !closed {
		t.Error("a trickled POST body kept its connection")
	}
	if closed, _ := closedByServer(t, addr, "GET /healthz HTTP/1.1\r\nHost: rampart\r\n", "X-Slow: 1\r\n"); !closed {
		t.Error("trickled headers kept their connection")
	}

	// A finished request on a keep-alive connection, then silence.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: rampart\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
		t.Errorf("idle keep-alive connection: read gave %v, want the server to close it", err)
	}
}

// Headers beyond the limit are refused with 431, not read on and on.
func TestOversizedHeaders(t *testing.T) {
	addr := startServer(t, serverSettings{readHeaderTimeout: 5 * time.Second, readTimeout: 5 * time.Second,
		uploadTimeout: time.Minute, idleTimeout: time.Second, maxHeaderBytes: 4096})
	req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("x", 16<<10))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status %d, want 431", res.StatusCode)
	}
	req.Header.Del("X-Big")
	if res, err = http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Errorf("normal request: %v %v", res, err)
	} else {
		res.Body.Close()
	}
}

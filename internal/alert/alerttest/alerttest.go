// Package alerttest holds helpers for the tests of alert and its
// sub-packages.
package alerttest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/vuln/vulntest"
)

// Received is the receive time the tests parse with: a fixed "now".
var Received = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

// Meta is the metadata the tests parse with.
func Meta(source string) alert.Meta {
	return alert.Meta{Source: source, Received: Received, Peer: "192.0.2.10:51514"}
}

// CI reports whether the tests run in CI (CI=true), where what a test
// needs must be there: a missing tool or fixture fails instead of
// skipping.
func CI() bool { return os.Getenv("CI") == "true" }

// SharedFixtures is the folder of real alert output beside the project
// (../shared/fixtures/alerts from the project root). Outside CI a test
// that needs it skips, saying so; with CI=true its absence fails the test.
func SharedFixtures(t testing.TB) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "..", "..", "..", "shared", "fixtures", "alerts")
	if _, err := os.Stat(dir); err != nil {
		if CI() {
			t.Fatalf("shared fixtures missing at %s (CI=true): %v", dir, err)
		}
		t.Skipf("shared fixtures not found at %s; skipping (they are required when CI=true)", dir)
	}
	return dir
}

// Tool returns the path of a program a test drives (logger, rsyslogd,
// prometheus-alertmanager). Outside CI a missing tool skips the test; in
// CI it fails it: .ci/run installs them.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/sbin"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return filepath.Join(dir, name)
		}
	}
	if CI() {
		t.Fatalf("%s is not installed (CI=true; .ci/run installs it)", name)
	}
	t.Skipf("%s is not installed; skipping (apt-get install the Debian package to run this test)", name)
	return ""
}

// Golden compares v, as indented JSON, with the file at path; with
// update it writes the file instead.
func Golden(t testing.TB, path string, v any, update bool) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	vulntest.Golden(t, path, append(got, '\n'), update)
}

// Parse runs p on payload as the source named source would, and checks
// the invariants every parse keeps (Check).
func Parse(t testing.TB, p alert.Parser, source string, payload []byte) (alert.Result, error) {
	t.Helper()
	res, err := p.Parse(payload, Meta(source))
	Check(t, res, err)
	return res, err
}

// WaitFor returns once done reports true, checking it whenever poke
// fires and every 100 ms; after a minute (a bound for a loaded machine,
// not a measured time) it fails the test with what it waited for and
// what done last said.
func WaitFor(t testing.TB, what string, poke <-chan struct{}, done func() (bool, string)) {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		ok, state := done()
		if ok {
			return
		}
		select {
		case <-poke:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatalf("waited a minute for %s; %s", what, state)
		}
	}
}

// Check runs the invariants every parse must keep on any input: alerts
// are normalised (normalising again changes nothing), their text is valid
// UTF-8, every alert has a severity, a status, a source and a time, and
// the counts add up.
func Check(t testing.TB, res alert.Result, err error) {
	t.Helper()
	// Every record read is an alert, an other or a failure; failures that
	// keep records from being delimited at all add to Failed only.
	if len(res.Alerts)+len(res.Others)+res.Failed < res.Records {
		t.Errorf("records %d > alerts %d + others %d + failed %d", res.Records, len(res.Alerts), len(res.Others), res.Failed)
	}
	if res.Failed > 0 && err == nil {
		t.Errorf("%d records failed without an error", res.Failed)
	}
	for i, a := range res.Alerts {
		b := a
		b.Normalize(alert.Meta{Source: a.Source, Received: Received})
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("alert %d is not normalised:\n%s\n%s", i, ja, jb)
		}
		if !a.Severity.Valid() || a.Status == "" || a.Source == "" || a.ObservedAt.IsZero() {
			t.Errorf("alert %d lacks a required field: %s", i, ja)
		}
	}
}

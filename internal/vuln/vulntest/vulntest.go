// Package vulntest holds helpers for the tests of vuln and its
// sub-packages.
package vulntest

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// SharedFixtures is the folder of real reports beside the project
// (../shared/fixtures/vuln from the project root). Outside CI a test that
// needs it skips, saying so; with CI=true its absence fails the test.
func SharedFixtures(t testing.TB) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "..", "..", "..", "shared", "fixtures", "vuln")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared fixtures missing at %s (CI=true): %v", dir, err)
		}
		t.Skipf("shared fixtures not found at %s; skipping (they are required when CI=true)", dir)
	}
	return dir
}

// Golden compares got with the file at path; with update it rewrites the
// file instead.
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it after review); first difference: %s", path, firstDiff(want, got))
	}
}

func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := range min(len(wl), len(gl)) {
		if !bytes.Equal(wl[i], gl[i]) {
			return "line " + itoa(i+1) + ":\n  want " + string(wl[i]) + "\n  got  " + string(gl[i])
		}
	}
	return "the lengths differ"
}

func itoa(n int) string { return strconv.Itoa(n) }

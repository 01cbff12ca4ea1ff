package e2e_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// stepTimeout bounds every browser action: a page that never shows what
// the test waits for fails the test instead of hanging it. Generous, because
// a loaded machine can take tens of seconds to render a page and no result
// depends on speed.
const stepTimeout = 90 * time.Second

// chromiumPath finds the browser: $RAMPART_CHROMIUM, or Debian's chromium.
// Outside CI a missing browser skips the test; in CI it fails it, so the
// browser test can never silently stop running there.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("RAMPART_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found (install Debian's chromium, or set RAMPART_CHROMIUM): CI must run the browser test")
	}
	t.Skip("chromium not found; install Debian's chromium to run the browser test")
	return ""
}

// tab is a headless Chromium tab with a fresh profile.
type tab struct {
	t   *testing.T
	ctx context.Context
}

// newTab starts the browser. Its whole life is bounded too.
func newTab(t *testing.T) *tab {
	t.Helper()
	exe := chromiumPath(t)
	life, stop := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(stop)
	alloc, cancelAlloc := chromedp.NewExecAllocator(life,
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	// The first run starts the browser; it must not carry a step timeout,
	// which would end the browser with the step.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &tab{t: t, ctx: ctx}
}

// do runs one named step of actions within stepTimeout.
func (b *tab) do(name string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			b.t.Fatalf("%s: timed out after %s", name, stepTimeout)
		}
		b.t.Fatalf("%s: %v", name, err)
	}
}

// value runs one value-returning action within stepTimeout.
func value[T any](b *tab, name string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	return v
}

// screenshot saves the whole page as PNG, for people to look at.
func (b *tab) screenshot(path string) {
	b.t.Helper()
	png := value(b, "screenshot", chromedp.FullScreenshot(100))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

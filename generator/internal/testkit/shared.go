package testkit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// Main runs a package's tests, then stops what they shared: the Chromium
// of Tab and the folder of Binary. A package whose tests use either calls
// it from its TestMain; without it they are left to the end of the
// process.
func Main(m *testing.M) int {
	code := m.Run()
	if chromium.cancel != nil {
		chromium.cancel()
	}
	for _, dir := range []string{chromium.dir, binary.dir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	return code
}

// binary is the productdocs command built once for a test process: a
// build links for seconds, and the tests that run the command as a user
// does would each pay for it.
var binary struct {
	once sync.Once
	dir  string
	path string
	out  []byte
	err  error
}

// Binary returns the productdocs command built from this checkout, for
// tests that run it as a shell script or an editor does. Under -short, or
// without a go command, the test is skipped.
func Binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build productdocs with")
	}
	binary.once.Do(func() {
		binary.dir, binary.err = os.MkdirTemp("", "productdocs-bin-")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "productdocs")
		binary.out, binary.err = exec.Command(gocmd, "build", "-o", binary.path, "productdocs").CombinedOutput()
	})
	if binary.err != nil {
		t.Fatalf("go build: %v\n%s", binary.err, binary.out)
	}
	return binary.path
}

// ChromiumPath is where Debian installs Chromium; .ci/run installs it.
const ChromiumPath = "/usr/bin/chromium"

// chromium is the one headless Chromium of a test process, started by the
// first Tab: each start costs seconds on a busy machine, and a tab of a
// running browser a fraction of one.
var chromium struct {
	once   sync.Once
	dir    string // its profile
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

// browser returns the context of the process's Chromium, starting it.
func browser(t testing.TB) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Skip("chromium not installed at " + ChromiumPath + " (apt-get install chromium): " + err.Error())
	}
	if testing.Short() {
		t.Skip("a browser test; skipped with -short")
	}
	chromium.once.Do(func() {
		chromium.dir, chromium.err = os.MkdirTemp("", "productdocs-chromium-")
		if chromium.err != nil {
			return
		}
		// The flags keep it from reaching for the network, which a test
		// machine may not have, and from slowing the timers of tabs that
		// are not in front: tests in parallel each have one.
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(ChromiumPath),
			chromedp.Flag("headless", true),
			chromedp.Flag("no-sandbox", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.UserDataDir(chromium.dir),
		)
		ctx, cancel := chromedp.NewContext(actx)
		chromium.ctx = ctx
		chromium.cancel = func() { cancel(); cancelAlloc() }
		chromium.err = chromedp.Do(ctx)
	})
	if chromium.err != nil {
		t.Fatalf("starting chromium: %v", chromium.err)
	}
	return chromium.ctx
}

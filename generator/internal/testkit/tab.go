package testkit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// recordCSP runs before every page's own scripts and keeps the page's
// Content-Security-Policy violations where the test can read them.
const recordCSP = `window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`

// Tab is a tab of the test process's Chromium and what its pages
// reported: console errors and warnings, exceptions, and the
// Content-Security-Policy violations of each page left by Follow or
// Press, or looked at by CheckPage.
type Tab struct {
	t testing.TB
	// Ctx is the tab's context for chromedp, bounded by the timeout given
	// to NewTab.
	Ctx context.Context
	// Explain, when set, adds to the message of a wait that failed (what
	// a server printed, say).
	Explain func() string

	mu       sync.Mutex
	problems []string
	pages    int
}

// NewTab opens a tab of width×height pixels for t, closed when t ends,
// in which every action must be done within timeout. It skips the test,
// saying why, where Chromium is not installed or under -short.
func NewTab(t testing.TB, timeout time.Duration, width, height int) *Tab {
	t.Helper()
	b := &Tab{t: t}
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithListener(b.listen))
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelTimeout)
	b.Ctx = ctx
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordCSP}); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return b
}

// listen runs in the tab's event loop: it only records.
func (b *Tab) listen(ev any) {
	var p string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, strings.TrimSpace(string(a.Value)+a.Description))
			}
			p = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		desc := d.Text
		if d.Exception != nil {
			desc += " " + d.Exception.Description
		}
		p = fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, desc)
	case *log.EventEntryAdded:
		e := ev.Entry
		// The browser asks the server's root for a favicon; under a
		// sub-path that is not the site's business.
		if (e.Level == log.EntryLevelError || e.Level == log.EntryLevelWarning) && !strings.HasSuffix(e.URL, "/favicon.ico") {
			p = fmt.Sprintf("log %s %s: %s (%s)", e.Source, e.Level, e.Text, e.URL)
		}
	}
	if p != "" {
		b.mu.Lock()
		b.problems = append(b.problems, p)
		b.mu.Unlock()
	}
}

// Problems are what the tab's pages reported so far.
func (b *Tab) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// Pages counts the pages CheckPage looked at.
func (b *Tab) Pages() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.pages
}

// CheckPage records the CSP violations of the page shown now; a page's
// record goes with it, so this runs before every navigation.
func (b *Tab) CheckPage() {
	b.t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		b.t.Fatalf("reading the CSP violations: %v", err)
	}
	loc, _ := chromedp.Run(b.Ctx, chromedp.Location())
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pages++
	for _, s := range v {
		b.problems = append(b.problems, "CSP violation on "+loc+": "+s)
	}
}

// Open navigates to u.
func (b *Tab) Open(u string) {
	b.t.Helper()
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(u)); err != nil {
		b.t.Fatalf("opening %s: %v", u, err)
	}
}

// Until waits for a JavaScript expression to be true, across page loads.
func (b *Tab) Until(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if ok, err = chromedp.Run(b.Ctx, chromedp.Evaluate[bool]("document.readyState === 'complete' && !!("+expr+")")); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(b.Ctx, chromedp.Location())
	more := ""
	if b.Explain != nil {
		more = "\n" + b.Explain()
	}
	b.t.Fatalf("waiting for %s on %s: %v\nthe browser reported:\n%s%s", what, loc, err, strings.Join(b.Problems(), "\n"), more)
}

// Follow clicks the first element sel finds and waits for the page it
// leads to, which done (a JavaScript expression) recognises.
func (b *Tab) Follow(sel, done string) {
	b.t.Helper()
	b.CheckPage()
	if err := chromedp.Do(b.Ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		loc, _ := chromedp.Run(b.Ctx, chromedp.Location())
		b.t.Fatalf("clicking %s on %s: %v", sel, loc, err)
	}
	b.Until("the page after clicking "+sel, done)
}

// Press sends keys to the focused element and waits as Follow does.
func (b *Tab) Press(keys, done string) {
	b.t.Helper()
	b.CheckPage()
	if err := chromedp.Do(b.Ctx, chromedp.KeyEvent(keys)); err != nil {
		b.t.Fatalf("pressing %q: %v", keys, err)
	}
	b.Until("the page after pressing a key", done)
}

// Text is the visible text of the first element sel finds, trimmed.
func (b *Tab) Text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("reading %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Eval is the value of a JavaScript expression on the page.
func (b *Tab) Eval(expr string) any {
	b.t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[any](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// Shot saves a screenshot of the page as name.png in the test's artifact
// folder (go test -artifacts keeps it). A picture is no test: failing to
// take one is logged.
func (b *Tab) Shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(b.t.ArtifactDir(), name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", p)
}

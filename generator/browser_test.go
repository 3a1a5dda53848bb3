package generator

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	"github.com/chromedp/chromedp/kb"

	"productdocs/generator/internal/testkit"
)

// recordCSP runs before every page's own scripts and keeps the page's
// Content-Security-Policy violations where the test can read them.
const recordCSP = `window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`

// TestBrowser builds the repository's own docs and walks them in Chromium,
// served under a sub-path and opened from the file system: the home
// page, a story, its why-chain up to the vision, and the search for an ID
// that lands on its page. No page may log an error, throw, or break its
// Content-Security-Policy. Screenshots are kept in the test's artifact
// folder (go test -artifacts keeps them).
func TestBrowser(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, "..", out, "")

	const prefix = "/docs/sub/"
	srv := httptest.NewServer(http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(out))))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	actx := testkit.Chromium(t, ctx, 1200, 900)

	home := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, "index.html"))}).String()
	for _, tc := range []struct{ name, home string }{
		{"http", srv.URL + prefix},
		{"file", home},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			b := openBrowser(t, actx)
			shots := t.ArtifactDir()
			shot := func(name string) {
				t.Helper()
				png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatalf("screenshot: %v", err)
				}
				p := filepath.Join(shots, tc.name+"-"+name+".png")
				if err := os.WriteFile(p, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot: %s", p)
			}

			b.open(tc.home)
			b.until("the home page", `document.body.classList.contains("section-pages") && !!document.querySelector("main")`)
			shot("home")

			// Into the backlog, then its first story.
			b.follow(`nav.sections a.to-backlog`, `document.body.classList.contains("section-backlog") && !document.querySelector("nav.why")`)
			b.follow(`main a.doc.kind-story`, `!!document.querySelector("article.kind-story")`)
			story := b.text(`h1 .id`)
			shot("story")

			// Up the why-chain, one level at a time: the last link of the
			// chain is the page's parent, until the vision has none.
			chain := []string{story}
			for range 6 {
				if b.eval(`document.querySelectorAll("nav.why a").length`) == float64(0) {
					break
				}
				parent := b.text(`nav.why li:nth-last-child(2) a .id`)
				b.follow(`nav.why li:nth-last-child(2) a`, fmt.Sprintf(`(document.querySelector("h1 .id") || {}).textContent === %q`, parent))
				chain = append(chain, parent)
			}
			if kind := b.eval(`document.querySelector("article.document").className`); kind != "document kind-vision" {
				t.Errorf("the why-chain %v ends at a %v, want the vision", chain, kind)
			}
			if len(chain) < 4 {
				t.Errorf("the why-chain %v is short: story, epic, initiative, objective, vision expected", chain)
			}
			t.Logf("why-chain: %s", strings.Join(chain, " → "))

			// Search for the story's ID and press Enter.
			b.follow(`nav.sections a[href$="search/"], nav.sections a[href$="search/index.html"]`, `!!document.getElementById("q")`)
			if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.CSS("#q"), story)); err != nil {
				t.Fatalf("typing into #q: %v", err)
			}
			b.until("the results", fmt.Sprintf(`(document.querySelector("#results a .id") || {}).textContent === %q`, story))
			shot("search")
			b.press(kb.Enter, fmt.Sprintf(`(document.querySelector("h1 .id") || {}).textContent === %q`, story))
			if loc := b.eval(`location.pathname`); !strings.Contains(fmt.Sprint(loc), "/backlog/"+strings.ToLower(story)+"/") {
				t.Errorf("the search landed on %v", loc)
			}

			b.checkPage()
			b.mu.Lock()
			defer b.mu.Unlock()
			for _, p := range b.problems {
				t.Error(p)
			}
			t.Logf("%d pages in %v", b.pages, time.Since(start).Round(time.Millisecond))
		})
	}
}

// browser is a tab and what it reported.
type browser struct {
	t        *testing.T
	ctx      context.Context
	mu       sync.Mutex
	problems []string // console errors and warnings, exceptions, CSP violations
	pages    int
}

func openBrowser(t *testing.T, actx context.Context) *browser {
	t.Helper()
	b := &browser{t: t}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(cancel)
	b.ctx = ctx
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordCSP}); err != nil {
		t.Fatalf("starting the browser: %v", err)
	}
	return b
}

// listen runs in the tab's event loop: it only records.
func (b *browser) listen(ev any) {
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

// checkPage records the CSP violations of the page shown now; a page's
// record goes with it, so this runs before every navigation.
func (b *browser) checkPage() {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		b.t.Fatalf("reading the CSP violations: %v", err)
	}
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pages++
	for _, s := range v {
		b.problems = append(b.problems, "CSP violation on "+loc+": "+s)
	}
}

func (b *browser) open(u string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(u)); err != nil {
		b.t.Fatalf("opening %s: %v", u, err)
	}
}

// until waits for a JavaScript expression to be true, across page loads.
func (b *browser) until(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if ok, err = chromedp.Run(b.ctx, chromedp.Evaluate[bool]("document.readyState === 'complete' && !!("+expr+")")); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	b.mu.Lock()
	defer b.mu.Unlock()
	b.t.Fatalf("waiting for %s on %s: %v\nthe browser reported:\n%s", what, loc, err, strings.Join(b.problems, "\n"))
}

// follow clicks the first element sel finds and waits for the page it
// leads to, which done (a JavaScript expression) recognises.
func (b *browser) follow(sel, done string) {
	b.t.Helper()
	b.checkPage()
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Fatalf("clicking %s on %s: %v", sel, loc, err)
	}
	b.until("the page after clicking "+sel, done)
}

// press sends keys to the focused element and waits as follow does.
func (b *browser) press(keys, done string) {
	b.t.Helper()
	b.checkPage()
	if err := chromedp.Do(b.ctx, chromedp.KeyEvent(keys)); err != nil {
		b.t.Fatalf("pressing %q: %v", keys, err)
	}
	b.until("the page after pressing a key", done)
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("reading %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b *browser) eval(expr string) any {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

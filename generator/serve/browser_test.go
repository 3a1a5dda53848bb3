package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"productdocs/generator/internal/testkit"
)

// TestBrowser opens a story in a real browser, edits the site on disk,
// and watches the page follow without touching the browser: a new title,
// an error overlay that names the file and line, the overlay gone once
// fixed, a stylesheet swapped without a reload, and a reload after the
// server restarts.
func TestBrowser(t *testing.T) {
	t.Parallel()
	dir := starter(t)

	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	out := &testkit.SyncBuffer{}
	// serve runs a preview of dir on addr until the returned stop.
	serve := func(addr string) (url string, stop func()) {
		t.Helper()
		srvCtx, cancel := context.WithCancel(ctx)
		urls := make(chan string, 1)
		done := make(chan error, 1)
		go func() {
			done <- Run(srvCtx, Options{Root: dir, Addr: addr, Stdout: out, Stderr: out, Listening: func(u string) { urls <- u }})
		}()
		select {
		case url = <-urls:
		case err := <-done:
			cancel()
			t.Fatalf("Run: %v", err)
		}
		return url, func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
	}
	base, stop := serve("127.0.0.1:0")
	defer func() { stop() }()

	b := testkit.NewTab(t, 40*time.Second, 1000, 500)
	b.Explain = func() string {
		state, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`JSON.stringify({mark: window.productdocsMark, links: [...document.querySelectorAll("link")].map(l => l.href), live: document.documentElement.getAttribute("data-productdocs-live")})`))
		return "page: " + state + "\nterminal:\n" + out.String()
	}
	until, eval, shot := b.Until, b.Eval, b.Shot
	const story = "content/backlog/stories/story-1.md"

	b.Open(base + "backlog/story-1/")
	until("the live script to connect", `document.documentElement.hasAttribute("data-productdocs-live")`)
	eval(`window.scrollTo(0, 120); window.productdocsMark = 1; true`)
	shot("1-story")

	// A new title, on disk only.
	edit(t, dir, story, "title: Enter the address and card on one page", "title: One page for the address and the card")
	until("the new title", `document.querySelector("h1").textContent.includes("One page for the address and the card")`)
	until("the live script to connect again", `document.documentElement.hasAttribute("data-productdocs-live")`)
	if eval(`window.productdocsMark`) != nil {
		t.Error("the page did not reload")
	}
	scroll, _ := eval(`window.scrollY`).(float64)
	shot("2-new-title")

	// Broken frontmatter: the overlay names the file and line.
	edit(t, dir, story, "title: One page for the address and the card", "title: One page: for the address")
	until("the error overlay", `!!document.getElementById("productdocs-problems")`)
	overlay, _ := eval(`document.getElementById("productdocs-problems").innerText`).(string)
	shot("3-overlay")

	// Fixed: the overlay goes by itself.
	edit(t, dir, story, "title: One page: for the address", "title: One page for the address")
	until("the overlay to go", `!document.getElementById("productdocs-problems") && document.querySelector("h1").textContent.includes("One page for the address")`)
	shot("4-fixed")

	// A stylesheet of the site's own: swapped in place, no reload.
	eval(`window.productdocsMark = 2; true`)
	writeFile(t, dir, "templates/style.css", "body { background: #fffbe6 }\n")
	until("the new stylesheet", `[...document.querySelectorAll('link[rel="stylesheet"]')].some(l => l.href.includes("style.css?v="))`)
	until("the new stylesheet to apply", `getComputedStyle(document.body).backgroundColor === "rgb(255, 251, 230)"`)
	if eval(`window.productdocsMark`) != float64(2) {
		t.Error("the page reloaded for a stylesheet")
	}
	shot("5-stylesheet")

	// The server stops, the site changes meanwhile, the server starts
	// again: the page reconnects, sees another build, and reloads.
	stop()
	edit(t, dir, story, "title: One page for the address", "title: After a restart")
	_, stop = serve(strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/"))
	until("the page after the restart", `document.querySelector("h1").textContent.includes("After a restart")`)
	shot("6-restarted")

	if scroll < 100 {
		t.Errorf("scrolled to %v after the reload, want 120 kept", scroll)
	}
	for _, want := range []string{"content/backlog/stories/story-1.md:4:8", "frontmatter", "mapping value is not allowed", "title: One page: for the address"} {
		if !strings.Contains(overlay, want) {
			t.Errorf("the overlay has no %q:\n%s", want, overlay)
		}
	}
}

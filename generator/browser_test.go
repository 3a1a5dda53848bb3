package generator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"productdocs/generator/internal/testkit"
)

// TestBrowser builds the repository's own docs and walks them in Chromium,
// served under a sub-path and opened from the file system: the home
// page, a story, its why-chain up to the vision, and the search for an ID
// that lands on its page. No page may log an error, throw, or break its
// Content-Security-Policy. Screenshots are kept in the test's artifact
// folder (go test -artifacts keeps them).
func TestBrowser(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, "..", out, "")

	const prefix = "/docs/sub/"
	srv := httptest.NewServer(http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(out))))
	t.Cleanup(srv.Close) // after the parallel subtests

	home := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, "index.html"))}).String()
	for _, tc := range []struct{ name, home string }{
		{"http", srv.URL + prefix},
		{"file", home},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			b := testkit.NewTab(t, 60*time.Second, 1200, 900)
			shot := func(name string) { b.Shot(tc.name + "-" + name) }

			b.Open(tc.home)
			b.Until("the home page", `document.body.classList.contains("section-pages") && !!document.querySelector("main")`)
			shot("home")

			// Into the backlog, then its first story.
			b.Follow(`nav.sections a.to-backlog`, `document.body.classList.contains("section-backlog") && !document.querySelector("nav.why")`)
			b.Follow(`main a.doc.kind-story`, `!!document.querySelector("article.kind-story")`)
			story := b.Text(`h1 .id`)
			shot("story")

			// Up the why-chain, one level at a time: the last link of the
			// chain is the page's parent, until the vision has none.
			chain := []string{story}
			for range 6 {
				if b.Eval(`document.querySelectorAll("nav.why a").length`) == float64(0) {
					break
				}
				parent := b.Text(`nav.why li:nth-last-child(2) a .id`)
				b.Follow(`nav.why li:nth-last-child(2) a`, fmt.Sprintf(`(document.querySelector("h1 .id") || {}).textContent === %q`, parent))
				chain = append(chain, parent)
			}
			if kind := b.Eval(`document.querySelector("article.document").className`); kind != "document kind-vision" {
				t.Errorf("the why-chain %v ends at a %v, want the vision", chain, kind)
			}
			if len(chain) < 4 {
				t.Errorf("the why-chain %v is short: story, epic, initiative, objective, vision expected", chain)
			}
			t.Logf("why-chain: %s", strings.Join(chain, " → "))

			// Search for the story's ID and press Enter.
			b.Follow(`nav.sections a[href$="search/"], nav.sections a[href$="search/index.html"]`, `!!document.getElementById("q")`)
			if err := chromedp.Do(b.Ctx, chromedp.SendKeys(chromedp.CSS("#q"), story)); err != nil {
				t.Fatalf("typing into #q: %v", err)
			}
			b.Until("the results", fmt.Sprintf(`(document.querySelector("#results a .id") || {}).textContent === %q`, story))
			shot("search")
			b.Press(kb.Enter, fmt.Sprintf(`(document.querySelector("h1 .id") || {}).textContent === %q`, story))
			if loc := b.Eval(`location.pathname`); !strings.Contains(fmt.Sprint(loc), "/backlog/"+strings.ToLower(story)+"/") {
				t.Errorf("the search landed on %v", loc)
			}

			b.CheckPage()
			for _, p := range b.Problems() {
				t.Error(p)
			}
			t.Logf("%d pages in %v", b.Pages(), time.Since(start).Round(time.Millisecond))
		})
	}
}

package generator

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"productdocs/generator/internal/testkit"
)

// TestBrowserPublic walks the public site of the audiences fixture in
// Chromium: the initiative a customer reads, with its why-chain up to the
// vision and its links to internal work as plain text; a search for an
// internal title finds nothing, one for the initiative lands on it; the
// changes page lists public work alone. No page may log an error.
func TestBrowserPublic(t *testing.T) {
	_, out := buildPublic(t)
	const prefix = "/roadmap/"
	srv := httptest.NewServer(http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(out))))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	actx := testkit.Chromium(t, ctx, 1200, 900)
	b := openBrowser(t, actx)
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		p := filepath.Join(t.ArtifactDir(), "public-"+name+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}

	b.open(srv.URL + prefix)
	b.until("the home page", `!!document.querySelector("section.health .public-note")`)
	shot("home")

	b.follow(`nav.sections a.to-strategy`, `document.body.classList.contains("section-strategy")`)
	b.follow(`main a.doc[href*="ini-1/"]`, `(document.querySelector("h1 .id") || {}).textContent === "INI-1"`)
	shot("initiative")
	chain := b.eval(`Array.from(document.querySelectorAll("nav.why li")).map(li => li.textContent.trim().split(/\s+/)[0]).join(" ")`)
	if chain != "VIS-1 OBJ-1 INI-1" {
		t.Errorf("why-chain %q, want VIS-1 OBJ-1 INI-1", chain)
	}
	prose := b.eval(`document.querySelector(".prose").textContent`)
	if s := fmt.Sprint(prose); !strings.Contains(s, "the pricing work") || strings.Contains(s, "INI-HID") {
		t.Errorf("the initiative's text: %q", s)
	}
	if n := b.eval(`Array.from(document.querySelectorAll(".prose a")).filter(a => a.textContent.includes("pricing") || a.textContent.includes("payment part")).length`); n != float64(0) {
		t.Errorf("%v links to internal work remain", n)
	}

	for _, tc := range []struct{ q, want string }{
		{"Quietly raise prices", `document.getElementById("count").textContent.startsWith("0 results")`},
		{"INI-HID", `document.getElementById("count").textContent.startsWith("0 results")`},
		{"One-page", `(document.querySelector("#results a .id") || {}).textContent === "INI-1"`},
	} {
		b.open(srv.URL + prefix + "search/?q=" + strings.ReplaceAll(tc.q, " ", "+"))
		b.until("the results for "+tc.q, tc.want)
	}
	shot("search")

	b.open(srv.URL + prefix + "changes/")
	b.until("the changes", `!!document.querySelector("ul.changed li[data-id]")`)
	ids := b.eval(`Array.from(document.querySelectorAll("ul.changed li[data-id]")).map(li => li.dataset.id).join(" ")`)
	if ids != "STORY-2 INI-1" {
		t.Errorf("changes list %q, want STORY-2 INI-1 (newest first, public alone)", ids)
	}
	shot("changes")

	b.checkPage()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Error(p)
	}
}

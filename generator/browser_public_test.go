package generator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"productdocs/generator/internal/testkit"
)

// TestBrowserPublic walks the public site of the audiences fixture in
// Chromium: the initiative a customer reads, with its why-chain up to the
// vision and its links to internal work as plain text; a search for an
// internal title finds nothing, one for the initiative lands on it; the
// changes page lists public work alone. No page may log an error.
func TestBrowserPublic(t *testing.T) {
	t.Parallel()
	_, out := buildPublic(t)
	const prefix = "/roadmap/"
	srv := httptest.NewServer(http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(out))))
	defer srv.Close()

	b := testkit.NewTab(t, 60*time.Second, 1200, 900)
	shot := func(name string) { b.Shot("public-" + name) }

	b.Open(srv.URL + prefix)
	b.Until("the home page", `!!document.querySelector("section.health .public-note")`)
	shot("home")

	b.Follow(`nav.sections a.to-strategy`, `document.body.classList.contains("section-strategy")`)
	b.Follow(`main a.doc[href*="ini-1/"]`, `(document.querySelector("h1 .id") || {}).textContent === "INI-1"`)
	shot("initiative")
	chain := b.Eval(`Array.from(document.querySelectorAll("nav.why li")).map(li => li.textContent.trim().split(/\s+/)[0]).join(" ")`)
	if chain != "VIS-1 OBJ-1 INI-1" {
		t.Errorf("why-chain %q, want VIS-1 OBJ-1 INI-1", chain)
	}
	prose := b.Eval(`document.querySelector(".prose").textContent`)
	if s := fmt.Sprint(prose); !strings.Contains(s, "the pricing work") || strings.Contains(s, "INI-HID") {
		t.Errorf("the initiative's text: %q", s)
	}
	if n := b.Eval(`Array.from(document.querySelectorAll(".prose a")).filter(a => a.textContent.includes("pricing") || a.textContent.includes("payment part")).length`); n != float64(0) {
		t.Errorf("%v links to internal work remain", n)
	}

	for _, tc := range []struct{ q, want string }{
		{"Quietly raise prices", `document.getElementById("count").textContent.startsWith("0 results")`},
		{"INI-HID", `document.getElementById("count").textContent.startsWith("0 results")`},
		{"One-page", `(document.querySelector("#results a .id") || {}).textContent === "INI-1"`},
	} {
		b.Open(srv.URL + prefix + "search/?q=" + strings.ReplaceAll(tc.q, " ", "+"))
		b.Until("the results for "+tc.q, tc.want)
	}
	shot("search")

	b.Open(srv.URL + prefix + "changes/")
	b.Until("the changes", `!!document.querySelector("ul.changed li[data-id]")`)
	ids := b.Eval(`Array.from(document.querySelectorAll("ul.changed li[data-id]")).map(li => li.dataset.id).join(" ")`)
	if ids != "STORY-2 INI-1" {
		t.Errorf("changes list %q, want STORY-2 INI-1 (newest first, public alone)", ids)
	}
	shot("changes")

	b.CheckPage()
	for _, p := range b.Problems() {
		t.Error(p)
	}
}

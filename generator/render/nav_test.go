package render_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestNavBounded builds a site of many plain pages, most in one folder,
// and checks that no page's navigation grows with the site: every page
// once listed every other, so that 4,000 pages made 893 MB.
func TestNavBounded(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 600
	}
	files := map[string]string{"content/index.md": "# Home\n", "content/guides/index.md": "# Guides\n"}
	for i := range n {
		dir := "guides"
		if i%3 == 0 {
			dir = fmt.Sprintf("guides/part-%d", i%7)
		}
		files[fmt.Sprintf("content/%s/page-%04d.md", dir, i)] = fmt.Sprintf("# Page %d\n\nText.\n", i)
	}
	r := renderer(t, files, "", nil)
	largest, at := 0, ""
	pages := 0
	var b bytes.Buffer
	for _, j := range r.Jobs() {
		if j.Kind != "page.html" && j.Kind != "home.html" && j.Kind != "404.html" {
			continue
		}
		b.Reset()
		if err := r.Render(j, &b); err != nil {
			t.Fatal(err)
		}
		pages++
		if b.Len() > largest {
			largest, at = b.Len(), j.Path
		}
		if j.Path == "guides/part-3/page-0003/index.html" {
			page := b.String()
			// The way to the page is open: its folder, and the folder
			// above, each around the entry on the way.
			for _, want := range []string{`>Guides</a>`, `>part-3</span>`, `aria-current="page">Page 3</a>`, ` more</li>`} {
				if !strings.Contains(page, want) {
					t.Errorf("%s: no %q in its navigation", j.Path, want)
				}
			}
		}
	}
	if pages < n {
		t.Fatalf("rendered %d pages of %d", pages, n)
	}
	// A page of this site is some 3 KB without its navigation; the
	// navigation lists at most a window of entries a level.
	if largest > 16<<10 {
		t.Errorf("%s is %d bytes: the navigation grows with the site", at, largest)
	}
}

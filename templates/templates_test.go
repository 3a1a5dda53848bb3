package templates

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestThemeFiles checks that the compiled-in theme has every template a
// build needs and nothing its own Content-Security-Policy would block.
func TestThemeFiles(t *testing.T) {
	for _, name := range []string{
		"layout.html", "partials.html", "home.html", "strategy.html", "backlog.html",
		"document.html", "page.html", "trace.html", "search.html", "404.html",
		"style.css", "site.js", "search.js",
	} {
		b, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Errorf("the theme lacks %s: %v", name, err)
			continue
		}
		if len(strings.TrimSpace(string(b))) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|\sstyle="|\son[a-z]+="`)
	html, _ := fs.Glob(FS, "*.html")
	for _, name := range html {
		b, _ := fs.ReadFile(FS, name)
		if m := inline.Find(b); m != nil {
			t.Errorf("%s has %q, which the pages' CSP (script-src 'self'; style-src 'self') blocks", name, m)
		}
	}
}

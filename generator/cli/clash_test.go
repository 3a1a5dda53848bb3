package cli_test

import (
	"net/url"
	"os"
	"path/filepath"
	"productdocs/generator/internal/testkit"
	"productdocs/generator/render"
	"regexp"
	"slices"
	"strings"
	"testing"

	"productdocs/generator/cli"
)

// TestOutputClash puts files under content/ (and templates/) at paths the
// site writes itself, or that a document's page takes: each is an
// output-clash at the file, from check as from build, and the build
// writes nothing. Before, the page the site made silently won.
func TestOutputClash(t *testing.T) {
	root := t.TempDir()
	testkit.WriteFiles(t, root, map[string]string{
		"content/index.md":            "# Home\n",
		"content/trace.md":            "# My trace\n",               // trace/index.html
		"content/search/index.md":     "# Search notes\n",           // search/index.html
		"content/model.json":          `{"mine": true}`,             // model.json
		"content/assets/site.js":      "alert(1)",                   // the theme's script
		"content/404.html":            "<p>lost</p>",                // the 404 page
		"content/search/index.js":     "var x;",                     // the search index
		"content/guides/a.md":         "# A\n",                      // guides/a/index.html …
		"content/guides/a/index.html": "<p>a copy</p>",              // … and a copy there
		"content/Backlog/index.html":  "<p>case</p>",                // backlog/index.html, but for case
		"templates/chroma.css":        ".chroma{}",                  // the highlighting styles
		"content/guides/fine.md":      "# Fine\n\nNo clash here.\n", // a control
	})
	want := []string{
		"content/404.html",
		"content/Backlog/index.html",
		"content/assets/site.js",
		"content/guides/a/index.html",
		"content/model.json",
		"content/search/index.js",
		"content/search/index.md",
		"content/trace.md",
		"templates/chroma.css",
	}
	for _, cmd := range []string{"check", "build"} {
		args := []string{cmd, "-s", root}
		if cmd == "build" {
			args = append(args, "-o", t.TempDir()+"/public")
		}
		code, stdout, stderr := runTool(t, args...)
		if code != cli.ExitContent {
			t.Fatalf("%s: exit %d, want %d:\n%s%s", cmd, code, cli.ExitContent, stdout, stderr)
		}
		var got []string
		for _, line := range strings.Split(stdout+stderr, "\n") {
			if strings.HasSuffix(line, "[output-clash]") {
				got = append(got, line[:strings.Index(line, ":")])
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: output-clash at\n%q\nwant\n%q\noutput:\n%s%s", cmd, got, want, stdout, stderr)
		}
	}
	code, stdout, _ := runTool(t, "check", "-s", root)
	for _, msg := range []string{
		"content/trace.md:1:1: error: trace/index.html is written twice: by this document's page and by the trace page that the site makes; rename or move this file",
		"content/model.json:1:1: error: model.json is written twice: by this copied file and by the model.json that the site makes; rename or move this file",
	} {
		if !strings.Contains(stdout, msg) {
			t.Errorf("check (exit %d) does not say %q:\n%s", code, msg, stdout)
		}
	}
}

// TestSearchIndexURLs builds pages whose paths hold "#", "?", "%" and a
// space: the search index gives each URL escaped once, as the pages'
// own links are, so that a result leads to its page.
func TestSearchIndexURLs(t *testing.T) {
	root := t.TempDir()
	testkit.WriteFiles(t, root, map[string]string{
		"content/index.md":              "# Home\n",
		"content/guides/100% done?.md":  "# Done\n",
		"content/guides/a #hash&amp.md": "# Hash\n",
		"content/guides/50%25.md":       "# Literal\n",
	})
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runTool(t, "build", "-s", root, "-o", out); code != cli.ExitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	b := openedSearchIndex(t, out)
	for _, want := range []struct{ u, file string }{
		{"guides/100%25%20done%3F/", "guides/100% done?/index.html"},
		{`guides/a%20%23hash\u0026amp/`, "guides/a #hash&amp/index.html"}, // & as JSON escapes it for a script
		{"guides/50%2525/", "guides/50%25/index.html"},
	} {
		if !strings.Contains(string(b), `"u":"`+want.u+`"`) {
			t.Errorf("the search index has no URL %s:\n%s", want.u, b)
		}
		target, err := url.PathUnescape(strings.ReplaceAll(want.u, `\u0026`, "&"))
		if err != nil || filepath.ToSlash(target)+"index.html" != want.file {
			t.Errorf("%s does not lead to %s", want.u, want.file)
		}
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(want.file))); err != nil {
			t.Error(err)
		}
	}
}

// openedSearchIndex reads the search index of the site built into out, its
// entries opened with the key that the search page holds.
func openedSearchIndex(t *testing.T, out string) []byte {
	t.Helper()
	page, err := os.ReadFile(filepath.Join(out, "search", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<meta name="productdocs-search-key" content="([0-9a-f]{64})">`).FindSubmatch(page)
	if m == nil {
		t.Fatal("the search page holds no key")
	}
	js, err := os.ReadFile(filepath.Join(out, "search", "index.js"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := render.OpenSearchIndex(string(m[1]), js)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

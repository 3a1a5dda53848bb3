package generator

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"productdocs/generator/diag"
)

// TestManualExamples loads the manual's example document of each kind (the
// content format page) as a site: the reference a user copies from must
// pass the check.
func TestManualExamples(t *testing.T) {
	src, err := os.ReadFile("../content/guides/format.md")
	if err != nil {
		t.Fatal(err)
	}
	fence := regexp.MustCompile("(?s)```(?:yaml|markdown)\n(---\n# (content/[^\\s]+)[^\n]*\n.*?)```")
	fsys := fstest.MapFS{}
	kinds := map[string]bool{}
	for _, m := range fence.FindAllStringSubmatch(string(src), -1) {
		fsys[m[2]] = &fstest.MapFile{Data: []byte(m[1])}
		if k := regexp.MustCompile(`(?m)^kind: (\w+)`).FindStringSubmatch(m[1]); k != nil {
			kinds[k[1]] = true
		}
	}
	if len(kinds) < 10 {
		t.Fatalf("the format page shows examples of %d kinds, want every kind but page: %v", len(kinds), kinds)
	}
	site, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := diag.Write(&b, "text", site.Report()); err != nil {
		t.Fatal(err)
	}
	if e, _ := diag.Count(site.Diagnostics); e > 0 {
		t.Errorf("the format page's examples have errors:\n%s", b.String())
	}
}

// TestBookmarkedViewsAnswer holds the bookmarked release views of the
// README and the manual to the project's own content: each names a
// release with open work, so the view it shows a newcomer is not empty.
func TestBookmarkedViewsAnswer(t *testing.T) {
	site, err := Load(context.Background(), DirFS(".."))
	if err != nil {
		t.Fatal(err)
	}
	release := regexp.MustCompile(`release=(REL-\d+)&hide=done,dropped`)
	seen := 0
	for _, file := range []string{"../README.md", "../content/backlog/index.md", "../content/guides/views.md"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range release.FindAllStringSubmatch(string(src), -1) {
			seen++
			rel := site.Model.Lookup(m[1])
			if rel == nil {
				t.Errorf("%s bookmarks %s, which the project's content lacks", file, m[1])
				continue
			}
			open := 0
			for _, d := range rel.From("release") {
				if d.Status != "done" && d.Status != "dropped" {
					open++
				}
			}
			if open == 0 {
				t.Errorf("%s bookmarks what is left for %s, and nothing is: pick a release with open work", file, m[1])
			}
		}
	}
	if seen == 0 {
		t.Error("no bookmarked release view found in the README or the manual")
	}
}

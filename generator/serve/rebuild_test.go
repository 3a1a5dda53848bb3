package serve

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"productdocs/generator"
	"productdocs/generator/render"
	"productdocs/generator/scaffold"
	"productdocs/generator/sitegen"
)

const testLive = "/_productdocs/live.js"

// starter writes the starter site into a new temporary folder.
func starter(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Init(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeFile(t testing.TB, dir, rel, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// edit replaces old with new in a file of the site, once.
func edit(t testing.TB, dir, rel, old, new string) {
	t.Helper()
	s := readFile(t, dir, rel)
	if !strings.Contains(s, old) {
		t.Fatalf("%s has no %q", rel, old)
	}
	writeFile(t, dir, rel, strings.Replace(s, old, new, 1))
}

// fullBuild renders the site at dir afresh, as a first build does.
func fullBuild(t testing.TB, dir string) *Output {
	t.Helper()
	res, err := NewBuilder(os.DirFS(dir), testLive, "").Rebuild(context.Background(), Batch{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() {
		t.Fatalf("full build failed: %v", res.Diagnostics)
	}
	return res.Output
}

// sameOutput fails unless got and want hold the same files, byte for byte.
func sameOutput(t testing.TB, got, want *Output) {
	t.Helper()
	for _, p := range slices.Sorted(maps.Keys(want.Files)) {
		g, ok := got.Files[p]
		switch {
		case !ok:
			t.Errorf("%s: missing from the incremental build", p)
		case !bytes.Equal(g, want.Files[p]):
			t.Errorf("%s differs from a full build:\n%s", p, firstDiff(g, want.Files[p]))
		}
	}
	for p := range got.Files {
		if _, ok := want.Files[p]; !ok {
			t.Errorf("%s: in the incremental build only", p)
		}
	}
	if !maps.Equal(got.Copied, want.Copied) {
		t.Errorf("copied files: got %v, want %v", got.Copied, want.Copied)
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "line " + strconv.Itoa(i+1) + ":\n  incremental: " + clip(g[i]) + "\n  full:        " + clip(w[i])
		}
	}
	return "lengths differ: " + strconv.Itoa(len(g)) + " and " + strconv.Itoa(len(w)) + " lines"
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// listings are the listing pages and data files, which show many
// documents each.
var listings = []string{
	"404.html", "backlog/index.html", "changes/index.html", "index.html", "model.json", "search/index.html", "search/index.js",
	"strategy/index.html", "trace/index.html",
	"backlog/items.js", "trace/matrix.csv", "strategy/roadmap/index.html", "strategy/releases/index.html",
}

func TestRebuildRendersWhatChanged(t *testing.T) {
	t.Parallel()
	const story1 = "content/backlog/stories/story-1.md"
	const story2 = "content/backlog/stories/story-2.md"
	tests := []struct {
		name    string
		change  func(t *testing.T, dir string) []string
		want    []string // the output paths rendered again; nil: every file
		changed []string // the URLs reported, when checked
	}{
		{
			name: "a body edit renders its page and the search index",
			change: func(t *testing.T, dir string) []string {
				edit(t, dir, story1, "so that I pay faster.", "so that I pay much faster.")
				return []string{story1}
			},
			// Its page, and the data files that list every item. The
			// backlog, the roadmap and the trace page show no body.
			want:    []string{"backlog/items.js", "trace/matrix.csv", "backlog/story-1/index.html", "search/index.js"},
			changed: []string{"/backlog/story-1/", "/search/index.js"},
		},
		{
			name: "saving without a change renders nothing",
			change: func(t *testing.T, dir string) []string {
				return []string{story1}
			},
			want:    nil,
			changed: nil,
		},
		{
			name: "a title renders the neighbours, not the rest",
			change: func(t *testing.T, dir string) []string {
				edit(t, dir, story2, "title: Show errors next to the field", "title: Show each error next to its field")
				return []string{story2}
			},
			// STORY-2 names EPIC-1, REL-1, PER-1 and FB-1, and STORY-3
			// depends on it. Of the listings, the backlog and the tree
			// show it, and the data files.
			// Above it, INI-1 and OBJ-1 roll its progress up; the roadmap
			// and the releases page show progress too.
			want: []string{
				"backlog/epic-1/index.html", "backlog/fb-1/index.html", "backlog/story-2/index.html", "backlog/story-3/index.html",
				"strategy/per-1/index.html", "strategy/rel-1/index.html", "strategy/ini-1/index.html", "strategy/obj-1/index.html",
				"backlog/index.html", "model.json", "search/index.js", "trace/index.html",
				"backlog/items.js", "trace/matrix.csv", "strategy/releases/index.html", "strategy/roadmap/index.html",
			},
		},
		{
			name: "an initiative's title renders the work below it",
			change: func(t *testing.T, dir string) []string {
				edit(t, dir, "content/strategy/initiatives/ini-2.md", "title: Saved cards", "title: Cards saved for later")
				return []string{"content/strategy/initiatives/ini-2.md"}
			},
			// Named by INI-2: OBJ-2, INI-1. Naming it: EPIC-2. Below it:
			// EPIC-2, STORY-3, and STORY-4 of the guide's example? No:
			// that is in a code block. Its body links to INI-1.
			// The backlog shows the initiative that each item serves.
			// The work below it names REL-1, whose page groups it by epic;
			// the roadmap shows the initiative.
			want: []string{
				"strategy/releases/index.html",
				"backlog/epic-2/index.html", "backlog/story-3/index.html",
				"strategy/ini-1/index.html", "strategy/ini-2/index.html", "strategy/obj-2/index.html", "strategy/rel-1/index.html",
				"backlog/index.html", "model.json", "search/index.js", "strategy/index.html", "trace/index.html",
				"backlog/items.js", "trace/matrix.csv", "strategy/roadmap/index.html",
			},
		},
		{
			name: "a plain page's title renders the pages that list the plain pages",
			change: func(t *testing.T, dir string) []string {
				edit(t, dir, "content/guides/writing.md", "title: Writing guide", "title: How we write")
				return []string{"content/guides/writing.md"}
			},
			// The pages of the pages section list it in their navigation;
			// the strategy and backlog sections' pages do not.
			want: []string{
				"changes/index.html", "guides/writing/index.html", "index.html", "tags/index.html",
				"404.html", "model.json", "search/index.html", "search/index.js", "trace/index.html",
				"backlog/items.js", "trace/matrix.csv",
			},
		},
		{
			name: "a body edit past what the search index keeps renders its page alone",
			change: func(t *testing.T, dir string) []string {
				s := readFile(t, dir, story1)
				writeFile(t, dir, story1, s+"\n"+strings.Repeat("More text to push the end past the index. ", 20)+"\n\nThe end.\n")
				return []string{story1}
			},
			// Its page, and the data files that list every item. The
			// backlog, the roadmap and the trace page show no body.
			want:    []string{"backlog/items.js", "trace/matrix.csv", "backlog/story-1/index.html", "search/index.js"},
			changed: []string{"/backlog/story-1/", "/search/index.js"},
		},
		{
			name: "and a second one leaves the search index as it was",
			change: func(t *testing.T, dir string) []string {
				edit(t, dir, story1, "The end.", "The end!")
				return []string{story1}
			},
			want:    []string{"backlog/items.js", "trace/matrix.csv", "backlog/story-1/index.html"},
			changed: []string{"/backlog/story-1/"},
		},
	}
	dir := starter(t)
	b := NewBuilder(os.DirFS(dir), testLive, "")
	if _, err := b.Rebuild(context.Background(), Batch{All: true}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := b.Rebuild(context.Background(), Batch{Paths: tt.change(t, dir)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Failed() {
				t.Fatalf("the site has errors: %v", res.Diagnostics)
			}
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(res.Rendered, want) {
				t.Errorf("rendered\n  %v\nwant\n  %v", res.Rendered, want)
			}
			if tt.changed != nil || len(tt.want) == 0 {
				if !slices.Equal(res.Changed, tt.changed) {
					t.Errorf("changed URLs %v, want %v", res.Changed, tt.changed)
				}
			}
			sameOutput(t, res.Output, fullBuild(t, dir))
		})
	}
}

// TestRebuildEqualsFullBuild runs a script of edits and checks after each
// that the incremental build is the full build, byte for byte.
func TestRebuildEqualsFullBuild(t *testing.T) {
	t.Parallel()
	const (
		story1 = "content/backlog/stories/story-1.md"
		story3 = "content/backlog/stories/story-3.md"
		epic1  = "content/backlog/epics/epic-1.md"
		vision = "content/strategy/vision.md"
		guide  = "content/guides/writing.md"
	)
	newStory := func(id, traces, title string) string {
		return "---\nid: " + id + "\nkind: story\ntitle: " + title + "\nstatus: planned\ntraces: " + traces +
			"\nrank: 9\n---\n\nA new story for [[" + traces + "]].\n"
	}
	steps := []struct {
		name   string
		change func(t *testing.T, dir string) []string
		fails  bool // the site has errors after this step
		full   bool // every file is rendered: the templates or the settings changed
		// changed, when set, are the URLs the step must report changed.
		changed []string
	}{
		{"body edit", func(t *testing.T, dir string) []string {
			edit(t, dir, story1, "I pay faster", "I pay in seconds")
			return []string{story1}
		}, false, false, nil},
		{"acceptance criterion checked", func(t *testing.T, dir string) []string {
			edit(t, dir, "content/backlog/stories/story-2.md", "- [ ]", "- [x]")
			return []string{"content/backlog/stories/story-2.md"}
		}, false, false, nil},
		{"status change", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "status: proposed", "status: in-progress")
			return []string{story3}
		}, false, false, nil},
		{"vision title", func(t *testing.T, dir string) []string {
			edit(t, dir, vision, "title: Checkout in under a minute, on any device", "title: Checkout in thirty seconds")
			return []string{vision}
		}, false, false, nil},
		{"market title, shown where a body links to it", func(t *testing.T, dir string) []string {
			edit(t, dir, "content/strategy/market/mkt-1.md", "title: Most customers pay on their phone", "title: Most customers pay by phone")
			return []string{"content/strategy/market/mkt-1.md"}
		}, false, false, nil},
		{"a second plain page", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "content/guides/glossary.md", "# Glossary\n\nWords we use.\n")
			return []string{"content/guides/glossary.md"}
		}, false, false, nil},
		{"plain page title", func(t *testing.T, dir string) []string {
			edit(t, dir, guide, "title: Writing guide", "title: How to write")
			return []string{guide}
		}, false, false, nil},
		{"body link to another document", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "\n---\n", "\n---\n\nSee [[PER-1]] and [the market](../../strategy/market/mkt-1.md).\n")
			return []string{story3}
		}, false, false, nil},
		{"reference added", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "personas: [PER-1]", "personas: [PER-1]\naddresses: FB-1")
			return []string{story3}
		}, false, false, nil},
		{"traces moved to another epic", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "traces: EPIC-2", "traces: EPIC-1")
			return []string{story3}
		}, false, false, nil},
		{"an unknown field is a warning", func(t *testing.T, dir string) []string {
			edit(t, dir, story1, "status: done", "status: done\ncolour: green")
			return []string{story1}
		}, false, false, nil},
		{"a comment moves the warning", func(t *testing.T, dir string) []string {
			edit(t, dir, story1, "status: done", "# reviewed\nstatus: done")
			return []string{story1}
		}, false, false, nil},
		{"broken anchor is an error", func(t *testing.T, dir string) []string {
			edit(t, dir, epic1, "## Scope", "## What is in scope")
			return []string{epic1}
		}, true, false, nil},
		{"anchor fixed", func(t *testing.T, dir string) []string {
			edit(t, dir, epic1, "## What is in scope", "## Scope {#scope}")
			return []string{epic1}
		}, false, false, nil},
		{"rank changes the backlog's order", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "rank: 5", "rank: 1")
			return []string{story3}
		}, false, false, nil},
		{"a reference field names no document", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "release: REL-1", "release: REL-9")
			return []string{story3}
		}, true, false, nil},
		{"and names one again", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "release: REL-9", "release: REL-1")
			return []string{story3}
		}, false, false, nil},
		{"a body link to no document", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "so that next time is quicker.", "so that next time is quicker, as [[NOPE-1]] says.")
			return []string{story3}
		}, true, false, nil},
		{"and to one", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "[[NOPE-1]]", "[[FB-1]]")
			return []string{story3}
		}, false, false, nil},
		{"an epic done while its stories are open: a warning", func(t *testing.T, dir string) []string {
			edit(t, dir, "content/backlog/epics/epic-2.md", "status: proposed", "status: done")
			return []string{"content/backlog/epics/epic-2.md"}
		}, false, false, nil},
		{"and open again", func(t *testing.T, dir string) []string {
			edit(t, dir, "content/backlog/epics/epic-2.md", "status: done", "status: in-progress")
			return []string{"content/backlog/epics/epic-2.md"}
		}, false, false, nil},
		{"two files at once", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "title: Offer to save the card after paying", "title: Offer to keep the card")
			edit(t, dir, "content/strategy/personas/per-1.md", "\n---\n", "\n---\n\nSee [[STORY-3]].\n")
			return []string{story3, "content/strategy/personas/per-1.md"}
		}, true, false, nil}, // strategy links into the backlog
		{"one of them fixed", func(t *testing.T, dir string) []string {
			edit(t, dir, "content/strategy/personas/per-1.md", "See [[STORY-3]].", "See [[PER-1]].")
			return []string{"content/strategy/personas/per-1.md"}
		}, false, false, nil},
		{"an ID changes", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "id: STORY-3", "id: STORY-33")
			return []string{story3}
		}, false, false, nil},
		{"a body edit after it", func(t *testing.T, dir string) []string {
			edit(t, dir, story3, "Replace this with your story.", "Keep this short.")
			return []string{story3}
		}, false, false, nil},
		{"a file moves to another folder", func(t *testing.T, dir string) []string {
			from := filepath.Join(dir, "content/backlog/stories/story-2.md")
			if err := os.Rename(from, filepath.Join(dir, "content/backlog/epics/story-2.md")); err != nil {
				t.Fatal(err)
			}
			return []string{"content/backlog/stories/story-2.md", "content/backlog/epics/story-2.md"}
		}, false, false, nil},
		{"and its title changes there", func(t *testing.T, dir string) []string {
			edit(t, dir, "content/backlog/epics/story-2.md", "title: Show errors next to the field", "title: Errors where they are")
			return []string{"content/backlog/epics/story-2.md"}
		}, false, false, nil},
		{"new story", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "content/backlog/stories/story-5.md", newStory("STORY-5", "EPIC-1", "Pay in one tap"))
			return []string{"content/backlog/stories/story-5.md"}
		}, false, false, nil},
		{"renamed file", func(t *testing.T, dir string) []string {
			from := filepath.Join(dir, "content/backlog/stories/story-5.md")
			if err := os.Rename(from, filepath.Join(dir, "content/backlog/stories/one-tap.md")); err != nil {
				t.Fatal(err)
			}
			return []string{"content/backlog/stories/story-5.md", "content/backlog/stories/one-tap.md"}
		}, false, false, nil},
		{"new folder with files, named by the folder only", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "content/backlog/stories/wallet/story-6.md", newStory("STORY-6", "EPIC-2", "Apple Pay"))
			writeFile(t, dir, "content/backlog/stories/wallet/story-7.md", newStory("STORY-7", "EPIC-2", "Google Pay"))
			return []string{"content/backlog/stories/wallet"}
		}, false, false, nil},
		{"frontmatter broken", func(t *testing.T, dir string) []string {
			edit(t, dir, "content/backlog/stories/wallet/story-7.md", "title: Google Pay", "title: [Google Pay")
			return []string{"content/backlog/stories/wallet/story-7.md"}
		}, true, false, nil},
		{"body edit while broken", func(t *testing.T, dir string) []string {
			edit(t, dir, story1, "I pay in seconds", "I pay in a second")
			return []string{story1}
		}, true, false, nil},
		{"frontmatter fixed", func(t *testing.T, dir string) []string {
			edit(t, dir, "content/backlog/stories/wallet/story-7.md", "title: [Google Pay", "title: Google Pay")
			return []string{"content/backlog/stories/wallet/story-7.md"}
		}, false, false, nil},
		{"image added and linked", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "content/guides/flow.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`)
			edit(t, dir, guide, "\n---\n", "\n---\n\n![The flow](flow.svg)\n")
			return []string{"content/guides/flow.svg", guide}
		}, false, false, nil},
		{"image removed", func(t *testing.T, dir string) []string {
			edit(t, dir, guide, "![The flow](flow.svg)", "![The flow](flow.png)")
			if err := os.Remove(filepath.Join(dir, "content/guides/flow.svg")); err != nil {
				t.Fatal(err)
			}
			return []string{"content/guides/flow.svg", guide}
		}, true, false, nil},
		{"image back", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "content/guides/flow.png", "not really a PNG")
			return []string{"content/guides/flow.png"}
		}, false, false, nil},
		{"folder deleted", func(t *testing.T, dir string) []string {
			if err := os.RemoveAll(filepath.Join(dir, "content/backlog/stories/wallet")); err != nil {
				t.Fatal(err)
			}
			return []string{"content/backlog/stories/wallet"}
		}, false, false, nil},
		{"story deleted", func(t *testing.T, dir string) []string {
			if err := os.Remove(filepath.Join(dir, "content/backlog/stories/one-tap.md")); err != nil {
				t.Fatal(err)
			}
			return []string{"content/backlog/stories/one-tap.md"}
		}, false, false, nil},
		{"template: a stylesheet of the site's own", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "templates/style.css", "body { color: navy }\n")
			return []string{"templates/style.css"}
		}, false, true, []string{"/assets/style.css"}},
		{"template: a page of the site's own", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "templates/404.html", "{{define \"main\"}}<h1>Gone</h1>{{end}}\n")
			return []string{"templates/404.html"}
		}, false, true, nil},
		{"body edit under a theme of the site's own", func(t *testing.T, dir string) []string {
			edit(t, dir, story1, "I pay in a second", "I pay at once")
			return []string{story1}
		}, false, false, nil},
		{"template broken", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "templates/404.html", "{{define \"main\"}}<h1>Gone{{end}\n")
			return []string{"templates/404.html"}
		}, true, false, nil},
		{"template removed", func(t *testing.T, dir string) []string {
			if err := os.Remove(filepath.Join(dir, "templates/404.html")); err != nil {
				t.Fatal(err)
			}
			return []string{"templates/404.html"}
		}, false, true, nil},
		{"settings", func(t *testing.T, dir string) []string {
			edit(t, dir, "productdocs.yaml", "title: My Product", "title: Acme Checkout\nbase_url: https://docs.example.com/")
			return []string{"productdocs.yaml"}
		}, false, true, nil},
		{"body edit with a base URL", func(t *testing.T, dir string) []string {
			edit(t, dir, story1, "I pay at once", "I pay now")
			return []string{story1}
		}, false, false, nil},
	}
	dir := starter(t)
	b := NewBuilder(os.DirFS(dir), testLive, "")
	if _, err := b.Rebuild(context.Background(), Batch{All: true}); err != nil {
		t.Fatal(err)
	}
	lastDocs := 0
	if c := b.Current(); c != nil {
		lastDocs = len(c.Site.Model.Docs)
	}
	for _, st := range steps {
		if t.Failed() {
			return // each step builds on the one before
		}
		t.Run(st.name, func(t *testing.T) {
			res, err := b.Rebuild(context.Background(), Batch{Paths: st.change(t, dir)})
			if err != nil {
				t.Fatal(err)
			}
			want, err := NewBuilder(os.DirFS(dir), testLive, "").Rebuild(context.Background(), Batch{All: true})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Diagnostics, want.Diagnostics) {
				t.Errorf("diagnostics\n  %v\nwant, as a full build has them,\n  %v", res.Diagnostics, want.Diagnostics)
			}
			if res.Failed() != st.fails {
				t.Fatalf("failed = %v, want %v; diagnostics: %v", res.Failed(), st.fails, res.Diagnostics)
			}
			if res.Failed() {
				return
			}
			if res.Full != st.full {
				t.Errorf("full = %v, want %v (rendered %d files)", res.Full, st.full, len(res.Rendered))
			}
			// Equal to a full build is not enough: a rebuild that renders
			// everything is that too. (Every page's footer counts the
			// documents: one added or removed shows everywhere.)
			docs := len(res.Site.Model.Docs)
			counted := docs != lastDocs
			lastDocs = docs
			if pages := htmlFiles(res.Output); !st.full && !counted && res.Pages() >= pages {
				t.Errorf("rendered %d of %d pages: %v", res.Pages(), pages, res.Rendered)
			}
			if st.changed != nil && !slices.Equal(res.Changed, st.changed) {
				t.Errorf("changed URLs %v, want %v", res.Changed, st.changed)
			}
			sameOutput(t, res.Output, want.Output)
		})
	}
}

// htmlFiles counts the pages of an output.
func htmlFiles(o *Output) int {
	n := 0
	for p := range o.Files {
		if strings.HasSuffix(p, ".html") {
			n++
		}
	}
	return n
}

// TestRebuildIsBuild checks that a preview without the live script is the
// output of productdocs build.
func TestRebuildIsBuild(t *testing.T) {
	t.Parallel()
	dir := starter(t)
	out := filepath.Join(t.TempDir(), "public")
	site, err := generator.Load(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := generator.Build(context.Background(), site, dir, generator.BuildOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	res, err := NewBuilder(os.DirFS(dir), "", "").Rebuild(context.Background(), Batch{All: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, out+string(filepath.Separator)))
		if strings.HasPrefix(rel, ".") {
			return nil // build's mark on its output folder
		}
		want, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if got, ok := res.Output.Files[rel]; ok {
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from build's", rel)
			}
		} else if name, ok := res.Output.Copied[rel]; ok {
			if got := readFile(t, dir, name); got != string(want) {
				t.Errorf("%s differs from build's", rel)
			}
		} else {
			t.Errorf("%s: written by build, not by the preview", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := len(res.Output.Files) + len(res.Output.Copied); m != n {
		t.Errorf("the preview has %d files, build wrote %d", m, n)
	}
}

// TestRebuildLargeSite edits a site whose backlog lists and traceability
// tree are split over several pages, so that an edit reaches some pages
// of a listing and not others, and checks each step against a full build.
func TestRebuildLargeSite(t *testing.T) {
	t.Parallel()
	if testing.Short() || raceDetector {
		t.Skip("builds a site of 2,500 documents, many times; left out under -short and -race")
	}
	dir := filepath.Join(t.TempDir(), "site")
	if err := sitegen.Write(dir, sitegen.Options{Docs: 2500, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	site, err := generator.Load(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	// A document of each kind, from the middle of its kind's.
	byKind := map[string][]string{}
	for _, d := range site.Model.Docs {
		byKind[d.Kind.Name] = append(byKind[d.Kind.Name], d.File)
	}
	of := map[string]string{}
	for k, files := range byKind {
		of[k] = files[len(files)/2]
	}
	// The story: one past the first page of the ranked backlog.
	v := render.NewSite(site.Model, "", "", "", nil)
	for _, d := range v.Backlog[render.ListPageSize+10:] {
		if d.Kind.Name == "story" {
			of["story"] = d.File
			break
		}
	}
	for _, k := range []string{"story", "epic", "initiative", "feedback", "objective"} {
		if of[k] == "" {
			t.Fatalf("no %s in the site", k)
		}
	}
	retitle := func(kind, title string) func(t *testing.T) []string {
		return func(t *testing.T) []string {
			edit(t, dir, of[kind], "\ntitle: ", "\ntitle: "+title+" ")
			return []string{of[kind]}
		}
	}
	steps := []struct {
		name   string
		change func(t *testing.T) []string
		fewer  bool // fewer listing pages are rendered than there are
	}{
		{"a story's title", retitle("story", "Retitled"), true},
		{"a story's rank", func(t *testing.T) []string {
			s := readFile(t, dir, of["story"])
			if strings.Contains(s, "\nrank: ") {
				edit(t, dir, of["story"], "\nrank: ", "\nrank: 1")
			} else {
				edit(t, dir, of["story"], "\ntitle: ", "\nrank: 3\ntitle: ")
			}
			return []string{of["story"]}
		}, false},
		{"a story's status", func(t *testing.T) []string {
			s := readFile(t, dir, of["story"])
			i := strings.Index(s, "\nstatus: ")
			j := i + 1 + strings.Index(s[i+1:], "\n")
			writeFile(t, dir, of["story"], s[:i]+"\nstatus: in-progress"+s[j:])
			return []string{of["story"]}
		}, false},
		{"a story's body", func(t *testing.T) []string {
			writeFile(t, dir, of["story"], readFile(t, dir, of["story"])+"\nOne more line.\n")
			return []string{of["story"]}
		}, true},
		{"an epic's title", retitle("epic", "Retitled"), false},
		{"an initiative's title", retitle("initiative", "Retitled"), false},
		{"a feedback's title", retitle("feedback", "Retitled"), true},
		{"an objective's title", retitle("objective", "Retitled"), false},
		{"a warning", func(t *testing.T) []string {
			edit(t, dir, of["story"], "\ntitle: ", "\ncolour: red\ntitle: ")
			return []string{of["story"]}
		}, false},
		{"the warning goes", func(t *testing.T) []string {
			edit(t, dir, of["story"], "\ncolour: red\n", "\n")
			return []string{of["story"]}
		}, false},
	}
	b := NewBuilder(os.DirFS(dir), testLive, "")
	res, err := b.Rebuild(context.Background(), Batch{All: true})
	if err != nil {
		t.Fatal(err)
	}
	var lists []string // the listing pages
	for p := range res.Output.Files {
		if strings.HasPrefix(p, "backlog/ranked/") || strings.HasPrefix(p, "trace/") || slices.Contains(listings, p) {
			lists = append(lists, p)
		}
	}
	if !slices.Contains(lists, "backlog/ranked/2/index.html") || !slices.Contains(lists, "trace/2/index.html") {
		t.Fatalf("the site's lists fit on one page: %v", lists)
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			res, err := b.Rebuild(context.Background(), Batch{Paths: st.change(t)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Failed() || res.Full {
				t.Fatalf("failed %v, full %v: %v", res.Failed(), res.Full, res.Diagnostics)
			}
			n := 0
			for _, p := range res.Rendered {
				if slices.Contains(lists, p) {
					n++
				}
			}
			if st.fewer && n >= len(lists) {
				t.Errorf("rendered every listing page: %v", res.Rendered)
			}
			want, err := NewBuilder(os.DirFS(dir), testLive, "").Rebuild(context.Background(), Batch{All: true})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Diagnostics, want.Diagnostics) {
				t.Errorf("diagnostics\n  %v\nwant\n  %v", res.Diagnostics, want.Diagnostics)
			}
			sameOutput(t, res.Output, want.Output)
		})
	}
}

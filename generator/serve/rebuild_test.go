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
	"productdocs/generator/scaffold"
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
	res, err := NewBuilder(os.DirFS(dir), testLive, "").Rebuild(context.Background(), nil, true)
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

// listings are the files a change of any document's fields renders again.
var listings = []string{
	"404.html", "backlog/index.html", "index.html", "model.json", "search/index.html", "search/index.js",
	"strategy/index.html", "trace/index.html",
}

func TestRebuildRendersWhatChanged(t *testing.T) {
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
			want:    []string{"backlog/story-1/index.html", "search/index.js"},
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
			// depends on it.
			want: append([]string{
				"backlog/epic-1/index.html", "backlog/fb-1/index.html", "backlog/story-2/index.html", "backlog/story-3/index.html",
				"strategy/per-1/index.html", "strategy/rel-1/index.html",
			}, listings...),
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
			want: append([]string{
				"backlog/epic-2/index.html", "backlog/story-3/index.html",
				"strategy/ini-1/index.html", "strategy/ini-2/index.html", "strategy/obj-2/index.html",
			}, listings...),
		},
	}
	dir := starter(t)
	b := NewBuilder(os.DirFS(dir), testLive, "")
	var early *Result
	b.Early = func(r *Result) { early = r }
	if _, err := b.Rebuild(context.Background(), nil, true); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			early = nil
			res, err := b.Rebuild(context.Background(), tt.change(t, dir), false)
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
			// The documents' pages come early when listings follow.
			if early != nil {
				for _, p := range early.Rendered {
					if slices.Contains(listings, p) {
						t.Errorf("early: rendered the listing %s", p)
					}
				}
				for p, b := range early.Output.Files {
					if slices.Contains(early.Rendered, p) && !bytes.Equal(b, res.Output.Files[p]) {
						t.Errorf("early: %s differs from the final build", p)
					}
				}
				for _, p := range res.Rendered {
					if !slices.Contains(early.Rendered, p) && !slices.Contains(listings, p) {
						t.Errorf("early: rendered %v, then %v", early.Rendered, res.Rendered)
					}
				}
			} else if len(res.Rendered) > len(listings) {
				t.Errorf("no early result for %v", res.Rendered)
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
		full   bool // every file is rendered
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
		}, false, true, nil},
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
		{"new story", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "content/backlog/stories/story-5.md", newStory("STORY-5", "EPIC-1", "Pay in one tap"))
			return []string{"content/backlog/stories/story-5.md"}
		}, false, true, nil},
		{"renamed file", func(t *testing.T, dir string) []string {
			from := filepath.Join(dir, "content/backlog/stories/story-5.md")
			if err := os.Rename(from, filepath.Join(dir, "content/backlog/stories/one-tap.md")); err != nil {
				t.Fatal(err)
			}
			return []string{"content/backlog/stories/story-5.md", "content/backlog/stories/one-tap.md"}
		}, false, true, nil},
		{"new folder with files, named by the folder only", func(t *testing.T, dir string) []string {
			writeFile(t, dir, "content/backlog/stories/wallet/story-6.md", newStory("STORY-6", "EPIC-2", "Apple Pay"))
			writeFile(t, dir, "content/backlog/stories/wallet/story-7.md", newStory("STORY-7", "EPIC-2", "Google Pay"))
			return []string{"content/backlog/stories/wallet"}
		}, false, true, nil},
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
		}, false, true, nil},
		{"story deleted", func(t *testing.T, dir string) []string {
			if err := os.Remove(filepath.Join(dir, "content/backlog/stories/one-tap.md")); err != nil {
				t.Fatal(err)
			}
			return []string{"content/backlog/stories/one-tap.md"}
		}, false, true, nil},
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
		}, false, true, nil},
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
	b.Early = func(*Result) {} // the final output must not care
	if _, err := b.Rebuild(context.Background(), nil, true); err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		if t.Failed() {
			return // each step builds on the one before
		}
		t.Run(st.name, func(t *testing.T) {
			res, err := b.Rebuild(context.Background(), st.change(t, dir), false)
			if err != nil {
				t.Fatal(err)
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
			if st.changed != nil && !slices.Equal(res.Changed, st.changed) {
				t.Errorf("changed URLs %v, want %v", res.Changed, st.changed)
			}
			sameOutput(t, res.Output, fullBuild(t, dir))
		})
	}
}

// TestRebuildIsBuild checks that a preview without the live script is the
// output of productdocs build.
func TestRebuildIsBuild(t *testing.T) {
	dir := starter(t)
	out := filepath.Join(t.TempDir(), "public")
	site, err := generator.Load(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := generator.Build(context.Background(), site, dir, false, generator.BuildOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	res, err := NewBuilder(os.DirFS(dir), "", "").Rebuild(context.Background(), nil, true)
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

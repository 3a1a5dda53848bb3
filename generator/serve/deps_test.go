package serve

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// rebuildStep rebuilds after a change and holds the result to a full build
// of the same files, byte for byte.
func rebuildStep(t *testing.T, b *Builder, dir string, changed []string) *Result {
	t.Helper()
	res, err := b.Rebuild(context.Background(), Batch{Paths: changed})
	if err != nil {
		t.Fatal(err)
	}
	want, err := NewBuilder(os.DirFS(dir), testLive, "").Rebuild(context.Background(), Batch{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() != want.Failed() {
		t.Fatalf("failed = %v, a full build %v: %v", res.Failed(), want.Failed(), res.Diagnostics)
	}
	if !slices.Equal(res.Diagnostics, want.Diagnostics) {
		t.Errorf("diagnostics\n  %v\nwant\n  %v", res.Diagnostics, want.Diagnostics)
	}
	if !res.Failed() {
		sameOutput(t, res.Output, want.Output)
	}
	return res
}

// TestRebuildCountsPages asserts how many pages an edit renders again,
// with the built-in theme and with templates of the site's own, which
// record what they read the same way.
func TestRebuildCountsPages(t *testing.T) {
	t.Parallel()
	const story2 = "content/backlog/stories/story-2.md"
	tests := []struct {
		name      string
		templates map[string]string
		// want are the pages (not data files) a title edit of STORY-2
		// renders again.
		want []string
	}{
		{
			name: "built-in theme",
			// Its own page; EPIC-1, FB-1, PER-1, REL-1 and STORY-3 show
			// it among their references; the backlog and the tree list
			// it; INI-1, OBJ-1, the roadmap's card of INI-1 and the
			// releases page count it in their progress.
			want: []string{
				"strategy/ini-1/index.html", "strategy/obj-1/index.html", "strategy/releases/index.html", "strategy/roadmap/index.html",
				"backlog/epic-1/index.html", "backlog/fb-1/index.html", "backlog/index.html", "backlog/story-2/index.html",
				"backlog/story-3/index.html", "strategy/per-1/index.html", "strategy/rel-1/index.html", "trace/index.html",
			},
		},
		{
			name: "a document page of the site's own that shows the why-chain and back-links",
			templates: map[string]string{"document.html": `{{define "main"}}<h1>{{.Doc.ID}} {{.Doc.Title}}</h1>
<ol>{{range .WhyChain}}<li>{{.Title}}</li>{{end}}</ol>
{{range .InRefs}}<h2>{{.Label}}</h2>{{range .Docs}}<p>{{.Title}}</p>{{end}}{{end}}{{end}}`},
			// EPIC-1 and FB-1 show it among what names them; STORY-3,
			// which names it, no longer shows its references; the
			// strategy kinds' pages use strategy-document.html, which
			// shows every reference both ways; the releases page and the
			// roadmap count it in their progress.
			want: []string{
				"strategy/releases/index.html", "strategy/roadmap/index.html",
				"backlog/epic-1/index.html", "backlog/fb-1/index.html", "backlog/index.html", "backlog/story-2/index.html",
				"strategy/per-1/index.html", "strategy/rel-1/index.html", "trace/index.html",
			},
		},
		{
			name: "a document page of the site's own that follows links by fields",
			templates: map[string]string{"document.html": `{{define "main"}}<h1>{{.Doc.Title}}</h1>
{{range .Doc.Backlinks}}<p>{{.From.Title}}</p>{{end}}{{range .Doc.Refs}}{{with .To}}<p>{{.Title}}</p>{{end}}{{end}}{{end}}`},
			// Such a template reads what is one link away from each
			// document it records: the backlog's own pages then render
			// again as their neighbours do.
			want: []string{
				"strategy/releases/index.html", "strategy/roadmap/index.html",
				"backlog/epic-1/index.html", "backlog/fb-1/index.html", "backlog/index.html", "backlog/story-2/index.html",
				"backlog/story-3/index.html", "strategy/per-1/index.html", "strategy/rel-1/index.html", "trace/index.html",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := starter(t)
			for name, text := range tt.templates {
				writeFile(t, dir, "templates/"+name, text)
			}
			b := NewBuilder(os.DirFS(dir), testLive, "")
			if _, err := b.Rebuild(context.Background(), Batch{All: true}); err != nil {
				t.Fatal(err)
			}
			edit(t, dir, story2, "title: Show errors next to the field", "title: Show each error next to its field")
			res := rebuildStep(t, b, dir, []string{story2})
			var pages []string
			for _, p := range res.Rendered {
				if strings.HasSuffix(p, ".html") {
					pages = append(pages, p)
				}
			}
			if want := slices.Sorted(slices.Values(tt.want)); !slices.Equal(pages, want) {
				t.Errorf("rendered %d of %d pages\n  %v\nwant\n  %v", len(pages), htmlFiles(res.Output), pages, tt.want)
			}
		})
	}
}

// TestRebuildTags adds the tags pages' content by editing documents only:
// a view is rebuilt from what its pages read, with no rule of its own.
func TestRebuildTags(t *testing.T) {
	t.Parallel()
	const story1 = "content/backlog/stories/story-1.md"
	const epic1 = "content/backlog/epics/epic-1.md"
	dir := starter(t)
	b := NewBuilder(os.DirFS(dir), testLive, "")
	if _, err := b.Rebuild(context.Background(), Batch{All: true}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		change func() []string
		want   []string // pages that must be among those rendered
		files  []string // files the output must have
		gone   []string // files it must not
	}{
		{"a tag on a story", func() []string {
			edit(t, dir, story1, "rank: 3", "rank: 3\ntags: [Fast Checkout]")
			return []string{story1}
		}, []string{"tags/index.html", "tags/fast-checkout/index.html", "backlog/story-1/index.html"},
			[]string{"tags/fast-checkout/index.html"}, nil},
		{"the same tag on an epic, spelt otherwise", func() []string {
			edit(t, dir, epic1, "\n---\n", "\ntags: [fast checkout, c++]\n---\n")
			return []string{epic1}
		}, []string{"tags/index.html", "tags/fast-checkout/index.html", "tags/c++/index.html"},
			[]string{"tags/c++/index.html"}, nil},
		{"the story's title, shown on the tag's page", func() []string {
			edit(t, dir, story1, "title: Enter the address and card on one page", "title: One page for address and card")
			return []string{story1}
		}, []string{"tags/fast-checkout/index.html"}, nil, nil},
		{"the tag taken off both", func() []string {
			edit(t, dir, story1, "tags: [Fast Checkout]", "tags: []")
			edit(t, dir, epic1, "tags: [fast checkout, c++]", "tags: [c++]")
			return []string{story1, epic1}
		}, []string{"tags/index.html"}, nil, []string{"tags/fast-checkout/index.html"}},
	}
	for _, st := range steps {
		if t.Failed() {
			return
		}
		t.Run(st.name, func(t *testing.T) {
			res := rebuildStep(t, b, dir, st.change())
			for _, p := range st.want {
				if !slices.Contains(res.Rendered, p) {
					t.Errorf("%s not rendered again: %v", p, res.Rendered)
				}
			}
			for _, p := range st.files {
				if _, ok := res.Output.Files[p]; !ok {
					t.Errorf("no %s", p)
				}
			}
			for _, p := range st.gone {
				if _, ok := res.Output.Files[p]; ok {
					t.Errorf("%s is still there", p)
				}
			}
			// Not every page: the views record what they read. Over a
			// half here, as a tag on an epic is part of the epic's own
			// data, which the roll-ups above it (INI-1, OBJ-1, REL-1, the
			// roadmap's card, the releases page) record as they count it.
			if res.Pages() >= htmlFiles(res.Output)*3/5 {
				t.Errorf("rendered %d of %d pages: %v", res.Pages(), htmlFiles(res.Output), res.Rendered)
			}
		})
	}
	page := string(b.Current().Files["backlog/epic-1/index.html"])
	if !strings.Contains(page, `<a class="tag" href="../../tags/c&#43;&#43;/">c&#43;&#43;</a>`) {
		t.Errorf("EPIC-1's page does not link its tag:\n%s", page)
	}
}

// TestRebuildRandomEdits makes a seeded sequence of random edits (titles,
// bodies, statuses, tags, references, renames, moves, kinds, IDs, new and
// deleted files, templates, settings) and holds the preview to a full
// build after every one, and to rendering less than everything after
// every edit of content.
func TestRebuildRandomEdits(t *testing.T) {
	t.Parallel()
	n := 60
	if testing.Short() || raceDetector {
		n = 15
	}
	dir := starter(t)
	b := NewBuilder(os.DirFS(dir), testLive, "")
	if _, err := b.Rebuild(context.Background(), Batch{All: true}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(17, 2026))
	docs := func() []string {
		var out []string
		filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				rel, _ := filepath.Rel(dir, p)
				out = append(out, filepath.ToSlash(rel))
			}
			return nil
		})
		slices.Sort(out)
		return out
	}
	field := func(src, key, value string) string {
		re := regexp.MustCompile(`(?m)^` + key + `:.*$`)
		if re.MatchString(src) {
			return re.ReplaceAllString(src, key+": "+value)
		}
		if strings.HasPrefix(src, "---\n") {
			return "---\n" + key + ": " + value + "\n" + src[4:]
		}
		return src
	}
	next := 100
	type op struct {
		name string
		do   func(file string) (changed []string, content bool)
	}
	ops := []op{
		{"title", func(f string) ([]string, bool) {
			writeFile(t, dir, f, field(readFile(t, dir, f), "title", fmt.Sprintf("Title %d", rng.IntN(1000))))
			return []string{f}, true
		}},
		{"body", func(f string) ([]string, bool) {
			writeFile(t, dir, f, readFile(t, dir, f)+fmt.Sprintf("\nMore words, %d of them.\n", rng.IntN(1000)))
			return []string{f}, true
		}},
		{"status", func(f string) ([]string, bool) {
			st := []string{"proposed", "planned", "in-progress", "done"}[rng.IntN(4)]
			writeFile(t, dir, f, field(readFile(t, dir, f), "status", st))
			return []string{f}, true
		}},
		{"tags", func(f string) ([]string, bool) {
			tags := []string{"[]", "[alpha]", "[alpha, Beta Gamma]", "[beta gamma]"}[rng.IntN(4)]
			writeFile(t, dir, f, field(readFile(t, dir, f), "tags", tags))
			return []string{f}, true
		}},
		{"body link", func(f string) ([]string, bool) {
			id := []string{"STORY-1", "EPIC-2", "INI-1", "PER-1", "guides/writing"}[rng.IntN(5)]
			writeFile(t, dir, f, readFile(t, dir, f)+"\nSee [["+id+"]].\n")
			return []string{f}, true
		}},
		{"rename", func(f string) ([]string, bool) {
			next++
			to := slashDir(filepath.Dir(f)) + fmt.Sprintf("/renamed-%d.md", next)
			rename(t, dir, f, to)
			return []string{f, to}, true
		}},
		{"move", func(f string) ([]string, bool) {
			next++
			to := slashDir(filepath.Dir(f)) + fmt.Sprintf("/sub%d/%s", next, filepath.Base(f))
			rename(t, dir, f, to)
			return []string{f, to}, true
		}},
		{"id", func(f string) ([]string, bool) {
			next++
			writeFile(t, dir, f, field(readFile(t, dir, f), "id", fmt.Sprintf("X-%d", next)))
			return []string{f}, true
		}},
		{"kind", func(f string) ([]string, bool) {
			writeFile(t, dir, f, field(readFile(t, dir, f), "kind", "page"))
			return []string{f}, true
		}},
		{"new story", func(string) ([]string, bool) {
			next++
			f := fmt.Sprintf("content/backlog/stories/new-%d.md", next)
			writeFile(t, dir, f, fmt.Sprintf("---\nid: STORY-%d\nkind: story\ntitle: New %d\ntraces: EPIC-1\ntags: [alpha]\n---\n\nNew.\n", next, next))
			return []string{f}, true
		}},
		{"new page", func(string) ([]string, bool) {
			next++
			f := fmt.Sprintf("content/guides/page-%d.md", next)
			writeFile(t, dir, f, fmt.Sprintf("# Page %d\n\nSee [[EPIC-1]].\n", next))
			return []string{f}, true
		}},
		{"delete", func(f string) ([]string, bool) {
			if err := os.Remove(filepath.Join(dir, f)); err != nil {
				t.Fatal(err)
			}
			return []string{f}, true
		}},
		{"template", func(string) ([]string, bool) {
			text := []string{
				`{{define "main"}}<h1>{{.Doc.Title}}</h1>{{range .WhyChain}}<p>{{.ID}}</p>{{end}}{{.Body}}{{end}}`,
				`{{define "main"}}<h1>{{.Doc.ID}}</h1>{{range .Doc.Backlinks}}<p>{{.From.Title}}</p>{{end}}{{end}}`,
			}[rng.IntN(2)]
			writeFile(t, dir, "templates/document.html", text)
			return []string{"templates/document.html"}, false
		}},
		{"settings", func(string) ([]string, bool) {
			writeFile(t, dir, "productdocs.yaml", fmt.Sprintf("title: Product %d\n", rng.IntN(100)))
			return []string{"productdocs.yaml"}, false
		}},
	}
	for i := range n {
		if t.Failed() {
			return
		}
		files := docs()
		o := ops[rng.IntN(len(ops))]
		f := files[rng.IntN(len(files))]
		t.Run(fmt.Sprintf("%02d %s %s", i, o.name, f), func(t *testing.T) {
			changed, content := o.do(f)
			res := rebuildStep(t, b, dir, changed)
			if res.Failed() || !content {
				return
			}
			if res.Full {
				t.Errorf("an edit of content rendered everything")
			}
		})
	}
}

func slashDir(dir string) string { return filepath.ToSlash(dir) }

func rename(t *testing.T, dir, from, to string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(to)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
		t.Fatal(err)
	}
}

// TestRebuildFailurePublishesNothing makes a rebuild fail part way, on a
// template that breaks on one page only, and checks that nothing of it
// is published: the last good build stays current, every file as it was.
func TestRebuildFailurePublishesNothing(t *testing.T) {
	t.Parallel()
	const story2 = "content/backlog/stories/story-2.md"
	dir := starter(t)
	writeFile(t, dir, "templates/story.html", `{{define "main"}}<h1>{{.Doc.Title}}</h1>{{if eq .Doc.Title "Boom"}}{{index .Doc.Tags 5}}{{end}}{{end}}`)
	b := NewBuilder(os.DirFS(dir), testLive, "")
	first, err := b.Rebuild(context.Background(), Batch{All: true})
	if err != nil || first.Failed() {
		t.Fatalf("first build: %v %v", err, first.Diagnostics)
	}
	good := b.Current()
	before := maps.Clone(good.Files)
	// Two pages change; one of them fails to render.
	edit(t, dir, story2, "title: Show errors next to the field", "title: Boom")
	edit(t, dir, "content/backlog/stories/story-1.md", "title: Enter the address and card on one page", "title: One page")
	res, err := b.Rebuild(context.Background(), Batch{Paths: []string{story2, "content/backlog/stories/story-1.md"}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed() || len(res.Diagnostics) == 0 || res.Diagnostics[len(res.Diagnostics)-1].Code != "template" {
		t.Fatalf("failed = %v, diagnostics %v; want a template error", res.Failed(), res.Diagnostics)
	}
	if b.Current() != good || !maps.EqualFunc(b.Current().Files, before, bytes.Equal) {
		t.Errorf("a failed rebuild changed what is served")
	}
	// Fixed, the next rebuild renders both pages.
	edit(t, dir, story2, "title: Boom", "title: Fine")
	res = rebuildStep(t, b, dir, []string{story2})
	for _, p := range []string{"backlog/story-1/index.html", "backlog/story-2/index.html"} {
		if !slices.Contains(res.Rendered, p) {
			t.Errorf("%s not rendered after the failure: %v", p, res.Rendered)
		}
	}
}

// TestRebuildEarlyPages holds the early part of a rebuild to its word:
// the edited document's page as the whole rebuild renders it, every
// other file as the last good build had it; and the whole rebuild to a
// full build.
func TestRebuildEarlyPages(t *testing.T) {
	const story1 = "content/backlog/stories/story-1.md"
	const page = "backlog/story-1/index.html"
	dir := starter(t)
	b := NewBuilder(os.DirFS(dir), testLive, "")
	var early []*Result
	b.Early = func(r *Result) { early = append(early, r) }
	if _, err := b.Rebuild(context.Background(), Batch{All: true}); err != nil {
		t.Fatal(err)
	}
	if len(early) != 0 {
		t.Fatalf("a first build called Early %d times", len(early))
	}
	before := b.Current()
	edit(t, dir, story1, "so that I pay faster.", "so that I pay much faster.")
	res := rebuildStep(t, b, dir, []string{story1})
	if len(early) != 1 {
		t.Fatalf("Early called %d times, want 1", len(early))
	}
	e := early[0].Output
	if !slices.Equal(early[0].Rendered, []string{page}) || !slices.Equal(early[0].Changed, []string{"/backlog/story-1/"}) {
		t.Errorf("early part rendered %v, changed %v; want only %s", early[0].Rendered, early[0].Changed, page)
	}
	if !bytes.Equal(e.Files[page], res.Output.Files[page]) || bytes.Equal(e.Files[page], before.Files[page]) {
		t.Errorf("the early page is not the rebuilt one")
	}
	for p, f := range e.Files {
		if p != page && !bytes.Equal(f, before.Files[p]) {
			t.Errorf("the early part changed %s", p)
		}
	}
	if len(e.Files) != len(before.Files) {
		t.Errorf("the early part has %d files, the last good build %d", len(e.Files), len(before.Files))
	}
	if !slices.Contains(res.Rendered, page) || !slices.Contains(res.Changed, "/backlog/story-1/") {
		t.Errorf("the whole rebuild does not name the early page: rendered %v, changed %v", res.Rendered, res.Changed)
	}
}

// TestRebuildUnchanged: a batch that names files as the last rebuild
// read them (the late events of a save) does nothing, and any other
// batch rebuilds.
func TestRebuildUnchanged(t *testing.T) {
	const story1 = "content/backlog/stories/story-1.md"
	dir := starter(t)
	b := NewBuilder(os.DirFS(dir), testLive, "")
	if _, err := b.Rebuild(context.Background(), Batch{All: true}); err != nil {
		t.Fatal(err)
	}
	edit(t, dir, story1, "so that I pay faster.", "so that I pay much faster.")
	steps := []struct {
		name      string
		change    func()
		paths     []string
		all       bool
		unchanged bool
	}{
		{"a save", func() {}, []string{story1}, false, false},
		{"its late events", func() {}, []string{story1, "content/backlog/stories/.story-1.md.tmp"}, false, false},
		{"the same again", func() {}, []string{story1, "content/backlog/stories/.story-1.md.tmp"}, false, true},
		{"another save", func() { edit(t, dir, story1, "much faster", "faster still") }, []string{story1}, false, false},
		{"changes that may have been missed", func() {}, []string{story1}, true, false},
		{"after them, read before the whole site was", func() {}, []string{story1}, false, true},
		{"a file not named since", func() {}, []string{"content/backlog/stories/story-2.md"}, false, false},
	}
	for _, st := range steps {
		st.change()
		before := b.Current()
		res, err := b.Rebuild(context.Background(), Batch{Paths: st.paths, All: st.all})
		if err != nil {
			t.Fatal(err)
		}
		if res.Unchanged != st.unchanged {
			t.Errorf("%s: unchanged = %v, want %v", st.name, res.Unchanged, st.unchanged)
		}
		if res.Unchanged && (res.Output != before || b.Current() != before) {
			t.Errorf("%s: an unchanged batch replaced the build", st.name)
		}
	}
}

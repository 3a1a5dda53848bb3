package render

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"productdocs/generator/check"
	"productdocs/generator/content"
	"productdocs/generator/diag"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
	"productdocs/generator/sitegen"
	"productdocs/templates"
)

// TestCompiledTheme holds the writers of compiled.go and compiled_lists.go
// to the templates they transcribe: every page they write, of a range of
// sites, written both ways, must be the same bytes.
func TestCompiledTheme(t *testing.T) {
	files := themeFiles(t)
	for _, c := range compiledPages {
		if got := themeHash(files, c.name); got != c.hash {
			t.Errorf("templates %v changed, so %s pages render through html/template, slowly: bring %s up to date with them, then set the hash of %s in compiledPages (compiled.go) to %q and run this test",
				slices.Concat(sharedFiles, []string{c.name}), c.name, funcName(c.main), c.name, got)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	tmpl, ds := LoadTemplates(templates.FS, nil)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	if len(tmpl.compiled) != len(compiledPages) {
		t.Fatalf("the built-in theme writes %d pages in Go, want %d", len(tmpl.compiled), len(compiledPages))
	}

	sites := map[string]fs.FS{"tricky": trickySite, "only pages": onlyPages, "no documents": fstest.MapFS{}}
	for _, seed := range []int64{1, 2, 3} {
		sites["sitegen-"+string(rune('0'+seed))] = sitegen.Generate(sitegen.Options{Docs: 400, Seed: seed})
	}
	fixtures, _ := filepath.Glob("../testdata/sites/*.txtar")
	build, _ := filepath.Glob("../testdata/build/*.txtar")
	for _, f := range append(fixtures, build...) {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := fstest.MapFS{}
		for _, af := range a.Files {
			m[af.Name] = &fstest.MapFile{Data: af.Data}
		}
		sites[filepath.Base(f)] = m
	}
	sites["repository"] = os.DirFS("../..")

	for name, fsys := range sites {
		t.Run(name, func(t *testing.T) {
			seen := compareCompiled(t, tmpl, loadModel(t, fsys), false)
			for _, want := range []string{"index.html", "strategy/index.html", "backlog/index.html", "trace/index.html"} {
				if !seen[want] {
					t.Errorf("%s was not compared", want)
				}
			}
		})
	}

	// Large enough that every list of the backlog page and the tree of the
	// trace page split into pages: feedback, a tenth of sitegen's
	// documents, is the shortest list.
	t.Run("sitegen-large", func(t *testing.T) {
		if testing.Short() {
			t.Skip("a site of ten thousand documents")
		}
		m := loadModel(t, sitegen.Generate(sitegen.Options{Docs: 10*ListPageSize + 500, Seed: 4}))
		seen := compareCompiled(t, tmpl, m, true)
		// The vision, which every generated body links to, lists more
		// back-links than RefListLimit.
		for _, want := range []string{"backlog/ranked/2/index.html", "backlog/epics/2/index.html", "backlog/feedback/2/index.html", "trace/2/index.html", "strategy/vis-1/index.html"} {
			if !seen[want] {
				t.Errorf("%s was not compared", want)
			}
		}
	})
}

// compareCompiled renders each page of m that tmpl writes in Go both
// ways, in several settings, and fails at the first byte that differs. It
// returns the paths of the pages compared. Of a large site, it compares
// only the pages that list documents, in one setting: its document pages
// and the other settings would take long to repeat what smaller sites
// test.
func compareCompiled(t *testing.T, tmpl *Templates, m *model.Site, large bool) map[string]bool {
	t.Helper()
	checked := diag.Sort(diag.Levels(nil).Apply(check.Run(m)))
	// Warnings with every character an escaper treats apart, on files that
	// are no document's and on pages, whose IDs are their paths.
	odd := append(slices.Clone(checked),
		diag.Diagnostic{File: "productdocs.yaml", Line: 3, Column: 7, Severity: diag.Warning, Code: "odd<code>&'+\"", Message: "Ünïcode + <b>bold</b> & 'quoted' \"twice\""},
		diag.Diagnostic{File: "content/a&b <c>.md", Line: 1, Column: 1, Severity: diag.Warning, Code: "x", Message: "\x00nul"},
	)
	for _, d := range m.Docs {
		if d.Kind == model.PageKind {
			odd = append(odd, diag.Diagnostic{File: d.File, Line: 2, Column: 1, Severity: diag.Warning, Code: "page", Message: "on " + d.Title})
		}
	}
	variants := []struct {
		name             string
		baseURL, editURL string
		live             string
		unsafe           bool
		ds               []diag.Diagnostic
	}{
		{"plain", "", "", "", false, nil},
		{"urls", "https://docs.example.com/a b/", "https://git.example.com/edit/main/", "", false, checked},
		{"live", "", "", "/_productdocs/live.js", false, checked},
		{"unsafe html, odd warnings", "", "", "", true, odd},
	}
	if large {
		variants = variants[1:2]
	}
	compiled := tmpl.compiled
	defer func() { tmpl.compiled = compiled }()
	seen := map[string]bool{}
	for _, v := range variants {
		view := NewSite(m, "Acme + Co <docs> · Ünï", v.baseURL, v.editURL, v.ds)
		r := New(view, tmpl, Options{Live: v.live, Markdown: markdown.Options{UnsafeHTML: v.unsafe}})
		for _, j := range r.Jobs() {
			if compiled[j.Kind] == nil || large && j.Kind == "document.html" && !overLimit(j.Doc) {
				continue
			}
			var fast, executed bytes.Buffer
			tmpl.compiled = compiled
			err1 := r.Render(j, &fast)
			tmpl.compiled = nil
			err2 := r.Render(j, &executed)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s (%s): %v, %v", j.Path, v.name, err1, err2)
			}
			if !bytes.Equal(fast.Bytes(), executed.Bytes()) {
				t.Fatalf("%s (%s): the page written in Go differs from the template's at byte %d:\ncompiled: %q\ntemplate: %q",
					j.Path, v.name, diffAt(fast.Bytes(), executed.Bytes()), around(fast.Bytes(), executed.Bytes()), around(executed.Bytes(), fast.Bytes()))
			}
			seen[j.Path] = true
		}
	}
	return seen
}

// overLimit reports whether a document has more back-links of a kind
// than its page lists.
func overLimit(d *model.Document) bool {
	return len(d.Mentions) > RefListLimit || len(d.Backlinks) > RefListLimit
}

// funcName names the code of a page for the developer who must update it:
// "pageWriter.homeMain".
func funcName(f pageMain) string {
	name := runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name()
	_, name, _ = strings.Cut(name[strings.LastIndexByte(name, '/')+1:], ".")
	return name
}

// themeFiles are the built-in theme's templates.
func themeFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	names, err := fs.Glob(templates.FS, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(templates.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		files[n] = b
	}
	return files
}

// TestCompiledGuard checks which pages a site's own templates leave to the
// code of compiled.go, and that the pages they change render through them.
func TestCompiledGuard(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	all := []string{"backlog.html", "document.html", "home.html", "strategy.html", "trace.html"}
	for _, tc := range []struct {
		name         string
		user         fstest.MapFS
		want         []string // the pages written in Go
		page, marker string   // a page that must show the site's template
	}{
		{"no templates folder", nil, all, "", ""},
		{"an asset", fstest.MapFS{"style.css": file("body{}")}, all, "", ""},
		{"a page of a kind", fstest.MapFS{"story.html": file(`{{define "main"}}own story{{end}}`)}, all,
			"backlog/story-1/index.html", "own story"},
		{"a section's document page", fstest.MapFS{"strategy-document.html": file(`{{define "main"}}own strategy{{end}}`)}, all,
			"strategy/vis-1/index.html", "own strategy"},
		{"a home page", fstest.MapFS{"home.html": file(`{{define "main"}}own home{{end}}`)}, []string{"backlog.html", "document.html", "strategy.html", "trace.html"},
			"index.html", "own home"},
		{"a trace page", fstest.MapFS{"trace.html": file(`{{define "main"}}own trace{{end}}`)}, []string{"backlog.html", "document.html", "home.html", "strategy.html"},
			"trace/index.html", "own trace"},
		{"a partial", fstest.MapFS{"extra.html": file(`{{define "head"}}<meta name="own" content="head">{{end}}`)}, nil,
			"backlog/index.html", `content="head"`},
		{"partials", fstest.MapFS{"partials.html": file(strings.Replace(string(themeFiles(t)["partials.html"]), "</nav>", "own nav</nav>", 1))}, nil,
			"strategy/index.html", "own nav"},
		{"a layout", fstest.MapFS{"layout.html": file(`{{define "layout"}}own layout{{template "main" .}}{{end}}`)}, nil,
			"backlog/story-1/index.html", "own layout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, ds := LoadTemplates(templates.FS, tc.user)
			if len(ds) > 0 {
				t.Fatal(ds)
			}
			got := slices.Sorted(maps.Keys(tmpl.compiled))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("pages written in Go: %v, want %v", got, tc.want)
			}
			if tc.page == "" {
				return
			}
			r := New(NewSite(loadModel(t, trickySite), "", "", "", nil), tmpl, Options{})
			var b bytes.Buffer
			if err := r.Render(jobAt(t, r, tc.page), &b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tc.marker) {
				t.Errorf("%s does not show the site's template (%q):\n%s", tc.page, tc.marker, b.String())
			}
		})
	}
}

// jobAt is the job of the file at path.
func jobAt(t *testing.T, r *Renderer, path string) Job {
	t.Helper()
	for _, j := range r.Jobs() {
		if j.Path == path {
			return j
		}
	}
	t.Fatalf("no job writes %s", path)
	return Job{}
}

func diffAt(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func around(a, b []byte) string {
	i := diffAt(a, b)
	return string(a[max(0, i-80):min(len(a), i+80)])
}

// loadModel reads a site's documents as generator.Load does (which this
// package cannot import).
func loadModel(t *testing.T, fsys fs.FS) *model.Site {
	t.Helper()
	l, err := content.Walk(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var sources []*model.Source
	for _, f := range l.Documents {
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			t.Fatal(err)
		}
		fm, _, body, bodyLine, prob := content.Split(src)
		sources = append(sources, &model.Source{File: f, Frontmatter: fm, Problem: prob, BodyLine: bodyLine, Body: markdown.Parse(body)})
	}
	return model.New(sources, l.Assets)
}

// trickySite has the characters each escaper treats apart, in every place
// a document page shows a value.
var trickySite = fstest.MapFS{
	"content/strategy/vision.md": {Data: []byte(`---
id: VIS-1
kind: vision
title: "Pay <fast> & \"safe\" + 'simple'"
summary: "A+B < C & D > 'E' \"F\""
owner: Dana & Co <pm>
status: in-progress
tags: ["a+b", "<c>", "ü & 'd'"]
updated: 2026-01-02
extra:
  "key & <k>": "value + 'v'"
  n: 3
---

# Über + alles

## Überblick & <more>

Text.

## Ça va? 'x' "y"

## Ça va? 'x' "y"

## 100% + #hash
`)},
	"content/strategy/objectives/obj-1.md": {Data: []byte(`---
id: OBJ-1
kind: objective
title: Grow <revenue> + margin
traces: VIS-1
status: planned
key_results:
  - {metric: "Conversion + <rate>", target: 50, current: 20}
  - {metric: "Mood & 'tone'", target: "best", current: "good"}
  - {metric: Zero, target: 0, current: 3}
---

Serves [[VIS-1]].
`)},
	"content/strategy/initiatives/ini-1.md": {Data: []byte(`---
id: INI-1
kind: initiative
title: "Initiative \"one\""
traces: OBJ-1
horizon: now
quarter: 2027-Q1
status: in-progress
---
`)},
	"content/strategy/personas/per-1.md": {Data: []byte(`---
id: PER-1
kind: persona
title: Ünïcode persona
---
`)},
	"content/backlog/epics/epic-1.md": {Data: []byte(`---
id: EPIC-1
kind: epic
title: Epic & <co>
traces: INI-1
personas: [PER-1]
priority: must
rank: 1
estimate: 2.5
status: planned
---
`)},
	"content/backlog/stories/story-1.md": {Data: []byte(`---
id: STORY-1
kind: story
title: Story + one
traces: EPIC-1
depends_on: [STORY-2]
status: in-progress
---

# Story

## Acceptance criteria

- [x] one
- [ ] two <b>
`)},
	"content/backlog/stories/story-2.md": {Data: []byte(`---
id: STORY-2
kind: story
title: Story 'two'
traces: INI-1
status: done
---

See [[STORY-1|the first]] and [[VIS-1#überblick--more]].
`)},
	"content/guides/a:b.md":      {Data: []byte("# A page with a colon\n\nSee [[VIS-1]].\n")},
	"content/guides/ünï cöde.md": {Data: []byte("# Ünïcode page\n")},
	"content/guides/a&b <c> 'd' + \"e\".md": {Data: []byte(`---
title: "A page & <its> 'odd' + \"name\""
---
`)},

	// What the listing pages show besides.
	"content/index.md": {Data: []byte(`---
title: "Home & <away> + 'back'"
---

Welcome, <span class="raw">raw & html</span> + [[VIS-1]].

<div class="block">A block of raw HTML</div>
`)},
	"content/strategy/index.md": {Data: []byte("# Strategy\n\nThe plan <b>in short</b> & more.\n")},
	"content/backlog/index.md":  {Data: []byte("# Backlog\n\n<script>alert('x')</script>\n")},
	"content/strategy/objectives/obj-2.md": {Data: []byte(`---
id: OBJ-2
kind: objective
title: Ünïcode objective
summary: "Keep <it> 'simple' & \"short\""
traces: VIS-1
status: done
---
`)},
	"content/strategy/initiatives/ini-2.md": {Data: []byte(`---
id: INI-2
kind: initiative
title: Next & <then>
summary: Später + "bald"
traces: OBJ-2
horizon: next
---
`)},
	"content/strategy/initiatives/ini-3.md": {Data: []byte(`---
id: INI-3
kind: initiative
title: Dropped one
traces: OBJ-1
horizon: later
quarter: 2026-Q4
status: dropped
---
`)},
	"content/strategy/initiatives/ini-4.md": {Data: []byte(`---
id: INI-4
kind: initiative
title: Later 'on'
traces: OBJ-1
horizon: later
quarter: 2026-Q4
---
`)},
	"content/strategy/releases/rel-1.md": {Data: []byte(`---
id: REL-1
kind: release
title: "Release <1> & 'co'"
date: 2026-03-01
status: planned
---
`)},
	"content/strategy/market/mkt-1.md": {Data: []byte(`---
id: MKT-1
kind: market
title: Märkte + <segments>
summary: "Size & 'share'"
source: "https://example.com/?a=1&b=<2>"
---
`)},
	"content/strategy/competitors/cmp-1.md": {Data: []byte(`---
id: CMP-1
kind: competitor
title: Rival "Inc" & <co>
url: "javascript:alert(1)"
---
`)},
	"content/backlog/stories/story-3.md": {Data: []byte(`---
id: STORY-3
kind: story
title: Story <three> + 'more'
traces: EPIC-1
addresses: [FB-1]
rank: 2
priority: could
estimate: 0
status: proposed
---
`)},
	"content/backlog/stories/story-4.md": {Data: []byte(`---
id: STORY-4
kind: story
title: Unranked "four"
traces: EPIC-1
addresses: [FB-1]
estimate: 13
---
`)},
	"content/backlog/epics/epic-2.md": {Data: []byte(`---
id: EPIC-2
kind: epic
title: Ëpic without stories & <traces>
traces: INI-2
status: in-progress
---
`)},
	"content/backlog/feedback/fb-1.md": {Data: []byte(`---
id: FB-1
kind: feedback
title: "Feedback <one> & 'two'"
source: "Support & <sales> + 'ops'"
date: 2026-02-03
---
`)},
	"content/backlog/feedback/fb-2.md": {Data: []byte(`---
id: FB-2
kind: feedback
title: Ünaddressed
source: Ünï
summary: "A \"quote\" & <tag>"
---
`)},
	"content/backlog/stories/odd.md": {Data: []byte(`---
id: "ODD<&>'ü"
kind: story
title: An ID of odd characters
traces: [EPIC-1, NOPE-1]
status: planned
---
`)},
}

// onlyPages is a site without strategy or backlog: every list is empty,
// and there is no vision to trace to.
var onlyPages = fstest.MapFS{
	"content/index.md":        {Data: []byte("# Welcome\n\nNothing planned yet.\n")},
	"content/guides/start.md": {Data: []byte("# Getting started & <more>\n")},
}

// TestNeedsEscape holds escapePath's shortcut to url.PathEscape: a path
// it leaves alone is one that escaping segment by segment leaves alone.
func TestNeedsEscape(t *testing.T) {
	for c := range 256 {
		p := "a/" + string([]byte{byte(c)}) + "/b"
		var segs []string
		for _, s := range strings.Split(p, "/") {
			segs = append(segs, pathEscape(s))
		}
		escaped := strings.Join(segs, "/")
		if needsEscape(p) != (escaped != p) {
			t.Errorf("byte %#x: needsEscape = %v, but escaping gives %q", c, needsEscape(p), escaped)
		}
	}
}

// TestWarm checks that warm reads what the page of a document lists (the
// documents it names and those naming it), skips a reference to no
// document and empty text, and stops where the page's lists stop.
func TestWarm(t *testing.T) {
	doc := func(id, title, url, status string) *model.Document {
		return &model.Document{ID: id, Title: title, URL: url, Status: status}
	}
	a, b := doc("A", "b", "c", "xy"), doc("", "", "", "")
	d := doc("SELF", "self", "self/", "")
	d.Refs = []*model.Ref{{To: a}, {To: nil, ID: "GONE"}}
	d.Mentions = []*model.Document{b}
	want := byte(len(a.Status)) // and the first bytes of a's ID, title and URL
	for _, c := range []byte(a.ID[:1] + a.Title[:1] + a.URL[:1]) {
		want += c
	}
	if got := warm(d); got != want {
		t.Errorf("warm = %d, want %d", got, want)
	}
	for range RefListLimit*4 + 1 {
		d.Backlinks = append(d.Backlinks, &model.Ref{From: doc("x", "", "", "")})
	}
	for range RefListLimit * 4 {
		want += 'x'
	}
	if got := warm(d); got != want {
		t.Errorf("with %d backlinks: warm = %d, want %d (the first %d)", len(d.Backlinks), got, want, RefListLimit*4)
	}
}

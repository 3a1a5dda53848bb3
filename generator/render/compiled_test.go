package render

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"productdocs/generator/content"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
	"productdocs/generator/sitegen"
	"productdocs/templates"
)

// TestCompiledTheme holds writeDocumentPage to the templates it
// transcribes: every document page of a range of sites, written both ways,
// must be the same bytes.
func TestCompiledTheme(t *testing.T) {
	files := map[string][]byte{}
	for _, n := range compiledFiles {
		b, err := fs.ReadFile(templates.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		files[n] = b
	}
	if got := themeHash(files); got != compiledTheme {
		t.Fatalf("templates %v changed, so document pages render through html/template, slowly: bring writeDocumentPage (compiled.go) up to date with them, then set compiledTheme to %q and run this test", compiledFiles, got)
	}
	tmpl, ds := LoadTemplates(templates.FS, nil)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	if !tmpl.compiled {
		t.Fatal("the built-in theme does not use the compiled document page")
	}

	sites := map[string]fs.FS{"tricky": trickySite}
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
			m := loadModel(t, fsys)
			variants := []struct {
				name             string
				baseURL, editURL string
				live             string
			}{
				{"plain", "", "", ""},
				{"urls", "https://docs.example.com/a b/", "https://git.example.com/edit/main/", ""},
				{"live", "", "", "/_productdocs/live.js"},
			}
			for _, v := range variants {
				view := NewSite(m, "Acme + Co <docs>", v.baseURL, v.editURL, nil)
				r := New(view, tmpl, Options{Live: v.live})
				pages := 0
				for _, j := range r.Jobs() {
					if j.Kind != "document.html" {
						continue
					}
					var compiled, executed bytes.Buffer
					tmpl.compiled = true
					err1 := r.Render(j, &compiled)
					tmpl.compiled = false
					err2 := r.Render(j, &executed)
					tmpl.compiled = true
					if err1 != nil || err2 != nil {
						t.Fatalf("%s: %v, %v", j.Path, err1, err2)
					}
					if !bytes.Equal(compiled.Bytes(), executed.Bytes()) {
						t.Fatalf("%s (%s): the compiled page differs from the template's at byte %d:\ncompiled: %q\ntemplate: %q",
							j.Path, v.name, diffAt(compiled.Bytes(), executed.Bytes()), around(compiled.Bytes(), executed.Bytes()), around(executed.Bytes(), compiled.Bytes()))
					}
					pages++
				}
				if pages == 0 && name != "repository" && !strings.HasPrefix(name, "links") {
					t.Logf("%s: no document pages", name)
				}
			}
		})
	}
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

package render

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"productdocs/generator/content"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
)

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
func loadModel(t *testing.T, fsys fs.FS) *model.Model {
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

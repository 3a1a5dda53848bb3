package check_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"productdocs/generator"
	"productdocs/generator/diag"
)

// base is a small site without a single diagnostic: one document of every
// kind, every reference resolved, every open strategy item covered. Each
// case below changes a few files of it.
var base = map[string]string{
	"productdocs.yaml": "title: Checkout\n",
	"content/index.md": "# Checkout\n\nStart at [[VIS-1]].\n",
	"content/strategy/index.md": `# Strategy

The [vision](vision.md) and the [roadmap](initiatives/ini-1.md#scope).
`,
	"content/strategy/vision.md": `---
id: VIS-1
kind: vision
title: Pay in one step
---

# Überblick

Everyone pays in one step.
`,
	"content/strategy/objectives/obj-1.md": `---
id: OBJ-1
kind: objective
title: Convert more carts
status: in-progress
traces: VIS-1
evidence: [MKT-1, CMP-1, PER-1]
key_results:
  - {metric: Conversion, target: 40, current: 31}
---
`,
	"content/strategy/initiatives/ini-1.md": `---
id: INI-1
kind: initiative
title: One-page checkout
traces: OBJ-1
horizon: now
quarter: 2027-Q1
evidence: MKT-1
---

## Scope

One page.
`,
	"content/strategy/releases/rel-1.md":    "---\nid: REL-1\nkind: release\ntitle: Spring\ndate: 2027-03-01\n---\n",
	"content/strategy/personas/per-1.md":    "---\nid: PER-1\nkind: persona\ntitle: Returning buyer\n---\n",
	"content/strategy/market/mkt-1.md":      "---\nid: MKT-1\nkind: market\ntitle: Cart abandonment\nsource: Survey 2026\n---\n",
	"content/strategy/competitors/cmp-1.md": "---\nid: CMP-1\nkind: competitor\ntitle: Shop X\nurl: https://shop.example\n---\n",
	"content/backlog/epics/epic-1.md": `---
id: EPIC-1
kind: epic
title: Address and card on one page
status: planned
traces: INI-1
release: REL-1
personas: [PER-1]
priority: must
rank: 1
estimate: 13
---

## Scope

Address and card.
`,
	"content/backlog/stories/story-1.md": `---
id: STORY-1
kind: story
title: Enter the card
traces: EPIC-1
addresses: FB-1
personas: PER-1
---

As a buyer I want to enter my card. See [[INI-1|the initiative]] and [the scope](../epics/epic-1.md#scope).

## Acceptance criteria

- [ ] The card is checked.
`,
	"content/backlog/feedback/fb-1.md": "---\nid: FB-1\nkind: feedback\ntitle: Too many steps\nsource: Support ticket 4711\ndate: 2026-11-02\npersonas: PER-1\n---\n",
	"content/guides/writing.md":        "# Writing\n\nEvery story traces to an epic.\n",
}

// load loads base with the changes in files ("" deletes a file).
func load(t *testing.T, files map[string]string) *generator.Site {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range base {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	for name, text := range files {
		if text == "" {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	s, err := generator.Load(context.Background(), fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestBaseIsClean(t *testing.T) {
	s := load(t, nil)
	for _, d := range s.Diagnostics {
		t.Errorf("unexpected: %s", d)
	}
	if n := len(s.Model.Docs); n != len(base)-1 {
		t.Errorf("%d documents, want %d", n, len(base)-1)
	}
}

// match reports whether d is what want describes:
// "file:line:col code message-substring".
func match(d diag.Diagnostic, want string) bool {
	pos, rest, _ := strings.Cut(want, " ")
	code, msg, _ := strings.Cut(rest, " ")
	return fmt.Sprintf("%s:%d:%d", d.File, d.Line, d.Column) == pos && d.Code == code && strings.Contains(d.Message, msg)
}

// expect checks that the site's diagnostics are exactly want, in order.
func expect(t *testing.T, s *generator.Site, want []string) {
	t.Helper()
	ok := len(s.Diagnostics) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = match(s.Diagnostics[i], want[i])
	}
	if ok {
		return
	}
	var got strings.Builder
	for _, d := range s.Diagnostics {
		fmt.Fprintf(&got, "\n  %s", d)
	}
	t.Errorf("diagnostics:%s\nwant:\n  %s", got.String(), strings.Join(want, "\n  "))
}

const (
	story2 = "content/backlog/stories/story-2.md"
	epic2  = "content/backlog/epics/epic-2.md"
)

// checkTests has, for every code of SPEC §5, cases that fire (want lists
// every diagnostic of the site, with its exact position) and near misses
// that must leave the site clean (want is empty).
var checkTests = []struct {
	code  string
	name  string
	files map[string]string
	want  []string
}{
	// frontmatter
	{"frontmatter", "duplicate key in YAML", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: A\ntitle: B\ntraces: EPIC-1\n---\n",
	}, []string{story2 + `:5:1 frontmatter duplicate key "title" (first at line 4)`}},
	{"frontmatter", "bad YAML syntax", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: [Pay\n---\n",
	}, []string{story2 + ":4:8 frontmatter ']' not found"}},
	{"frontmatter", "unclosed block", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\n\nAs a buyer…\n",
	}, []string{story2 + `:1:1 frontmatter opened with "---" is never closed`}},
	{"frontmatter", "not a mapping", map[string]string{
		story2: "---\n- STORY-2\n---\n",
	}, []string{story2 + ":2:1 frontmatter must be a mapping"}},
	{"frontmatter", "duplicate key in TOML", map[string]string{
		story2: "+++\nid = 'STORY-2'\nkind = 'story'\nkind = 'epic'\n+++\n",
	}, []string{story2 + ":4:16 frontmatter has already been defined"}}, // the TOML parser's column
	{"frontmatter", "bad TOML syntax", map[string]string{
		story2: "+++\nid = 'STORY-2'\nkind = story\n+++\n",
	}, []string{story2 + ":3:8 frontmatter expected value"}},
	{"frontmatter", "duplicate key in JSON", map[string]string{
		story2: ";;;\n{\n  \"id\": \"STORY-2\",\n  \"kind\": \"story\",\n  \"id\": \"STORY-3\"\n}\n;;;\n",
	}, []string{story2 + `:5:3 frontmatter duplicate key "id" (first at line 3)`}},
	{"frontmatter", "duplicate key with CRLF and a BOM", map[string]string{
		story2: "\ufeff---\r\nid: STORY-2\r\n# the kind\r\nkind: story\r\nkind: epic\r\n---\r\n",
	}, []string{story2 + `:5:1 frontmatter duplicate key "kind" (first at line 4)`}},
	{"frontmatter", "a body link is still checked", map[string]string{
		story2: "---\nid: STORY-2\nid: STORY-3\n---\n\nSee [[NOPE-1]].\n",
	}, []string{
		story2 + `:3:1 frontmatter duplicate key "id"`,
		story2 + `:6:5 broken-body-link links to "NOPE-1"`,
	}},
	{"frontmatter", "near miss: a thematic break in the body", map[string]string{
		"content/guides/rule.md": "# Rule\n\n---\n\nNot frontmatter.\n\n---\n",
	}, nil},
	{"frontmatter", "near miss: TOML and JSON", map[string]string{
		story2:                   "+++\nid = 'STORY-2'\nkind = 'story'\ntitle = 'Pay'\ntraces = ['EPIC-1']\n+++\n",
		"content/guides/json.md": ";;;\n{\"title\": \"JSON page\", \"tags\": [\"a\"]}\n;;;\n",
	}, nil},

	// invalid-field
	{"invalid-field", "unknown status, with a did-you-mean", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: EPIC-1\nstatus: in progress\n---\n",
	}, []string{story2 + `:6:9 invalid-field unknown status "in progress" (want one of proposed, planned, in-progress, done, dropped); did you mean "in-progress"?`}},
	{"invalid-field", "rank 0", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: EPIC-1\nrank: 0\n---\n",
	}, []string{story2 + ":6:7 invalid-field rank must be a whole number of 1 or more, not 0"}},
	{"invalid-field", "bad date", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: EPIC-1\nupdated: 2026-02-30\n---\n",
	}, []string{story2 + `:6:10 invalid-field updated "2026-02-30" is not a date`}},
	{"invalid-field", "an ID that breaks the rules", map[string]string{
		story2: "---\nid: STORY 2\nkind: story\ntitle: Pay\ntraces: EPIC-1\n---\n",
	}, []string{story2 + `:2:5 invalid-field id "STORY 2" is not a valid ID`}},
	{"invalid-field", "a file name that is no ID", map[string]string{
		"content/backlog/stories/pay&card.md": "---\nkind: story\ntitle: Pay\ntraces: EPIC-1\n---\n",
	}, []string{`content/backlog/stories/pay&card.md:1:1 invalid-field the file name "pay&card" is not a valid ID, so this story needs an id: field`}},
	{"invalid-field", "bad enum, estimate and quarter", map[string]string{
		"content/strategy/initiatives/ini-2.md": "---\nid: INI-2\nkind: initiative\ntitle: Later\ntraces: OBJ-1\nhorizon: soon\nquarter: 2027-Q5\n---\n",
		story2:                                  "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: EPIC-1\nestimate: -1\npriority: should-have\n---\n",
	}, []string{
		story2 + ":6:11 invalid-field estimate must be a number of 0 or more, not -1",
		story2 + `:7:11 invalid-field priority "should-have" is not one of must, should, could, wont`,
		`content/strategy/initiatives/ini-2.md:6:10 invalid-field horizon "soon" is not one of now, next, later`,
		`content/strategy/initiatives/ini-2.md:7:10 invalid-field quarter "2027-Q5" is not a quarter`,
	}},
	{"invalid-field", "in TOML", map[string]string{
		story2: "+++\nid = 'STORY-2'\nkind = 'story'\ntitle = 'Pay'\ntraces = 'EPIC-1'\nrank = 0\n+++\n",
	}, []string{story2 + ":6:8 invalid-field rank must be a whole number of 1 or more, not 0"}},
	{"invalid-field", "in JSON", map[string]string{
		story2: ";;;\n{\n  \"id\": \"STORY-2\",\n  \"kind\": \"story\",\n  \"title\": \"Pay\",\n  \"traces\": \"EPIC-1\",\n  \"status\": \"doing\"\n}\n;;;\n",
	}, []string{story2 + `:7:13 invalid-field unknown status "doing"`}},
	{"invalid-field", "with CRLF and a BOM", map[string]string{
		story2: "\ufeff---\r\nid: STORY-2\r\nkind: story\r\ntitle: Pay\r\ntraces: EPIC-1\r\nrank: 0\r\n---\r\n",
	}, []string{story2 + ":6:7 invalid-field rank must be a whole number of 1 or more, not 0"}},
	{"invalid-field", "near miss: good values", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: EPIC-1\nstatus: in-progress\nrank: 2\nestimate: 0\npriority: wont\nupdated: 2028-02-29\ntags: [a, 2]\n---\n",
	}, nil},

	// missing-field
	{"missing-field", "a story without a title", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntraces: EPIC-1\n---\n",
	}, []string{story2 + ":1:1 missing-field a story needs a title"}},
	{"missing-field", "initiative, release and feedback", map[string]string{
		"content/strategy/initiatives/ini-2.md": "---\nid: INI-2\nkind: initiative\ntitle: Later\ntraces: OBJ-1\n---\n",
		"content/strategy/releases/rel-2.md":    "---\nid: REL-2\nkind: release\ntitle: Autumn\n---\n",
		"content/backlog/feedback/fb-2.md":      "---\nid: FB-2\nkind: feedback\ntitle: Slow\nsource:\n---\n",
	}, []string{
		"content/backlog/feedback/fb-2.md:5:1 missing-field a feedback needs source:",
		"content/strategy/initiatives/ini-2.md:1:1 missing-field an initiative needs horizon: one of now, next, later",
		"content/strategy/releases/rel-2.md:1:1 missing-field a release needs date: YYYY-MM-DD",
	}},
	{"missing-field", "near miss: a page takes its heading or file name", map[string]string{
		"content/guides/faq.md":   "# Questions\n",
		"content/guides/notes.md": "No heading.\n",
	}, nil},

	// unknown-kind
	{"unknown-kind", "a typo, with a did-you-mean", map[string]string{
		story2: "---\nid: STORY-2\nkind: stroy\ntitle: Pay\ntraces: EPIC-1\npriority: must\n---\n",
	}, []string{story2 + `:3:7 unknown-kind unknown kind "stroy"; did you mean "story"?`}},
	{"unknown-kind", "near miss: every kind", map[string]string{
		"content/guides/page.md": "---\nkind: page\ntitle: A page\n---\n",
	}, nil},

	// duplicate-id
	{"duplicate-id", "differing only in case, at the later file", map[string]string{
		story2: "---\nid: story-1\nkind: story\ntitle: Pay\ntraces: EPIC-1\n---\n",
	}, []string{story2 + `:2:5 duplicate-id ID "story-1" is already taken by content/backlog/stories/story-1.md (IDs ignore case)`}},
	{"duplicate-id", "a derived ID", map[string]string{
		"content/backlog/stories/checkout/STORY-1.md": "---\nkind: story\ntitle: Pay\ntraces: EPIC-1\n---\n",
	}, []string{`content/backlog/stories/story-1.md:2:5 duplicate-id ID "STORY-1" is already taken by content/backlog/stories/checkout/STORY-1.md`}},
	{"duplicate-id", "two documents at one URL", map[string]string{
		"content/backlog/story-1/index.md": "# Not a story\n",
	}, []string{"content/backlog/story-1/index.md:1:1 duplicate-id content/backlog/story-1/index.md would be written to /backlog/story-1/, as content/backlog/stories/story-1.md is"}},
	{"duplicate-id", "near miss: an index.md and a README.md in every folder", map[string]string{
		"content/guides/index.md":        "# Guides\n",
		"content/guides/README.md":       "# Read me\n",
		"content/guides/deep/index.md":   "# Deep\n",
		"content/guides/deep/README.md":  "# Deep read me\n",
		"content/backlog/index.md":       "# Backlog\n",
		"content/backlog/stories/README": "not a document",
	}, nil},

	// misplaced
	{"misplaced", "a backlog kind in strategy", map[string]string{
		"content/strategy/stories/story-2.md": "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: EPIC-1\n---\n",
	}, []string{"content/strategy/stories/story-2.md:3:7 misplaced a story is a backlog kind, so it belongs under content/backlog/"}},
	{"misplaced", "a strategy kind among the guides", map[string]string{
		"content/guides/obj-2.md": "---\nid: OBJ-2\nkind: objective\ntitle: Grow\nstatus: done\ntraces: VIS-1\n---\n",
	}, []string{"content/guides/obj-2.md:3:7 misplaced an objective is a strategy kind, so it belongs under content/strategy/"}},
	{"misplaced", "near miss: pages anywhere, free folders", map[string]string{
		"content/strategy/notes.md":                        "# Strategy notes\n",
		"content/backlog/stories/checkout/deep/story-2.md": "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: EPIC-1\n---\n",
	}, nil},

	// broken-link
	{"broken-link", "traces to an unknown ID, with a did-you-mean", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: EPIC-9\n---\n",
	}, []string{story2 + `:5:9 broken-link traces to "EPIC-9", which no document has; did you mean "EPIC-1"?`}},
	{"broken-link", "in a list, without a suggestion", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: EPIC-1\npersonas: [PER-1, NOBODY]\n---\n",
	}, []string{story2 + `:6:19 broken-link names the persona "NOBODY", which no document has`}},
	{"broken-link", "near miss: IDs ignore case", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: epic-1\nrelease: rel-1\n---\n",
	}, nil},

	// wrong-kind
	{"wrong-kind", "a story traces to an objective", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: OBJ-1\n---\n",
	}, []string{story2 + ":5:9 wrong-kind traces to OBJ-1, which is an objective; traces of a story may only name epics or initiatives"}},
	{"wrong-kind", "evidence names an epic", map[string]string{
		"content/strategy/initiatives/ini-2.md": "---\nid: INI-2\nkind: initiative\ntitle: Later\ntraces: OBJ-1\nhorizon: later\nevidence: [MKT-1, EPIC-1]\n---\n",
	}, []string{"content/strategy/initiatives/ini-2.md:7:19 wrong-kind cites as evidence EPIC-1, which is an epic; evidence of an initiative may only name markets, competitors or personas"}},
	{"wrong-kind", "near miss: a story traces to an initiative", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces: INI-1\n---\n",
	}, nil},

	// untraced
	{"untraced", "no traces at all", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\n---\n",
	}, []string{story2 + ":1:1 untraced story STORY-2 traces to nothing; add traces: with the ID of an epic or an initiative it serves"}},
	{"untraced", "an empty traces, as new writes it", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: Pay\ntraces:             # TODO\n---\n",
	}, []string{story2 + ":5:1 untraced story STORY-2 traces to nothing"}},
	{"untraced", "an empty list", map[string]string{
		"content/strategy/objectives/obj-2.md": "---\nid: OBJ-2\nkind: objective\ntitle: Grow\nstatus: done\ntraces: []\n---\n",
	}, []string{"content/strategy/objectives/obj-2.md:6:1 untraced objective OBJ-2 traces to nothing; add traces: with the ID of a vision it serves"}},
	{"untraced", "near miss: kinds without traces", map[string]string{
		"content/strategy/releases/rel-2.md": "---\nid: REL-2\nkind: release\ntitle: Autumn\ndate: 2027-09-01\n---\n",
		"content/backlog/feedback/fb-2.md":   "---\nid: FB-2\nkind: feedback\ntitle: Slow\nsource: Call\n---\n",
	}, nil},

	// cycle
	{"cycle", "depends_on, reported once with its members in order", map[string]string{
		"content/backlog/stories/story-3.md": "---\nid: STORY-3\nkind: story\ntitle: C\ntraces: EPIC-1\ndepends_on: STORY-4\n---\n",
		"content/backlog/stories/story-4.md": "---\nid: STORY-4\nkind: story\ntitle: D\ntraces: EPIC-1\ndepends_on: [STORY-2]\n---\n",
		story2:                               "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\ndepends_on: [STORY-1, STORY-3]\n---\n",
	}, []string{story2 + ":6:23 cycle depends_on links form a cycle: STORY-2 → STORY-3 → STORY-4 → STORY-2"}},
	{"cycle", "an epic that depends on itself", map[string]string{
		epic2: "---\nid: EPIC-2\nkind: epic\ntitle: Loop\ntraces: INI-1\ndepends_on: EPIC-2\n---\n",
	}, []string{epic2 + ":6:13 cycle depends_on links form a cycle: EPIC-2 → EPIC-2"}},
	{"cycle", "traces", map[string]string{
		epic2:  "---\nid: EPIC-2\nkind: epic\ntitle: Loop\ntraces: STORY-2\n---\n",
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-2\n---\n",
	}, []string{
		epic2 + ":5:9 cycle traces links form a cycle: EPIC-2 → STORY-2 → EPIC-2",
		epic2 + ":5:9 wrong-kind traces to STORY-2, which is a story",
	}},
	{"cycle", "near miss: a diamond", map[string]string{
		"content/backlog/stories/story-3.md": "---\nid: STORY-3\nkind: story\ntitle: C\ntraces: EPIC-1\ndepends_on: STORY-1\n---\n",
		story2:                               "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\ndepends_on: [STORY-1, STORY-3]\n---\n",
	}, nil},

	// section-boundary
	{"section-boundary", "a wiki link from strategy into the backlog", map[string]string{
		"content/strategy/releases/rel-1.md": "---\nid: REL-1\nkind: release\ntitle: Spring\ndate: 2027-03-01\n---\n\nShips [[EPIC-1|the one-page epic]].\n",
	}, []string{"content/strategy/releases/rel-1.md:8:7 section-boundary strategy links into the backlog (EPIC-1)"}},
	{"section-boundary", "a relative link from a strategy page", map[string]string{
		"content/strategy/index.md": "# Strategy\n\nSee the [backlog](../backlog/stories/story-1.md).\n",
	}, []string{"content/strategy/index.md:3:9 section-boundary strategy links into the backlog (STORY-1)"}},
	{"section-boundary", "an image kept in the backlog, shown from strategy", map[string]string{
		"content/backlog/img/flow.png": "PNG",
		"content/strategy/index.md":    "# Strategy\n\n![flow](../backlog/img/flow.png)\n",
	}, []string{"content/strategy/index.md:3:1 section-boundary strategy links into the backlog (content/backlog/img/flow.png); strategy must read on its own, so keep the file beside the strategy"}},
	{"section-boundary", "near miss: the backlog links up, strategy links to pages", map[string]string{
		story2:                      "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\n---\n\nWhy: [[OBJ-1]], [[VIS-1]], [vision](../../strategy/vision.md#überblick).\n",
		"content/strategy/index.md": "# Strategy\n\nRead [[guides/writing]] and the [guide](../guides/writing.md).\n",
	}, nil},

	// broken-body-link
	{"broken-body-link", "an unknown ID, with a did-you-mean", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\n---\n\nSee [[EPIC-9|the epic]].\n",
	}, []string{story2 + `:8:5 broken-body-link links to "EPIC-9", which no document has; did you mean "EPIC-1"?`}},
	{"broken-body-link", "a missing file, anchor and image", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\n---\n\n- [gone](story-9.md)\n- [scope](../epics/epic-1.md#scop)\n- ![flow](img/flow.png)\n- [out](../../../x.md)\n- [[VIS-1#overview]]\n",
	}, []string{
		story2 + `:8:3 broken-body-link links to "story-9.md", but there is no document content/backlog/stories/story-9.md`,
		story2 + `:9:3 broken-body-link links to #scop, but content/backlog/epics/epic-1.md has no heading with that anchor; did you mean "#scope"?`,
		story2 + `:10:3 broken-body-link links to "img/flow.png", but there is no file content/backlog/stories/img/flow.png`,
		story2 + `:11:3 broken-body-link links to "../../../x.md", which is outside content/`,
		story2 + `:12:3 broken-body-link links to #overview, but content/strategy/vision.md has no heading with that anchor`,
	}},
	{"broken-body-link", "a Unicode anchor written without its umlaut", map[string]string{
		"content/guides/writing.md": "# Writing\n\nSee [the vision](../strategy/vision.md#uberblick).\n",
	}, []string{`content/guides/writing.md:3:5 broken-body-link links to #uberblick, but content/strategy/vision.md has no heading with that anchor; did you mean "#überblick"?`}},
	{"broken-body-link", "with CRLF and a BOM", map[string]string{
		story2: "\ufeff---\r\nid: STORY-2\r\nkind: story\r\ntitle: B\r\ntraces: EPIC-1\r\n---\r\n\r\nSee [[EPIC-9]].\r\n",
	}, []string{story2 + `:8:5 broken-body-link links to "EPIC-9"`}},
	{"broken-body-link", "near miss: IDs, labels, derived IDs, anchors, assets", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\n---\n\n" +
			"# Notes\n\n" +
			"[[EPIC-1]], [[epic-1|the epic]], [[EPIC-1#scope]], [[guides/writing]], [[strategy|the strategy]], [[index]].\n" +
			"[Scope](../epics/epic-1.md#scope), [vision](../../strategy/vision.md#überblick), [notes](#notes).\n" +
			"![flow](img/flow.svg), [sheet](../../guides/plan.xlsx), [home](../../index.md), [web](https://example.com/x.md).\n",
		"content/backlog/stories/img/flow.svg": "<svg/>",
		"content/guides/plan.xlsx":             "data",
	}, nil},

	// unknown-field
	{"unknown-field", "a typo, with a did-you-mean", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\nprority: must\n---\n",
	}, []string{story2 + `:6:1 unknown-field "prority" is not a field of a story; did you mean "priority"?`}},
	{"unknown-field", "a field of another kind", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\nhorizon: now\n---\n",
	}, []string{story2 + `:6:1 unknown-field "horizon" is not a field of a story (it belongs to an initiative)`}},
	{"unknown-field", "the team's own field, in TOML", map[string]string{
		story2: "+++\nid = 'STORY-2'\nkind = 'story'\ntitle = 'B'\ntraces = 'EPIC-1'\njira = 'PAY-1'\n+++\n",
	}, []string{story2 + `:6:1 unknown-field "jira" is not a field of a story; put the team's own fields under extra:`}},
	{"unknown-field", "a key result's field", map[string]string{
		"content/strategy/objectives/obj-1.md": "---\nid: OBJ-1\nkind: objective\ntitle: Convert\ntraces: VIS-1\nkey_results:\n  - metric: Conversion\n    taget: 40\n---\n",
	}, []string{`content/strategy/objectives/obj-1.md:8:5 unknown-field "taget" is not a field of a key result (metric, target, current); did you mean "target"?`}},
	{"unknown-field", "near miss: under extra", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\nextra:\n  jira: PAY-1\n  prority: must\n---\n",
	}, nil},

	// uncovered
	{"uncovered", "an open objective without initiatives", map[string]string{
		"content/strategy/objectives/obj-2.md": "---\nid: OBJ-2\nkind: objective\ntitle: Grow\ntraces: VIS-1\nstatus: planned\n---\n",
	}, []string{"content/strategy/objectives/obj-2.md:6:9 uncovered objective OBJ-2 is planned, but no initiative traces to it"}},
	{"uncovered", "a now initiative without epics", map[string]string{
		"content/strategy/initiatives/ini-2.md": "---\nid: INI-2\nkind: initiative\ntitle: Later\ntraces: OBJ-1\nhorizon: now\n---\n",
	}, []string{"content/strategy/initiatives/ini-2.md:6:10 uncovered initiative INI-2 is on the roadmap for now, but no epic traces to it"}},
	{"uncovered", "an in-progress epic without stories", map[string]string{
		epic2: "---\nid: EPIC-2\nkind: epic\ntitle: Wallets\ntraces: INI-1\nstatus: in-progress\n---\n",
	}, []string{epic2 + ":6:9 uncovered epic EPIC-2 is in-progress, but has no stories"}},
	{"uncovered", "near miss: done, later and proposed", map[string]string{
		"content/strategy/objectives/obj-2.md":  "---\nid: OBJ-2\nkind: objective\ntitle: Grow\ntraces: VIS-1\nstatus: done\n---\n",
		"content/strategy/initiatives/ini-2.md": "---\nid: INI-2\nkind: initiative\ntitle: Later\ntraces: OBJ-1\nhorizon: later\n---\n",
		epic2:                                   "---\nid: EPIC-2\nkind: epic\ntitle: Wallets\ntraces: INI-1\n---\n",
	}, nil},

	// dropped-target
	{"dropped-target", "an open story traces to a dropped epic", map[string]string{
		epic2:  "---\nid: EPIC-2\nkind: epic\ntitle: Wallets\ntraces: INI-1\nstatus: dropped\n---\n",
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-2\nstatus: planned\n---\n",
	}, []string{story2 + ":5:9 dropped-target this story is planned but traces to EPIC-2, which is dropped"}},
	{"dropped-target", "near miss: dropped work under a dropped epic", map[string]string{
		epic2:  "---\nid: EPIC-2\nkind: epic\ntitle: Wallets\ntraces: INI-1\nstatus: dropped\n---\n",
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-2\nstatus: dropped\n---\n",
	}, nil},

	// status-mismatch
	{"status-mismatch", "a done epic with open stories", map[string]string{
		epic2:                                "---\nid: EPIC-2\nkind: epic\ntitle: Wallets\ntraces: INI-1\nstatus: done\n---\n",
		story2:                               "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-2\n---\n",
		"content/backlog/stories/story-3.md": "---\nid: STORY-3\nkind: story\ntitle: C\ntraces: EPIC-2\nstatus: in-progress\n---\n",
	}, []string{epic2 + ":6:9 status-mismatch EPIC-2 is done, but open work still traces to it: STORY-2, STORY-3"}},
	{"status-mismatch", "a done story with unchecked criteria", map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\nstatus: done\n---\n\n## Acceptance criteria\n\n- [x] one\n- [ ] two\n- [ ] three\n",
	}, []string{story2 + ":6:9 status-mismatch story STORY-2 is done, but 2 of 3 acceptance criteria are unchecked (line 12, 13)"}},
	{"status-mismatch", "near miss: done work all done", map[string]string{
		epic2:  "---\nid: EPIC-2\nkind: epic\ntitle: Wallets\ntraces: INI-1\nstatus: done\n---\n",
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-2\nstatus: done\n---\n\n## Acceptance Criteria\n\n- [x] one\n- [X] two\n\n## Notes\n\n- [ ] a todo, not a criterion\n",
	}, nil},

	// settings
	{"settings", "an unknown code and a bad severity", map[string]string{
		"productdocs.yaml": "title: Checkout\nchecks:\n  uncoverd: error\n  cycle: loud\n",
	}, []string{
		`productdocs.yaml:3:3 settings unknown check code "uncoverd"`,
		`productdocs.yaml:4:10 settings the severity of cycle must be error, warning or off, not "loud"`,
	}},
	{"settings", "an unknown setting", map[string]string{
		"productdocs.yaml": "title: Checkout\nbaseurl: https://x.example/\n",
	}, []string{`productdocs.yaml:2:1 settings unknown setting "baseurl"`}},
	{"settings", "near miss: every setting", map[string]string{
		"productdocs.yaml": "title: Checkout\nbase_url: https://docs.example/\nedit_url: https://git.example/edit/\nunsafe_html: false\nchecks:\n  uncovered: error\n",
	}, nil},
}

// checkCodes are the codes of SPEC §5 and productdocs.yaml's own.
var checkCodes = []string{
	diag.CodeFrontmatter, diag.CodeInvalidField, diag.CodeMissingField, diag.CodeUnknownKind,
	diag.CodeDuplicateID, diag.CodeMisplaced, diag.CodeBrokenLink, diag.CodeWrongKind,
	diag.CodeUntraced, diag.CodeCycle, diag.CodeSectionBoundary, diag.CodeBrokenBodyLink,
	diag.CodeUnknownField, diag.CodeUncovered, diag.CodeDroppedTarget, diag.CodeStatusMismatch,
	diag.CodeSettings,
}

func TestChecks(t *testing.T) {
	covered := map[string]bool{}
	for _, tt := range checkTests {
		t.Run(tt.code+"/"+tt.name, func(t *testing.T) {
			s := load(t, tt.files)
			expect(t, s, tt.want)
			for _, w := range tt.want {
				if strings.Contains(w, " "+tt.code+" ") {
					covered[tt.code] = true
				}
			}
		})
	}
	for _, c := range checkCodes {
		if !covered[c] {
			t.Errorf("no case fires %s", c)
		}
	}
}

func TestSeverities(t *testing.T) {
	files := map[string]string{
		"content/strategy/objectives/obj-2.md": "---\nid: OBJ-2\nkind: objective\ntitle: Grow\ntraces: VIS-1\n---\n",
		story2:                                 "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\njira: PAY-1\n---\n",
	}
	tests := []struct {
		name     string
		settings string
		want     []string // "file:line:col severity code"
	}{
		{"defaults", "title: x\n", []string{
			story2 + ":6:1 warning unknown-field",
			"content/strategy/objectives/obj-2.md:1:1 warning uncovered",
		}},
		{"overridden", "checks: {uncovered: error, unknown-field: off}\n", []string{
			"content/strategy/objectives/obj-2.md:1:1 error uncovered",
		}},
		{"errors lowered", "checks:\n  untraced: warning\n  unknown-field: error\n", []string{
			story2 + ":6:1 error unknown-field",
			"content/strategy/objectives/obj-2.md:1:1 warning uncovered",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files["productdocs.yaml"] = tt.settings
			s := load(t, files)
			var got []string
			for _, d := range s.Diagnostics {
				got = append(got, fmt.Sprintf("%s:%d:%d %s %s", d.File, d.Line, d.Column, d.Severity, d.Code))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("diagnostics:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestStrictFailsOnWarnings(t *testing.T) {
	s := load(t, map[string]string{
		story2: "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\njira: PAY-1\n---\n",
	})
	if s.Failed(false) {
		t.Error("a warning fails a run without strict")
	}
	if !s.Failed(true) {
		t.Error("a warning does not fail a strict run")
	}
}

func TestDiagnosticsAreSorted(t *testing.T) {
	// Every case's site at once: many files, many codes.
	all := map[string]string{}
	for _, tt := range checkTests {
		for name, text := range tt.files {
			all[name] = text
		}
	}
	s := load(t, all)
	if len(s.Diagnostics) < 10 {
		t.Fatalf("only %d diagnostics", len(s.Diagnostics))
	}
	for i := 1; i < len(s.Diagnostics); i++ {
		if diag.Compare(s.Diagnostics[i-1], s.Diagnostics[i]) >= 0 {
			t.Errorf("not sorted: %s before %s", s.Diagnostics[i-1], s.Diagnostics[i])
		}
	}
	again := load(t, all)
	if fmt.Sprint(again.Diagnostics) != fmt.Sprint(s.Diagnostics) {
		t.Error("two loads of one site report differently")
	}
}

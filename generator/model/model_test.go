package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"productdocs/generator/content"
	"productdocs/generator/markdown"
)

// source reads a document as the generator does: frontmatter, then body.
func source(file, text string) *Source {
	fm, _, body, bodyLine, prob := content.Split([]byte(text))
	return &Source{File: file, Frontmatter: fm, Problem: prob, BodyLine: bodyLine, Body: markdown.Parse(body)}
}

// site builds a model from pairs of file name and text.
func site(t *testing.T, files ...string) *Model {
	t.Helper()
	if len(files)%2 != 0 {
		t.Fatal("site: want pairs of file and text")
	}
	var srcs []*Source
	for i := 0; i < len(files); i += 2 {
		srcs = append(srcs, source(files[i], files[i+1]))
	}
	return New(srcs, nil)
}

func ids(docs []*Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

func TestValidID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"STORY-1", true},
		{"CHECKOUT-12", true},
		{"a", true},
		{"1st.release_v2", true},
		{strings.Repeat("x", 100), true},
		{strings.Repeat("x", 101), false},
		{"", false},
		{"-lead", false},
		{".hidden", false},
		{"has space", false},
		{"guides/writing", false}, // only derived page IDs contain '/'
		{"Über", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := ValidID(tt.id); got != tt.want {
				t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
			}
		})
	}
}

func TestPageIDAndURL(t *testing.T) {
	tests := []struct {
		rel, id, url string
	}{
		{"index.md", "index", ""},
		{"guides/writing.md", "guides/writing", "guides/writing/"},
		{"strategy/index.md", "strategy", "strategy/"},
		{"backlog/index.md", "backlog", "backlog/"},
		{"guides/deep/index.md", "guides/deep", "guides/deep/"},
		{"guides/README.md", "guides/README", "guides/README/"},
		{"glossary.md", "glossary", "glossary/"},
	}
	for _, tt := range tests {
		t.Run(tt.rel, func(t *testing.T) {
			if got := pageID(tt.rel); got != tt.id {
				t.Errorf("pageID(%q) = %q, want %q", tt.rel, got, tt.id)
			}
			if got := pageURL(tt.rel); got != tt.url {
				t.Errorf("pageURL(%q) = %q, want %q", tt.rel, got, tt.url)
			}
		})
	}
}

func TestDocumentDefaults(t *testing.T) {
	s := site(t,
		"content/index.md", "Welcome.\n",
		"content/guides/writing.md", "# How to write\n",
		"content/guides/untitled.md", "No heading.\n",
		"content/guides/deep/index.md", "",
		"content/strategy/index.md", "---\ntitle: Strategy\n---\n",
		"content/strategy/vision.md", "---\nkind: vision\ntitle: V\n---\n",
		"content/backlog/stories/STORY-7.md", "---\nkind: story\ntitle: S\ntraces: EPIC-1\n---\n",
	)
	tests := []struct {
		path                          string
		id, kind, section, url, title string
		status                        string
	}{
		{"index.md", "index", "page", "", "", "index", "proposed"},
		{"guides/writing.md", "guides/writing", "page", "", "guides/writing/", "How to write", "proposed"},
		{"guides/untitled.md", "guides/untitled", "page", "", "guides/untitled/", "untitled", "proposed"},
		{"guides/deep/index.md", "guides/deep", "page", "", "guides/deep/", "deep", "proposed"},
		{"strategy/index.md", "strategy", "page", "strategy", "strategy/", "Strategy", "proposed"},
		{"strategy/vision.md", "vision", "vision", "strategy", "strategy/vision/", "V", "proposed"},
		{"backlog/stories/STORY-7.md", "STORY-7", "story", "backlog", "backlog/story-7/", "S", "proposed"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			d := s.ByPath(tt.path)
			if d == nil {
				t.Fatalf("no document at %s", tt.path)
			}
			got := fmt.Sprintf("%s %s %q %s %q %s", d.ID, d.Kind.Name, d.Section, d.URL, d.Title, d.Status)
			want := fmt.Sprintf("%s %s %q %s %q %s", tt.id, tt.kind, tt.section, tt.url, tt.title, tt.status)
			if got != want {
				t.Errorf("document:\n got %s\nwant %s", got, want)
			}
			if s.Lookup(strings.ToUpper(tt.id)) != d {
				t.Errorf("Lookup(%q) does not find it; IDs ignore case", strings.ToUpper(tt.id))
			}
		})
	}
}

func TestFields(t *testing.T) {
	s := site(t, "content/strategy/objectives/obj-1.md", `---
id: OBJ-1
kind: objective
title: Grow
summary: More customers
status: in-progress
owner: Ana
tags: [growth, 2027]
updated: 2026-02-03
traces: VIS-1
evidence: [MKT-1, CMP-1]
key_results:
  - {metric: Conversion, target: 40, current: 10}
  - {metric: NPS, target: "high"}
extra: {jira: GROW}
---
`)
	d := s.Lookup("OBJ-1")
	if len(s.Diagnostics) != 0 {
		t.Fatalf("unexpected diagnostics %v", s.Diagnostics)
	}
	got := fmt.Sprintf("%s|%s|%s|%s|%v|%s", d.Title, d.Summary, d.Status, d.Owner, d.Tags, d.Updated)
	if want := "Grow|More customers|in-progress|Ana|[growth 2027]|2026-02-03"; got != want {
		t.Errorf("common fields = %s, want %s", got, want)
	}
	var refs []string
	for _, r := range d.Refs {
		refs = append(refs, fmt.Sprintf("%s=%s@%d:%d", r.Field, r.ID, r.Pos.Line, r.Pos.Column))
	}
	if want := []string{"traces=VIS-1@10:9", "evidence=MKT-1@11:12", "evidence=CMP-1@11:19"}; !slices.Equal(refs, want) {
		t.Errorf("Refs = %v, want %v", refs, want)
	}
	if len(d.KeyResults) != 2 {
		t.Fatalf("KeyResults = %v, want 2", d.KeyResults)
	}
	if p := d.KeyResults[0].Progress(); !p.OK || p.Value != 0.25 {
		t.Errorf("Progress() = %+v, want 0.25", p)
	}
	if p := d.KeyResults[1].Progress(); p.OK {
		t.Errorf("a text target has no progress")
	}
	if d.Extra == nil || d.Extra.Get("jira") == nil {
		t.Errorf("Extra = %+v, want the jira key", d.Extra)
	}
	if p := d.KeyPos("status"); p != (Pos{Line: 6, Column: 1}) {
		t.Errorf("KeyPos(status) = %v, want 6:1", p)
	}
	if p := d.FieldPos("status"); p != (Pos{Line: 6, Column: 9}) {
		t.Errorf("FieldPos(status) = %v, want 6:9", p)
	}
	if p := d.FieldPos("horizon"); p != (Pos{Line: 1, Column: 1}) {
		t.Errorf("FieldPos of an absent field = %v, want 1:1", p)
	}
}

func TestKeyResultProgress(t *testing.T) {
	tests := []struct {
		kr   KeyResult
		want float64
		ok   bool
	}{
		{KeyResult{Target: 100.0, Current: 25.0}, 0.25, true},
		{KeyResult{Target: 100.0, Current: 150.0}, 1, true},
		{KeyResult{Target: 100.0, Current: -5.0}, 0, true},
		{KeyResult{Target: 0.0, Current: 5.0}, 0, false},
		{KeyResult{Target: 100.0}, 0, false},
		{KeyResult{Target: "high", Current: 5.0}, 0, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v of %v", tt.kr.Current, tt.kr.Target), func(t *testing.T) {
			got := tt.kr.Progress()
			if got.Value != tt.want || got.OK != tt.ok {
				t.Errorf("Progress() = %+v, want %v, %v", got, tt.want, tt.ok)
			}
		})
	}
}

func TestLinksBothWays(t *testing.T) {
	s := site(t,
		"content/strategy/vision.md", "---\nid: VIS-1\nkind: vision\ntitle: V\n---\n",
		"content/strategy/objectives/obj-1.md", "---\nid: OBJ-1\nkind: objective\ntitle: O\ntraces: VIS-1\n---\n",
		"content/strategy/initiatives/ini-1.md", "---\nid: INI-1\nkind: initiative\ntitle: I\nhorizon: now\ntraces: OBJ-1\n---\n",
		"content/backlog/epics/epic-1.md", "---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: ini-1\n---\n",
		"content/backlog/stories/b.md", "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\ndepends_on: STORY-1\n---\nSee [[STORY-1]] and [[VIS-1]].\n",
		"content/backlog/stories/a.md", "---\nid: STORY-1\nkind: story\ntitle: A\ntraces: EPIC-1\n---\nSee [[VIS-1]] and [itself](#).\n",
	)
	story := s.Lookup("story-2")
	if got := ids(story.WhyChain()); !slices.Equal(got, []string{"EPIC-1", "INI-1", "OBJ-1", "VIS-1"}) {
		t.Errorf("WhyChain = %v", got)
	}
	if got := ids(s.Lookup("EPIC-1").From("traces")); !slices.Equal(got, []string{"STORY-1", "STORY-2"}) {
		t.Errorf("EPIC-1 traced by %v, want by file", got)
	}
	if got := s.Lookup("EPIC-1").Get("traces"); got == nil || got.ID != "INI-1" {
		t.Errorf("a reference resolves ignoring case: got %v", got)
	}
	if got := ids(s.Lookup("STORY-1").From("depends_on")); !slices.Equal(got, []string{"STORY-2"}) {
		t.Errorf("STORY-1 depended on by %v", got)
	}
	if got := ids(s.Lookup("VIS-1").Mentions); !slices.Equal(got, []string{"STORY-1", "STORY-2"}) {
		t.Errorf("VIS-1 mentioned by %v", got)
	}
	if got := ids(s.OfKind("story")); !slices.Equal(got, []string{"STORY-1", "STORY-2"}) {
		t.Errorf("OfKind(story) = %v", got)
	}
}

func TestWhyChainStopsAtACycle(t *testing.T) {
	s := site(t,
		"content/backlog/a.md", "---\nid: A\nkind: epic\ntitle: A\ntraces: B\n---\n",
		"content/backlog/b.md", "---\nid: B\nkind: epic\ntitle: B\ntraces: A\n---\n",
	)
	if got := ids(s.Lookup("A").WhyChain()); !slices.Equal(got, []string{"B"}) {
		t.Errorf("WhyChain = %v, want [B]", got)
	}
}

func TestUpsStopsWhenAsked(t *testing.T) {
	s := site(t,
		"content/strategy/obj.md", "---\nid: OBJ-1\nkind: objective\ntitle: O\n---\n",
		"content/strategy/ini.md", "---\nid: INI-1\nkind: initiative\ntitle: I\ntraces: OBJ-1\n---\n",
		"content/backlog/epic.md", "---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: INI-1\n---\n",
		"content/backlog/story.md", "---\nid: STORY-1\nkind: story\ntitle: S\ntraces: EPIC-1\n---\n",
	)
	story := s.Lookup("STORY-1")
	if got := ids(story.WhyChain()); !slices.Equal(got, []string{"EPIC-1", "INI-1", "OBJ-1"}) {
		t.Fatalf("WhyChain = %v, want [EPIC-1 INI-1 OBJ-1]", got)
	}
	var got []*Document
	for up := range story.Ups() {
		got = append(got, up)
		if up.Kind.Name == "initiative" {
			break
		}
	}
	if names := ids(got); !slices.Equal(names, []string{"EPIC-1", "INI-1"}) {
		t.Errorf("Ups up to the initiative = %v, want [EPIC-1 INI-1]", names)
	}
}

// TestEnumsShareTheirText checks that a status and a priority read from
// a file are the text of the model's lists of values, which the backlog's
// sorts read for every document (see pack), and not the file's copy.
func TestEnumsShareTheirText(t *testing.T) {
	s := site(t, "content/backlog/a.md", "---\nid: STORY-1\nkind: story\ntitle: A\nstatus: "+"in-"+"progress\npriority: could\n---\n")
	d := s.Lookup("STORY-1")
	if d == nil {
		t.Fatal("STORY-1 not read")
	}
	same := func(a, b string) bool { return a == b && unsafe.StringData(a) == unsafe.StringData(b) }
	if i := slices.Index(Statuses, "in-progress"); !same(d.Status, Statuses[i]) {
		t.Errorf("status %q is a copy of its own, not Statuses[%d]", d.Status, i)
	}
	p, _ := d.Fields["priority"].(string)
	if i := slices.Index(priority.Values, "could"); !same(d.Priority(), priority.Values[i]) || !same(p, priority.Values[i]) {
		t.Errorf("priority %q (field %q) is a copy of its own, not the field's value", d.Priority(), p)
	}
}

func TestDidYouMean(t *testing.T) {
	cands := []string{"EPIC-8", "EPIC-18", "STORY-1", "traces", "title", "status"}
	tests := []struct {
		s, want string
	}{
		{"EPIC-9", `; did you mean "EPIC-8"?`},
		{"epic-9", `; did you mean "EPIC-8"?`},
		{"trace", `; did you mean "traces"?`},
		{"titl", `; did you mean "title"?`},
		{"Title", `; did you mean "title"?`}, // fields and anchors are case-sensitive
		{"STROY-1", `; did you mean "STORY-1"?`},
		{"statsu", `; did you mean "status"?`},
		{"tilte", `; did you mean "title"?`}, // a swap is one edit
		{"stauts", `; did you mean "status"?`},
		{"owner", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			if got := didYouMean(tt.s, cands, ""); got != tt.want {
				t.Errorf("didYouMean(%q) = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0},
		{"abc", "abc", 3, 0},
		{"abc", "abd", 3, 1},
		{"kitten", "sitting", 5, 3},
		{"über", "uber", 3, 1}, // runes, not bytes
		{"abcdef", "uvwxyz", 2, 3},
		{"story", "stroy", 3, 1}, // a swap of neighbours
		{"ab", "ba", 3, 1},
		{"abc", "ca", 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := levenshtein(tt.a, tt.b, tt.limit); got != tt.want {
				t.Errorf("levenshtein(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
			}
		})
	}
}

func TestKindsTable(t *testing.T) {
	prefixes := map[string]bool{}
	for _, k := range Kinds {
		if LookupKind(k.Name) != k {
			t.Errorf("LookupKind(%q) does not find its row", k.Name)
		}
		if k == PageKind {
			continue
		}
		if k.Prefix == "" || prefixes[k.Prefix] {
			t.Errorf("kind %s: prefix %q is empty or taken", k.Name, k.Prefix)
		}
		prefixes[k.Prefix] = true
		for _, target := range k.Traces {
			if tk := LookupKind(target); tk == nil || tk.Section != Strategy && tk.Section != k.Section {
				t.Errorf("kind %s traces to %s, which is not upward", k.Name, target)
			}
		}
		names := k.FieldNames()
		if slices.Contains(names, "traces") != (k.Traces != nil) {
			t.Errorf("kind %s: FieldNames %v and Traces %v disagree", k.Name, names, k.Traces)
		}
	}
	if got := Article("epic") + ", " + Article("story"); got != "an epic, a story" {
		t.Errorf("Article = %q", got)
	}
	if Strategy.Owner() != "Product Manager" || Backlog.Owner() != "Product Owner" || Pages.Owner() != "" {
		t.Errorf("section owners are wrong")
	}
}

// TestNumbersTheOutputCannotHold: NaN and the infinities, in any
// frontmatter format and anywhere a number may be, are invalid fields at
// their position, and never reach the model, whose fields model.json
// writes as JSON.
func TestNumbersTheOutputCannotHold(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // line:col: message, in order
	}{
		{"extra .nan", "---\nkind: page\nextra: {score: .nan, ok: 1}\n---\n",
			[]string{"3:16: extra.score is .nan, which model.json cannot hold (JSON has no NaN or infinity): write a finite number, or quote it to keep it as text"}},
		{"extra deep", "---\nextra:\n  deep:\n    - 1\n    - .inf\n    - {x: -.Inf}\n---\n",
			[]string{"5:7: extra.deep[1] is .inf, which model.json cannot hold (JSON has no NaN or infinity): write a finite number, or quote it to keep it as text",
				"6:11: extra.deep[2].x is -.Inf, which model.json cannot hold (JSON has no NaN or infinity): write a finite number, or quote it to keep it as text"}},
		// The YAML parser reads a number too large for a float64 as text.
		{"extra too large", "---\nextra: {big: 1e999}\n---\n", nil},
		{"extra quoted", "---\nextra: {score: \".nan\"}\n---\n", nil},
		{"key result target", "---\nid: OBJ-1\nkind: objective\ntitle: T\ntraces: VIS-1\nkey_results:\n  - {metric: m, target: .inf, current: .nan}\n---\n",
			[]string{"7:25: target must be a finite number or text, not .inf", "7:40: current must be a finite number or text, not .nan"}},
		{"key result list", "---\nid: OBJ-1\nkind: objective\ntitle: T\ntraces: VIS-1\nkey_results:\n  - {metric: m, target: [1]}\n---\n",
			[]string{"7:25: target must be a number or text, not a list"}},
		{"estimate", "---\nid: S-1\nkind: story\ntitle: T\ntraces: EPIC-1\nestimate: .inf\n---\n",
			[]string{"6:11: estimate must be a finite number of 0 or more, not .inf"}},
		{"toml", "+++\nkind = \"page\"\n[extra]\nscore = nan\n+++\n",
			[]string{"3:1: extra.score is NaN, which model.json cannot hold (JSON has no NaN or infinity): write a finite number, or quote it to keep it as text"}},
		{"json", ";;;\n{\"kind\": \"page\", \"extra\": {\"n\": .inf}}\n;;;\n",
			[]string{"2:33: extra.n is .inf, which model.json cannot hold (JSON has no NaN or infinity): write a finite number, or quote it to keep it as text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := site(t, "content/strategy/x.md", tt.text)
			var got []string
			for _, d := range s.Diagnostics {
				if d.Code == "invalid-field" || d.Code == "unknown-field" {
					got = append(got, fmt.Sprintf("%d:%d: %s", d.Line, d.Column, d.Message))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("diagnostics\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			d := s.Docs[0]
			if _, err := json.Marshal(d.Fields); err != nil {
				t.Errorf("fields: %v", err)
			}
			if d.Extra != nil {
				if _, err := json.Marshal(d.Extra.Interface()); err != nil {
					t.Errorf("extra: %v", err)
				}
			}
		})
	}
}

// TestLineEndsKeepTheKind: a story saved with CR line ends (an old Mac
// editor's) is a story, its body's links where an editor shows them.
func TestLineEndsKeepTheKind(t *testing.T) {
	for _, end := range []string{"\n", "\r\n", "\r"} {
		t.Run(fmt.Sprintf("%q", end), func(t *testing.T) {
			text := strings.ReplaceAll("---\nid: STORY-1\nkind: story\ntitle: T\ntraces: EPIC-1\n---\n# T\n\nSee [[EPIC-1]].\n", "\n", end)
			s := site(t, "content/backlog/story-1.md", text,
				"content/backlog/epic-1.md", "---\nid: EPIC-1\nkind: epic\ntitle: E\n---\n")
			d := s.Lookup("STORY-1")
			if d == nil || d.Kind.Name != "story" {
				t.Fatalf("STORY-1 = %+v, want a story", d)
			}
			if len(d.Body.Links) != 1 || d.BodyLine+d.Body.Links[0].Line-1 != 9 || d.Body.Links[0].Column != 5 {
				t.Errorf("body link %+v from line %d, want [[EPIC-1]] at 9:5", d.Body.Links, d.BodyLine)
			}
		})
	}
}

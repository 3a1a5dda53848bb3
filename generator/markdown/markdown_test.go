package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Acceptance criteria", "acceptance-criteria"},
		{"Überblick", "überblick"},
		{"Zweiter Teil", "zweiter-teil"},
		{"Émile_Zola-2", "émile-zola-2"},
		{"日本語の見出し", "日本語の見出し"},
		{"Hello, World!", "hello-world"},
		{"C++ & Go", "c--go"},
		{"Step 1: plan", "step-1-plan"},
		{"!!!", "heading"},
		{"", "heading"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := Slug(tt.text); got != tt.want {
				t.Errorf("Slug(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// linkString shows a link as the tests expect it:
// "kind target#anchor at line:column", with "!" before an image's kind.
func linkString(l Link) string {
	kinds := [...]string{Wiki: "wiki", Document: "doc", Anchor: "anchor", File: "file", External: "external"}
	s := kinds[l.Kind]
	if l.Image {
		s = "!" + s
	}
	s += " " + l.Target
	if l.Anchor != "" {
		s += "#" + l.Anchor
	}
	return fmt.Sprintf("%s at %d:%d", s, l.Line, l.Column)
}

func TestParseLinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"none", "Just text.\n", nil},
		{
			"wiki links",
			"See [[EPIC-1]] and [[STORY-2|the story]].\n",
			[]string{"wiki EPIC-1 at 1:5", "wiki STORY-2 at 1:20"},
		},
		{
			"wiki links with spaces and an anchor",
			"[[ VIS-1 ]] [[ OBJ-1#key-results | results ]]\n",
			[]string{"wiki VIS-1 at 1:1", "wiki OBJ-1#key-results at 1:13"},
		},
		{
			"not wiki links",
			"[[]] [[|label]] [[#only-anchor]] [[a\nb]] `[[CODE]]`\n",
			nil,
		},
		{
			"relative links with anchors",
			"Read [the scope](../epics/epic-1.md#scope) and [notes](notes.md).\n",
			[]string{"doc ../epics/epic-1.md#scope at 1:6", "doc notes.md at 1:48"},
		},
		{
			"same-page anchor",
			"Jump to [criteria](#acceptance-criteria).\n",
			[]string{"anchor #acceptance-criteria at 1:9"},
		},
		{
			"files and images",
			"![flow](img/flow.svg) and [the sheet](data/plan.xlsx)\n",
			[]string{"!file img/flow.svg at 1:1", "file data/plan.xlsx at 1:27"},
		},
		{
			"external links",
			"[a](https://example.com/x.md) [b](mailto:a@b.c) [c](/root.md) <https://auto.link> https://bare.link\n",
			[]string{"external https://example.com/x.md at 1:1", "external mailto:a@b.c at 1:31", "external /root.md at 1:49"},
		},
		{
			"escaped path and query",
			"[a](my%20notes.md?raw=1#top)\n",
			[]string{"doc my notes.md#top at 1:1"},
		},
		{
			"Unicode anchor",
			"[a](#überblick) [b](guide.md#zweiter-teil)\n",
			[]string{"anchor #überblick at 1:1", "doc guide.md#zweiter-teil at 1:18"},
		},
		{
			"on later lines and in emphasis",
			"First line.\nSecond *[a](a.md)* and **[[B-1]]**.\n",
			[]string{"doc a.md at 2:9", "wiki B-1 at 2:26"},
		},
		{
			"in a block quote and a list",
			"> quote [a](a.md)\n\n- item\n  - sub ![img](x.png)\n",
			[]string{"doc a.md at 1:9", "!file x.png at 4:9"},
		},
		{
			"in a table",
			"| h | i |\n|---|---|\n| [a](a.md) | x [[B-1]] |\n",
			[]string{"doc a.md at 3:3", "wiki B-1 at 3:17"},
		},
		{
			"reference links point at their use",
			"ref [x][r] and [y]\n\n[r]: a.md\n[y]: b.md#q\n",
			[]string{"doc a.md at 1:5", "doc b.md#q at 1:16"},
		},
		{
			"an image inside a link",
			"[![img](i.png)](o.md)\n",
			[]string{"doc o.md at 1:1", "!file i.png at 1:2"},
		},
		{
			"in a footnote",
			"Text[^1]\n\n[^1]: see [a](a.md)\n",
			[]string{"doc a.md at 3:11"},
		},
		{
			"CRLF line ends",
			"line one\r\nline two [a](a.md) [[X-1]]\r\n",
			[]string{"doc a.md at 2:10", "wiki X-1 at 2:20"},
		},
		{
			"column counts bytes",
			"Grüße → [[X-1]]\n",
			[]string{"wiki X-1 at 1:13"},
		},
		{
			"not in code",
			"```\n[[NOT-1]] [no](x.md)\n```\n\n    [indented](x.md)\n\n`[[NOT-2]]`\n",
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			var got []string
			for _, l := range d.Links {
				got = append(got, linkString(l))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("links:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseHeadings(t *testing.T) {
	src := "# Überblick\n\n## Notes\n\n## Notes\n\n## Custom {#my-id}\n\n## `code` and *em* [[X|label]]\n\n# Second\n"
	d := Parse([]byte(src))
	if d.Title != "Überblick" {
		t.Errorf("Title = %q, want %q", d.Title, "Überblick")
	}
	want := []Heading{
		{1, "Überblick", "überblick"},
		{2, "Notes", "notes"},
		{2, "Notes", "notes-1"},
		{2, "Custom", "my-id"},
		{2, "code and em label", "code-and-em-label"},
		{1, "Second", "second"},
	}
	if fmt.Sprint(d.Headings) != fmt.Sprint(want) {
		t.Errorf("Headings:\n got %v\nwant %v", d.Headings, want)
	}
	var b bytes.Buffer
	if err := d.Render(&b, Options{}, AsWritten); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{`id="überblick"`, `id="notes-1"`, `id="my-id"`} {
		if !strings.Contains(b.String(), id) {
			t.Errorf("rendered HTML lacks %s:\n%s", id, b.String())
		}
	}
}

func TestParseTitleNeedsLevelOne(t *testing.T) {
	if d := Parse([]byte("## Only a level two\n")); d.Title != "" {
		t.Errorf("Title = %q, want none", d.Title)
	}
}

func TestAcceptanceCriteria(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // "x" checked, "-" unchecked, each with its line
	}{
		{
			"under the heading, any case",
			"# Story\n\n## Acceptance Criteria\n\n- [x] one\n- [ ] two\n",
			"x5 -6",
		},
		{
			"deeper headings stay inside, a same-level heading ends it",
			"## Acceptance criteria\n\n- [x] one\n\n### Detail\n\n- [ ] two\n\n## Notes\n\n- [ ] not a criterion\n",
			"x3 -7",
		},
		{
			"any level, numbered lists",
			"#### acceptance criteria\n\n1. [x] numbered\n2. [ ] second\n",
			"x3 -4",
		},
		{
			"task lists elsewhere are not criteria",
			"# Plan\n\n- [ ] a todo\n",
			"",
		},
		{
			"plain items are not criteria",
			"## Acceptance criteria\n\n- no box\n- [x] box\n",
			"x4",
		},
		{
			"a nested item keeps its own line",
			"## Acceptance criteria\n\n- [ ] parent\n  - [x] child\n",
			"-3 x4",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range Parse([]byte(tt.src)).Criteria {
				mark := "-"
				if c.Checked {
					mark = "x"
				}
				got = append(got, fmt.Sprintf("%s%d", mark, c.Line))
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("criteria = %q, want %q", s, tt.want)
			}
		})
	}
}

func TestRenderLinks(t *testing.T) {
	d := Parse([]byte("See [[A-1]], [[B-2|bee]], [[C-3]], [x](a.md#q), ![i](p.png) <b>raw</b>\n"))
	// C-3 (link 2) stays unresolved: a broken link.
	resolved := map[int][2]string{0: {"../a-1/", "Alpha"}, 1: {"../b-2/", "Beta"}, 3: {"../a/#q", ""}, 4: {"../p.png", ""}}
	resolve := func(i int, _ Link) (string, string) { return resolved[i][0], resolved[i][1] }
	tests := []struct {
		name   string
		unsafe bool
		want   []string
		not    []string
	}{
		{
			name: "safe",
			want: []string{
				`<a class="wikilink" href="../a-1/">Alpha</a>`,
				`<a class="wikilink" href="../b-2/">bee</a>`,
				`<span class="wikilink broken" title="no document has this ID">C-3</span>`,
				`<a href="../a/#q">x</a>`,
				`<img src="../p.png" alt="i" />`,
				`<!-- raw HTML omitted -->raw`,
			},
			not: []string{"<b>"},
		},
		{name: "unsafe HTML kept", unsafe: true, want: []string{"<b>raw</b>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := d.Render(&b, Options{UnsafeHTML: tt.unsafe}, resolve); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("HTML lacks %s:\n%s", w, b.String())
				}
			}
			for _, n := range tt.not {
				if strings.Contains(b.String(), n) {
					t.Errorf("HTML has %s:\n%s", n, b.String())
				}
			}
		})
	}
}

func TestRenderCode(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"known language is highlighted", "```go\nfunc main() {}\n```\n", `<pre class="chroma"><code class="language-go"><span class="kd">func</span>`},
		{"unknown language is escaped", "```nosuchlang\na < b\n```\n", `<pre><code class="language-nosuchlang">a &lt; b`},
		{"no language", "```\n<x>\n```\n", "<pre><code>&lt;x&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Parse([]byte(tt.src)).Render(&b, Options{}, AsWritten); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.want) {
				t.Errorf("HTML = %s\nwant it to contain %s", b.String(), tt.want)
			}
		})
	}
	if css := string(HighlightCSS()); !strings.Contains(css, "prefers-color-scheme: dark") || !strings.Contains(css, ".chroma") {
		t.Errorf("HighlightCSS lacks the dark palette or the chroma classes")
	}
}

func TestPlainText(t *testing.T) {
	src := "# Title\n\nSome *em* text with [[X-1|a label]] and [[Y-2]].\n\n```\ncode here\n```\n\n- one\n- two\n"
	want := "Title Some em text with a label and Y-2. code here one two"
	if got := Parse([]byte(src)).PlainText(); got != want {
		t.Errorf("PlainText() = %q, want %q", got, want)
	}
}

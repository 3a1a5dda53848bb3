package content

import (
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
)

func TestIgnored(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"story-1.md", false},
		{"index.md", false},
		{"diagram.svg", false},
		{"4913.md", false},
		{"", true},
		{".hidden.md", true},
		{".git", true},
		{"_drafts", true},
		{"_partial.md", true},
		{"4913", true},            // vim's write probe
		{"story-1.md~", true},     // backup
		{".story-1.md.swp", true}, // vim swap
		{"story-1.md.swx", true},  // vim swap
		{"story-1.md.swo", true},  // vim swap
		{"story-1.md.tmp", true},  // many editors' safe-write copy
		{"#story-1.md#", true},    // emacs autosave
		{"story-1.md___jb_tmp___", true},
		{"story-1.md___jb_old___", true},
		{"#hashtag.md", false}, // only a name that starts and ends with #
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Ignored(tt.name); got != tt.want {
				t.Errorf("Ignored(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestWalk(t *testing.T) {
	fsys := fstest.MapFS{
		"productdocs.yaml":                     {Data: []byte("title: x\n")},
		"README.md":                            {Data: []byte("# outside content/, not a document\n")},
		"content/index.md":                     {Data: []byte("# Home\n")},
		"content/strategy/vision.md":           {Data: []byte("---\nkind: vision\n---\n")},
		"content/backlog/stories/b.md":         {},
		"content/backlog/stories/a.md":         {},
		"content/backlog/stories/a.md~":        {},
		"content/backlog/stories/.a.md.swp":    {},
		"content/backlog/_drafts/draft.md":     {},
		"content/.obsidian/workspace.json":     {},
		"content/guides/img/flow.svg":          {},
		"content/guides/img/photo.PNG":         {},
		"content/guides/notes.markdown":        {}, // only .md is a document
		"content/guides/linked.md":             {Mode: fs.ModeSymlink},
		"content/guides/#autosave.md#":         {},
		"content/guides/4913":                  {},
		"content/guides/story.md.tmp":          {},
		"content/guides/deep/er/still-here.md": {},
	}
	l, err := Walk(fsys)
	if err != nil {
		t.Fatal(err)
	}
	wantDocs := []string{
		"content/backlog/stories/a.md",
		"content/backlog/stories/b.md",
		"content/guides/deep/er/still-here.md",
		"content/index.md",
		"content/strategy/vision.md",
	}
	wantAssets := []string{
		"content/guides/img/flow.svg",
		"content/guides/img/photo.PNG",
		"content/guides/notes.markdown",
	}
	if !slices.Equal(l.Documents, wantDocs) {
		t.Errorf("Documents:\n got %q\nwant %q", l.Documents, wantDocs)
	}
	if !slices.Equal(l.Assets, wantAssets) {
		t.Errorf("Assets:\n got %q\nwant %q", l.Assets, wantAssets)
	}
	wantSkipped := []Skip{{"content/guides/linked.md", "symbolic links are not followed"}}
	if !slices.Equal(l.Skipped, wantSkipped) {
		t.Errorf("Skipped = %q, want %q", l.Skipped, wantSkipped)
	}
}

func TestWalkWithoutContentIsEmpty(t *testing.T) {
	l, err := Walk(fstest.MapFS{"productdocs.yaml": {Data: []byte("title: x\n")}})
	if err != nil {
		t.Fatalf("Walk of a site without content/: %v", err)
	}
	if len(l.Documents)+len(l.Assets)+len(l.Skipped) != 0 {
		t.Errorf("Walk = %+v, want an empty listing", l)
	}
}

func TestRelAndSection(t *testing.T) {
	tests := []struct {
		file, rel, section string
	}{
		{"content/index.md", "index.md", ""},
		{"content/strategy/vision.md", "strategy/vision.md", "strategy"},
		{"content/strategy/index.md", "strategy/index.md", "strategy"},
		{"content/backlog/stories/checkout/story-1.md", "backlog/stories/checkout/story-1.md", "backlog"},
		{"content/guides/writing.md", "guides/writing.md", ""},
		{"content/strategy.md", "strategy.md", ""}, // a file named like a section is not in it
		{"content/strategyx/a.md", "strategyx/a.md", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rel := Rel(tt.file)
			if rel != tt.rel {
				t.Errorf("Rel(%q) = %q, want %q", tt.file, rel, tt.rel)
			}
			if got := Section(rel); got != tt.section {
				t.Errorf("Section(%q) = %q, want %q", rel, got, tt.section)
			}
		})
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		from, target string
		want         string
		ok           bool
	}{
		{"backlog/stories/a.md", "b.md", "backlog/stories/b.md", true},
		{"backlog/stories/a.md", "../epics/epic-1.md", "backlog/epics/epic-1.md", true},
		{"backlog/stories/a.md", "../../strategy/vision.md", "strategy/vision.md", true},
		{"backlog/stories/a.md", "./img/../img/x.png", "backlog/stories/img/x.png", true},
		{"index.md", "guides/writing.md", "guides/writing.md", true},
		{"backlog/stories/a.md", "../../../outside.md", "", false},
		{"index.md", "..", "", false},
		{"index.md", "/etc/passwd", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.from+"→"+tt.target, func(t *testing.T) {
			got, ok := Join(tt.from, tt.target)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Join(%q, %q) = %q, %v; want %q, %v", tt.from, tt.target, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestLineEnds(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"none", "", ""},
		{"LF", "a\nb\n", "a\nb\n"},
		{"CRLF", "a\r\nb\r\n", "a\r\nb\r\n"},
		{"CR", "a\rb\r", "a\nb\n"},
		{"CR at the end", "a\r", "a\n"},
		{"CR after CRLF", "a\r\nb\rc", "a\r\nb\nc"},
		{"CR CR LF", "a\r\r\nb", "a\n\r\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(LineEnds([]byte(tt.src))); got != tt.want {
				t.Errorf("LineEnds(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
	// Without a lone CR, no copy.
	src := []byte("a\r\nb")
	if got := LineEnds(src); &got[0] != &src[0] {
		t.Error("LineEnds copied a text without a lone CR")
	}
}

func TestCheckTextPosition(t *testing.T) {
	tests := []struct {
		name, src string
		want      Pos
	}{
		{"LF", "a\nbc\xff", Pos{2, 3}},
		{"CR", "a\rbc\xff", Pos{2, 3}},
		{"CRLF", "a\r\nbc\x00", Pos{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := CheckText([]byte(tt.src))
			if p == nil || p.Pos != tt.want {
				t.Errorf("CheckText(%q) = %v, want a problem at %v", tt.src, p, tt.want)
			}
		})
	}
}

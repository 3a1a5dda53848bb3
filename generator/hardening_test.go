package generator_test

// A catalogue of bad input: files that are not text, odd encodings and
// line ends, huge and pathological documents, merge conflicts, hostile
// names, links that lead out of the site, files that vanish or cannot be
// read, and templates that fail. Each must give the diagnostic documented
// for it, or the documented behaviour, and nothing may panic.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"productdocs/generator"
	"productdocs/generator/diag"
	"productdocs/generator/internal/testkit"
)

// hardLoad loads a site held in memory.
func hardLoad(t *testing.T, fsys fs.FS) *generator.Site {
	t.Helper()
	s, err := generator.Load(t.Context(), fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

// mapSite is a site of the given files and their contents.
func mapSite(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// diagKeys lists diagnostics as "file:line:col code", the part a test
// can state exactly.
func diagKeys(ds []diag.Diagnostic) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%s:%d:%d %s", d.File, d.Line, d.Column, d.Code)
	}
	return out
}

// diagList prints diagnostics for a failure message.
func diagList(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("\t" + d.String() + "\n")
	}
	return b.String()
}

// hardBuild builds s into a new folder and returns it. A site root on disk
// is only needed for output.Check, so an empty folder stands in for it.
func hardBuild(t *testing.T, s *generator.Site) string {
	t.Helper()
	root := t.TempDir()
	out := filepath.Join(t.TempDir(), "public")
	if res, err := generator.Build(t.Context(), s, root, generator.BuildOptions{Out: out}); err != nil {
		t.Fatalf("Build: %v\n%s", err, diagList(res.Diagnostics))
	}
	return out
}

// measure runs fn and logs how long it took and how much it allocated.
func measure(t *testing.T, what string, fn func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	t.Logf("%s: %v, %d MB allocated", what, d.Round(time.Millisecond), (after.TotalAlloc-before.TotalAlloc)>>20)
}

var pngBytes = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82"

// indentedList is a list nested n levels by indentation, one item a line.
func indentedList(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	return b.String()
}

// bigFrontmatter is about size bytes of YAML frontmatter: a title and
// many keys under extra.
func bigFrontmatter(size int) string {
	var b strings.Builder
	b.WriteString("---\ntitle: Big\nextra:\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "  key%d: a value of a few words, %d\n", i, i)
	}
	b.WriteString("---\n\nBody.\n")
	return b.String()
}

const aliasBomb = `---
title: Laughs
extra:
  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
---
`

// TestBadInput loads a site holding one bad file and wants exactly the
// diagnostics documented for it; sites without errors must build too.
func TestBadInput(t *testing.T) {
	const doc = "content/guides/doc.md"
	story := func(rest string) string {
		return "---\nkind: story\ntitle: A story\ntraces: INI-1\n" + rest + "---\n"
	}
	// The strategy a story traces to, without a diagnostic.
	withStrategy := func(files map[string]string) map[string]string {
		files["content/strategy/vision.md"] = "---\nid: VIS-1\nkind: vision\ntitle: V\n---\n"
		files["content/strategy/obj.md"] = "---\nid: OBJ-1\nkind: objective\ntitle: O\ntraces: VIS-1\n---\n"
		files["content/strategy/ini.md"] = "---\nid: INI-1\nkind: initiative\ntitle: I\ntraces: OBJ-1\nhorizon: next\n---\n"
		return files
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string // diagnostics as "file:line:col code"
		msg   string   // a part of the first diagnostic's message
		slow  bool     // megabytes to parse: timed, left out under -short and -race
	}{
		// Not text.
		{name: "PNG bytes named .md", files: map[string]string{doc: pngBytes},
			want: []string{doc + ":1:1 frontmatter"}, msg: "not UTF-8 text (byte 0x89 here)"},
		{name: "invalid UTF-8 in the body of a good document", files: map[string]string{doc: "---\ntitle: Café\n---\n\nLatin-1: caf\xe9 au lait.\n"},
			want: []string{doc + ":5:13 frontmatter"}, msg: "not UTF-8 text (byte 0xE9 here)"},
		{name: "invalid UTF-8 in the frontmatter", files: map[string]string{doc: "---\ntitle: caf\xe9\n---\n"},
			want: []string{doc + ":2:11 frontmatter"}, msg: "not UTF-8 text"},
		{name: "UTF-16 with its byte order mark", files: map[string]string{doc: "\xff\xfe#\x00 \x00T\x00\n\x00"},
			want: []string{doc + ":1:1 frontmatter"}, msg: "byte 0xFF"},
		{name: "a NUL byte", files: map[string]string{doc: "# Title\n\nA\x00B\n"},
			want: []string{doc + ":3:2 frontmatter"}, msg: "a NUL byte"},
		{name: "a truncated UTF-8 sequence at the end", files: map[string]string{doc: "# Grüße\n\n\xc3"},
			want: []string{doc + ":3:1 frontmatter"}, msg: "byte 0xC3"},

		// Encodings and line ends that are fine: positions stay right.
		{name: "UTF-8 byte order mark", files: map[string]string{doc: "\ufeff---\ntitle: T\nstatus: bogus\n---\n\nSee [[NOPE]].\n"},
			want: []string{doc + ":3:9 invalid-field", doc + ":6:5 broken-body-link"}, msg: `unknown status "bogus"`},
		{name: "CRLF line ends", files: map[string]string{doc: "---\r\ntitle: T\r\nstatus: bogus\r\n---\r\n\r\nSee [[NOPE]] and [x](gone.md).\r\n"},
			want: []string{doc + ":3:9 invalid-field", doc + ":6:5 broken-body-link", doc + ":6:18 broken-body-link"}},
		{name: "CRLF line ends in TOML", files: map[string]string{doc: "+++\r\ntitle = 'T'\r\nstatus = 'bogus'\r\n+++\r\nSee [[NOPE]].\r\n"},
			want: []string{doc + ":3:10 invalid-field", doc + ":5:5 broken-body-link"}},
		{name: "empty file", files: map[string]string{doc: ""}},
		{name: "only a byte order mark", files: map[string]string{doc: "\ufeff"}},
		{name: "frontmatter only", files: map[string]string{doc: "---\ntitle: Only frontmatter\n---\n"}},
		{name: "frontmatter only, no final line end", files: map[string]string{doc: "---\ntitle: Only frontmatter\n---"}},
		{name: "frontmatter never closed", files: map[string]string{doc: "---\ntitle: T\n\nBody.\n"},
			want: []string{doc + ":1:1 frontmatter"}, msg: "never closed"},

		// Size.
		{name: "10 MB document", slow: true, files: map[string]string{doc: "# Big\n\n" + strings.Repeat("A paragraph with a [[guides/doc]] link, *emphasis* and `code`.\n\n", 10<<20/64)}},
		{name: "100,000 lines", files: map[string]string{doc: "# Long\n\n" + strings.Repeat("line\n", 100_000)}},
		// Every "[" of a line once looked for "]]" to the end of the line.
		{name: "a line of 500,000 [[", slow: true, files: map[string]string{doc: strings.Repeat("[[", 500_000) + "\n"}},
		{name: "a line of 100,000 [[x", slow: true, files: map[string]string{doc: strings.Repeat("[[x ", 100_000) + "]]\n"},
			want: []string{doc + ":1:399997 broken-body-link"}, msg: `links to "x"`},
		// The YAML parser's time grows with the square of a mapping's keys,
		// so frontmatter is bounded: 256 KB is fine, 1 MB is refused.
		{name: "256 KB frontmatter", slow: true, files: map[string]string{doc: bigFrontmatter(250 << 10)}},
		{name: "1 MB frontmatter", files: map[string]string{doc: bigFrontmatter(1 << 20)},
			want: []string{doc + ":1:1 frontmatter"}, msg: "frontmatter of 1024 KB is more than the 256 KB"},
		{name: "1 MB string in the frontmatter", files: map[string]string{doc: "\n\n---\ntitle: " + strings.Repeat("x", 1<<20) + "\n---\n"},
			want: []string{doc + ":3:1 frontmatter"}, msg: "more than the 256 KB"},

		// Nesting: goldmark slows down with depth, so a body nesting deeper
		// than markdown.MaxNesting is refused before it is parsed.
		{name: "10,000 nested list markers", files: map[string]string{doc: "# Deep\n\n" + strings.Repeat("- ", 10_000) + "x\n"},
			want: []string{doc + ":3:1 frontmatter"}, msg: "more than 100 levels deep"},
		{name: "10,000 nested block quotes", files: map[string]string{doc: "# Deep\n\n" + strings.Repeat("> ", 10_000) + "x\n"},
			want: []string{doc + ":3:1 frontmatter"}, msg: "more than 100 levels deep"},
		{name: "10,000 nested block quotes without spaces", files: map[string]string{doc: strings.Repeat(">", 10_000) + "x\n"},
			want: []string{doc + ":1:1 frontmatter"}},
		{name: "10,000 nested ordered lists", files: map[string]string{doc: strings.Repeat("1. ", 10_000) + "x\n"},
			want: []string{doc + ":1:1 frontmatter"}},
		// Four columns of indentation count a level: line 201 of the list
		// is the first with 100 levels of it, plus its bullet.
		{name: "2,000 list levels by indentation", files: map[string]string{doc: "---\ntitle: Deep\n---\n" + indentedList(2000)},
			want: []string{doc + ":204:1 frontmatter"}},
		{name: "100 nested levels are fine", files: map[string]string{doc: strings.Repeat("> ", 50) + strings.Repeat("- ", 50) + "x\n" + indentedList(150)}},
		{name: "deep indentation in fenced code is fine", files: map[string]string{doc: "```json\n" + strings.Repeat(" ", 1000) + "{}\n```\n"}},

		// YAML built to exhaust the machine.
		{name: "YAML alias bomb", files: map[string]string{doc: aliasBomb},
			want: []string{doc + ":9:10 frontmatter"}, msg: "expands to more than 100000 values"},
		{name: "YAML nested 10,000 levels in flow style", files: map[string]string{doc: "---\ntitle: " + strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000) + "\n---\n"},
			want: []string{doc + ":2:1 frontmatter"}, msg: "nests deeper than 100 levels"},
		{name: "YAML nested 300 levels by indentation", files: map[string]string{doc: "---\n" + func() string {
			var b strings.Builder
			for i := range 300 {
				b.WriteString(strings.Repeat(" ", i) + "a:\n")
			}
			return b.String()
		}() + "---\n"},
			want: []string{doc + ":2:1 frontmatter"}, msg: "nests deeper than 100 levels"},

		{name: "brackets in quoted, plain and commented YAML text are fine", files: map[string]string{doc: "---\ntitle: '" + strings.Repeat("[", 200) + "'\nsummary: \"" + strings.Repeat("{", 200) + "\\\"[\"\nowner: x" + strings.Repeat("[", 200) + "\n# " + strings.Repeat("[", 200) + "\n---\n"}},

		// Merge conflicts.
		{name: "conflict markers in the frontmatter", files: map[string]string{doc: "---\ntitle: T\n<<<<<<< HEAD\nstatus: done\n=======\nstatus: planned\n>>>>>>> topic\n---\n"},
			want: []string{doc + ":3:1 frontmatter"}, msg: "merge conflict marker"},
		{name: "conflict markers in the body", files: map[string]string{doc: "---\ntitle: T\n---\n\nBefore.\n\n<<<<<<< HEAD\nPay by card.\n=======\nPay by invoice.\n>>>>>>> topic\n"},
			want: []string{doc + ":7:1 conflict"}, msg: "unresolved merge conflict (lines 7 to 11)"},
		{name: "conflict markers with a base, CRLF", files: map[string]string{doc: "# T\r\n<<<<<<< ours\r\na\r\n||||||| base\r\nb\r\n=======\r\nc\r\n>>>>>>> theirs\r\n"},
			want: []string{doc + ":2:1 conflict"}, msg: "(lines 2 to 8)"},
		{name: "two conflicts", files: map[string]string{doc: "<<<<<<< a\n1\n=======\n2\n>>>>>>> b\n\ntext\n\n<<<<<<< a\n3\n=======\n4\n>>>>>>> b\n"},
			want: []string{doc + ":1:1 conflict", doc + ":9:1 conflict"}},
		{name: "a conflict around the frontmatter", files: map[string]string{doc: "<<<<<<< HEAD\n---\ntitle: A\n---\n=======\n---\ntitle: B\n---\n>>>>>>> topic\n"},
			want: []string{doc + ":1:1 conflict"}},
		{name: "an opening marker alone", files: map[string]string{doc: "# T\n\n<<<<<<< HEAD\nhalf\n"},
			want: []string{doc + ":3:1 conflict"}, msg: "without its >>>>>>>"},
		{name: "a closing marker alone", files: map[string]string{doc: "# T\n\n>>>>>>> topic\n"},
			want: []string{doc + ":3:1 conflict"}, msg: "without its <<<<<<<"},
		{name: "conflict markers shown in code are fine", files: map[string]string{doc: "# Resolving\n\n```\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> topic\n```\n\n    <<<<<<< HEAD\n    >>>>>>> topic\n"}},
		{name: "a setext heading is no conflict", files: map[string]string{doc: "Title\n=======\n\ntext >>>>>>> here\n"}},

		// Hostile IDs and names.
		{name: "an ID that climbs out", files: map[string]string{doc: "---\nid: ../../etc\n---\n"},
			want: []string{doc + ":2:5 invalid-field"}, msg: `id "../../etc" is not a valid ID`},
		{name: "an ID with a slash", files: map[string]string{doc: "---\nid: a/b\n---\n"},
			want: []string{doc + ":2:5 invalid-field"}},
		{name: "an ID with spaces", files: map[string]string{doc: "---\nid: STORY 1\n---\n"},
			want: []string{doc + ":2:5 invalid-field"}},
		{name: "an ID with non-ASCII letters", files: map[string]string{doc: "---\nid: GRÜSSE-1\n---\n"},
			want: []string{doc + ":2:5 invalid-field"}},
		{name: "an ID of 101 characters", files: map[string]string{doc: "---\nid: " + strings.Repeat("A", 101) + "\n---\n"},
			want: []string{doc + ":2:5 invalid-field"}},
		{name: "IDs with dots are fine", files: withStrategy(map[string]string{
			"content/backlog/a.md": story("id: v1..2\n"),
			"content/backlog/b.md": story("id: v1.2.\n"),
		})},
		{name: "a story file name with a space, without an id", files: withStrategy(map[string]string{
			"content/backlog/my story.md": story(""),
		}), want: []string{"content/backlog/my story.md:1:1 invalid-field"}, msg: `the file name "my story" is not a valid ID, so this story needs an id: field`},
		{name: "a story file name with a space, with an id", files: withStrategy(map[string]string{
			"content/backlog/my story.md": story("id: STORY-1\n"),
		})},
		{name: "pages with spaces and non-ASCII names", files: map[string]string{
			"content/guides/my page.md":     "# Mine\n\nSee [Grüße](Grüße.md) and [[guides/Grüße]].\n",
			"content/guides/Grüße.md":       "# Grüße\n\nBack to [mine](my%20page.md) and [again](<my page.md>).\n",
			"content/guides/100% done?.md":  "# Done\n",
			"content/guides/a #hash&amp.md": "# Hash\n\n[self](a%20%23hash&amp.md)\n",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.slow && (testing.Short() || raceDetector) {
				t.Skip("megabytes of input, to time rather than race")
			}
			var s *generator.Site
			measure(t, "Load", func() { s = hardLoad(t, mapSite(tc.files)) })
			got := diagKeys(s.Diagnostics)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("diagnostics:\n%s\nwant %q", diagList(s.Diagnostics), tc.want)
			}
			if tc.msg != "" && !strings.Contains(s.Diagnostics[0].Message, tc.msg) {
				t.Errorf("message %q, want it to say %q", s.Diagnostics[0].Message, tc.msg)
			}
			if len(s.Model.Docs) != len(tc.files) {
				t.Errorf("%d documents, want %d: a bad file is still a document", len(s.Model.Docs), len(tc.files))
			}
			if !s.Failed(false) {
				measure(t, "Build", func() { hardBuild(t, s) })
			}
		})
	}
}

// TestNotTextIsOneProblem checks that a binary file gives one diagnostic,
// not the garbage its bytes would: no title, links or fields read from it.
func TestNotTextIsOneProblem(t *testing.T) {
	// PNG bytes followed by what would read as frontmatter problems and
	// broken links if the file were taken for text.
	src := pngBytes + "\n---\nkind: nonsense\n---\n[[NOPE]] [x](gone.md)\n"
	s := hardLoad(t, mapSite(map[string]string{"content/backlog/x.md": src}))
	if got := diagKeys(s.Diagnostics); !slices.Equal(got, []string{"content/backlog/x.md:1:1 frontmatter"}) {
		t.Fatalf("diagnostics:\n%s", diagList(s.Diagnostics))
	}
	d := s.Model.Docs[0]
	if d.Title != "x" || len(d.BodyLinks) != 0 || d.Kind.Name != "page" {
		t.Errorf("document read from a binary file: title %q, kind %s, %d links", d.Title, d.Kind.Name, len(d.BodyLinks))
	}
}

// TestHostileNamesBuild builds pages whose paths have spaces, non-ASCII
// letters and URL syntax, and wants every link between them escaped and
// pointing at the page written for it.
func TestHostileNamesBuild(t *testing.T) {
	s := hardLoad(t, mapSite(map[string]string{
		"content/index.md":              "# Home\n\n[mine](guides/my%20page.md) [grüße](<guides/Grüße.md>) [done](guides/100%25%20done%3F.md) [hash](guides/a%20%23hash&amp.md)\n",
		"content/guides/my page.md":     "# Mine\n",
		"content/guides/Grüße.md":       "# Grüße\n",
		"content/guides/100% done?.md":  "# Done\n",
		"content/guides/a #hash&amp.md": "# Hash\n",
	}))
	if len(s.Diagnostics) > 0 {
		t.Fatalf("diagnostics:\n%s", diagList(s.Diagnostics))
	}
	out := hardBuild(t, s)
	home, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ href, file string }{
		{"guides/my%20page/", "guides/my page/index.html"},
		{"guides/Gr%C3%BC%C3%9Fe/", "guides/Grüße/index.html"},
		{"guides/100%25%20done%3F/", "guides/100% done?/index.html"},
		{"guides/a%20%23hash&amp;amp/", "guides/a #hash&amp/index.html"},
	} {
		if !bytes.Contains(home, []byte(`href="`+want.href+`"`)) {
			t.Errorf("index.html has no link to %s", want.href)
		}
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(want.file))); err != nil {
			t.Errorf("the page the link %s points at: %v", want.href, err)
		}
	}
}

// TestSymlinksNotFollowed puts symbolic links in content/: one in a loop,
// one to a file outside the site, one to a folder outside it. None is
// followed (content.Walk lists them as skipped), no file outside the site
// is read, and the site builds.
func TestSymlinksNotFollowed(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	const secret = "SECRET-OUTSIDE-THE-SITE"
	testkit.WriteFiles(t, outside, map[string]string{
		"secret.md":   "# " + secret + "\n",
		"dir/more.md": "# " + secret + "\n",
		"key.txt":     secret,
	})
	testkit.WriteFiles(t, root, map[string]string{"content/index.md": "# Home\n"})
	links := map[string]string{
		"content/loop":           filepath.Join(root, "content"),
		"content/self":           filepath.Join(root, "content", "self"),
		"content/secret.md":      filepath.Join(outside, "secret.md"),
		"content/guides/key.txt": filepath.Join(outside, "key.txt"),
		"content/outside":        filepath.Join(outside, "dir"),
	}
	testkit.Symlinks(t, root, links)
	fsys := &recordFS{FS: os.DirFS(root)}
	s := hardLoad(t, fsys)
	if len(s.Diagnostics) > 0 {
		t.Fatalf("diagnostics:\n%s", diagList(s.Diagnostics))
	}
	var skipped []string
	for _, sk := range s.Listing.Skipped {
		skipped = append(skipped, sk.Path)
	}
	slices.Sort(skipped)
	want := []string{"content/guides/key.txt", "content/loop", "content/outside", "content/secret.md", "content/self"}
	if !slices.Equal(skipped, want) {
		t.Errorf("skipped %q, want %q", skipped, want)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := generator.Build(t.Context(), s, root, generator.BuildOptions{Out: out}); err != nil {
		t.Fatalf("Build: %v", err)
	}
	for _, name := range fsys.opened() {
		for link := range links {
			if name == link || strings.HasPrefix(name, link+"/") {
				t.Errorf("%s was opened, through the link %s", name, link)
			}
		}
	}
	testkit.NoFileHolds(t, out, secret)
}

// recordFS remembers the names opened through it.
type recordFS struct {
	fs.FS
	mu    sync.Mutex
	names []string
}

func (r *recordFS) Open(name string) (fs.File, error) {
	r.mu.Lock()
	r.names = append(r.names, name)
	r.mu.Unlock()
	return r.FS.Open(name)
}

func (r *recordFS) opened() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.names)
}

// faultFS makes chosen files fail: a file listed by its folder can be gone
// when it is opened, or refuse to be read.
type faultFS struct {
	fstest.MapFS
	errs map[string]error // by name
}

func (f faultFS) Open(name string) (fs.File, error) {
	if err := f.errs[name]; err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f.MapFS.Open(name)
}

// ReadFile and ReadDir hide MapFS's own, which would not go through Open.
func (f faultFS) ReadFile(name string) ([]byte, error) { return fs.ReadFile(struct{ fs.FS }{f}, name) }
func (f faultFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return fs.ReadDir(struct{ fs.FS }{f}, name)
}

// TestFilesThatFail checks files that vanish between the listing and the
// reading (skipped, as if never there) and files and folders that cannot
// be read (an error naming them, which the CLI turns into exit 2).
func TestFilesThatFail(t *testing.T) {
	site := func() fstest.MapFS {
		return mapSite(map[string]string{
			"content/index.md":              "# Home\n",
			"content/backlog/gone.md":       "---\nid: GONE\n---\n",
			"content/guides/locked.md":      "# Locked\n",
			"content/secret/inside.md":      "# Inside\n",
			"content/guides/page.md":        "# Page\n",
			"content/guides/picture.png":    "png",
			"productdocs.yaml":              "title: Faults\n",
			"templates/partials-extra.html": "{{define \"x\"}}{{end}}",
		})
	}
	for _, tc := range []struct {
		name string
		errs map[string]error
		err  string // a part of Load's error; "" wants none
		docs int    // documents loaded, when Load succeeds
	}{
		{"a document deleted after the listing", map[string]error{"content/backlog/gone.md": fs.ErrNotExist}, "", 4},
		{"an unreadable document", map[string]error{"content/guides/locked.md": fs.ErrPermission}, "reading content/guides/locked.md: ", 0},
		{"an unreadable folder", map[string]error{"content/secret": fs.ErrPermission}, "reading content/secret: permission denied", 0},
		{"an unreadable content folder", map[string]error{"content": fs.ErrPermission}, "reading content: permission denied", 0},
		{"unreadable settings", map[string]error{"productdocs.yaml": fs.ErrPermission}, "reading productdocs.yaml: ", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := generator.Load(t.Context(), faultFS{site(), tc.errs})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Load: got error %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(s.Diagnostics) > 0 || len(s.Model.Docs) != tc.docs {
				t.Fatalf("%d documents, diagnostics:\n%s", len(s.Model.Docs), diagList(s.Diagnostics))
			}
		})
	}
}

// TestTemplatesThatFail gives a site templates that cannot be parsed, or
// fail or panic while a page renders. Each is a template diagnostic
// naming the file and line, and the build writes nothing: neither the
// output folder nor a staging folder beside it.
func TestTemplatesThatFail(t *testing.T) {
	for _, tc := range []struct {
		name, file, tmpl string
		want             string // "file:line code"
		msg              string
	}{
		{"syntax error", "page.html", "{{define \"main\"}}\n<p>{{.Title}</p>\n{{end}}\n",
			"templates/page.html:2 template", "bad character"},
		{"unclosed action in a partial", "partials-extra.html", "{{define \"extra\"}}\n\n{{if .}}\n",
			"templates/partials-extra.html:4 template", "unexpected EOF"},
		{"a field that does not exist", "page.html", "{{define \"main\"}}\n\n\n<p>{{.Nope}}</p>{{end}}\n",
			"templates/page.html:4 template", "can't evaluate field Nope"},
		{"an index out of range", "page.html", "{{define \"main\"}}\n{{index .Doc.Tags 5}}{{end}}\n",
			"templates/page.html:2 template", "out of range"},
		{"a function that panics", "trace.html", "{{define \"main\"}}\n\n{{criteria .Doc}}{{end}}\n",
			"templates/trace.html:3 template", "nil pointer dereference"},
		{"endless recursion", "page.html", "{{define \"main\"}}{{template \"loop\" .}}{{end}}\n{{define \"loop\"}}{{template \"loop\" .}}{{end}}\n",
			"templates/page.html:2 template", "exceeded maximum template depth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			files := map[string]string{
				"content/index.md":       "# Home\n",
				"content/guides/page.md": "---\ntags: [a]\n---\n# Page\n",
				"templates/" + tc.file:   tc.tmpl,
			}
			for name, data := range files {
				p := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s := hardLoad(t, os.DirFS(root))
			parent := t.TempDir()
			out := filepath.Join(parent, "public")
			res, err := generator.Build(t.Context(), s, root, generator.BuildOptions{Out: out})
			if !errors.Is(err, generator.ErrFailed) {
				t.Fatalf("Build: got %v, want ErrFailed", err)
			}
			var got []string
			var msg string
			for _, d := range res.Diagnostics {
				got = append(got, fmt.Sprintf("%s:%d %s", d.File, d.Line, d.Code))
				msg = d.Message
			}
			if !slices.Equal(got, []string{tc.want}) {
				t.Fatalf("diagnostics:\n%s\nwant %s", diagList(res.Diagnostics), tc.want)
			}
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q, want it to say %q", msg, tc.msg)
			}
			if entries, err := os.ReadDir(parent); err != nil || len(entries) > 0 {
				t.Errorf("the failed build wrote %v (%v)", entries, err)
			}
		})
	}
}

// TestJobPathsStayInside loads a site built to climb out of the output
// folder (names of dots, IDs of dots, folders named like parents) and
// wants every output file a clean relative path inside it. fs.FS itself
// refuses "content/../x"-like names (fs.ValidPath), so they cannot reach
// the generator at all.
func TestJobPathsStayInside(t *testing.T) {
	files := map[string]string{
		"content/..md":                   "# dots\n",
		"content/.../x.md":               "# three dots\n",
		"content/....md":                 "# four dots\n",
		"content/a..b.md":                "# a..b\n",
		"content/x./y.md":                "# x.\n",
		"content/guides/..png":           "png",
		"content/guides/...png":          "png",
		"content/guides/a..png":          "png",
		"content/back\\..\\..\\slash.md": "# backslashes\n",
		"content/backlog/dots.md":        "---\nid: A..\n---\n",
		"content/backlog/up.md":          "---\nid: ..\nkind: feedback\ntitle: Up\nsource: x\n---\n",
		"content/backlog/fb.md":          "---\nid: v1...\nkind: feedback\ntitle: Dots\nsource: x\n---\n",
		"content/strategy/vision.md":     "---\nid: ...\nkind: vision\ntitle: V\n---\n",
		"content/strategy/index.md":      "---\nid: .\n---\n",
	}
	for _, name := range []string{"content/../x.md", "content/./x.md", "/content/x.md", "content//x.md"} {
		if fs.ValidPath(name) {
			t.Errorf("fs.ValidPath(%q) is true", name)
		}
	}
	s := hardLoad(t, mapSite(files))
	r, ds := s.Renderer("")
	if r == nil {
		t.Fatalf("no renderer:\n%s", diagList(ds))
	}
	for _, j := range r.Jobs() {
		p := j.Path
		if p == "" || path.Clean(p) != p || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") || !fs.ValidPath(p) || !filepath.IsLocal(filepath.FromSlash(p)) {
			t.Errorf("job %s (%s) is not a clean path inside the output", p, j.Kind)
		}
	}
}

// TestDefaultSiteCSP builds the project's own site (the repository root)
// and reads every page: each has the content security policy, and none
// has what that policy would block (inline scripts, style attributes,
// event handler attributes), so the theme works under it.
func TestDefaultSiteCSP(t *testing.T) {
	s := hardLoad(t, os.DirFS(".."))
	out := filepath.Join(t.TempDir(), "public")
	if res, err := generator.Build(t.Context(), s, "..", generator.BuildOptions{Out: out}); err != nil {
		t.Fatalf("Build: %v\n%s", err, diagList(res.Diagnostics))
	}
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	script := regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	bad := map[string]*regexp.Regexp{
		"a style attribute": regexp.MustCompile(`(?i)<[a-z][^>]*\sstyle\s*=`),
		"an event handler":  regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`),
		"a javascript: URL": regexp.MustCompile(`(?i)(href|src|action)\s*=\s*"\s*javascript:`),
		"a <style> element": regexp.MustCompile(`(?i)<style\b`),
		"a base element":    regexp.MustCompile(`(?i)<base\b`),
	}
	pages := 0
	err := filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		pages++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		m := csp.FindSubmatch(b)
		if m == nil {
			t.Errorf("%s: no Content-Security-Policy meta tag", rel)
		} else {
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'"} {
				if !strings.Contains(string(m[1]), want) {
					t.Errorf("%s: the policy %q lacks %s", rel, m[1], want)
				}
			}
			if strings.Contains(string(m[1]), "unsafe-inline") || strings.Contains(string(m[1]), "unsafe-eval") {
				t.Errorf("%s: the policy %q allows inline code", rel, m[1])
			}
		}
		for _, s := range script.FindAllSubmatch(b, -1) {
			if !bytes.Contains(s[1], []byte("src=")) || len(bytes.TrimSpace(s[2])) > 0 {
				t.Errorf("%s: an inline script %.80q", rel, s[0])
			}
		}
		for what, re := range bad {
			if loc := re.FindIndex(b); loc != nil {
				t.Errorf("%s: %s: %.80q", rel, what, b[loc[0]:])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 50 {
		t.Errorf("%d pages, want the whole site", pages)
	}
}

// TestLoadCancelled checks that a cancelled load stops with the context's
// error rather than a half-read site.
func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := generator.Load(ctx, mapSite(map[string]string{"content/index.md": "# Home\n"}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Load: got %v, want context.Canceled", err)
	}
}

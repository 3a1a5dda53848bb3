package markdown

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"productdocs/generator/internal/testkit"
	"productdocs/generator/sitegen"
)

// fastBodies are bodies for the fast path: each construct it reads, next
// to the near misses it must leave to goldmark.
var fastBodies = []string{
	"# Title\n\nText.\n",
	"# Title #\n\n## Closing ##   \n\n### # \n\n#### ###\n\n##### a#\n",
	"#Not a heading\n\n####### seven\n",
	"   # indented heading\n",
	"# Heading {#id}\n",
	"Para one\nline two\n\nPara two\n",
	"Hard  \nbreak\\\nand soft\n",
	"trailing   \n",
	"a *em* **strong** ***both*** _u_ __uu__ snake_case_word *a **b** c*\n",
	"**a*b* ***c** d*\n",
	"*a _b* c_ ~~del~~ ~single~ ~~~three~~~\n",
	"unmatched * star and _ under and ** two\n",
	"`code` ``double `tick` `` ` spaced ` `` ` `unclosed\n",
	"`multi\nline` code\n",
	"escapes \\* \\_ \\[ \\] \\` \\\\ \\a &amp; &copy; &#35; &#x41; &bogus;\n",
	"[[EPIC-1]] and [[EPIC-2|label]] and [[ X#anchor | y ]] and [[]] and [[a\n",
	"[link](a.md) [link](a.md#x) [t](b.md \"Title\") [t](b.md 'T') [e]() ![img](i.png) ![](i.png)\n",
	"[a [b] c](d.md) [a](b(c)d.md) [x] [y][z] [unclosed\n",
	"[*em in link*](x.md) *[link in em](y.md)* [`code`](z.md)\n",
	"[[[X]]](y.md) ![[[X]]](y.png) [![img](i.png)](l.md)\n",
	"[a](x.md)[b](y.md)![c](z.png)\n",
	"[link]( a.md ) [link](a.md \"t\" ) [bad](a b c) [bad](a.md \"t\" x)\n",
	"[dest with tab](a.md\t\"t\")\n",
	"[x](\na.md)\n",
	"[x](a.md\n\"title\")\n",
	"[x](<a b.md>) [x](a\\).md) [x](a&amp;.md) [x](a.md (t))\n",
	"- one\n- two\n- three\n",
	"* star\n+ plus\n- dash\n",
	"1. one\n2. two\n\n3) three\n4) four\n",
	"5. five\n6. six\n",
	"- a\n  - b\n    - c\n  - d\n- e\n",
	"- a\ncontinued lazily\n- b\n",
	"- a\n\n- b\n",
	"- a\n\n  b\n",
	"- a\n-\n- c\n",
	"-\n  a\n",
	"- [ ] open\n- [x] done\n- [X] DONE\n- [y] not\n- [ ]\n",
	"## Acceptance criteria\n\n- [ ] one\n- [x] two\n  - [x] nested\n\n## Notes\n\n- [ ] not a criterion\n",
	"### acceptance CRITERIA\n\n1. [x] a\n2. [ ] b\n",
	"- # heading item\n- > quote item\n- ```\n  code\n  ```\n",
	"Para\n- list interrupts\n\nPara\n2. does not\n\nPara\n1. does\n",
	"Para\n# heading interrupts\n```\nfence interrupts\n```\n> quote interrupts\n***\n",
	"Para\n---\n",
	"Para\n===\n",
	"***\n---\n___\n- - -\n * * *\n",
	"> quote\n> more\n\n> lazy\ncontinuation\n\n> > nested\n>\n> after blank\n",
	">no space\n>  two spaces\n",
	"```\nplain\n```\n\n```go\nfunc main() {}\n```\n\n~~~yaml extra\na: 1\n~~~\n\n````\n```\n````\n",
	"  ```\n  indented fence\n    more\n ```\n",
	"```\nunclosed fence\n",
	"``` a`b\n```\n",
	"    indented code\n",
	"| a | b |\n| --- | ---: |\n| 1 | 2 |\n| 3 |\n| 4 | 5 | 6 |\n",
	"a | b\n:-- | :-:\nc | d\n",
	"| a |\n| --- |\n",
	"| a | b |\n| --- |\n| 1 | 2 |\n",
	"text\n| a | b |\n| --- | --- |\n",
	"| a \\| b |\n| --- |\n",
	"| [[X]] | [y](y.md) | `c|d` |\n|---|---|---|\n| *e* | **f** | g |\n",
	"<div>html</div>\n",
	"a <b>inline</b> html\n",
	"<https://example.com>\n",
	"see https://example.com and www.example.com and a@b.co\n",
	"[ref]\n\n[ref]: https://example.com\n",
	"[^1]\n\n[^1]: note\n",
	"Grüße, «quotes» — ünïcödé *emphasis* and _ünder_\n",
	"tab\there\n",
	"crlf\r\nline\r\n",
	"line\n\n\n\nafter blanks\n",
	"",
	"\n\n",
	"no newline at the end",
	"# only a heading",
	"a\\\n",
	"*a\n*b*\n",
	"   text with leading spaces\n   and more\n",
	"![alt *em* `code`](i.png \"t\")\n",
	"[label\nacross lines](x.md)\n",
	"**[[EPIC-1]]** and _[[EPIC-2|x]]_\n",
	"1. one\n   continued\n2. two\n\n- new list\n",
	"- a\n * b\n",
	"10. ten\n11. eleven\n",
	"- a\n  > quote in item\n- b\n",
	"> - item in quote\n> - two\n",
	"- a\n\n\n- b\n",
	"- a\n  ```\n  code\n\n  more\n  ```\n- b\n",
	"* * *\n",
	"- foo\n***\n- bar\n",
	"> ```\n> code\n>\n> more\n> ```\n",
}

// fastCorpus is every body the fast path is held to goldmark on.
func fastCorpus(t testing.TB) [][]byte {
	t.Helper()
	var out [][]byte
	for _, s := range fastBodies {
		out = append(out, []byte(s))
	}
	for _, s := range trickyBodies {
		out = append(out, []byte(s))
	}
	for _, s := range releaseBodies() {
		out = append(out, []byte(s))
	}
	out = append(out, testkit.FixtureDocuments(t)...)
	for name, f := range sitegen.Generate(sitegen.Options{Docs: 300, Seed: 7}) {
		if strings.HasSuffix(name, ".md") {
			out = append(out, f.Data)
		}
	}
	// The project's own docs.
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "content")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			if b, err := os.ReadFile(p); err == nil {
				out = append(out, b)
			}
		}
		return nil
	})
	return out
}

// generatedBodies returns the bodies of a generated site's documents, past
// their frontmatter, by file name.
func generatedBodies(o sitegen.Options) map[string][]byte {
	bodies := map[string][]byte{}
	for name, f := range sitegen.Generate(o) {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		body := f.Data
		if _, rest, ok := bytes.Cut(body, []byte("\n---\n")); ok {
			body = rest
		}
		bodies[name] = body
	}
	return bodies
}

// compareFast checks that where the fast path reads src, it reads it as
// goldmark does; it reports whether the fast path read it.
func compareFast(t *testing.T, src []byte) bool {
	t.Helper()
	read, diff := fastDiff(src)
	if diff != "" {
		t.Errorf("%q: %s", src, diff)
	}
	return read
}

// fastDiff reports whether the fast path reads src, and where it does,
// the first thing it reads otherwise than goldmark ("" for none).
func fastDiff(src []byte) (read bool, diff string) {
	if tooDeep(src) > 0 || hasConflictMarker(src) {
		return false, ""
	}
	fd, ok := fastParse(src)
	if !ok {
		return false, ""
	}
	gd := parseGoldmark(src)
	if fd.Title != gd.Title {
		return true, fmt.Sprintf("title %q, goldmark %q", fd.Title, gd.Title)
	}
	if !reflect.DeepEqual(fd.Headings, gd.Headings) {
		return true, fmt.Sprintf("headings\n%+v\ngoldmark\n%+v", fd.Headings, gd.Headings)
	}
	if !reflect.DeepEqual(fd.Criteria, gd.Criteria) {
		return true, fmt.Sprintf("criteria %+v, goldmark %+v", fd.Criteria, gd.Criteria)
	}
	if len(gd.Conflicts) > 0 {
		return true, fmt.Sprintf("goldmark finds conflicts %+v", gd.Conflicts)
	}
	if len(fd.Links) != len(gd.Links) {
		return true, fmt.Sprintf("links\n%+v\ngoldmark\n%+v", fd.Links, gd.Links)
	}
	for i := range fd.Links {
		f, g := fd.Links[i], gd.Links[i]
		if f.Kind != g.Kind || f.Target != g.Target || f.Anchor != g.Anchor || f.Image != g.Image ||
			f.Offset != g.Offset || f.Line != g.Line || f.Column != g.Column || string(f.dest) != string(g.dest) {
			return true, fmt.Sprintf("link %d\n%+v\ngoldmark\n%+v", i, f, g)
		}
	}
	if fd.TextPrefix() != gd.TextPrefix() {
		return true, fmt.Sprintf("text prefix\n%q\ngoldmark\n%q", fd.TextPrefix(), gd.TextPrefix())
	}
	if f, g := fd.PlainText(), gd.PlainText(); f != g {
		return true, fmt.Sprintf("plain text\n%q\ngoldmark\n%q", f, g)
	}
	for _, o := range []Options{{}, {UnsafeHTML: true}} {
		for _, resolve := range []Resolver{AsWritten, func(i int, l Link) (string, string) {
			if i%3 == 2 {
				return "", ""
			}
			return fmt.Sprintf("../to/%d/#a b", i), fmt.Sprintf("Title <%d>", i)
		}} {
			var f, g bytes.Buffer
			ferr := fd.Render(&f, o, resolve)
			gerr := gd.Render(&g, o, resolve)
			if ferr != nil || gerr != nil {
				return true, fmt.Sprintf("Render: %v, goldmark %v", ferr, gerr)
			}
			if f.String() != g.String() {
				return true, fmt.Sprintf("HTML\n%s\ngoldmark\n%s", f.String(), g.String())
			}
		}
	}
	return true, ""
}

// TestFast holds the fast path to goldmark on every body of the corpus,
// and makes sure it reads the documents productdocs is made for.
func TestFast(t *testing.T) {
	read, all := 0, 0
	for _, src := range fastCorpus(t) {
		all++
		if compareFast(t, src) {
			read++
		}
	}
	t.Logf("the fast path read %d of %d bodies", read, all)
	for name, body := range generatedBodies(sitegen.Options{Docs: 100, Seed: 1}) {
		if d := Parse(body); !d.fast {
			t.Errorf("%s: a generated document is not read on the fast path", name)
		}
	}
}

// TestFastReads lists bodies the fast path must read, not leave to
// goldmark: it would be no faster otherwise.
func TestFastReads(t *testing.T) {
	for _, s := range []string{
		"# Title\n\nText with *em*, `code` and [[EPIC-1]].\n",
		"- [ ] a\n- [x] b\n",
		"| a | b |\n| --- | --- |\n| 1 | 2 |\n",
		"```yaml\na: 1\n```\n",
		"> quote\n",
		"1. one\n2. two\n",
		"See [the vision](../vision.md#context).\n",
		// Read without its second paragraph, which rendering leaves to
		// goldmark.
		"# T\n\nSee [[X]].\n\nThe <b>site</b> at https://example.com.\n",
	} {
		if _, ok := fastParse([]byte(s)); !ok {
			t.Errorf("%q: left to goldmark", s)
		}
	}
}

// TestFastSpec holds the fast path to goldmark on the CommonMark spec's
// examples, which goldmark's module carries; it skips where the module's
// source is not at hand.
func TestFastSpec(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "_test", "spec.json"))
	if err != nil {
		t.Skipf("goldmark's spec examples: %v", err)
	}
	var examples []struct {
		Markdown string `json:"markdown"`
	}
	if err := json.Unmarshal(b, &examples); err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, ex := range examples {
		if compareFast(t, []byte(ex.Markdown)) {
			read++
		}
	}
	t.Logf("the fast path read %d of %d spec examples", read, len(examples))
}

func FuzzFast(f *testing.F) {
	for _, src := range fastCorpus(f) {
		f.Add(src)
	}
	for _, r := range fastRegressions {
		f.Add([]byte(r.body))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		// The fuzzer reports no hangs; a watchdog turns one into a crash
		// that it saves with its input.
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("%q runs for more than 10s", src)) })
		defer watchdog.Stop()
		compareFast(t, src)
	})
}

func TestHasControl(t *testing.T) {
	for _, s := range []string{"", "a", "plain text of some length", "ünïcödé text ✓ and more", "~\x7f\x80\xff\xfe"} {
		if hasControl([]byte(s)) {
			t.Errorf("hasControl(%q) = true", s)
		}
	}
	base := []byte("abcdefghijklmnopqrstuvwxyz")
	for c := range byte(' ') {
		for at := range base {
			b := append([]byte(nil), base...)
			b[at] = c
			if !hasControl(b) {
				t.Fatalf("hasControl(%q) = false", b)
			}
		}
	}
}

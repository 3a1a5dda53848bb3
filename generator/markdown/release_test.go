package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"productdocs/generator/sitegen"
)

// releaseBodies are bodies with every kind of node Release must restore:
// headings with anchors of their own and clashing ones, wiki links, links
// and images with and without destinations, code, and text past
// TextPrefixLen with every sort of space.
func releaseBodies() []string {
	bodies := []string{
		"",
		"# Title {#custom}\n\n## Notes\n\n## Notes\n\nSee [[A-1]], [[B-2|label]], [[C#x]], [a](x.md#y), [empty](), ![img](i.png), ![](), <https://x.example/>.\n",
		"- [ ] one\n- [x] two\n\n```go\nfunc main() {}\n```\n\n    indented code\n\n| a | b |\n| --- | --- |\n| [[T-1]] | [t](t.md) |\n",
		strings.Repeat("word\u00a0word\u0085word\tword  \n", 80) + "[[Z-9]]",
		strings.Repeat("é", 700),
		strings.Repeat("x ", 299) + "yz" + strings.Repeat(" end", 10),
		"bad \xff\xfe bytes\xc3 and\u2028other\u3000spaces\u0085\u00a0here\x0b\x0cend",
	}
	for _, body := range generatedBodies(sitegen.Options{Docs: 60, Seed: 3}) {
		bodies = append(bodies, string(body))
	}
	return bodies
}

// TestRelease holds a released Doc to the one Parse made: the same HTML
// for the same links, and TextPrefix to PlainText.
func TestRelease(t *testing.T) {
	for i, src := range releaseBodies() {
		kept, released := Parse([]byte(src)), Parse([]byte(src))
		released.Release()
		for _, o := range []Options{{}, {UnsafeHTML: true}} {
			for _, resolve := range []Resolver{AsWritten, func(i int, l Link) (string, string) {
				return fmt.Sprintf("../to/%d/", i), fmt.Sprintf("Title %d", i)
			}} {
				var a, b bytes.Buffer
				if err := kept.Render(&a, o, resolve); err != nil {
					t.Fatal(err)
				}
				if err := released.Render(&b, o, resolve); err != nil {
					t.Fatal(err)
				}
				if a.String() != b.String() {
					t.Fatalf("body %d renders differently once released:\n%s\nreleased:\n%s", i, a.String(), b.String())
				}
			}
		}
		full := kept.PlainText()
		if got := released.PlainText(); got != full {
			t.Errorf("body %d: PlainText once released = %q, want %q", i, got, full)
		}
		prefix := released.TextPrefix()
		switch {
		case len(full) <= TextPrefixLen && prefix != full:
			t.Errorf("body %d: TextPrefix = %q, want all of %q", i, prefix, full)
		case len(full) > TextPrefixLen && (len(prefix) > TextPrefixLen || len(prefix) < TextPrefixLen-utf8.UTFMax || !strings.HasPrefix(full, prefix)):
			t.Errorf("body %d: TextPrefix = %q, want the first %d bytes of %q", i, prefix, TextPrefixLen, full)
		}
	}
}

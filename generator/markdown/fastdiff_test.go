package markdown

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// The pieces that assembleBody puts together into bodies: what goes
// before a line's text (containers' markers, indentation, tabs), the text
// (the starts of every block the fast path reads, near misses of them,
// and inlines), and the line ends. Byte-level fuzzing rarely builds a
// list in a block quote with a fence in it; these build little else. The
// tabs, CRs and containers inside containers are where the fast path went
// wrong before, unseen.
var (
	pieceStarts = []string{
		"", "", "", "> ", ">", "> > ", "- ", "* ", "+ ", "1. ", "2) ", "10. ",
		" ", "  ", "   ", "    ", "     ", "      ", "\t", " \t", "  \t", "\t\t",
		"> - ", "- > ", "- - ", "1. - ", "-   ", ">\t", "-\t", "> \t", ">  ", "- [ ] ", "- [x] ",
	}
	pieceTexts = []string{
		"text", "more text", "a *em* and [[X]]", "[[Y|label]] and [l](a.md#b)", "![i](i.png)",
		"# Heading", "## Acceptance criteria", "### Notes #", "#", "[ ] task", "[x] done",
		"```", "```go", "``` f&ouml;&ouml; x", "``` foo\\+bar", "```yaml title", "~~~", "~~~ sh", "````", "``` a`b",
		"| a | b |", "|---|---|", "| --- | :-: |", "a | b", "--- | ---", "|:-|", "-", "--", "|", ":", ":-:", "| - |",
		"---", "***", "- - -", "===", "", "", "`code`", "~~del~~", "**strong**", "_u_",
		"text\t", "```\t", "```  ", "~~~\t", "a\tb", "<b>", "www.x.y", "[r]: /u", "", "", "",
		// Blocks of more than one line: \x00 is a line end and the
		// line's start again.
		"| a | b |\x00| --- | --- |\x00| 1 | 2 |", "```go\x00\tx := 1\x00```", "text\x00\x00text",
	}
	pieceEnds = []string{"\n", "\n", "\n", "\n", "\r\n", "\r", "\t\n", " \n", "  \n"}
)

// assembleBody builds a body of lines from pieces, one choice a byte:
// each line takes a start, a text and an end. A line's start is as often
// the last new one again (the next item of a list), or its continuation
// (its list markers made spaces: "> - " goes on as ">   "), as a new one:
// so lists, quotes and fences go on over lines, blank lines in them
// included, as they do in documents.
func assembleBody(choices []byte) []byte {
	var b strings.Builder
	last := ""
	for i := 0; i+2 < len(choices); i += 3 {
		var start string
		switch c := choices[i]; {
		case c < 80:
			start = last
		case c < 160:
			start = continuation(last)
		default:
			start = pieceStarts[int(c)%len(pieceStarts)]
			last = start
		}
		end := pieceEnds[int(choices[i+2])%len(pieceEnds)]
		b.WriteString(start)
		b.WriteString(strings.ReplaceAll(pieceTexts[int(choices[i+1])%len(pieceTexts)], "\x00", end+continuation(start)))
		b.WriteString(end)
	}
	return []byte(b.String())
}

// continuation is a line start with its list markers made spaces.
func continuation(start string) string {
	b := []byte(start)
	for i, c := range b {
		switch {
		case c == '-' || c == '*' || c == '+' || c == ')' || c == '[' || c == ']' || c == 'x' || ('0' <= c && c <= '9'):
			b[i] = ' '
		case c == '.' && i > 0 && '0' <= b[i-1] && b[i-1] <= '9':
			b[i] = ' '
		}
	}
	return string(b)
}

var randomBodies = flag.Int("fast.random", 0, "the number of random bodies TestFastPieces compares (0: 500 with -short, else 4,000)")

// TestFastPieces holds the fast path to goldmark on bodies put together
// at random from pieces (assembleBody), the same ones on every run.
func TestFastPieces(t *testing.T) {
	n := *randomBodies
	if n == 0 {
		// Some 2.5 ms a body, goldmark's four renderings of it most of
		// that: FuzzFastPieces goes further.
		n = 4_000
		if testing.Short() {
			n = 500
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	choices := make([]byte, 0, 3*12)
	for i := 0; i < n && !t.Failed(); i++ {
		choices = choices[:0]
		for range 3 * (1 + r.IntN(10)) {
			choices = append(choices, byte(r.UintN(256)))
		}
		compareFast(t, assembleBody(choices))
	}
}

// FuzzFastPieces is FuzzFast on bodies put together from pieces.
func FuzzFastPieces(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		choices := make([]byte, 3*(1+r.IntN(10)))
		for i := range choices {
			choices[i] = byte(r.UintN(256))
		}
		f.Add(choices)
	}
	f.Fuzz(func(t *testing.T, choices []byte) {
		compareFast(t, assembleBody(choices))
	})
}

// fastRegressions are bodies the fast path once read otherwise than
// goldmark, unseen by FuzzFast as it was: each is a seed of FuzzFast now.
var fastRegressions = []struct{ name, body string }{
	{"closing fence and a tab", "```\ncode\n```\t\n# After\n\n[a](#after)\n"},
	{"closing fence and CRLF", "```\r\ncode\r\n```\r\n# After\r\n"},
	{"closing fence and a CR", "~~~\ncode\n~~~\r# After\n"},
	{"closing fence after a tab in an item", "- ```\n  \t```\n# After\n"},
	{"loose list in a block quote", "> - a\n>\n> - b\n"},
	{"loose list in a block quote, deeper", "> > 1. a\n> >\n> > 2. b\n"},
	{"table in an item after a blank line", "- a\n\n  | x | y |\n  | --- | --- |\n  | 1 | 2 |\n"},
	{"delimiter row of | indented 4", "a | b\n    |\n"},
	{"delimiter row of - indented 4", "| a | b |\n    | - | - |\n"},
	{"delimiter row of : indented 4", "| a |\n     :-:\n"},
	{"delimiter row in an item indented 4", "- x | y\n      -:\n"},
	{"tab in a fence indented 1", " ```\n\tx\n ```\n"},
	{"tab in a fence indented 3", "   ```go\n\tfmt.Println()\n   ```\n"},
	{"tab after a block quote's marker in a fence", "> ```\n>\tcode\n> ```\n"},
	{"line of a CR in a fence in an item", "- ```\n  \r\n  x\n  ```\n"},
	{"line of a tab in a fence in a quote", "> - ```\n>   \t\n>   ```\n"},
	{"info string with entities", "``` f&ouml;&ouml;\nx\n```\n"},
	{"info string with an escape", "``` foo\\+bar\nx\n```\n"},
	{"info string naming a language in entities", "``` &#x67;o\npackage main\n```\n"},
}

// TestFastRegressions holds the fast path to goldmark on each body it
// once read otherwise: where it reads one, it reads it as goldmark does.
func TestFastRegressions(t *testing.T) {
	for _, tt := range fastRegressions {
		t.Run(tt.name, func(t *testing.T) {
			if _, diff := fastDiff([]byte(tt.body)); diff != "" {
				t.Errorf("%q: %s", tt.body, diff)
			}
			// And whichever path Parse takes, the result is goldmark's.
			d, g := Parse([]byte(tt.body)), parseGoldmark([]byte(tt.body))
			var a, b bytes.Buffer
			if err := d.Render(&a, Options{}, AsWritten); err != nil {
				t.Fatal(err)
			}
			if err := g.Render(&b, Options{}, AsWritten); err != nil {
				t.Fatal(err)
			}
			if a.String() != b.String() || !reflect.DeepEqual(d.Headings, g.Headings) {
				t.Errorf("%q: Parse renders\n%s\nheadings %+v\ngoldmark\n%s\nheadings %+v", tt.body, a.String(), d.Headings, b.String(), g.Headings)
			}
		})
	}
}

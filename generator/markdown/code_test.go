package markdown

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"

	"productdocs/generator/internal/testkit"
)

// TestHighlightCSS holds highlight.css to the stylesheet chroma writes for
// its github and github-dark styles.
func TestHighlightCSS(t *testing.T) {
	var b bytes.Buffer
	if err := formatter.WriteCSS(&b, styles.Get("github")); err != nil {
		t.Fatal(err)
	}
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	if err := formatter.WriteCSS(&b, styles.Get("github-dark")); err != nil {
		t.Fatal(err)
	}
	b.WriteString("}\n")
	if *testkit.Update {
		if err := os.WriteFile("highlight.css", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return // the file is embedded: the next run compares it
	}
	if !bytes.Equal(b.Bytes(), HighlightCSS()) {
		t.Error("highlight.css is not what chroma writes for its styles: run go test ./generator/markdown -run TestHighlightCSS -update")
	}
}

// TestHighlightStyle holds the HTML of highlighted code, formatted with
// noStyle, to what the formatter writes with chroma's own fallback style.
func TestHighlightStyle(t *testing.T) {
	for _, c := range []struct{ lang, code string }{
		{"go", "package main\n\nfunc main() { println(\"<hi>\") }\n"},
		{"yaml", "a: 1\nb: [x, y] # note\n"},
		{"json", `{"a": [1, 2.5, true, null]}`},
		{"bash", "echo $HOME && ls -la | grep x\n"},
	} {
		var a, b bytes.Buffer
		if err := highlight(bufWriter{&a}, c.lang, []byte(c.code)); err != nil {
			t.Fatal(err)
		}
		it, err := chroma.Coalesce(lexers.Get(c.lang)).Tokenise(nil, c.code)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(`<pre class="chroma"><code class="language-` + c.lang + `">`)
		if err := formatter.Format(&b, styles.Fallback, it); err != nil {
			t.Fatal(err)
		}
		b.WriteString("</code></pre>\n")
		if a.String() != b.String() {
			t.Errorf("%s:\n%s\nwith chroma's fallback style:\n%s", c.lang, a.String(), b.String())
		}
	}
}

// TestFenceInfo: a fence's language is its info string's first word with
// backslash escapes and entities resolved, as CommonMark says and
// goldmark's own renderer writes it, and the highlighter looks up that.
func TestFenceInfo(t *testing.T) {
	plain := goldmark.New()
	for _, tt := range []struct {
		name, info, class string
		highlighted       bool
	}{
		{"entities", "f&ouml;&ouml;", "language-föö", false},
		{"backslash escape", `foo\+bar`, "language-foo+bar", false},
		{"a language in entities", "&#x67;o", "language-go", true},
		{"a language escaped", `y\aml`, `language-y\aml`, false},
		{"escaped entity", `a\&amp;`, "language-a&amp;amp;", false},
		{"markup", `"><b>`, "language-&quot;&gt;&lt;b&gt;", false},
		{"words after", "go extra words", "language-go", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte("``` " + tt.info + "\nx := 1\n```\n")
			var want bytes.Buffer
			if err := plain.Convert(src, &want); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(want.String(), `class="`+tt.class+`"`) {
				t.Fatalf("goldmark writes %s, not class=%q", want.String(), tt.class)
			}
			for _, parse := range []func([]byte) *Doc{Parse, parseGoldmark} {
				var got bytes.Buffer
				if err := parse(src).Render(&got, Options{}, AsWritten); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(got.String(), `<code class="`+tt.class+`">`) {
					t.Errorf("%s, want class=%q", got.String(), tt.class)
				}
				if h := strings.HasPrefix(got.String(), `<pre class="chroma">`); h != tt.highlighted {
					t.Errorf("%s: highlighted %v, want %v", got.String(), h, tt.highlighted)
				}
			}
		})
	}
}

package markdown

import (
	"bytes"
	"net/url"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

func unescapePath(p string) (string, error) { return url.PathUnescape(p) }

// codeRenderer highlights fenced code with chroma, writing CSS classes
// (not inline styles) so that the theme's light and dark palettes apply.
type codeRenderer struct{}

func (codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, renderCode)
}

var formatter = chtml.New(chtml.WithClasses(true), chtml.PreventSurroundingPre(true))

func renderCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(src))
	}
	if err := highlight(w, string(n.Language(src)), code.Bytes()); err != nil {
		return ast.WalkStop, err
	}
	return ast.WalkSkipChildren, nil
}

// highlight writes a code block in language lang (perhaps "") as HTML.
func highlight(w util.BufWriter, lang string, code []byte) error {
	var lexer chroma.Lexer
	if lang != "" {
		lexer = lexers.Get(lang)
	}
	if lexer == nil {
		w.WriteString("<pre><code")
		if lang != "" {
			w.WriteString(` class="language-`)
			w.Write(util.EscapeHTML([]byte(lang)))
			w.WriteString(`"`)
		}
		w.WriteString(">")
		w.Write(util.EscapeHTML(code))
		w.WriteString("</code></pre>\n")
		return nil
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, string(code))
	if err != nil {
		return err
	}
	w.WriteString(`<pre class="chroma"><code class="language-`)
	w.Write(util.EscapeHTML([]byte(lang)))
	w.WriteString(`">`)
	if err := formatter.Format(w, styles.Fallback, it); err != nil {
		return err
	}
	w.WriteString("</code></pre>\n")
	return nil
}

var cssOnce sync.Once
var css []byte

// HighlightCSS returns the stylesheet for highlighted code: a light palette,
// and a dark one under prefers-color-scheme: dark.
func HighlightCSS() []byte {
	cssOnce.Do(func() {
		var b bytes.Buffer
		_ = formatter.WriteCSS(&b, styles.Get("github"))
		b.WriteString("@media (prefers-color-scheme: dark) {\n")
		_ = formatter.WriteCSS(&b, styles.Get("github-dark"))
		b.WriteString("}\n")
		css = b.Bytes()
	})
	return css
}

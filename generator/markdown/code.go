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
	lang := string(n.Language(src))
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
		w.Write(util.EscapeHTML(code.Bytes()))
		w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
	if err != nil {
		return ast.WalkStop, err
	}
	w.WriteString(`<pre class="chroma"><code class="language-`)
	w.Write(util.EscapeHTML([]byte(lang)))
	w.WriteString(`">`)
	if err := formatter.Format(w, styles.Fallback, it); err != nil {
		return ast.WalkStop, err
	}
	w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
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

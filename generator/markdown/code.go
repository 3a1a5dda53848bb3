package markdown

import (
	"bufio"
	"bytes"
	_ "embed"
	stdhtml "html"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/alecthomas/chroma/v2"
	chtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

func unescapePath(p string) (string, error) { return url.PathUnescape(p) }

// codeRenderer highlights fenced code with chroma, writing CSS classes
// (not inline styles) so that the theme's light and dark palettes apply.
type codeRenderer struct{}

func (codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, renderCode)
}

// formatter writes highlighted code; formatterOptions (hlcache.go) names
// its options for the caches' keys.
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

// language reads a fence's language, the first word of its info string
// as written, as CommonMark says and goldmark's own renderer does:
// backslash escapes and entities resolved (``` f&ouml;&ouml; is "föö").
// attr is it as HTML, for the class attribute, byte for byte what goldmark
// writes there; name is it as text, for the highlighter to look up.
func language(info string) (attr []byte, name string) {
	if info == "" {
		return nil, ""
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	html.DefaultWriter.Write(w, []byte(info))
	_ = w.Flush() // into a bytes.Buffer: it cannot fail
	return b.Bytes(), stdhtml.UnescapeString(b.String())
}

// highlight writes a code block as HTML; info is the first word of the
// fence's info string as written (perhaps "").
func highlight(w util.BufWriter, info string, code []byte) error {
	attr, lang := language(info)
	var lexer chroma.Lexer
	if lang != "" {
		lexer = lexerFor(lang)
	}
	if lexer == nil {
		w.WriteString("<pre><code")
		if len(attr) > 0 {
			w.WriteString(` class="language-`)
			w.Write(attr)
			w.WriteString(`"`)
		}
		w.WriteString(">")
		w.Write(util.EscapeHTML(code))
		w.WriteString("</code></pre>\n")
		return nil
	}
	html, err := highlighted(lexer, code)
	if err != nil {
		return err
	}
	w.WriteString(`<pre class="chroma"><code class="language-`)
	w.Write(attr)
	w.WriteString(`">`)
	w.Write(html)
	w.WriteString("</code></pre>\n")
	return nil
}

// lexerByLang remembers lexers.Get's answer (a chroma.Lexer, or nil) for
// each language named in a fence. Get looks names up in maps, but a name
// that is neither a lexer's name nor an alias (yml, an unknown language)
// makes it try every lexer's file name patterns, twice: on a code-heavy
// site that was a sixth of the build.
var (
	lexerByLang sync.Map
	lexerLangs  atomic.Int64
)

// maxLexerLangs bounds lexerByLang: info strings are the user's text.
const maxLexerLangs = 4096

func lexerFor(lang string) chroma.Lexer {
	if l, ok := lexerByLang.Load(lang); ok {
		lexer, _ := l.(chroma.Lexer)
		return lexer
	}
	lexer := lexers.Get(lang)
	if lexer != nil {
		untime(lexer)
	}
	if lexerLangs.Add(1) <= maxLexerLangs {
		lexerByLang.Store(lang, lexer)
	}
	return lexer
}

// chromaRuns counts the blocks chroma highlighted, for tests to see what
// the caches spared.
var chromaRuns atomic.Int64

// highlighted returns code as the formatter writes it with lexer: from
// memory, else from the disk cache in use, else from chroma (and then
// kept in both). The bytes are the formatter's, whichever way they came.
func highlighted(lexer chroma.Lexer, code []byte) ([]byte, error) {
	k := keyOf(lexer.Config().Name, code)
	if html, ok := memo.get(k); ok {
		return html, nil
	}
	dc := disk.Load()
	if dc != nil {
		if html, ok := dc.get(k); ok {
			memo.put(k, html)
			return html, nil
		}
	}
	chromaRuns.Add(1)
	it, err := chroma.Coalesce(lexer).Tokenise(nil, string(code))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := formatter.Format(&b, noStyle, it); err != nil {
		return nil, err
	}
	html := b.Bytes()
	memo.put(k, html)
	if dc != nil {
		dc.put(k, html)
	}
	return html, nil
}

// noStyle is the style code is formatted with: writing CSS classes, the
// formatter takes nothing from it. chroma's styles package, which would
// give one, reads every style there is when the program starts, some
// 15 ms that a check would spend for nothing.
var noStyle = chroma.MustNewStyle("productdocs", chroma.StyleEntries{})

// highlightCSS is the stylesheet of chroma's github style, and of its
// github-dark style under prefers-color-scheme: dark, written once by
// TestHighlightCSS (go test -update) for the same reason.
//
//go:embed highlight.css
var highlightCSS []byte

// HighlightCSS returns the stylesheet for highlighted code: a light palette,
// and a dark one under prefers-color-scheme: dark.
func HighlightCSS() []byte { return highlightCSS }

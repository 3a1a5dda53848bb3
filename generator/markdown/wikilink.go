package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindWikiLink is the node kind of [[ID]] links.
var KindWikiLink = ast.NewNodeKind("WikiLink")

// WikiLink is a [[ID]], [[ID|label]] or [[ID#anchor|label]] link. URL and
// Title are filled in by the site before rendering; an empty URL renders
// as a broken link.
type WikiLink struct {
	ast.BaseInline
	Target string
	Anchor string
	Label  string

	URL   string
	Title string
}

// Kind implements ast.Node.
func (n *WikiLink) Kind() ast.NodeKind { return KindWikiLink }

// Dump implements ast.Node.
func (n *WikiLink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Target": n.Target, "Label": n.Label}, nil)
}

type wikiParser struct{}

// Trigger implements parser.InlineParser.
func (wikiParser) Trigger() []byte { return []byte{'['} }

// Parse implements parser.InlineParser. It takes "[[" up to the first "]]"
// on the same line and leaves anything else to the link parser.
func (wikiParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 5 || line[1] != '[' {
		return nil
	}
	// The link ends at the first bracket, which must start "]]": looking
	// for "]]" further would read the rest of the line again at every '['
	// of it, and a line of a million would take minutes.
	end := bytes.IndexAny(line[2:], "[]\n")
	if end <= 0 || !bytes.HasPrefix(line[2+end:], []byte("]]")) {
		return nil
	}
	inner := line[2 : 2+end]
	target, label, _ := bytes.Cut(inner, []byte("|"))
	target = util.TrimRightSpace(util.TrimLeftSpace(target))
	target, anchor, _ := bytes.Cut(target, []byte("#"))
	if len(target) == 0 {
		return nil
	}
	n := &WikiLink{
		Target: string(target),
		Anchor: string(anchor),
		Label:  string(util.TrimRightSpace(util.TrimLeftSpace(label))),
	}
	n.SetPos(seg.Start)
	block.Advance(2 + end + 2)
	return n
}

type wikiRenderer struct{}

func (wikiRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindWikiLink, renderWikiLink)
}

func renderWikiLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*WikiLink)
	text := n.Label
	if text == "" {
		text = n.Title
	}
	if text == "" {
		text = n.Target
	}
	if n.URL == "" {
		w.WriteString(`<span class="wikilink broken" title="no document has this ID">`)
		w.Write(util.EscapeHTML([]byte(text)))
		w.WriteString(`</span>`)
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<a class="wikilink" href="`)
	w.Write(util.EscapeHTML(util.URLEscape([]byte(n.URL), false)))
	w.WriteString(`">`)
	w.Write(util.EscapeHTML([]byte(text)))
	w.WriteString(`</a>`)
	return ast.WalkSkipChildren, nil
}

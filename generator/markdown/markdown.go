// Package markdown sets up goldmark once for productdocs: CommonMark with
// GitHub's extensions (tables, task lists, strikethrough, autolinks) and
// footnotes, [[ID]] wiki links, heading anchors that keep every script's
// letters, and code highlighting. Parse reads a body into a Doc, which
// lists its links (with byte offsets, for diagnostics), headings,
// acceptance criteria and git merge conflicts left in it; Render writes it
// as HTML after the site has resolved its links. A body nesting lists or
// block quotes deeper than MaxNesting is not parsed at all (see Doc.TooDeep).
//
// Most bodies are read by a fast path of this package's own (fast.go),
// which reads the part of Markdown product documents use, exactly as
// goldmark does, in a fraction of goldmark's time (a large site's build
// takes a fifth less CPU time with it; see fast.go); goldmark reads the
// rest, and anything the fast path is not sure of.
package markdown

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

func newEngine(unsafe bool) goldmark.Markdown {
	opts := []renderer.Option{html.WithXHTML()}
	if unsafe {
		opts = append(opts, html.WithUnsafe())
	}
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(
			parser.WithHeadingAttribute(),
			parser.WithInlineParsers(util.Prioritized(wikiParser{}, 199)),
		),
		goldmark.WithRendererOptions(append(opts,
			renderer.WithNodeRenderers(
				util.Prioritized(wikiRenderer{}, 100),
				util.Prioritized(codeRenderer{}, 100),
			))...),
	)
}

// The parser is the same for both engines; raw HTML only changes rendering.
var (
	safeEngine   = newEngine(false)
	unsafeEngine = newEngine(true)
)

// LinkKind classifies a link in a body.
type LinkKind uint8

const (
	// Wiki is [[ID]]; Target is the ID.
	Wiki LinkKind = iota
	// Document is a relative link to another .md file; Target is the path
	// as written, without the anchor.
	Document
	// Anchor is a link to a heading of the same page ("#notes").
	Anchor
	// File is a relative link or image to any other file.
	File
	// External is an absolute URL or a path from the server root; it is
	// left alone.
	External
)

// Link is one link of a body.
type Link struct {
	Kind   LinkKind
	Target string // ID, or path (unescaped), or the URL as written
	Anchor string // after '#', if any
	Image  bool
	Offset int // byte offset of the link in the body
	Line   int // 1-based line in the body
	Column int // 1-based byte column

	node ast.Node
	dest []byte // the destination as written
}

// Heading is a heading of a body with its anchor.
type Heading struct {
	Level int
	Text  string
	ID    string
}

// Criterion is one acceptance criterion: a task-list item under a heading
// named "Acceptance criteria".
type Criterion struct {
	Checked bool
	Line    int
}

// Doc is a parsed body. It does not change once parsed, but for the link
// targets that Render sets, under a lock, for the page being rendered.
type Doc struct {
	Source   []byte
	Title    string // text of the first level-1 heading
	Headings []Heading
	Links    []Link
	Criteria []Criterion
	// Conflicts are the git merge conflicts left in the body.
	Conflicts []Conflict
	// TooDeep is the line from which the body nests deeper than
	// MaxNesting, or 0. Such a body is not parsed: it is empty.
	TooDeep int

	// fast: the body was read on the fast path, which renders it again
	// from the source; root is nil.
	fast bool

	text     string // the start of PlainText, for TextPrefix
	textOnce sync.Once
	root     ast.Node // nil after Release
	// mu guards the link destinations in root, which Render points at the
	// output of the moment: a Doc may be shared by the models of successive
	// preview builds.
	mu sync.Mutex
}

// Parse parses a Markdown body: on the fast path (fast.go) when the body
// keeps to the part of Markdown it reads, else with goldmark.
func Parse(src []byte) *Doc {
	if line := tooDeep(src); line > 0 {
		return &Doc{Source: src, TooDeep: line, root: ast.NewDocument()}
	}
	if !hasConflictMarker(src) {
		if d, ok := fastParse(src); ok {
			return d
		}
	}
	return parseGoldmark(src)
}

// hasConflictMarker reports whether src may hold a merge conflict, which
// the fast path leaves to goldmark's tree and conflicts.
func hasConflictMarker(src []byte) bool {
	return bytes.Contains(src, []byte("<<<<<<<")) || bytes.Contains(src, []byte(">>>>>>>"))
}

// parseGoldmark is Parse with goldmark.
func parseGoldmark(src []byte) *Doc {
	root := safeEngine.Parser().Parse(text.NewReader(src))
	d := &Doc{Source: src, root: root}
	d.extract()
	d.Conflicts = conflicts(src, root)
	d.text = string(cutText(textPrefix(root, src), TextPrefixLen))
	return d
}

// Release drops the parsed tree, which is most of a Doc's memory: the
// trees of a site of 10,000 documents take some 200 MB, its sources 30.
// Everything Parse found stays; Render and PlainText parse the source
// again, for the moment they need the tree. A site releases its bodies as
// it reads them, so that its size in memory is that of its text.
func (d *Doc) Release() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.root = nil
	for i := range d.Links {
		d.Links[i].node = nil // a node holds its whole tree
	}
}

// tree returns the parsed tree: the one Parse made, or after Release the
// same again, with the headings' anchors and the links' nodes as Parse
// left them. The caller holds d.mu, and calls release when done with it.
func (d *Doc) tree() (root ast.Node, release func()) {
	if d.root != nil {
		return d.root, func() {}
	}
	if d.TooDeep > 0 {
		return ast.NewDocument(), func() {}
	}
	root = safeEngine.Parser().Parse(text.NewReader(d.Source))
	h, l := 0, 0
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		// As extract: every heading, every wiki link, every link and
		// image with a destination, in the order of the text.
		// The fast path's Docs count the same headings and links; the
		// bounds are checked all the same, as a miscount must not crash.
		switch n := n.(type) {
		case *ast.Heading:
			if h < len(d.Headings) {
				n.SetAttributeString("id", []byte(d.Headings[h].ID))
			}
			h++
		case *WikiLink:
			if l < len(d.Links) {
				d.Links[l].node = n
			}
			l++
		case *ast.Link:
			if len(n.Destination) > 0 {
				if l < len(d.Links) {
					d.Links[l].node = n
				}
				l++
			}
		case *ast.Image:
			if len(n.Destination) > 0 {
				if l < len(d.Links) {
					d.Links[l].node = n
				}
				l++
			}
		}
		return ast.WalkContinue, nil
	})
	return root, func() {
		for i := range d.Links {
			d.Links[i].node = nil
		}
	}
}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

func (d *Doc) extract() {
	src := d.Source
	anchors := ids{}
	criteriaLevel := 0 // level of the open "Acceptance criteria" heading, or 0
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			t := plain(n, src)
			id := ""
			if v, ok := n.AttributeString("id"); ok {
				if b, ok := v.([]byte); ok {
					id = anchors.unique(string(b))
				}
			}
			if id == "" {
				id = anchors.unique(Slug(t))
			}
			n.SetAttributeString("id", []byte(id))
			d.Headings = append(d.Headings, Heading{n.Level, t, id})
			if n.Level == 1 && d.Title == "" {
				d.Title = t
			}
			switch {
			case strings.EqualFold(strings.TrimSpace(t), "acceptance criteria"):
				criteriaLevel = n.Level
			case criteriaLevel > 0 && n.Level <= criteriaLevel:
				criteriaLevel = 0
			}
		case *east.TaskCheckBox:
			if criteriaLevel > 0 {
				d.Criteria = append(d.Criteria, Criterion{Checked: n.IsChecked, Line: lineOf(src, blockStart(n))})
			}
		case *WikiLink:
			d.Links = append(d.Links, Link{Kind: Wiki, Target: n.Target, Anchor: n.Anchor, Offset: n.Pos(), node: n})
		case *ast.Link:
			d.addLink(n, n.Destination, false, n.Pos())
		case *ast.Image:
			d.addLink(n, n.Destination, true, n.Pos())
		}
		return ast.WalkContinue, nil
	})
	if len(d.Links) > 0 {
		lines := lineStarts(src)
		for i := range d.Links {
			l := &d.Links[i]
			if l.Offset < 0 {
				l.Offset = 0
			}
			li := sort.SearchInts(lines, l.Offset+1) - 1
			l.Line, l.Column = li+1, l.Offset-lines[li]+1
		}
	}
}

func (d *Doc) addLink(n ast.Node, dest []byte, image bool, offset int) {
	l := Link{Image: image, Offset: offset, node: n, dest: dest}
	s := string(dest)
	switch {
	case s == "":
		return
	case schemeRE.MatchString(s) || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "?"):
		l.Kind, l.Target = External, s
	case strings.HasPrefix(s, "#"):
		l.Kind, l.Anchor = Anchor, s[1:]
	default:
		p, anchor, _ := strings.Cut(s, "#")
		p, _, _ = strings.Cut(p, "?")
		if u, err := unescapePath(p); err == nil {
			p = u
		}
		l.Target, l.Anchor = p, anchor
		l.Kind = File
		if strings.HasSuffix(p, ".md") {
			l.Kind = Document
		}
	}
	d.Links = append(d.Links, l)
}

// setLink points link i at url for rendering. For a wiki link, title is
// the text shown when the link has no label; an empty url marks the link
// broken.
func (d *Doc) setLink(i int, url, title string) {
	switch n := d.Links[i].node.(type) {
	case *WikiLink:
		n.URL, n.Title = url, title
	case *ast.Link:
		n.Destination = []byte(url)
	case *ast.Image:
		n.Destination = []byte(url)
	}
}

// Options are the rendering settings of a site.
type Options struct {
	// UnsafeHTML keeps raw HTML of the Markdown in the output; by default
	// it is left out.
	UnsafeHTML bool
}

// A Resolver gives the output URL of link i of a body, and for a wiki
// link the title to show when it has no label. An empty URL renders a
// wiki link as broken; other links keep what resolve returns.
type Resolver func(i int, l Link) (url, title string)

// AsWritten is the Resolver that keeps every link as the body wrote it
// (wiki links, having no URL of their own, render as broken).
func AsWritten(_ int, l Link) (url, title string) { return string(l.dest), "" }

// Render writes the body as HTML, with every link pointed where resolve
// says.
func (d *Doc) Render(w *bytes.Buffer, o Options, resolve Resolver) error {
	if d.fast {
		if ok, err := d.fastRender(w, o, resolve); ok {
			return err
		}
	}
	e := safeEngine
	if o.UnsafeHTML {
		e = unsafeEngine
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	root, release := d.tree()
	defer release()
	for i, l := range d.Links {
		url, title := resolve(i, l)
		d.setLink(i, url, title)
	}
	return e.Renderer().Render(w, d.Source, root)
}

// PlainText returns the body's text without markup, for the search index.
func (d *Doc) PlainText() string {
	if d.fast {
		if t, ok := d.fastText(-1); ok {
			return t
		}
	}
	d.mu.Lock()
	root, release := d.tree()
	release()
	d.mu.Unlock()
	var b strings.Builder
	walkText(root, d.Source, func(p []byte) bool {
		b.Write(p)
		return true
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// TextPrefixLen is how much of PlainText a Doc keeps from Parse.
const TextPrefixLen = 600

// TextPrefix returns the start of PlainText, kept from Parse, so that a
// search index needs no tree: its first TextPrefixLen bytes at most, cut
// on a character's boundary.
func (d *Doc) TextPrefix() string {
	d.textOnce.Do(func() {
		// goldmark's Docs have it from Parse; the fast path's from Render,
		// or else here: a check never needs it.
		if !d.fast {
			return
		}
		t, ok := d.fastText(TextPrefixLen)
		if !ok {
			d.mu.Lock()
			root, release := d.tree()
			t = string(cutText(textPrefix(root, d.Source), TextPrefixLen))
			release()
			d.mu.Unlock()
		}
		d.text = t
	})
	return d.text
}

// textPrefix is the start of PlainText, at least TextPrefixLen bytes of
// it where it has them, without reading further.
func textPrefix(root ast.Node, src []byte) []byte {
	w := words{text: make([]byte, 0, TextPrefixLen+64)}
	walkText(root, src, func(p []byte) bool { return !w.add(p, TextPrefixLen) })
	return w.text
}

// words collects text as strings.Fields and strings.Join leave it: words
// with one space between them.
type words struct {
	text  []byte
	space bool // a space is due before the next word
}

// add adds p, and reports whether the text has reached limit bytes (a
// limit < 0 has none); it stops there.
func (w *words) add(p []byte, limit int) bool {
	for i := 0; i < len(p); {
		// A word's bytes up to the next space or non-ASCII byte go in at
		// once.
		j := i
		for j < len(p) && p[j] < utf8.RuneSelf && !asciiSpace[p[j]] {
			j++
		}
		size := j - i
		isSpace := false
		if size == 0 {
			r := rune(p[i])
			size = 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRune(p[i:])
			}
			isSpace = unicode.IsSpace(r)
		}
		if isSpace {
			w.spaceDue()
		} else {
			if w.space {
				w.text = append(w.text, ' ')
				w.space = false
			}
			w.text = append(w.text, p[i:i+size]...)
		}
		i += size
		if limit >= 0 && len(w.text) >= limit {
			return true
		}
	}
	return false
}

// spaceDue says a space goes before the next word, if there was one before.
func (w *words) spaceDue() { w.space = len(w.text) > 0 }

// asciiSpace are the ASCII bytes unicode.IsSpace (and strings.Fields)
// take for space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// walkText hands the text of a tree to emit, piece by piece, as a reader
// sees it, with a space between blocks and lines; emit returns false to
// stop.
func walkText(root ast.Node, src []byte, emit func([]byte) bool) {
	space := []byte(" ")
	wrote := false
	write := func(p []byte) ast.WalkStatus {
		if len(p) > 0 {
			wrote = true
		}
		if !emit(p) {
			return ast.WalkStop
		}
		return ast.WalkContinue
	}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock && wrote {
				return write(space), nil
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			st := write(n.Value(src))
			if st == ast.WalkContinue && (n.SoftLineBreak() || n.HardLineBreak()) {
				st = write(space)
			}
			return st, nil
		case *ast.String:
			return write(n.Value), nil
		case *WikiLink:
			if n.Label != "" {
				return write([]byte(n.Label)), nil
			}
			return write([]byte(n.Target)), nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				if write(seg.Value(src)) == ast.WalkStop {
					return ast.WalkStop, nil
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// plain is a heading's text as a reader sees it: its inline text, code
// spans included, without markup.
func plain(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Value(src))
		case *ast.String:
			b.Write(c.Value)
		case *WikiLink:
			if c.Label != "" {
				b.WriteString(c.Label)
			} else {
				b.WriteString(c.Target)
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func blockStart(n ast.Node) int {
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

func lineStarts(src []byte) []int { return appendLineStarts(nil, src) }

// appendLineStarts appends the offsets at which src's lines start to starts.
func appendLineStarts(starts []int, src []byte) []int {
	starts = append(starts, 0)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			return starts
		}
		i += j + 1
		starts = append(starts, i)
	}
}

func lineOf(src []byte, off int) int {
	return 1 + bytes.Count(src[:min(off, len(src))], []byte("\n"))
}

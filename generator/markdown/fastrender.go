package markdown

import (
	"bytes"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// bufWriter lets goldmark's text writer write into a bytes.Buffer.
type bufWriter struct{ *bytes.Buffer }

func (bufWriter) Available() int                { return 1 << 30 }
func (b bufWriter) Buffered() int               { return b.Len() }
func (bufWriter) Flush() error                  { return nil }
func (b bufWriter) Write(p []byte) (int, error) { return b.Buffer.Write(p) }

// fastParse parses src on the fast path, filling a Doc as Parse does. It
// reports false where the body leaves the fast path's part of Markdown.
func fastParse(src []byte) (*Doc, bool) {
	if !utf8.Valid(src) {
		// goldmark reads the bytes of broken text as runes of their own
		// (emphasis next to them flanks otherwise); a document is checked
		// to be UTF-8 before it is parsed, so such a body is never worth
		// the fast path's trouble.
		return nil, false
	}
	p := getFast(src)
	defer putFast(p)
	if !p.parseBlocks() {
		return nil, false
	}
	// What the walk collects goes into the parser's buffers, and is copied
	// out at the end in one piece each.
	d := &Doc{Source: src, fast: true, Links: p.links[:0], Headings: p.heads[:0]}
	clear(p.anchors)
	e := emitter{p: p, src: src, d: d, scan: true, anchors: p.anchors}
	ok := e.run()
	p.links, p.heads = d.Links, d.Headings
	defer func() {
		clear(p.links) // let go of the source
		clear(p.heads)
	}()
	if !ok {
		return nil, false
	}
	d.Links = cloneOrNil(d.Links)
	d.Headings = cloneOrNil(d.Headings)
	if len(d.Links) > 0 {
		p.lines = appendLineStarts(p.lines[:0], src)
		for i := range d.Links {
			l := &d.Links[i]
			li := sort.SearchInts(p.lines, l.Offset+1) - 1
			l.Line, l.Column = li+1, l.Offset-p.lines[li]+1
		}
	}
	return d, true
}

func cloneOrNil[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// fastRender writes a body that fastParse read as HTML. It reports false,
// having written nothing, where the body leaves the fast path in a
// paragraph that fastParse did not need to read (see emitter.inlines).
func (d *Doc) fastRender(w *bytes.Buffer, o Options, resolve Resolver) (bool, error) {
	p := getFast(d.Source)
	defer putFast(p)
	if !p.parseBlocks() {
		return false, nil
	}
	// The text for TextPrefix comes along.
	start := w.Len()
	e := emitter{p: p, src: d.Source, d: d, w: bufWriter{w}, html: true, resolve: resolve, unsafe: o.UnsafeHTML,
		textLimit: TextPrefixLen, words: words{text: p.text[:0]}}
	ok := e.run()
	p.text = e.words.text
	if !ok {
		w.Truncate(start)
		return false, nil
	}
	d.textOnce.Do(func() { d.text = string(e.cutText()) })
	return true, e.err
}

// fastText is the plain text of a body that fastParse read, up to limit
// bytes (< 0: all of it); false where the fast path leaves it (see
// fastRender).
func (d *Doc) fastText(limit int) (string, bool) {
	p := getFast(d.Source)
	defer putFast(p)
	if !p.parseBlocks() {
		return "", false
	}
	e := emitter{p: p, src: d.Source, d: d, textLimit: limit, words: words{text: p.text[:0]}}
	ok := e.run()
	p.text = e.words.text
	return string(e.cutText()), ok
}

// tight reports whether a list is tight, as goldmark decides: no item but
// the first, and no block of an item but its first, comes after a blank
// line.
func (p *fastParser) tight(list int) bool {
	for it := p.blocks[list].first; it >= 0; it = p.blocks[it].next {
		if it != p.blocks[list].first && p.blocks[it].blankBefore {
			return false
		}
		if c := p.blocks[it].first; c >= 0 {
			for c = p.blocks[c].next; c >= 0; c = p.blocks[c].next {
				if p.blocks[c].blankBefore {
					return false
				}
			}
		}
	}
	return true
}

// emitter walks the fast path's tree once, doing what Parse's extract,
// Render or PlainText do on goldmark's.
type emitter struct {
	p   *fastParser
	src []byte
	d   *Doc

	// scan: collect headings, links and criteria into d.
	scan    bool
	anchors ids
	heads   int // headings seen
	links   int // links seen
	crit    int // the level of the open "Acceptance criteria" heading, or 0

	// html: write the body.
	html    bool
	w       bufWriter
	resolve Resolver
	unsafe  bool
	err     error

	// words: the plain text, up to textLimit bytes (0: none, < 0: all
	// of it).
	textLimit int
	words     words
	textFull  bool

	// failed: the body left the fast path.
	failed bool
}

func (e *emitter) run() bool {
	e.blocks(0)
	return !e.failed
}

func (e *emitter) blocks(parent int) {
	p := e.p
	for c := p.blocks[parent].first; c >= 0 && !e.failed; c = p.blocks[c].next {
		e.block(c, parent)
	}
}

func (e *emitter) write(s string) {
	if e.html {
		e.w.WriteString(s)
	}
}

func (e *emitter) block(i, parent int) {
	p := e.p
	b := &p.blocks[i]
	src := e.src
	inItem := p.blocks[parent].kind == bItem
	first := p.blocks[parent].first == i
	switch b.kind {
	case bPara:
		// In a tight list, an item's paragraph is bare text.
		text := inItem && p.tight(p.blocks[parent].parent)
		if !text {
			e.write("<p>")
		}
		e.inlines(p.segs[b.lineLo:b.lineHi], inItem && first)
		if !text {
			e.write("</p>\n")
		} else if b.next >= 0 {
			e.write("\n")
		}
	case bHeading:
		e.heading(b, inItem && first)
	case bHR:
		e.write("<hr />\n")
	case bFence:
		if e.html {
			var code bytes.Buffer
			for _, s := range p.segs[b.lineLo:b.lineHi] {
				code.Write(src[s.start:s.stop])
				if s.stop > s.start && src[s.stop-1] != '\n' {
					code.WriteByte('\n') // as goldmark ends the last line
				}
			}
			lang := ""
			if b.hasInfo {
				info := src[b.info.start:b.info.stop]
				if k := bytes.IndexByte(info, ' '); k >= 0 {
					info = info[:k]
				}
				lang = string(info)
			}
			if err := highlight(e.w, lang, code.Bytes()); err != nil && e.err == nil {
				e.err = err
			}
		}
		for _, s := range p.segs[b.lineLo:b.lineHi] {
			e.addText(src[s.start:s.stop])
		}
	case bQuote:
		e.write("<blockquote>\n")
		e.blocks(i)
	case bList:
		tag := "ul"
		if b.ordered {
			tag = "ol"
		}
		e.write("<" + tag)
		if b.ordered && b.start != 1 {
			e.write(` start="` + strconv.Itoa(b.start) + `"`)
		}
		e.write(">\n")
		e.blocks(i)
		e.write("</" + tag + ">\n")
	case bItem:
		e.write("<li>")
		if b.first >= 0 && (p.blocks[b.first].kind != bPara || !p.tight(parent)) {
			e.write("\n")
		}
		e.blocks(i)
		e.write("</li>\n")
	case bTable:
		e.table(b)
	}
	if b.kind == bQuote {
		e.write("</blockquote>\n")
	}
	e.addSpace()
}

func (e *emitter) heading(b *fblock, inItemFirst bool) {
	p := e.p
	lines := p.segs[b.lineLo:b.lineHi]
	ip := &p.inl
	ip.reset(e.src)
	root := ip.parse(lines, inItemFirst)
	if ip.failed {
		e.failed = true // for good: the next inlines reset ip
		return
	}
	id := ""
	if e.scan {
		e.p.hbuf = e.plain(e.p.hbuf[:0], ip.nodes[root].first)
		text := strings.TrimSpace(string(e.p.hbuf))
		id = e.anchors.unique(Slug(text))
		e.d.Headings = append(e.d.Headings, Heading{b.level, text, id})
		if b.level == 1 && e.d.Title == "" {
			e.d.Title = text
		}
		switch {
		case strings.EqualFold(strings.TrimSpace(text), "acceptance criteria"):
			e.crit = b.level
		case e.crit > 0 && b.level <= e.crit:
			e.crit = 0
		}
	} else if e.heads < len(e.d.Headings) {
		id = e.d.Headings[e.heads].ID
	}
	e.heads++
	if e.html {
		e.w.WriteString("<h")
		e.w.WriteByte("0123456"[b.level])
		e.w.WriteString(` id="`)
		e.w.Write(util.EscapeHTML([]byte(id)))
		e.w.WriteString(`">`)
	}
	e.children(root, b)
	if e.html {
		e.w.WriteString("</h")
		e.w.WriteByte("0123456"[b.level])
		e.w.WriteString(">\n")
	}
}

// plain writes a heading's text as goldmark's plain does: the text of its
// inlines as written, code spans and link labels included.
func (e *emitter) plain(b []byte, c int) []byte {
	ip := &e.p.inl
	for ; c >= 0; c = ip.nodes[c].next {
		n := &ip.nodes[c]
		switch n.kind {
		case iText, iCode:
			b = append(b, e.src[n.start:n.stop]...)
		case iWiki:
			if n.label.stop > n.label.start {
				b = append(b, e.src[n.label.start:n.label.stop]...)
			} else {
				b = append(b, e.src[n.target.start:n.target.stop]...)
			}
		default:
			b = e.plain(b, n.first)
		}
	}
	return b
}

func (e *emitter) inlines(lines []seg, inItemFirst bool) {
	if e.scan && !e.html && e.textLimit == 0 && !hasBracket(e.src, lines) {
		// What fastParse collects from inlines (links, check boxes) all
		// start with '['. So it leaves a paragraph without one unread: it
		// is most of a document. Should the fast path not read it when the
		// body is rendered, goldmark will, and finds no more links in it
		// either.
		return
	}
	ip := &e.p.inl
	ip.reset(e.src)
	root := ip.parse(lines, inItemFirst)
	if ip.failed {
		e.failed = true // for good: the next inlines reset ip
		return
	}
	e.children(root, nil)
}

// children emits the inline nodes from c on, and their children.
func (e *emitter) children(root int, _ *fblock) {
	ip := &e.p.inl
	for c := ip.nodes[root].first; c >= 0; c = ip.nodes[c].next {
		e.inline(c)
	}
}

func (e *emitter) inline(c int) {
	ip := &e.p.inl
	n := &ip.nodes[c]
	src := e.src
	switch n.kind {
	case iText:
		v := src[n.start:n.stop]
		if e.html {
			writeText(e.w, v)
			switch {
			case n.hard:
				e.w.WriteString("<br />\n")
			case n.soft:
				e.w.WriteByte('\n')
			}
		}
		e.addText(v)
		if n.soft || n.hard {
			e.addSpace()
		}
	case iCode:
		v := src[n.start:n.stop]
		if e.html {
			e.w.WriteString("<code>")
			html.DefaultWriter.RawWrite(e.w, v)
			e.w.WriteString("</code>")
		}
		e.addText(v)
	case iEmph, iDel:
		tag := "del"
		if n.kind == iEmph {
			tag = "em"
			if n.level == 2 {
				tag = "strong"
			}
		}
		e.write("<" + tag + ">")
		e.children(c, nil)
		e.write("</" + tag + ">")
	case iCheck:
		if e.scan && e.crit > 0 {
			e.d.Criteria = append(e.d.Criteria, Criterion{Checked: n.checked, Line: lineOf(src, n.start)})
		}
		if e.html {
			if n.checked {
				e.w.WriteString(`<input checked="" disabled="" type="checkbox" /> `)
			} else {
				e.w.WriteString(`<input disabled="" type="checkbox" /> `)
			}
		}
	case iWiki:
		e.wiki(n)
	case iLink, iImage:
		e.link(c)
	}
}

func (e *emitter) wiki(n *inode) {
	src := e.src
	target := string(src[n.target.start:n.target.stop])
	label := src[n.label.start:n.label.stop]
	i := e.links
	e.links++
	if e.scan {
		e.d.Links = append(e.d.Links, Link{Kind: Wiki, Target: target, Anchor: string(src[n.anchor.start:n.anchor.stop]), Offset: n.start})
	}
	if len(label) > 0 {
		e.addText(label)
	} else {
		e.addText(src[n.target.start:n.target.stop])
	}
	if !e.html {
		return
	}
	url, title := "", ""
	if i < len(e.d.Links) {
		url, title = e.resolve(i, e.d.Links[i])
	}
	text := string(label)
	if text == "" {
		text = title
	}
	if text == "" {
		text = target
	}
	if url == "" {
		e.w.WriteString(`<span class="wikilink broken" title="no document has this ID">`)
		e.w.Write(util.EscapeHTML([]byte(text)))
		e.w.WriteString(`</span>`)
		return
	}
	e.w.WriteString(`<a class="wikilink" href="`)
	e.w.Write(util.EscapeHTML(util.URLEscape([]byte(url), false)))
	e.w.WriteString(`">`)
	e.w.Write(util.EscapeHTML([]byte(text)))
	e.w.WriteString(`</a>`)
}

func (e *emitter) link(c int) {
	ip := &e.p.inl
	n := ip.nodes[c]
	src := e.src
	dest := src[n.dest.start:n.dest.stop]
	image := n.kind == iImage
	if len(dest) > 0 {
		i := e.links
		e.links++
		if e.scan {
			e.d.addLink(nil, dest, image, n.start)
		}
		if e.html && i < len(e.d.Links) {
			url, _ := e.resolve(i, e.d.Links[i])
			dest = []byte(url)
		}
	}
	if !e.html {
		e.children(c, nil)
		return
	}
	u := util.URLEscape(dest, true)
	if image {
		e.w.WriteString(`<img src="`)
		if e.unsafe || !html.IsDangerousURL(u) {
			e.w.Write(util.EscapeHTML(u))
		}
		e.w.WriteString(`" alt="`)
		e.altText(n.first)
		e.w.WriteByte('"')
		e.title(n)
		e.w.WriteString(" />")
		// The alt text is the image's text, for the plain text too.
		h := e.html
		e.html = false
		e.children(c, nil)
		e.html = h
		return
	}
	e.w.WriteString(`<a href="`)
	if e.unsafe || !html.IsDangerousURL(u) {
		e.w.Write(util.EscapeHTML(u))
	}
	e.w.WriteByte('"')
	e.title(n)
	e.w.WriteByte('>')
	e.children(c, nil)
	e.w.WriteString("</a>")
}

func (e *emitter) title(n inode) {
	if !n.hasTitle {
		return
	}
	e.w.WriteString(` title="`)
	html.DefaultWriter.Write(e.w, e.src[n.title.start:n.title.stop])
	e.w.WriteByte('"')
}

// altText writes an image's alt text as goldmark's renderTexts: the text
// of its inlines, without markup.
func (e *emitter) altText(c int) {
	ip := &e.p.inl
	for ; c >= 0; c = ip.nodes[c].next {
		n := &ip.nodes[c]
		switch n.kind {
		case iText:
			writeText(e.w, e.src[n.start:n.stop])
			switch {
			case n.hard:
				e.w.WriteString("<br />\n")
			case n.soft:
				e.w.WriteByte('\n')
			}
		case iCode:
			html.DefaultWriter.RawWrite(e.w, e.src[n.start:n.stop])
		case iWiki, iCheck:
		default:
			e.altText(n.first)
		}
	}
}

func (e *emitter) table(b *fblock) {
	lines := e.p.segs[b.lineLo:b.lineHi]
	e.write("<table>\n<thead>\n")
	e.tableRow(b, lines[0], "th")
	e.write("</thead>\n")
	if len(lines) > 2 {
		e.write("<tbody>\n")
	}
	for _, l := range lines[2:] {
		e.tableRow(b, l, "td")
	}
	if len(lines) > 2 {
		e.write("</tbody>\n")
	}
	e.write("</table>\n")
}

// tableRow writes one row of b, its cells as tag ("th" in the header),
// with empty cells for those the line lacks.
func (e *emitter) tableRow(b *fblock, l seg, tag string) {
	p := e.p
	ncols := len(b.aligns)
	e.write("<tr>\n")
	row := p.rowCells(l, ncols, tag == "th", p.cells[:0])
	p.cells = row
	for k, c := range row {
		e.cell(tag, b.aligns[k], c)
	}
	for range ncols - len(row) {
		e.write("<" + tag + "></" + tag + ">\n")
		e.addSpace()
	}
	e.write("</tr>\n")
	e.addSpace()
}

func (e *emitter) cell(tag string, a align, c seg) {
	if e.html {
		e.w.WriteString("<" + tag)
		if a != alignNone {
			e.w.WriteString(` align="` + alignNames[a] + `"`)
		}
		e.w.WriteByte('>')
	}
	e.inlines([]seg{c}, false)
	e.write("</" + tag + ">\n")
	e.addSpace()
}

func hasBracket(src []byte, lines []seg) bool {
	for _, l := range lines {
		if bytes.IndexByte(src[l.start:l.stop], '[') >= 0 {
			return true
		}
	}
	return false
}

// writeText writes text as goldmark's html.DefaultWriter does: by hand
// where nothing in it needs a second look (an escape, an entity, a
// character HTML escapes), as in nearly all text; by goldmark otherwise.
func writeText(w bufWriter, v []byte) {
	for _, c := range v {
		if textSpecial[c] {
			html.DefaultWriter.Write(w, v)
			return
		}
	}
	w.Write(v)
}

// textSpecial are the bytes html.DefaultWriter does anything with.
var textSpecial = [256]bool{'\\': true, '&': true, '<': true, '>': true, '"': true, 0: true}

// addText adds to the plain text.
func (e *emitter) addText(p []byte) {
	if e.textFull || e.textLimit == 0 {
		return
	}
	e.textFull = e.words.add(p, e.textLimit)
}

func (e *emitter) addSpace() { e.words.spaceDue() }

// cutText is the plain text cut to its limit, on a character's boundary.
func (e *emitter) cutText() []byte {
	return cutText(e.words.text, e.textLimit)
}

func cutText(t []byte, limit int) []byte {
	if limit < 0 || len(t) <= limit {
		return t
	}
	t = t[:limit]
	// Drop the last character if the cut went through it.
	i := len(t) - 1
	for i > 0 && !utf8.RuneStart(t[i]) {
		i--
	}
	if !utf8.FullRune(t[i:]) {
		t = t[:i]
	}
	return t
}

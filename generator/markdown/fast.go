package markdown

// The fast path.
//
// goldmark parses about 30 MB of Markdown a second on one core, and a
// build parses every body twice (to check it, then to render it, having
// let the tree go meanwhile). Product documents use a small part of
// Markdown: headings, paragraphs, lists, task lists, tables, code fences,
// block quotes, emphasis, code spans and links. fastParse reads exactly
// that part in one pass over the bytes, building a small tree in slices
// instead of a goldmark AST, and gives up (ok == false) at the first
// thing outside it, for goldmark to parse the body instead:
//
//   - raw HTML, autolinks and anything starting with '<', at any level;
//   - link reference definitions and footnotes ("[x]: …", "[^x]");
//   - setext headings, indented code, empty list items, headings with
//     {attributes};
//   - tabs and other control characters outside code fences, and lines
//     of white space that are not spaces alone (goldmark's blank lines);
//   - in a code fence, a tab where goldmark would count it to a tab stop:
//     after a block quote's '>', in the indentation the fence strips, or
//     before what may close the fence;
//   - text that GFM's linkify would turn into a link (www., http:, @);
//   - link destinations or titles that are not plain (entities, escapes,
//     '<…>', a title in parentheses) or that leave the line;
//   - code spans and links across lines; an escaped '|' in a table;
//   - lines that merge conflicts leave, bodies nested too deep, and
//     bodies that are not UTF-8.
//
// Everything it accepts it must read exactly as goldmark does: the same
// links at the same offsets, the same headings, criteria and text, and the
// same HTML, byte for byte. Three tests hold it to that: FuzzFast, input
// by input, seeded with every body it once read otherwise
// (fastRegressions); FuzzFastPieces and TestFastPieces, on bodies put
// together from lines of containers, tabs, CRs, fences and tables, which
// byte-level fuzzing seldom builds; and TestFastSpec over the CommonMark
// spec's examples.
//
// What it is worth, measured on a generated site of 10,000 documents
// (go run ./generator/sitegen/cmd/sitegen -n 10000), building it with and
// without the fast path, 7 runs each, alternating, on 2 shared cores: the
// build took 1.27 times the user CPU time with goldmark alone (medians,
// 16.6 s against 13.0 s), 1.49 times the wall time. On the same site with
// a code fence and a table added to nine bodies in ten: 1.35 times the
// user CPU time, 1.43 times the wall time (6 pairs).
//
// Parse reads a paragraph's inline text only where it holds a '[', which
// everything it collects starts with (see emitter.inlines); a body that
// leaves the fast path in a paragraph it did not read is rendered by
// goldmark.

import (
	"bytes"
	"encoding/binary"
	"sync"
)

// bkind is the kind of a block of the fast path's tree.
type bkind uint8

const (
	bDoc bkind = iota
	bQuote
	bList
	bItem
	bPara
	bHeading
	bFence
	bHR
	bTable
)

// seg is a span of the source, [start, stop).
type seg struct{ start, stop int }

// fblock is a block of the fast path's tree. Children are linked through
// first and next, as indices into fastParser.blocks; -1 is none.
type fblock struct {
	kind        bkind
	parent      int
	first, last int
	next        int

	// lines, for a paragraph, heading, table or code fence: segs[lineLo:lineHi].
	lineLo, lineHi int

	// list
	ordered bool
	marker  byte // '-', '+', '*', or '.' or ')' for an ordered list
	start   int

	// item: the column of its content, relative to its container's
	w int

	// heading
	level int

	// fence
	fchar          byte
	flen, findent  int
	info           seg // trimmed; empty without
	hasInfo        bool
	aligns         []align // table
	firstLineStart int     // offset of the line the block starts on
	// blankBefore: the line before the block's first was blank, seen
	// from its container; it makes a list loose.
	blankBefore bool
}

type align uint8

const (
	alignNone align = iota
	alignLeft
	alignRight
	alignCenter
)

var alignNames = [...]string{"", "left", "right", "center"}

// fastParser is the state of one fast parse; the slices are kept between
// parses (see fastPool) so that parsing allocates next to nothing.
type fastParser struct {
	src    []byte
	blocks []fblock
	segs   []seg
	open   []int // the open containers, from the document down
	tip    int   // the open leaf (paragraph or fence), or -1
	// prevBlank is the depth in open from which the previous line was
	// blank: 0 for a line of nothing but spaces, more for one that is
	// blank only after markers ("  >"), noBlank for text.
	prevBlank int
	depth     int // see line
	lineNo    int

	// pending paragraph lines: a paragraph's lines are collected here and
	// moved to segs when it closes, so that blocks' lines stay contiguous.
	para []seg

	inl      inlineParser
	alignBuf []align
	cells    []seg // a table row's, while it is written

	// buffers of fastParse, kept from one body to the next
	links   []Link
	heads   []Heading
	text    []byte
	hbuf    []byte
	lines   []int
	anchors ids
	// failed is set where closing a block finds what the fast path does
	// not read.
	failed bool
}

var fastPool = sync.Pool{New: func() any { return &fastParser{anchors: ids{}} }}

func getFast(src []byte) *fastParser {
	p := fastPool.Get().(*fastParser)
	p.src = src
	p.blocks = p.blocks[:0]
	p.segs = p.segs[:0]
	p.open = p.open[:0]
	p.para = p.para[:0]
	p.tip = -1
	p.prevBlank = noBlank
	p.lineNo = 0
	p.failed = false
	return p
}

func putFast(p *fastParser) {
	if cap(p.blocks) > 1<<16 || cap(p.segs) > 1<<16 {
		return // an outsized body: let the memory go
	}
	p.src = nil
	p.inl.reset(nil)
	fastPool.Put(p)
}

const noBlank = 1 << 30

// add adds a block to parent, which is the innermost open container.
func (p *fastParser) add(kind bkind, parent int) int {
	i := len(p.blocks)
	p.blocks = append(p.blocks, fblock{kind: kind, parent: parent, first: -1, last: -1, next: -1,
		blankBefore: p.prevBlank <= len(p.open)-1})
	if parent >= 0 {
		pb := &p.blocks[parent]
		if pb.last >= 0 {
			p.blocks[pb.last].next = i
		} else {
			pb.first = i
		}
		pb.last = i
	}
	return i
}

// parseBlocks builds the block tree of p.src. It reports false where the
// body leaves the fast path's part of Markdown.
func (p *fastParser) parseBlocks() bool {
	src := p.src
	p.add(bDoc, -1)
	p.open = append(p.open, 0)
	for ls := 0; ls < len(src); {
		le := len(src)
		if i := bytes.IndexByte(src[ls:], '\n'); i >= 0 {
			le = ls + i
		}
		next := le
		if le < len(src) {
			next = le + 1
		}
		p.lineNo++
		blank, ok := p.line(ls, le, next)
		if !ok || p.failed {
			return false
		}
		switch {
		case isBlankBytes(src[ls:le]):
			p.prevBlank = 0
		case blank:
			p.prevBlank = p.depth
		default:
			p.prevBlank = noBlank
		}
		ls = next
	}
	p.closeTip()
	for len(p.open) > 1 {
		p.closeContainer()
	}
	return !p.failed
}

// hasControl reports whether b holds a byte below ' ', eight bytes at a
// time: it looks at every byte of every line.
func hasControl(b []byte) bool {
	for len(b) >= 8 {
		// A byte below 0x20 borrows when 0x20 is taken from it, and had its
		// top bit clear: the word has one where both show.
		x := binary.LittleEndian.Uint64(b)
		if (x-0x2020202020202020)&^x&0x8080808080808080 != 0 {
			return true
		}
		b = b[8:]
	}
	for _, c := range b {
		if c < ' ' {
			return true
		}
	}
	return false
}

func isBlankBytes(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

func spaces(b []byte) int {
	n := 0
	for n < len(b) && b[n] == ' ' {
		n++
	}
	return n
}

// line reads one line, [ls, le) without its newline, the next starting at
// next. It reports whether the line is blank after the markers of its
// containers (setting p.depth to how many there are), and false where the
// fast path gives up.
func (p *fastParser) line(ls, le, next int) (blank, ok bool) {
	src := p.src
	pos := ls
	// marked is the last open container whose marker the line has: a blank
	// line is blank from there on (see prevBlank). Items and lists have no
	// marker on the lines that continue them.
	marked := 0
	// 1. Which open containers does the line continue?
	matched := 1
	for matched < len(p.open) {
		b := &p.blocks[p.open[matched]]
		rest := src[pos:le]
		if whiteNotSpaces(rest) {
			// goldmark takes a line of tabs or CRs for blank, where the
			// fast path sees text: it closes containers otherwise.
			return false, false
		}
		switch b.kind {
		case bQuote:
			n := spaces(rest)
			if n > 3 || n >= len(rest) || rest[n] != '>' {
				goto done
			}
			pos += n + 1
			if pos < le && src[pos] == '\t' {
				return false, false // goldmark takes a column of the tab for the marker's space
			}
			if pos < le && src[pos] == ' ' {
				pos++
			}
			marked = matched
		case bList:
			// A list continues through its items; see below.
		case bItem:
			if isBlankBytes(rest) {
				if b.first < 0 {
					return false, false // an item that starts with a blank line
				}
				pos = le // goldmark's item takes the whole of a blank line
			} else {
				if spaces(rest) < b.w {
					goto done
				}
				pos += b.w
			}
		}
		matched++
	}
done:
	rest := src[pos:le]
	if whiteNotSpaces(rest) {
		return false, false // as above
	}
	all := matched == len(p.open)
	p.depth = marked

	// 2. Code fences take their lines as they are.
	if p.tip >= 0 && p.blocks[p.tip].kind == bFence && all {
		f := &p.blocks[p.tip]
		n := spaces(rest)
		if n <= 3 && closesFence(rest[n:], f.fchar, f.flen) {
			p.closeTip()
			return false, true
		}
		// goldmark counts a tab in the indentation to the next tab stop,
		// from the line's start: a line that may close the fence so, or
		// whose tab the fence's own indentation cuts into, is left to it.
		if t := leadingTab(rest); t >= 0 && (closesFence(bytes.TrimLeft(rest, " \t"), f.fchar, f.flen) || t < f.findent) {
			return false, false
		}
		// The fence's own indentation is stripped; a line indented less
		// loses its indentation, unless it is blank.
		strip := f.findent
		if n < f.findent {
			strip = n
			if n == len(rest) {
				strip = 0
			}
		}
		p.segs = append(p.segs, seg{pos + strip, next})
		f.lineHi = len(p.segs)
		return isBlankBytes(rest), true
	}

	// Outside code, control characters (tabs among them) are left to
	// goldmark: it counts tabs as spaces in places, and keeps form feeds
	// where it trims spaces.
	if hasControl(rest) {
		return false, false
	}

	// 3. A lazy continuation line: text that goes on with an open
	// paragraph although not every container goes on. Whether a line that
	// looks like a setext underline or an empty item is one is left to
	// goldmark.
	if !all && p.tip >= 0 && p.blocks[p.tip].kind == bPara && !isBlankBytes(rest) {
		body := rest[spaces(rest):]
		if isSetextLine(body, '=') || isSetextLine(body, '-') {
			return false, false
		}
		switch p.startsBlock(rest, false) {
		case startNone:
			p.para = append(p.para, seg{pos, next})
			return false, true
		case startBail:
			return false, false
		}
	}

	// 4. Close what the line does not continue. A list stays open for now:
	// the line may add an item to it.
	if !all {
		p.closeTip()
		for len(p.open) > matched {
			p.closeContainer()
		}
	}

	// 5. Open new blocks.
	opened := len(p.open)
	for {
		cont := p.open[len(p.open)-1]
		rest = src[pos:le]
		if p.blocks[cont].kind == bList {
			// The list's last item did not take the line: only a new item
			// of the same list keeps the list open.
			if m, ok := listMarker(rest); !ok || p.blocks[cont].marker != m.marker || isThematicBreak(rest) {
				p.closeContainer()
				continue
			}
		}
		n := spaces(rest)
		if n == len(rest) {
			p.closeTip()
			if len(p.open) > opened {
				p.depth = len(p.open) - 1 // a block quote opened on this line
			}
			return true, true
		}
		inPara := p.tip >= 0 && p.blocks[p.tip].kind == bPara
		if n >= 4 {
			if !inPara {
				return false, false // indented code
			}
			p.para = append(p.para, seg{pos, next})
			return false, true
		}
		body := rest[n:]
		switch p.startsBlock(rest, inPara) {
		case startBail:
			return false, false
		case startQuote:
			p.closeTip()
			q := p.add(bQuote, cont)
			p.open = append(p.open, q)
			pos += n + 1
			if pos < le && src[pos] == ' ' {
				pos++
			}
			continue
		case startHeading:
			p.closeTip()
			return false, p.heading(cont, pos+n, le)
		case startFence:
			if next == le {
				return false, false // goldmark reads the info of a last line oddly
			}
			p.closeTip()
			f := p.add(bFence, cont)
			fb := &p.blocks[f]
			c := body[0]
			k := 0
			for k < len(body) && body[k] == c {
				k++
			}
			fb.fchar, fb.flen, fb.findent = c, k, n
			info := trimSpaceSeg(seg{pos + n + k, le}, src)
			fb.info, fb.hasInfo = info, info.stop > info.start
			fb.lineLo, fb.lineHi = len(p.segs), len(p.segs)
			fb.firstLineStart = ls
			p.tip = f
			return false, true
		case startHR:
			p.closeTip()
			p.add(bHR, cont)
			return false, true
		case startItem:
			m, _ := listMarker(rest)
			p.closeTip()
			list := cont
			if p.blocks[cont].kind != bList {
				list = p.add(bList, cont)
				lb := &p.blocks[list]
				lb.ordered, lb.marker, lb.start = m.ordered, m.marker, m.start
				p.open = append(p.open, list)
			}
			item := p.add(bItem, list)
			p.blocks[item].w = m.w
			p.open = append(p.open, item)
			pos += m.w
			continue
		}
		// Text.
		if inPara {
			p.para = append(p.para, seg{pos, next})
		} else {
			p.closeTip()
			para := p.add(bPara, cont)
			p.blocks[para].firstLineStart = ls
			p.tip = para
			p.para = append(p.para[:0], seg{pos, next})
		}
		return false, true
	}
}

type start uint8

const (
	startNone start = iota
	startBail
	startQuote
	startHeading
	startFence
	startHR
	startItem
)

// startsBlock tells which block a line (after its containers' markers)
// starts, if any. inPara says whether it would interrupt a paragraph. Lines
// whose reading the fast path does not follow are startBail.
func (p *fastParser) startsBlock(rest []byte, inPara bool) start {
	n := spaces(rest)
	if n >= 4 {
		if inPara {
			return startNone
		}
		return startBail
	}
	body := rest[n:]
	if len(body) == 0 {
		return startNone
	}
	switch c := body[0]; c {
	case '>':
		return startQuote
	case '<', '\t', '\r':
		return startBail
	case '#':
		k := 0
		for k < len(body) && body[k] == '#' {
			k++
		}
		if k <= 6 && (k == len(body) || body[k] == ' ' || body[k] == '\t') {
			return startHeading
		}
	case '`', '~':
		k := 0
		for k < len(body) && body[k] == c {
			k++
		}
		if k >= 3 {
			if c == '`' && contains(body[k:], '`') {
				return startBail // not a fence: a code span
			}
			return startFence
		}
	case '=':
		if inPara && isSetextLine(body, '=') {
			return startBail
		}
	}
	if inPara && isSetextLine(body, '-') {
		return startBail
	}
	if isThematicBreak(body) {
		return startHR
	}
	if m, ok := listMarker(rest); ok {
		if m.empty {
			if inPara {
				return startNone // an empty item does not interrupt a paragraph
			}
			return startBail
		}
		if m.indentedCode {
			return startBail
		}
		if inPara && m.ordered && m.start != 1 {
			return startNone
		}
		return startItem
	}
	return startNone
}

func contains(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// isSetextLine reports whether body is a setext heading's underline of c.
func isSetextLine(body []byte, c byte) bool {
	k := 0
	for k < len(body) && body[k] == c {
		k++
	}
	return k > 0 && isBlankBytes(body[k:])
}

// isThematicBreak reports whether a line (its indentation included) is a
// thematic break: three or more '-', '_' or '*', with spaces between.
func isThematicBreak(line []byte) bool {
	n := spaces(line)
	if n > 3 {
		return false
	}
	line = line[n:]
	if len(line) == 0 {
		return false
	}
	c := line[0]
	if c != '-' && c != '_' && c != '*' {
		return false
	}
	count := 0
	for _, x := range line {
		switch x {
		case c:
			count++
		case ' ':
		default:
			return false
		}
	}
	return count >= 3
}

type marker struct {
	ordered      bool
	marker       byte // bullet, or the ordered list's delimiter
	start        int
	w            int // content offset from the start of the line
	empty        bool
	indentedCode bool // five or more spaces after the marker
}

// listMarker reads a list item's marker at the start of a line (its
// indentation included).
func listMarker(line []byte) (marker, bool) {
	var m marker
	n := spaces(line)
	if n > 3 || n >= len(line) {
		return m, false
	}
	i := n
	switch c := line[i]; {
	case c == '-' || c == '+' || c == '*':
		m.marker = c
		i++
	case '0' <= c && c <= '9':
		j := i
		v := 0
		for j < len(line) && '0' <= line[j] && line[j] <= '9' {
			v = v*10 + int(line[j]-'0')
			j++
		}
		if j-i > 9 || j >= len(line) || (line[j] != '.' && line[j] != ')') {
			return m, false
		}
		m.ordered, m.marker, m.start = true, line[j], v
		i = j + 1
	default:
		return m, false
	}
	if i == len(line) {
		m.empty, m.w = true, i+1
		return m, true
	}
	if line[i] != ' ' {
		return m, false
	}
	k := spaces(line[i:])
	if i+k == len(line) {
		m.empty, m.w = true, i+1
		return m, true
	}
	if k > 4 {
		m.indentedCode, m.w = true, i+1
		return m, true
	}
	m.w = i + k
	return m, true
}

// closesFence reports whether body (after up to three spaces) closes a
// fence of n characters c: as goldmark's, the run may be followed by any
// white space, tabs and a CR (of a CRLF) included.
func closesFence(body []byte, c byte, n int) bool {
	k := 0
	for k < len(body) && body[k] == c {
		k++
	}
	return k >= n && isBlankAll(body[k:])
}

// leadingTab returns the offset of the first tab in line's indentation
// (its leading spaces and tabs), or -1.
func leadingTab(line []byte) int {
	for i, c := range line {
		switch c {
		case '\t':
			return i
		case ' ':
		default:
			return -1
		}
	}
	return -1
}

// whiteNotSpaces reports whether line is white space, but not spaces
// alone: goldmark's blank lines (util.IsBlank) and the fast path's differ
// there.
func whiteNotSpaces(line []byte) bool {
	return isBlankAll(line) && !isBlankBytes(line)
}

func trimSpaceSeg(s seg, src []byte) seg {
	for s.start < s.stop && isSpaceByte(src[s.start]) {
		s.start++
	}
	for s.stop > s.start && isSpaceByte(src[s.stop-1]) {
		s.stop--
	}
	return s
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// heading reads an ATX heading from its first '#' at hs to le.
func (p *fastParser) heading(cont, hs, le int) bool {
	src := p.src
	h := p.add(bHeading, cont)
	k := 0
	for hs+k < le && src[hs+k] == '#' {
		k++
	}
	p.blocks[h].level = k
	p.blocks[h].firstLineStart = hs
	p.blocks[h].lineLo = len(p.segs)
	s := trimSpaceSeg(seg{hs + k, le}, src)
	line := src[s.start:s.stop]
	if contains(line, '{') {
		return false // perhaps {attributes}
	}
	if len(line) > 0 {
		// A closing run of '#' after a space goes; a heading of nothing
		// but '#' is empty.
		i := len(line) - 1
		for line[i] == '#' && i > 0 {
			i--
		}
		switch {
		case i == 0 && line[0] == '#':
			s.stop = s.start
		case i != len(line)-1 && isSpaceByte(line[i]):
			s = trimSpaceSeg(seg{s.start, s.start + i}, src)
		}
	}
	if s.stop > s.start {
		p.segs = append(p.segs, s)
	}
	p.blocks[h].lineHi = len(p.segs)
	return true
}

// closeTip closes the open leaf: a paragraph moves its lines into segs
// (and may turn out to be a table), a fence just ends.
func (p *fastParser) closeTip() {
	if p.tip < 0 {
		return
	}
	b := &p.blocks[p.tip]
	p.tip = -1
	if b.kind != bPara {
		return
	}
	src := p.src
	if first := p.para[0]; src[first.start+spaces(src[first.start:first.stop])] == '[' {
		// Perhaps a link reference definition or a footnote, which the
		// fast path does not read: "[label]: …".
		for _, s := range p.para {
			if bytesContains(src[s.start:s.stop], "]:") {
				p.failed = true
				return
			}
		}
	}
	b.lineLo = len(p.segs)
	for i, s := range p.para {
		for s.start < s.stop && isSpaceByte(src[s.start]) {
			s.start++
		}
		if i == len(p.para)-1 {
			for s.stop > s.start && isSpaceByte(src[s.stop-1]) {
				s.stop--
			}
		}
		p.segs = append(p.segs, s)
	}
	b.lineHi = len(p.segs)
	p.table(b, p.para)
	p.para = p.para[:0]
}

func (p *fastParser) closeContainer() {
	p.closeTip()
	p.open = p.open[:len(p.open)-1]
}

func bytesContains(b []byte, s string) bool {
	return bytes.Contains(b, []byte(s))
}

// table turns a closed paragraph into a table, as GFM's table extension
// does, when its second line is a delimiter row and its first a header
// with as many cells. A delimiter row further down, which would leave the
// lines above it a paragraph, is left to goldmark. raw are the
// paragraph's lines as goldmark's table extension sees them, indented:
// a line indented four spaces or more is no delimiter row.
func (p *fastParser) table(b *fblock, raw []seg) {
	lines := p.segs[b.lineLo:b.lineHi]
	if len(lines) < 2 {
		return
	}
	src := p.src
	var aligns []align
	for i := 1; i < len(lines); i++ {
		a, ok := parseDelimRow(src[raw[i].start:raw[i].stop], p.alignBuf[:0])
		if !ok {
			continue
		}
		if i > 1 {
			p.failed = true
			return
		}
		aligns = a
		p.alignBuf = a
		break
	}
	if aligns == nil {
		return
	}
	for _, l := range lines {
		if bytesContains(src[l.start:l.stop], "\\|") {
			p.failed = true // an escaped pipe
			return
		}
	}
	// goldmark pads a short header with empty cells, as it pads rows, so
	// only a longer one is not a table's.
	if len(p.rowCells(lines[0], len(aligns), true, nil)) > len(aligns) {
		return
	}
	b.kind = bTable
	b.aligns = append([]align(nil), aligns...)
	// goldmark's table replaces the paragraph with a new node, which does
	// not know of the blank line before it: a list with a table after a
	// blank line in an item stays tight.
	b.blankBefore = false
}

// parseDelimRow reads a table's delimiter row (as the paragraph holds it,
// with its indentation and newline), as goldmark does.
func parseDelimRow(line []byte, buf []align) ([]align, bool) {
	if spaces(line) > 3 {
		return nil, false
	}
	allSep := true
	for _, c := range line {
		if c != '-' {
			allSep = false
		}
		if !(isSpaceByte(c) || c == '-' || c == '|' || c == ':') {
			return nil, false
		}
	}
	if allSep {
		return nil, false
	}
	cols := bytes.Split(line, []byte{'|'})
	if isBlankAll(cols[0]) {
		cols = cols[1:]
	}
	if len(cols) > 0 && isBlankAll(cols[len(cols)-1]) {
		cols = cols[:len(cols)-1]
	}
	out := buf
	for _, col := range cols {
		t := bytes.TrimFunc(col, func(r rune) bool { return r < 0x80 && isSpaceByte(byte(r)) })
		if len(t) == 0 {
			return nil, false
		}
		left, right := t[0] == ':', t[len(t)-1] == ':'
		inner := t
		if left {
			inner = inner[1:]
		}
		if right && len(inner) > 0 {
			inner = inner[:len(inner)-1]
		}
		if len(inner) == 0 {
			return nil, false
		}
		for _, c := range inner {
			if c != '-' {
				return nil, false
			}
		}
		switch {
		case left && right:
			out = append(out, alignCenter)
		case left:
			out = append(out, alignLeft)
		case right:
			out = append(out, alignRight)
		default:
			out = append(out, alignNone)
		}
	}
	if len(out) == 0 {
		return nil, false // goldmark's nil: no delimiter row
	}
	return out, true
}

func isBlankAll(b []byte) bool {
	for _, c := range b {
		if !isSpaceByte(c) {
			return false
		}
	}
	return true
}

// rowCells splits a table row into its cells' segments, trimmed, as
// goldmark's parseRow does: a body row keeps at most ncols cells.
func (p *fastParser) rowCells(line seg, ncols int, header bool, buf []seg) []seg {
	src := p.src
	s := trimSpaceSeg(line, src)
	pos, limit := s.start, s.stop
	if limit > pos && src[pos] == '|' {
		pos++
	}
	if limit > s.start && src[limit-1] == '|' {
		limit--
	}
	out := buf
	for i := 0; pos < limit; i++ {
		if i >= ncols && !header {
			return out
		}
		closure := pos
		for closure < limit && !(src[closure] == '|' && (closure == s.start || src[closure-1] != '\\')) {
			closure++
		}
		out = append(out, trimSpaceSeg(seg{pos, closure}, src))
		pos = closure + 1
	}
	return out
}

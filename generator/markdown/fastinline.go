package markdown

import (
	"unicode/utf8"

	"github.com/yuin/goldmark/util"
)

// ikind is the kind of an inline node of the fast path.
type ikind uint8

const (
	iText  ikind = iota // source [start, stop)
	iCode               // a code span; its text is [start, stop)
	iEmph               // emphasis of level 1 (em) or 2 (strong)
	iDel                // strikethrough
	iLink               // a link; dest and title
	iImage              // an image; dest and title
	iWiki               // [[target#anchor|label]]
	iCheck              // a task list's check box
	iDelim              // a run of '*', '_' or '~' not matched yet
	iLabel              // an open "[" or "![", not closed yet
)

// inode is an inline node. Nodes live in inlineParser.nodes and link to
// each other by index; -1 is none.
type inode struct {
	kind                    ikind
	start, stop             int // the source segment; for a link, its '[' (or '!')
	parent                  int
	first, last, prev, next int

	soft, hard bool // a text's line break after it

	level int // emphasis

	// a delimiter run
	char                 byte
	canOpen, canClose    bool
	length, origLength   int
	prevDelim, nextDelim int

	// a label
	isImage bool
	bottom  int // the last delimiter when the label opened, or -1

	// a link or image
	dest, title seg
	hasTitle    bool

	// a wiki link: the target, anchor and label segments, trimmed
	target, anchor, label seg

	checked bool
}

// inlineParser parses the inline content of one block into nodes.
type inlineParser struct {
	src   []byte
	nodes []inode
	root  int // the block's node

	firstDelim, lastDelim int
	labels                []int // open labels, innermost last

	failed bool
}

func (ip *inlineParser) reset(src []byte) {
	ip.src = src
	ip.nodes = ip.nodes[:0]
	ip.labels = ip.labels[:0]
	ip.firstDelim, ip.lastDelim = -1, -1
	ip.failed = false
}

func (ip *inlineParser) newNode(kind ikind, start, stop int) int {
	ip.nodes = append(ip.nodes, inode{kind: kind, start: start, stop: stop, parent: -1, first: -1, last: -1, prev: -1, next: -1, prevDelim: -1, nextDelim: -1, bottom: -1})
	return len(ip.nodes) - 1
}

func (ip *inlineParser) appendChild(parent, c int) {
	p := &ip.nodes[parent]
	n := &ip.nodes[c]
	n.parent, n.prev, n.next = parent, p.last, -1
	if p.last >= 0 {
		ip.nodes[p.last].next = c
	} else {
		p.first = c
	}
	p.last = c
}

func (ip *inlineParser) removeChild(c int) {
	n := &ip.nodes[c]
	p := &ip.nodes[n.parent]
	if n.prev >= 0 {
		ip.nodes[n.prev].next = n.next
	} else {
		p.first = n.next
	}
	if n.next >= 0 {
		ip.nodes[n.next].prev = n.prev
	} else {
		p.last = n.prev
	}
	n.parent, n.prev, n.next = -1, -1, -1
}

// insertAfter puts c after the child at of its parent.
func (ip *inlineParser) insertAfter(at, c int) {
	a := &ip.nodes[at]
	parent := a.parent
	n := &ip.nodes[c]
	n.parent, n.prev, n.next = parent, at, a.next
	if a.next >= 0 {
		ip.nodes[a.next].prev = c
	} else {
		ip.nodes[parent].last = c
	}
	a.next = c
}

// toText turns a node into a text of its segment, merged into the text
// before it where that ends where it starts, as goldmark's
// MergeOrReplaceTextSegment does.
func (ip *inlineParser) toText(c int, s seg) {
	n := &ip.nodes[c]
	if prev := n.prev; prev >= 0 {
		pn := &ip.nodes[prev]
		if pn.kind == iText && pn.stop == s.start && !pn.soft && !pn.hard {
			pn.stop = s.stop
			ip.removeChild(c)
			return
		}
	}
	n.kind, n.start, n.stop = iText, s.start, s.stop
	n.first, n.last = -1, -1
}

// mergeOrAppendText adds text [start, stop) to parent, merged into the
// text before it where possible.
func (ip *inlineParser) mergeOrAppendText(parent, start, stop int) {
	if last := ip.nodes[parent].last; last >= 0 {
		ln := &ip.nodes[last]
		if ln.kind == iText && ln.stop == start && !ln.soft && !ln.hard {
			ln.stop = stop
			return
		}
	}
	ip.appendChild(parent, ip.newNode(iText, start, stop))
}

// parse parses the lines of a block (each a source segment; all but the
// last end in a newline) into children of a new root node, which it
// returns. inItemFirst says whether the block is the first of a list
// item, where a task list's check box may start it.
func (ip *inlineParser) parse(lines []seg, paraInItemFirst bool) int {
	root := ip.newNode(iText, 0, 0)
	ip.root = root
	ip.firstDelim, ip.lastDelim = -1, -1
	ip.labels = ip.labels[:0]
	src := ip.src
	blockStart := -1
	if len(lines) > 0 {
		blockStart = lines[0].start
	}
	for li, ln := range lines {
		pos := ln.start
		stop := ln.stop
	retry:
		if pos >= stop {
			continue
		}
		line := src[pos:stop]
		lineLength := len(line)
		hard, soft, visible := false, false, false
		hasNewLine := line[lineLength-1] == '\n'
		switch {
		case hasNewLine && ((lineLength >= 3 && line[lineLength-2] == '\\' && line[lineLength-3] != '\\') || (lineLength == 2 && line[0] == '\\')):
			lineLength -= 2
			hard, visible = true, true
		case hasNewLine && lineLength >= 3 && line[lineLength-3] == ' ' && line[lineLength-2] == ' ':
			lineLength -= 3
			hard = true
			if lineLength > 0 && line[lineLength-1] == ' ' {
				ip.failed = true // goldmark keeps some of the spaces
				return root
			}
		case hasNewLine:
			soft = true
		}
		startPos := pos
		escaped := false
		i := 0
		for ; i < lineLength; i++ {
			if !escaped {
				// Most bytes are plain text.
				for i < lineLength && !inlineSpecial[line[i]] {
					i++
				}
				if i == lineLength {
					break
				}
			}
			c := line[i]
			if c == '\n' {
				break
			}
			if escaped {
				escaped = false
				continue
			}
			switch c {
			case '\\':
				escaped = true
				continue
			case '<':
				ip.failed = true
				return root
			case '@':
				ip.failed = true // linkify's e-mail addresses
				return root
			case ':':
				if linkifyScheme(line[:i]) {
					ip.failed = true
					return root
				}
				continue
			case '.':
				if i >= 3 && (line[i-1] == 'w' || line[i-1] == 'W') && (line[i-2] == 'w' || line[i-2] == 'W') && (line[i-3] == 'w' || line[i-3] == 'W') {
					ip.failed = true // linkify's www. addresses
					return root
				}
				continue
			case '`', '[', '!', ']', '*', '_', '~':
			default:
				if c < ' ' {
					ip.failed = true // tabs and other controls
					return root
				}
				continue
			}
			at := pos + i
			if i != 0 {
				ip.mergeOrAppendText(root, startPos, at)
				startPos = at
			}
			var n int = -1
			next := at
			switch c {
			case '`':
				n, next = ip.codeSpan(at, stop, lines[li+1:])
			case '[':
				if at+1 < len(src) && src[at+1] == '^' {
					ip.failed = true // a footnote
					return root
				}
				if paraInItemFirst && li == 0 && at == ln.start && ip.nodes[root].first < 0 {
					n, next = ip.checkBox(at, stop)
				}
				if n < 0 {
					n, next = ip.wikiLink(at, stop)
				}
				if n < 0 {
					n = ip.newNode(iLabel, at, at+1)
					ip.nodes[n].bottom = ip.lastDelim
					ip.labels = append(ip.labels, n)
					next = at + 1
				}
			case '!':
				if at+1 < stop && src[at+1] == '[' {
					n = ip.newNode(iLabel, at, at+2)
					ip.nodes[n].isImage = true
					ip.nodes[n].bottom = ip.lastDelim
					ip.labels = append(ip.labels, n)
					next = at + 2
				}
			case ']':
				n, next = ip.closeLabel(at, stop, ln.start, blockStart)
			case '*', '_', '~':
				n, next = ip.delimiter(at, stop, blockStart)
			}
			if ip.failed {
				return root
			}
			if n >= 0 {
				ip.appendChild(root, n)
				pos = next
				goto retry
			}
			// No node: the character is text, from here on.
		}
		end := pos + i
		if !visible {
			for end > startPos && isSpaceByte(src[end-1]) {
				end--
			}
		}
		t := ip.newNode(iText, startPos, end)
		ip.nodes[t].soft, ip.nodes[t].hard = soft, hard
		ip.appendChild(root, t)
	}
	ip.processDelimiters(-1)
	// Labels never closed are text.
	for _, l := range ip.labels {
		ln := ip.nodes[l]
		ip.toText(l, seg{ln.start, ln.stop})
	}
	ip.labels = ip.labels[:0]
	return root
}

// inlineSpecial are the bytes the inline loop looks at: the rest are text.
var inlineSpecial = func() (t [256]bool) {
	for _, c := range []byte("\\<@:.`[!]*_~") {
		t[c] = true
	}
	for c := range byte(' ') {
		t[c] = true
	}
	return t
}()

// linkifyScheme reports whether the text before a ':' ends in one of the
// schemes GFM's linkify turns into links.
func linkifyScheme(before []byte) bool {
	for _, s := range [...]string{"http", "https", "ftp"} {
		if len(before) >= len(s) && string(before[len(before)-len(s):]) == s {
			return true
		}
	}
	return false
}

// codeSpan reads a code span opening at at. A span that does not close on
// its line but on a later one is left to goldmark; one that does not close
// at all is its backticks as text.
func (ip *inlineParser) codeSpan(at, stop int, later []seg) (int, int) {
	src := ip.src
	open := at
	for open < stop && src[open] == '`' {
		open++
	}
	n := open - at
	for i := open; i < stop; i++ {
		if src[i] != '`' {
			continue
		}
		j := i
		for j < stop && src[j] == '`' {
			j++
		}
		if j-i == n {
			c := ip.newNode(iCode, open, i)
			cs := &ip.nodes[c]
			content := src[open:i]
			if !isBlankAll(content) && len(content) > 0 && (content[0] == ' ' || content[0] == '\n') && (content[len(content)-1] == ' ' || content[len(content)-1] == '\n') {
				cs.start++
				cs.stop--
			}
			return c, j
		}
		i = j - 1
	}
	// Not closed on this line: closed on a later one?
	for _, l := range later {
		line := src[l.start:l.stop]
		for i := 0; i < len(line); i++ {
			if line[i] != '`' {
				continue
			}
			j := i
			for j < len(line) && line[j] == '`' {
				j++
			}
			if j-i == n {
				ip.failed = true
				return -1, at
			}
			i = j - 1
		}
	}
	t := ip.newNode(iText, at, open)
	return t, open
}

// checkBox reads a task list's "[ ]" or "[x]" at the start of an item.
func (ip *inlineParser) checkBox(at, stop int) (int, int) {
	src := ip.src
	if at+3 > stop || src[at+2] != ']' {
		return -1, at
	}
	v := src[at+1]
	if v != ' ' && v != 'x' && v != 'X' && v != '\t' {
		return -1, at
	}
	end := at + 3
	for end < stop && isSpaceByte(src[end]) {
		end++
	}
	if end >= stop || src[end] == '\n' {
		ip.failed = true // a check box alone on its line
		return -1, at
	}
	c := ip.newNode(iCheck, at, end)
	ip.nodes[c].checked = v == 'x' || v == 'X'
	return c, end
}

// wikiLink reads [[target#anchor|label]] as wikiParser does.
func (ip *inlineParser) wikiLink(at, stop int) (int, int) {
	src := ip.src
	line := src[at:stop]
	if len(line) < 5 || line[1] != '[' {
		return -1, at
	}
	end := -1
	for k := 2; k < len(line); k++ {
		if c := line[k]; c == '[' || c == ']' || c == '\n' {
			end = k - 2
			break
		}
	}
	if end <= 0 || at+2+end+2 > stop || line[2+end] != ']' || line[3+end] != ']' {
		return -1, at
	}
	inner := seg{at + 2, at + 2 + end}
	target, label := inner, seg{inner.stop, inner.stop}
	for k := inner.start; k < inner.stop; k++ {
		if src[k] == '|' {
			target, label = seg{inner.start, k}, seg{k + 1, inner.stop}
			break
		}
	}
	target = trimSpaceSeg(target, src)
	anchor := seg{target.stop, target.stop}
	for k := target.start; k < target.stop; k++ {
		if src[k] == '#' {
			target, anchor = seg{target.start, k}, seg{k + 1, target.stop}
			break
		}
	}
	if target.stop == target.start {
		return -1, at
	}
	n := ip.newNode(iWiki, at, at+2+end+2)
	w := &ip.nodes[n]
	w.target, w.anchor, w.label = target, anchor, trimSpaceSeg(label, src)
	return n, at + 2 + end + 2
}

// delimiter reads a run of '*', '_' or '~' as goldmark's ScanDelimiter.
func (ip *inlineParser) delimiter(at, stop, blockStart int) (int, int) {
	src := ip.src
	c := src[at]
	j := at
	for j < stop && src[j] == c {
		j++
	}
	before := ip.preceding(at, blockStart)
	if c == '~' && (j-at > 2 || before == '~') {
		return -1, at
	}
	after := ' '
	if j < stop {
		after = util.ToRune(src[:stop], j)
	}
	beforePunct, beforeSpace := util.IsPunctRune(before), util.IsSpaceRune(before)
	afterPunct, afterSpace := util.IsPunctRune(after), util.IsSpaceRune(after)
	isLeft := !afterSpace && (!afterPunct || beforeSpace || beforePunct)
	isRight := !beforeSpace && (!beforePunct || afterSpace || afterPunct)
	var canOpen, canClose bool
	if c == '_' {
		canOpen = isLeft && (!isRight || beforePunct)
		canClose = isRight && (!isLeft || afterPunct)
	} else {
		canOpen, canClose = isLeft, isRight
	}
	n := ip.newNode(iDelim, at, j)
	d := &ip.nodes[n]
	d.char, d.canOpen, d.canClose, d.length, d.origLength = c, canOpen, canClose, j-at, j-at
	// push onto the delimiter list
	if ip.lastDelim < 0 {
		ip.firstDelim = n
	} else {
		ip.nodes[ip.lastDelim].nextDelim = n
		d.prevDelim = ip.lastDelim
	}
	ip.lastDelim = n
	return n, j
}

// preceding is the character before at, as goldmark's PrecendingCharacter:
// a newline at the start of the block.
func (ip *inlineParser) preceding(at, blockStart int) rune {
	if at <= blockStart || at == 0 {
		return '\n'
	}
	i := at - 1
	for i > 0 && !utf8.RuneStart(ip.src[i]) {
		i--
	}
	r, _ := utf8.DecodeRune(ip.src[i:])
	return r
}

// closeLabel handles a ']' at at, as goldmark's link parser.
func (ip *inlineParser) closeLabel(at, stop, lineStart, blockStart int) (int, int) {
	if len(ip.labels) == 0 {
		return -1, at
	}
	last := ip.labels[len(ip.labels)-1]
	ip.labels = ip.labels[:len(ip.labels)-1]
	src := ip.src
	lb := ip.nodes[last]
	if at-lb.start > 900 {
		ip.failed = true // goldmark's limits on label lengths
		return -1, at
	}
	fail := func() (int, int) {
		ip.toText(last, seg{lb.start, lb.stop})
		return -1, at
	}
	if !lb.isImage && ip.containsLink(last) {
		return fail()
	}
	p := at + 1
	if p >= stop || src[p] != '(' {
		if p < stop && src[p] == '[' {
			// A reference link; there are no definitions on the fast path.
			return fail()
		}
		return fail()
	}
	p++
	for p < stop && src[p] == ' ' {
		p++
	}
	if p >= stop || src[p] < ' ' {
		ip.failed = true // the destination is on another line, or after a tab
		return -1, at
	}
	var dest, title seg
	hasTitle := false
	if src[p] == ')' {
		dest = seg{p, p}
		p++
	} else {
		if src[p] == '<' {
			ip.failed = true
			return -1, at
		}
		ds := p
		opened := 0
	dloop:
		for p < stop {
			switch c := src[p]; {
			case c == '\\' || c == '&' || (c < ' ' && c != '\n'):
				ip.failed = true // escapes, entities and tabs in a destination
				return -1, at
			case c == '(':
				opened++
			case c == ')':
				opened--
				if opened < 0 {
					break dloop
				}
			case isSpaceByte(c):
				break dloop
			}
			p++
		}
		dest = seg{ds, p}
		if p == ds {
			return fail()
		}
		for p < stop && src[p] == ' ' {
			p++
		}
		if p >= stop || src[p] < ' ' {
			ip.failed = true // what follows is on another line, or a tab
			return -1, at
		}
		if src[p] == ')' {
			p++
		} else {
			q := src[p]
			if q != '"' && q != '\'' {
				if q == '(' {
					ip.failed = true
					return -1, at
				}
				return fail()
			}
			ts := p + 1
			te := -1
			for k := ts; k < stop; k++ {
				if src[k] == '\\' || src[k] < ' ' {
					ip.failed = true
					return -1, at
				}
				if src[k] == q {
					te = k
					break
				}
			}
			if te < 0 {
				ip.failed = true
				return -1, at
			}
			title, hasTitle = seg{ts, te}, true
			p = te + 1
			for p < stop && src[p] == ' ' {
				p++
			}
			if p >= stop || src[p] < ' ' {
				ip.failed = true
				return -1, at
			}
			if src[p] != ')' {
				return fail()
			}
			p++
		}
	}
	// The link: what followed the label becomes its children, with the
	// emphasis inside it resolved first.
	ip.processDelimiters(lb.bottom)
	kind := iLink
	if lb.isImage {
		kind = iImage
	}
	n := ip.newNode(kind, lb.start, p)
	ln := &ip.nodes[n]
	ln.dest, ln.title, ln.hasTitle = dest, title, hasTitle
	for c := ip.nodes[last].next; c >= 0; {
		nx := ip.nodes[c].next
		ip.removeChild(c)
		ip.appendChild(n, c)
		c = nx
	}
	ip.removeChild(last)
	return n, p
}

// containsLink reports whether a label or what follows it holds a link.
func (ip *inlineParser) containsLink(c int) bool {
	for ; c >= 0; c = ip.nodes[c].next {
		if ip.nodes[c].kind == iLink {
			return true
		}
		if ip.containsLink(ip.nodes[c].first) {
			return true
		}
	}
	return false
}

// processDelimiters matches the delimiters after bottom into emphasis and
// strikethrough, as goldmark's ProcessDelimiters.
func (ip *inlineParser) processDelimiters(bottom int) {
	if ip.lastDelim < 0 {
		return
	}
	closer := -1
	if bottom >= 0 {
		if bottom != ip.lastDelim {
			for c := ip.nodes[ip.lastDelim].prev; c >= 0 && c != bottom; c = ip.nodes[c].prev {
				if ip.nodes[c].kind == iDelim {
					closer = c
				}
			}
		}
	} else {
		closer = ip.firstDelim
	}
	if closer < 0 {
		ip.clearDelimiters(bottom)
		return
	}
	for closer >= 0 {
		cl := &ip.nodes[closer]
		if !cl.canClose {
			closer = cl.nextDelim
			continue
		}
		consume := 0
		found, maybeOpener := false, false
		opener := cl.prevDelim
		for ; opener >= 0 && opener != bottom; opener = ip.nodes[opener].prevDelim {
			op := &ip.nodes[opener]
			if op.canOpen && op.char == cl.char {
				maybeOpener = true
				consume = consumption(op, cl)
				if consume > 0 {
					found = true
					break
				}
			}
		}
		if !found {
			next := cl.nextDelim
			if !maybeOpener && !cl.canOpen {
				ip.removeDelimiter(closer)
			}
			closer = next
			continue
		}
		op := &ip.nodes[opener]
		op.length -= consume
		op.stop = op.start + op.length
		cl = &ip.nodes[closer]
		cl.length -= consume
		cl.stop = cl.start + cl.length
		kind := iEmph
		if op.char == '~' {
			kind = iDel
		}
		n := ip.newNode(kind, op.start, op.start)
		ip.nodes[n].level = consume
		for c := ip.nodes[opener].next; c >= 0 && c != closer; {
			nx := ip.nodes[c].next
			ip.removeChild(c)
			ip.appendChild(n, c)
			c = nx
		}
		ip.insertAfter(opener, n)
		for c := ip.nodes[opener].nextDelim; c >= 0 && c != closer; {
			nx := ip.nodes[c].nextDelim
			ip.removeDelimiter(c)
			c = nx
		}
		if ip.nodes[opener].length == 0 {
			ip.removeDelimiter(opener)
		}
		if ip.nodes[closer].length == 0 {
			next := ip.nodes[closer].nextDelim
			ip.removeDelimiter(closer)
			closer = next
		}
	}
	ip.clearDelimiters(bottom)
}

func consumption(op, cl *inode) int {
	if (op.canClose || cl.canOpen) && (op.origLength+cl.origLength)%3 == 0 && cl.origLength%3 != 0 {
		return 0
	}
	if op.length >= 2 && cl.length >= 2 {
		return 2
	}
	return 1
}

// removeDelimiter takes d off the delimiter list and makes it text (or
// nothing, when it is used up).
func (ip *inlineParser) removeDelimiter(d int) {
	n := &ip.nodes[d]
	if n.prevDelim < 0 {
		ip.firstDelim = n.nextDelim
	} else {
		ip.nodes[n.prevDelim].nextDelim = n.nextDelim
		if n.nextDelim >= 0 {
			ip.nodes[n.nextDelim].prevDelim = n.prevDelim
		}
	}
	if n.nextDelim < 0 {
		ip.lastDelim = n.prevDelim
	}
	if ip.firstDelim >= 0 {
		ip.nodes[ip.firstDelim].prevDelim = -1
	}
	if ip.lastDelim >= 0 {
		ip.nodes[ip.lastDelim].nextDelim = -1
	}
	n = &ip.nodes[d]
	n.nextDelim, n.prevDelim = -1, -1
	if n.length != 0 {
		ip.toText(d, seg{n.start, n.start + n.length})
	} else {
		ip.removeChild(d)
	}
}

// clearDelimiters makes text of every delimiter left after bottom.
func (ip *inlineParser) clearDelimiters(bottom int) {
	if ip.lastDelim < 0 {
		return
	}
	for c := ip.lastDelim; c >= 0 && c != bottom; {
		prev := ip.nodes[c].prev
		if ip.nodes[c].kind == iDelim {
			ip.removeDelimiter(c)
		}
		c = prev
	}
}

package lsp

import (
	"fmt"
	"slices"
	"strings"

	"productdocs/generator/content"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
)

// target is what the cursor names: a document, and a heading of it when
// the link has an anchor.
type target struct {
	doc      *model.Document
	from, to int // the ID's (or the link destination's) extent in the buffer
	anchor   string
	ownID    bool // the id: field of the document itself
	wiki     bool
}

// targetAt reads what the cursor is on in an open buffer: an ID in a
// reference field or in id:, an [[ID]], a relative link or an anchor, or
// an ID written anywhere else that a document has.
func (s *server) targetAt(rel string, off int) (target, bool) {
	b := s.bufs[rel]
	if b == nil || s.site == nil {
		return target{}, false
	}
	t, m := b.t, s.site.Model
	fm := findFrontmatter(t)
	if f, ok := fieldAtCursor(t, fm, off); ok && !f.onKey && !f.nested {
		k := bufferKind(t, fm)
		switch {
		case f.key == "id":
			d := m.Lookup(f.val)
			if d == nil || d.File != rel {
				d = s.doc(rel)
			}
			return target{doc: d, from: f.valFrom, to: f.valTo, ownID: true}, d != nil
		case k.Ref(f.key) != nil:
			d := m.Lookup(f.val)
			return target{doc: d, from: f.valFrom, to: f.valTo}, d != nil
		}
		return target{}, false
	}
	if t.lineOf(off) >= fm.bodyStart() {
		if l, ok := linkAtCursor(t, off); ok {
			tg := target{from: l.from, to: l.to, wiki: l.wiki}
			if l.anchorFrom > 0 {
				// The link leads to the heading wherever on it the cursor is.
				tg.anchor = t.s[l.anchorFrom:l.anchorTo]
			}
			switch {
			case l.wiki:
				tg.doc = m.Lookup(l.target)
			case l.target == "":
				tg.doc = s.doc(rel)
			default:
				if p, ok := content.Join(strings.TrimPrefix(rel, content.Dir+"/"), l.target); ok {
					tg.doc = m.ByPath(p)
				}
			}
			return tg, tg.doc != nil
		}
	}
	from, to := wordAt(t, off)
	if to > from {
		if d := m.Lookup(t.s[from:to]); d != nil && d.ID == t.s[from:to] && d.Kind != model.PageKind {
			return target{doc: d, from: from, to: to}, true
		}
	}
	return target{}, false
}

func (s *server) hover(p *TextDocumentPositionParams) *Hover {
	rel, ok := s.rel(p.TextDocument.URI)
	if !ok || s.bufs[rel] == nil {
		return nil
	}
	t := s.bufs[rel].t
	tg, ok := s.targetAt(rel, t.offset(p.Position))
	if !ok {
		return nil
	}
	d := tg.doc
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** · %s\n\n", d.ID, d.Title)
	fmt.Fprintf(&b, "%s · %s · `%s`\n", d.Kind.Name, d.Status, d.File)
	if d.Summary != "" {
		fmt.Fprintf(&b, "\n%s\n", d.Summary)
	}
	if chain := d.WhyChain(); len(chain) > 0 {
		b.WriteString("\n**Why:** ")
		for i, up := range chain {
			if i > 0 {
				b.WriteString(" → ")
			}
			fmt.Fprintf(&b, "%s (%s, %s)", up.ID, up.Title, up.Kind.Name)
		}
		b.WriteString("\n")
	}
	r := t.rangeOf(tg.from, tg.to)
	return &Hover{Contents: MarkupContent{Kind: "markdown", Value: b.String()}, Range: &r}
}

func (s *server) definition(p *TextDocumentPositionParams) []Location {
	rel, ok := s.rel(p.TextDocument.URI)
	if !ok || s.bufs[rel] == nil {
		return nil
	}
	tg, ok := s.targetAt(rel, s.bufs[rel].t.offset(p.Position))
	if !ok {
		return nil
	}
	if tg.anchor != "" {
		if loc, ok := s.headingLoc(tg.doc, tg.anchor); ok {
			return []Location{loc}
		}
	}
	return []Location{s.idLoc(tg.doc)}
}

// idLoc is where a document's ID is written, or its first line for an ID
// of its file name.
func (s *server) idLoc(d *model.Document) Location {
	loc := Location{URI: s.uri(d.File)}
	if !d.Has("id") {
		return loc
	}
	if t := s.textOf(d.File); t != nil {
		p := d.IDPos()
		from := t.at(p.Line, p.Column)
		loc.Range = t.rangeOf(from, from+idExtent(t, from, d.ID))
	}
	return loc
}

// idExtent is the length of the ID written at from: what was read, where
// the text still has it, else the token there.
func idExtent(t *text, from int, id string) int {
	if from < len(t.s) && (t.s[from] == '"' || t.s[from] == '\'') {
		from++
		if from+len(id) <= len(t.s) && strings.EqualFold(t.s[from:from+len(id)], id) {
			return len(id) + 1
		}
	}
	if from+len(id) <= len(t.s) && strings.EqualFold(t.s[from:from+len(id)], id) {
		return len(id)
	}
	line := t.lineOf(from)
	return tokenEnd(t.line(line), from-t.lines[line]) - (from - t.lines[line])
}

// headingLoc is where the heading with an anchor is in a document.
func (s *server) headingLoc(d *model.Document, anchor string) (Location, bool) {
	t := s.textOf(d.File)
	if t == nil || d.Body == nil {
		return Location{}, false
	}
	hs := headings(t, findFrontmatter(t))
	for i, h := range hs {
		id := markdown.Slug(h.text)
		if len(hs) == len(d.Body.Headings) {
			id = d.Body.Headings[i].ID // the model's anchors, numbered as it numbers them
		}
		if id == anchor {
			ls := t.lines[h.line]
			return Location{URI: s.uri(d.File), Range: t.rangeOf(ls+h.from, ls+h.to)}, true
		}
	}
	return Location{}, false
}

// mention is a place in a file that names a document: a reference field's
// value or a body link, with the extent of the ID in it.
type mention struct {
	file     string
	from, to int // bytes, in the file's text
	t        *text
	wiki     bool // an [[ID]], whose ID a rename changes; a path link is left
}

// mentions lists the back-links of d: every reference field and body link
// of the site that names it, by file.
func (s *server) mentions(d *model.Document) []mention {
	var out []mention
	texts := map[string]*text{}
	textOf := func(f string) *text {
		if t, ok := texts[f]; ok {
			return t
		}
		t := s.textOf(f)
		texts[f] = t
		return t
	}
	for _, r := range d.Backlinks {
		t := textOf(r.From.File)
		if t == nil {
			continue
		}
		from := t.at(r.Pos.Line, r.Pos.Column)
		if from < len(t.s) && (t.s[from] == '"' || t.s[from] == '\'') {
			from++
		}
		out = append(out, mention{file: r.From.File, from: from, to: from + idExtentPlain(t, from, r.ID), t: t})
	}
	for _, m := range d.Mentions {
		t := textOf(m.File)
		if t == nil {
			continue
		}
		for _, bl := range m.BodyLinks {
			if bl.To != d || bl.Kind == markdown.Anchor {
				continue
			}
			p := bl.Pos(m.BodyLine)
			from := t.at(p.Line, p.Column)
			mt := mention{file: m.File, from: from, t: t, wiki: bl.Kind == markdown.Wiki}
			line := t.lineOf(from)
			lt, ls := t.line(line), t.lines[line]
			if mt.wiki {
				// "[[ ID#anchor|label]]": the ID alone.
				i := from + 2
				for i < ls+len(lt) && t.s[i] == ' ' {
					i++
				}
				mt.from, mt.to = i, i+idExtentPlain(t, i, bl.Target)
			} else {
				mt.to = ls + tokenEnd(lt, from-ls)
			}
			out = append(out, mt)
		}
	}
	slices.SortFunc(out, func(a, b mention) int {
		return cmpOr(strings.Compare(a.file, b.file), a.from-b.from)
	})
	return slices.CompactFunc(out, func(a, b mention) bool { return a.file == b.file && a.from == b.from })
}

// idExtentPlain is the length of an unquoted ID written at from, checked
// against the text; the token there when the text has moved on.
func idExtentPlain(t *text, from int, id string) int {
	if from+len(id) <= len(t.s) && strings.EqualFold(t.s[from:from+len(id)], id) {
		return len(id)
	}
	line := t.lineOf(from)
	ls := t.lines[line]
	return tokenEnd(t.line(line), from-ls) - (from - ls)
}

func (s *server) references(p *ReferenceParams) []Location {
	s.flush()
	rel, ok := s.rel(p.TextDocument.URI)
	if !ok || s.bufs[rel] == nil {
		return nil
	}
	tg, ok := s.targetAt(rel, s.bufs[rel].t.offset(p.Position))
	if !ok {
		return nil
	}
	out := []Location{}
	if p.Context.IncludeDeclaration {
		out = append(out, s.idLoc(tg.doc))
	}
	for _, m := range s.mentions(tg.doc) {
		out = append(out, Location{URI: s.uri(m.file), Range: m.t.rangeOf(m.from, m.to)})
	}
	return out
}

func (s *server) prepareRename(p *TextDocumentPositionParams) (any, *rpcError) {
	s.flush()
	rel, ok := s.rel(p.TextDocument.URI)
	if !ok || s.bufs[rel] == nil {
		return nil, nil
	}
	t := s.bufs[rel].t
	tg, ok := s.targetAt(rel, t.offset(p.Position))
	if !ok || tg.anchor != "" || !(tg.wiki || tg.ownID || isField(t, tg)) {
		return nil, errorf(codeRequestFailed, "there is no ID here to rename")
	}
	return PrepareRenameResult{Range: t.rangeOf(tg.from, tg.to), Placeholder: tg.doc.ID}, nil
}

// isField reports whether the target is an ID in the frontmatter.
func isField(t *text, tg target) bool {
	fm := findFrontmatter(t)
	return fm.in(t.lineOf(tg.from))
}

func (s *server) rename(p *RenameParams) (any, *rpcError) {
	s.flush()
	rel, ok := s.rel(p.TextDocument.URI)
	if !ok || s.bufs[rel] == nil {
		return nil, errorf(codeRequestFailed, "the file is not part of the site")
	}
	tg, ok := s.targetAt(rel, s.bufs[rel].t.offset(p.Position))
	if !ok {
		return nil, errorf(codeRequestFailed, "there is no ID here to rename")
	}
	d, name := tg.doc, p.NewName
	if !model.ValidID(name) {
		return nil, errorf(codeRequestFailed, "%q is not a valid ID: it must start with a letter or digit and go on with letters, digits, '.', '_' and '-', at most 100 characters", name)
	}
	if other := s.site.Model.Lookup(name); other != nil && other != d {
		return nil, errorf(codeRequestFailed, "%s is taken by %s (IDs are unique, ignoring case)", other.ID, other.File)
	}
	edits := map[string][]TextEdit{}
	add := func(file string, e TextEdit) {
		u := s.uri(file)
		edits[u] = append(edits[u], e)
	}
	for _, m := range s.mentions(d) {
		if m.t.s[m.from:m.to] == "" || (!m.wiki && !m.t.inFrontmatter(m.from)) {
			continue // a link by path names the file, which keeps its name
		}
		add(m.file, TextEdit{Range: m.t.rangeOf(m.from, m.to), NewText: name})
	}
	t := s.textOf(d.File)
	if t == nil {
		return nil, errorf(codeRequestFailed, "cannot read %s", d.File)
	}
	if d.Has("id") {
		pos := d.IDPos()
		from := t.at(pos.Line, pos.Column)
		if from < len(t.s) && (t.s[from] == '"' || t.s[from] == '\'') {
			from++
		}
		add(d.File, TextEdit{Range: t.rangeOf(from, from+idExtentPlain(t, from, d.ID)), NewText: name})
	} else {
		add(d.File, insertField(t, "id", name))
	}
	return WorkspaceEdit{Changes: edits}, nil
}

// inFrontmatter reports whether a byte offset lies in the frontmatter.
func (t *text) inFrontmatter(off int) bool { return findFrontmatter(t).in(t.lineOf(off)) }

// insertField is the edit that adds a field to a document's frontmatter,
// at its end, or a frontmatter holding it where there is none.
func insertField(t *text, key, value string) TextEdit {
	fm := findFrontmatter(t)
	if fm.open < 0 {
		return TextEdit{Range: t.rangeOf(0, 0), NewText: "---\n" + key + ": " + value + "\n---\n"}
	}
	at := len(t.s)
	if fm.close < t.lineCount() {
		at = t.lines[fm.close]
	}
	line := key + sep(fm) + value + "\n"
	switch fm.delim {
	case "+++":
		line = key + " = " + fmt.Sprintf("%q", value) + "\n"
	case ";;;":
		// JSON: the first key of the object, so that no other comma moves.
		start := t.lines[min(fm.open+1, t.lineCount()-1)]
		brace := strings.IndexByte(t.s[start:at], '{')
		if brace < 0 {
			break
		}
		at = start + brace + 1
		line = fmt.Sprintf("\n  %q: %q,", key, value)
		if strings.HasPrefix(strings.TrimLeft(t.s[at:], " \t\r\n"), "}") {
			line = strings.TrimSuffix(line, ",") + "\n"
		}
		return TextEdit{Range: t.rangeOf(at, at), NewText: line}
	}
	if at > 0 && t.s[at-1] != '\n' {
		line = "\n" + line
	}
	return TextEdit{Range: t.rangeOf(at, at), NewText: line}
}

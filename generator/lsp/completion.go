package lsp

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"productdocs/generator/content"
	"productdocs/generator/model"
)

// maxItems bounds a completion list: on a site of 10,000 documents "[[" may
// name any of them, and a list the client must filter as the user types
// on (isIncomplete) answers sooner than one of them all.
const maxItems = 200

// doc returns the model's document for a file of the site, or nil.
func (s *server) doc(rel string) *model.Document {
	if s.site == nil {
		return nil
	}
	r, ok := strings.CutPrefix(rel, content.Dir+"/")
	if !ok {
		return nil
	}
	return s.site.Model.ByPath(r)
}

// bufferKind is the kind a buffer's frontmatter names now, else page.
func bufferKind(t *text, fm frontmatter) *model.Kind {
	if k := model.LookupKind(fieldValue(t, fm, "kind")); k != nil {
		return k
	}
	return model.PageKind
}

func (s *server) completion(p *CompletionParams) *CompletionList {
	list := &CompletionList{Items: []CompletionItem{}}
	rel, ok := s.rel(p.TextDocument.URI)
	b := s.bufs[rel]
	if !ok || b == nil || s.site == nil {
		return list
	}
	t := b.t
	off := t.offset(p.Position)
	fm := findFrontmatter(t)
	if f, ok := fieldAtCursor(t, fm, off); ok {
		if f.nested {
			return list
		}
		k := bufferKind(t, fm)
		if f.onKey {
			s.fieldNames(list, t, fm, k, f, off)
			return list
		}
		// What is typed is the item up to the cursor; the whole item is
		// replaced.
		edit := t.rangeOf(f.valFrom, f.valTo)
		typed := t.s[f.valFrom:max(f.valFrom, min(off, f.valTo))]
		if ref := k.Ref(f.key); ref != nil {
			s.ids(list, edit, typed, ref.Kinds, rel)
			return list
		}
		values(list, edit, typed, k, f.key)
		return list
	}
	if t.lineOf(off) < fm.bodyStart() {
		return list
	}
	if l, ok := linkAtCursor(t, off); ok {
		switch {
		case l.hasAnchor:
			s.anchors(list, t.rangeOf(l.anchorFrom, l.anchorTo), rel, l)
		case l.wiki:
			s.ids(list, t.rangeOf(l.from, l.to), l.target, nil, rel)
		default:
			s.paths(list, t.rangeOf(l.from, l.to), rel, l.target)
		}
	}
	return list
}

// fieldNames offers the fields the kind allows that the frontmatter does
// not have yet.
func (s *server) fieldNames(list *CompletionList, t *text, fm frontmatter, k *model.Kind, f fieldAt, off int) {
	have := keys(t, fm)
	typed := strings.TrimSpace(t.s[f.keyFrom:max(f.keyFrom, min(off, f.keyTo))])
	for i, name := range k.FieldNames() {
		if have[name] && name != f.key {
			continue
		}
		if !strings.HasPrefix(name, typed) {
			continue
		}
		it := CompletionItem{Label: name, Kind: ciField, Detail: describe(k, name), SortText: fmt.Sprintf("%03d", i)}
		insert := name
		if line := t.line(t.lineOf(off)); !strings.ContainsAny(line, ":=") {
			insert += sep(fm)
		}
		it.TextEdit = &TextEdit{Range: t.rangeOf(f.keyFrom, f.keyTo), NewText: insert}
		list.Items = append(list.Items, it)
	}
}

// sep is what follows a key in the frontmatter's format.
func sep(fm frontmatter) string {
	if fm.delim == "+++" {
		return " = "
	}
	return ": "
}

// describe says what a field of a kind takes, from the kinds table.
func describe(k *model.Kind, name string) string {
	if r := k.Ref(name); r != nil {
		req := ""
		if name == "traces" {
			req = ", required"
		}
		return fmt.Sprintf("IDs of %s%s", strings.Join(r.Kinds, ", "), req)
	}
	if fs := k.Field(name); fs != nil {
		d := fieldTypes[fs.Type]
		if fs.Type == model.TypeEnum {
			d = "one of " + strings.Join(fs.Values, ", ")
		}
		if fs.Required {
			d += ", required"
		}
		return d
	}
	switch name {
	case "kind":
		return "the document's kind"
	case "status":
		return "one of " + strings.Join(model.Statuses, ", ")
	case "title":
		if k != model.PageKind {
			return "text, required"
		}
	case "id":
		return "the document's ID"
	case "tags":
		return "list of text"
	case "updated":
		return "date YYYY-MM-DD"
	case "extra":
		return "the team's own fields"
	}
	return "text"
}

var fieldTypes = map[model.FieldType]string{
	model.TypeString:     "text",
	model.TypeDate:       "date YYYY-MM-DD",
	model.TypeQuarter:    "quarter YYYY-Qn",
	model.TypeRank:       "whole number ≥ 1",
	model.TypeEstimate:   "number ≥ 0",
	model.TypeKeyResults: "list of {metric, target, current}",
}

// values offers the values of a field that takes one of a list.
func values(list *CompletionList, edit Range, typed string, k *model.Kind, key string) {
	var vals []string
	switch key {
	case "kind":
		for _, k := range model.Kinds {
			vals = append(vals, k.Name)
		}
	case "status":
		vals = model.Statuses
	default:
		if fs := k.Field(key); fs != nil && fs.Type == model.TypeEnum {
			vals = fs.Values
		}
	}
	for i, v := range vals {
		if !strings.HasPrefix(v, typed) {
			continue
		}
		list.Items = append(list.Items, CompletionItem{Label: v, Kind: ciEnumValue, SortText: fmt.Sprintf("%03d", i),
			TextEdit: &TextEdit{Range: edit, NewText: v}})
	}
}

// ids offers the IDs of the documents of the kinds given (any kind for
// nil) whose ID or title holds what is typed, ignoring case, with their
// titles: those whose ID starts with it first, each group in ID order,
// the document itself left out. On a site of 10,000 documents this is a
// walk of the site's documents in ID order (byID, sorted once per load),
// without an allocation for a document that does not match.
func (s *server) ids(list *CompletionList, edit Range, typed string, kinds []string, self string) {
	var first, rest []*model.Document
	for _, d := range s.byID() {
		if d.File == self || kinds != nil && !slices.Contains(kinds, d.Kind.Name) {
			continue
		}
		switch {
		case hasPrefixFold(d.ID, typed):
			first = append(first, d)
		case len(first) < maxItems && (containsFold(d.ID, typed) || containsFold(d.Title, typed)):
			rest = append(rest, d)
		}
	}
	docs := append(first, rest...)
	if len(docs) > maxItems {
		docs, list.IsIncomplete = docs[:maxItems], true
	}
	for i, d := range docs {
		list.Items = append(list.Items, CompletionItem{
			Label:         d.ID,
			Kind:          ciReference,
			Detail:        d.Title,
			FilterText:    d.ID + " " + d.Title,
			SortText:      fmt.Sprintf("%05d", i),
			TextEdit:      &TextEdit{Range: edit, NewText: d.ID},
			Documentation: strings.TrimSpace(fmt.Sprintf("%s · %s\n%s", d.Kind.Name, d.Status, d.Summary)),
		})
	}
}

// byID is the site's documents in ID order, sorted once per load.
func (s *server) byID() []*model.Document {
	if s.sorted == nil || s.sortedOf != s.site {
		s.sorted = slices.SortedFunc(slices.Values(s.site.Model.Docs), model.CompareDocs)
		s.sortedOf = s.site
	}
	return s.sorted
}

// hasPrefixFold is strings.HasPrefix ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// containsFold is strings.Contains ignoring case, without lower-casing
// either string where both are ASCII, as IDs are.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	if !ascii(s) || !ascii(sub) {
		return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// paths offers the files of the site, relative to the linking document.
func (s *server) paths(list *CompletionList, edit Range, rel, typed string) {
	from := path.Dir(strings.TrimPrefix(rel, content.Dir+"/"))
	var out []CompletionItem
	add := func(p string, kind int, detail string) {
		r := relPath(from, p)
		if typed != "" && !strings.Contains(r, typed) {
			return
		}
		out = append(out, CompletionItem{Label: r, Kind: kind, Detail: detail, TextEdit: &TextEdit{Range: edit, NewText: r}})
	}
	for _, d := range s.site.Model.Docs {
		if d.File != rel {
			add(d.Path, ciFile, d.ID+" · "+d.Title)
		}
	}
	for _, a := range s.site.Model.Assets {
		add(a, ciFile, "")
	}
	slices.SortFunc(out, func(a, b CompletionItem) int {
		// Nearer files first: fewer "../".
		return cmpOr(strings.Count(a.Label, "../")-strings.Count(b.Label, "../"), strings.Compare(a.Label, b.Label))
	})
	if len(out) > maxItems {
		out, list.IsIncomplete = out[:maxItems], true
	}
	for i := range out {
		out[i].SortText = fmt.Sprintf("%05d", i)
	}
	list.Items = append(list.Items, out...)
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// anchors offers the headings' anchors of the linked document (or of
// this one for "#…").
func (s *server) anchors(list *CompletionList, edit Range, rel string, l link) {
	var d *model.Document
	switch {
	case l.wiki:
		d = s.site.Model.Lookup(l.target)
	case l.target == "":
		d = s.doc(rel)
	default:
		if p, ok := content.Join(strings.TrimPrefix(rel, content.Dir+"/"), l.target); ok {
			d = s.site.Model.ByPath(p)
		}
	}
	if d == nil || d.Body == nil {
		return
	}
	for i, h := range d.Body.Headings {
		list.Items = append(list.Items, CompletionItem{Label: h.ID, Kind: ciReference, Detail: strings.Repeat("#", h.Level) + " " + h.Text,
			SortText: fmt.Sprintf("%04d", i), TextEdit: &TextEdit{Range: edit, NewText: h.ID}})
	}
}

// relPath is the relative link from folder from to the content path to.
func relPath(from, to string) string {
	if from == "." {
		return to
	}
	fp := strings.Split(from, "/")
	tp := strings.Split(to, "/")
	i := 0
	for i < len(fp) && i < len(tp)-1 && fp[i] == tp[i] {
		i++
	}
	return strings.Repeat("../", len(fp)-i) + strings.Join(tp[i:], "/")
}

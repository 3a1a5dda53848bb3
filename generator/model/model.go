// Package model is a site's documents as productdocs understands them:
// their kinds (one table, Kinds), typed fields, IDs, the references between
// them resolved to documents, the back-links computed from those, and the
// body links resolved to documents, anchors and files.
//
// The model does no I/O: New takes documents already read and parsed. A
// Model is immutable once New returns; the preview server builds a new one
// for every change instead of editing the old (Next, which copies what did
// not change), so pages rendered from an old Model stay consistent.
package model

import (
	"fmt"
	"iter"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"productdocs/generator/content"
	"productdocs/generator/diag"
	"productdocs/generator/markdown"
)

// Pos is a position in a file.
type Pos = content.Pos

// Source is one document as read from disk: the input of New.
type Source struct {
	File        string // slash path from the site root: "content/backlog/a.md"
	Frontmatter *content.Value
	Problem     *content.Problem // the frontmatter could not be read
	BodyLine    int              // the file line on which the body starts
	Body        *markdown.Doc

	// What reading the source alone gives is kept with it: the preview
	// builds a model for every change from mostly the same sources, and
	// reading their fields is most of building a model.
	once sync.Once
	read *readDoc

	memoMu sync.Mutex
	memo   map[any]uint64
}

// SourceMemo is f's result for the document's source, computed once for
// each key and kept with the source: the preview makes a model for every
// change from mostly the same sources, and what depends on a source
// alone (its fields and body, set while reading it) need not be computed
// again for each. f must depend on nothing else.
func (d *Document) SourceMemo(key any, f func() uint64) uint64 {
	src := d.src
	if src == nil {
		return f()
	}
	src.memoMu.Lock()
	v, ok := src.memo[key]
	src.memoMu.Unlock()
	if ok {
		return v
	}
	v = f()
	src.memoMu.Lock()
	if src.memo == nil {
		src.memo = map[any]uint64{}
	}
	src.memo[key] = v
	src.memoMu.Unlock()
	return v
}

// readDoc is a document as its own source makes it, before any other
// document is known: New copies it into each model.
type readDoc struct {
	doc   Document
	diags []diag.Diagnostic
}

func (src *Source) readOnce() *readDoc {
	src.once.Do(func() {
		var r reader
		d := r.document(src)
		src.read = &readDoc{doc: *d, diags: r.diags}
		// The tree of values is a fifth of a loaded site's memory, and
		// nothing reads it again: the document keeps what it needs.
		src.Frontmatter = nil
	})
	return src.read
}

// Read reads the document's fields from the source, once: what New would
// do first. It depends on nothing but the source.
func (src *Source) Read() { src.readOnce() }

// Forget lets go of the document as read from the source, which readOnce
// keeps for the models made after the first: some tens of MB for a large
// site built once. The source must not make a model again.
func (src *Source) Forget() { src.read = nil }

// fieldAt is where a field is written in the frontmatter.
type fieldAt struct {
	key            string
	keyPos, valPos Pos
	set            bool // see Has
}

func (d *Document) field(name string) *fieldAt {
	for i := range d.fields {
		if d.fields[i].key == name {
			return &d.fields[i]
		}
	}
	return nil
}

// Document is one document of the site.
type Document struct {
	ID    string
	Kind  *Kind
	URL   string // from the site root, "backlog/story-1/"; "" for the home page
	Title string
	up    *Document // the document it traces to, resolved: WhyChain's step

	Status   string
	priority string // rank and priority are read often when sorting the backlog.
	rank     int64
	index    int     // in Site.Docs
	Section  Section // the section of the folder it lives in

	Refs      []*Ref // reference fields, in the order written
	Backlinks []*Ref // references from other documents, by field then file
	// Mentions are the documents whose bodies link here, by file.
	Mentions []*Document

	File    string // "content/backlog/stories/a.md"
	Path    string // "backlog/stories/a.md"
	Summary string
	Owner   string
	Tags    []string
	Updated string
	Extra   *content.Value

	// Fields holds the kind's own fields as plain values (string, int64,
	// float64, []KeyResult), keyed by name.
	Fields     map[string]any
	KeyResults []KeyResult

	Body      *markdown.Doc
	BodyLine  int
	BodyLinks []BodyLink

	// fields are where the frontmatter's keys and values are, for the
	// checks that point at them: the frontmatter's tree is let go once the
	// document is read from it.
	fields []fieldAt
	idPos  Pos
	src    *Source // what it was made from

	// Public is set by `audience: public`: the document belongs to the
	// public site as well as the internal one.
	Public bool
}

// KeyResult is one key result of an objective.
type KeyResult struct {
	Metric  string
	Target  any // float64 or string
	Current any // float64, string or nil
}

// Progress is how far a key result has come.
type Progress struct {
	Value float64 // current/target, in [0, 1]
	OK    bool    // both target and current are numbers
}

// Progress returns current/target when both are numbers.
func (k KeyResult) Progress() Progress {
	t, ok1 := k.Target.(float64)
	c, ok2 := k.Current.(float64)
	if !ok1 || !ok2 || t == 0 {
		return Progress{}
	}
	return Progress{Value: max(0, min(1, c/t)), OK: true}
}

// Ref is one ID named by a reference field.
type Ref struct {
	From  *Document
	Field string
	ID    string // as written
	Pos   Pos
	To    *Document // nil when no document has the ID
}

// BodyLink is a link of a document's body, resolved.
type BodyLink struct {
	// The link as the body has it: a pointer, as a large site has some
	// hundred thousand links, each a hundred bytes.
	*markdown.Link
	Index int       // the link's index in Body.Links
	To    *Document // the document linked, if any
	Asset string    // the content path of a linked file, if any
	OK    bool      // the target (and anchor) exists, or the link is external
	Why   string    // what is wrong when not OK
}

// Pos returns the link's position in the file.
func (l BodyLink) Pos(bodyLine int) Pos {
	return Pos{Line: bodyLine + l.Line - 1, Column: l.Column}
}

// Model is every document and asset of a site, resolved.
type Model struct {
	Docs   []*Document // by file
	Assets []string    // content paths
	// Diagnostics are the problems found while reading fields and IDs.
	Diagnostics []diag.Diagnostic

	shape *shape
	links links
	// block is the documents' memory: Docs[i] is &block[i] (see Next).
	block []Document
	// diagAt[i] is where Docs[i]'s own diagnostics start in Diagnostics,
	// which holds those of every document in order, then the shape's.
	diagAt []int32
	// gen numbers the model; a model made from another with the same
	// shape holds its number in from, and the documents made again from
	// their sources, by index, in edits (see Diff).
	gen, from uint64
	edits     []int32
}

// Lookup returns the document with that ID, ignoring case, or nil.
func (s *Model) Lookup(id string) *Document {
	if i, ok := s.shape.exact[id]; ok {
		return s.Docs[i]
	}
	if i, ok := s.shape.byID[strings.ToLower(id)]; ok {
		return s.Docs[i]
	}
	return nil
}

// ByPath returns the document at a content path ("backlog/a.md"), or nil.
func (s *Model) ByPath(p string) *Document {
	if i, ok := s.shape.byPath[p]; ok {
		return s.Docs[i]
	}
	return nil
}

// Index is the document's place in its Site's Docs.
func (d *Document) Index() int { return d.index }

// IndexOf is d's place in s.Docs, for a document d of s, or of a model
// that s was made from with the same documents (see Next).
func (s *Model) IndexOf(d *Document) int { return d.index }

// OfKind returns the documents of a kind, by file.
func (s *Model) OfKind(kind string) []*Document {
	var out []*Document
	for _, d := range s.Docs {
		if d.Kind.Name == kind {
			out = append(out, d)
		}
	}
	return out
}

// Get returns the first document at the other end of a reference field, or
// nil.
func (d *Document) Get(field string) *Document {
	for _, r := range d.Refs {
		if r.Field == field && r.To != nil {
			return r.To
		}
	}
	return nil
}

// RefsTo returns the resolved documents that a field names.
func (d *Document) RefsTo(field string) []*Document {
	var out []*Document
	for _, r := range d.Refs {
		if r.Field == field && r.To != nil {
			out = append(out, r.To)
		}
	}
	return out
}

// From returns the documents whose field names d, by file.
func (d *Document) From(field string) []*Document {
	var out []*Document
	for _, r := range d.Backlinks {
		if r.Field == field {
			out = append(out, r.From)
		}
	}
	return out
}

// WhyChain is the path of traces links from d up to the top: d's first
// traced document, its first traced document, and so on. It stops at a
// cycle.
func (d *Document) WhyChain() []*Document { return slices.Collect(d.Ups()) }

// Ups yields WhyChain's documents, nearest first, without making the
// slice: the site's health and the backlog's initiative column walk the
// chain of every backlog item.
func (d *Document) Ups() iter.Seq[*Document] {
	return func(yield func(*Document) bool) {
		var buf [8]*Document
		chain := buf[:0] // chains are a few links long: a slice beats a map
		for cur := d.up; cur != nil && cur != d && !slices.Contains(chain, cur); cur = cur.up {
			if !yield(cur) {
				return
			}
			chain = append(chain, cur)
		}
	}
}

// Open reports whether the document's status is still to be done.
func (d *Document) Open() bool { return Open(d.Status) }

// Rank returns the document's rank, or 0 when it has none.
func (d *Document) Rank() int64 { return d.rank }

// Priority returns the document's priority, or "".
func (d *Document) Priority() string { return d.priority }

// String returns a field of the kind's own as text, or "".
func (d *Document) String(field string) string {
	s, _ := d.Fields[field].(string)
	return s
}

// FieldPos returns the position of a field's value, or of the start of
// the file when the field is absent.
func (d *Document) FieldPos(name string) Pos {
	if f := d.field(name); f != nil {
		return f.valPos
	}
	return Pos{Line: 1, Column: 1}
}

// KeyPos returns the position of a field's key, or of the start of the file.
func (d *Document) KeyPos(name string) Pos {
	if f := d.field(name); f != nil {
		return f.keyPos
	}
	return Pos{Line: 1, Column: 1}
}

// IDPos is where the ID is written, or the start of the file for a
// derived ID.
func (d *Document) IDPos() Pos { return d.idPos }

// Has reports whether the frontmatter sets a field. An empty value
// ("traces:" with nothing after it, or "[]") sets nothing, as everywhere
// else in the model: `new` writes required fields empty for the user to fill.
func (d *Document) Has(name string) bool {
	f := d.field(name)
	return f != nil && f.set
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// ValidID reports whether s is a valid ID by SPEC §3.
func ValidID(s string) bool { return idRE.MatchString(s) }

// New builds the model of a site from its documents and assets.
func New(sources []*Source, assets []string) *Model { return Next(nil, sources, assets) }

func (s *Model) resolveLink(d *Document, i int, l *markdown.Link) BodyLink {
	bl := BodyLink{Link: l, Index: i}
	switch l.Kind {
	case markdown.External:
		bl.OK = true
		return bl
	case markdown.Anchor:
		bl.To = d
	case markdown.Wiki:
		bl.To = s.Lookup(l.Target)
		if bl.To == nil {
			bl.Why = fmt.Sprintf("links to %q, which no document has%s", l.Target, s.suggestID(l.Target, nil))
			return bl
		}
	case markdown.Document, markdown.File:
		// Only the links of a changed document are resolved again (Next),
		// so the path is joined here rather than kept with the document.
		p, ok := content.Join(d.Path, l.Target)
		if !ok || p == "" {
			bl.Why = fmt.Sprintf("links to %q, which is outside content/", l.Target)
			return bl
		}
		if l.Kind == markdown.File {
			switch {
			case s.shape.isAsset[p]:
				bl.Asset, bl.OK = p, true
				return bl
			case s.ByPath(p+"/index.md") != nil:
				bl.To = s.ByPath(p + "/index.md")
			case s.ByPath(p+".md") != nil:
				bl.To = s.ByPath(p + ".md")
			default:
				bl.Why = fmt.Sprintf("links to %q, but there is no file content/%s", l.Target, p)
				return bl
			}
			break
		}
		bl.To = s.ByPath(p)
		if bl.To == nil {
			bl.Why = fmt.Sprintf("links to %q, but there is no document content/%s", l.Target, p)
			return bl
		}
	}
	if l.Anchor != "" && !hasAnchor(bl.To, l.Anchor) {
		bl.Why = fmt.Sprintf("links to #%s, but %s has no heading with that anchor%s", l.Anchor, bl.To.File, suggestAnchor(bl.To, l.Anchor))
		return bl
	}
	bl.OK = true
	return bl
}

func hasAnchor(d *Document, anchor string) bool {
	if d.Body == nil {
		return false
	}
	for _, h := range d.Body.Headings {
		if h.ID == anchor {
			return true
		}
	}
	return false
}

func suggestAnchor(d *Document, anchor string) string {
	if d.Body == nil {
		return ""
	}
	ids := make([]string, len(d.Body.Headings))
	for i, h := range d.Body.Headings {
		ids[i] = h.ID
	}
	return didYouMean(anchor, ids, "#")
}

// suggestID returns `; did you mean "X"?` for an unknown ID, preferring
// documents of the allowed kinds, or "".
func (s *Model) suggestID(id string, kinds []string) string {
	var cands []string
	for _, d := range s.Docs {
		if d.Kind == PageKind && strings.Contains(d.ID, "/") {
			continue
		}
		if kinds == nil || slices.Contains(kinds, d.Kind.Name) {
			cands = append(cands, d.ID)
		}
	}
	if m := didYouMean(id, cands, ""); m != "" || kinds == nil {
		return m
	}
	return s.suggestID(id, nil)
}

// SuggestID is suggestID for the checks.
func (s *Model) SuggestID(id string, kinds []string) string { return s.suggestID(id, kinds) }

// pageID derives a page's ID from its content path.
func pageID(rel string) string {
	id := strings.TrimSuffix(rel, ".md")
	if id == "index" {
		return "index"
	}
	return strings.TrimSuffix(id, "/index")
}

// pageURL is the output folder of a page: its path without .md and without
// a final index, with a slash.
func pageURL(rel string) string {
	p := strings.TrimSuffix(rel, ".md")
	if p == "index" {
		return ""
	}
	p = strings.TrimSuffix(p, "/index")
	return p + "/"
}

// DocURL is the URL of a strategy or backlog document.
func DocURL(sec Section, id string) string {
	return string(sec) + "/" + strings.ToLower(id) + "/"
}

// Base returns the file name of a content path without .md.
func Base(rel string) string { return strings.TrimSuffix(path.Base(rel), ".md") }

// readAll reads every source not read before, on every core.
func readAll(srcs []*Source) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(srcs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(srcs); i = int(next.Add(1)) - 1 {
				srcs[i].readOnce()
			}
		}()
	}
	wg.Wait()
}

package render

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"

	"productdocs/generator/diag"
	"productdocs/generator/model"
)

// # Dependencies
//
// While the preview renders a page, the page notes what it reads: which
// documents (their own data, or their rendered body), which of the site's
// values (a list, a figure, the tree), in the terms of Dep. A rebuild
// compares each noted input's signature in the old and the new site
// (Renderer.Changed) and renders again exactly the pages whose inputs
// changed. Nothing here knows what a template shows: the templates'
// accessors record as they are called.
//
// Three ways of reading are recorded:
//
//  1. The accessors: Page's methods and the template functions that hand
//     documents or lists to a template record what they hand out (see
//     the calls of Page.read). The page's own document is recorded with
//     its body.
//  2. The site's values, read as fields (.Site.Objectives,
//     .Site.Health.Documents): found once per page template, when the
//     templates are parsed, by walking its parse trees (templateReads);
//     each is recorded on every page of that template, with the field
//     path it names.
//  3. Anything else: a template that calls a Page method or a function
//     that does not record (a newly added one, say) reads everything, as
//     far as the preview knows: its pages are rendered on every change,
//     correct but slow, until the accessor records what it reads and is
//     listed in recordingMethods or recordingFuncs.
//
// A document's recorded data (docSig) is everything of its own file that
// a page can show (fields, title, links and back-links as identities),
// not its neighbours' data: a template that follows a document's links by
// its fields (.Refs, .Backlinks, .Mentions, .BodyLinks, .From, .Ups,
// .Below, a document's .WhyChain) reads documents no accessor hands out,
// so a page template that does is "deep": each document it records counts
// with the documents one link away (nearSig).

// depKind says what a Dep names.
type depKind uint8

const (
	depDoc      depKind = iota + 1 // a document's own data; Name is its path
	depNear                        // the same, and its neighbours'
	depBody                        // a document's body, as its own page renders it
	depSite                        // a value of Site, by field path ("Health.Documents")
	depSiteNear                    // the same, its documents with their neighbours
	depLen                         // the length (or whether it is set) of a Site value
	depIDs                         // the documents of a Site list, as identities in order
	depEpic                        // an epic's progress figures; Name is its path
	depTreePart                    // the nodes of one page of the trace tree; N is the page
	depView                        // a view's page's Data; Name is "<template> <URL>"
	depModel                       // every document's own data: model.json
	depSearch                      // every document's entry of the search index
	depWarnings                    // the warnings, with their files' documents' own data: trace/warnings.js
	depAll                         // anything at all
)

// Dep is one input a page read.
type Dep struct {
	Kind depKind
	Name string
	N    int
}

func (d Dep) String() string {
	names := [...]string{"", "doc", "near", "body", "site", "site-near", "len", "ids", "epic", "tree-part", "view", "model", "search", "warnings", "all"}
	return fmt.Sprintf("%s:%s:%d", names[d.Kind], d.Name, d.N)
}

// recorder collects the inputs of one page.
type recorder struct {
	deps map[Dep]struct{}
}

func (rc *recorder) add(d Dep) { rc.deps[d] = struct{}{} }

// list returns the recorded inputs, sorted.
func (rc *recorder) list() []Dep {
	out := make([]Dep, 0, len(rc.deps))
	for d := range rc.deps {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Dep) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), strings.Compare(a.Name, b.Name), cmp.Compare(a.N, b.N))
	})
	return out
}

// read records that the page shows documents' data.
func (p *Page) read(ds ...*model.Document) {
	if p.rec == nil {
		return
	}
	k := depDoc
	if p.reads != nil && p.reads.deep {
		k = depNear
	}
	for _, d := range ds {
		if d != nil {
			p.rec.add(Dep{Kind: k, Name: d.Path})
		}
	}
}

// readDep records any other input.
func (p *Page) readDep(d Dep) {
	if p.rec != nil {
		p.rec.add(d)
	}
}

// templateReads is what a page template reads besides its accessors'
// records, found in its parse trees.
type templateReads struct {
	site    []string // Site field paths read
	siteLen []string // Site field paths only tested or counted
	deep    bool     // follows documents' links by their fields
	all     bool     // calls an accessor that does not record
	why     string   // the first name that made it all, for tests and the manual
}

// recordingMethods are Page's methods that record what they read, or read
// nothing but the page's own URL and the settings. A Page method not
// listed here makes a template read everything (see templateReads).
var recordingMethods = map[string]bool{
	"Root": true, "Rel": true, "Link": true, "Asset": true, "Current": true, "EditURL": true,
	"CanonicalURL": true, "OutRefs": true, "InRefs": true, "WhyChain": true, "Crossing": true,
	"Fields": true, "Extra": true, "Serves": true, "DocByFile": true, "Shows": true,
	"Ranked": true, "EpicList": true, "FeedbackList": true, "Part": true, "TreeFirst": true,
	"TreePart": true, "TreePager": true, "Nav": true, "Tags": true, "Tag": true, "TagURL": true,
	"LastChange": true, "OwnDiagnostics": true, "CheckLink": true, "OtherParents": true,
	"Rollup": true, "Release": true, "Scope": true, "ReleaseNotes": true, "FeedbackState": true, "ForPersona": true, "TodayDate": true,
	"Roadmap": true, "BacklogData": true, "BacklogChoices": true, "WarningCodes": true, "WarningOwners": true, "WarningList": true,
	"SectionOf": true, "ObjectiveOf": true, "TracesTo": true,
}

// recordingFuncs are the template functions that record what they read
// or read no document; html/template's own are added at init.
var recordingFuncs = map[string]bool{
	"percent": true, "ratio": true, "criteria": true, "statusLabel": true, "capitalize": true,
	"lower": true, "upper": true, "join": true, "display": true, "kinds": true,
	"neighbourhood": true, "traceSVG": true, "add": true, "node": true, "ref": true, "list": true,
	"tagURL": true, "_memo": true,
	// the views' (workviews.go): of a kind, of text, or of documents an
	// accessor handed out, their own data alone
	"hasStatus": true, "rollsUp": true, "values": true, "ids": true, "tagValues": true,
	"number": true, "docsMore": true,
	// text/template's built-ins
	"and": true, "or": true, "not": true, "len": true, "index": true, "slice": true, "print": true,
	"printf": true, "println": true, "eq": true, "ne": true, "lt": true, "le": true, "gt": true,
	"ge": true, "html": true, "js": true, "urlquery": true,
}

// pageMethods are the names of Page's methods.
var pageMethods = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[*Page]()
	for i := range t.NumMethod() {
		m[t.Method(i).Name] = true
	}
	return m
}()

// linkFields are the names by which a template reaches a document's
// neighbours without an accessor.
var linkFields = map[string]bool{
	"Refs": true, "Backlinks": true, "Mentions": true, "BodyLinks": true, "From": true,
	"Ups": true, "Below": true, "Get": true, "RefsTo": true,
}

// readsOf walks the templates a page template executes, from "layout".
func readsOf(t interface {
	Lookup(string) *parse.Tree
}) *templateReads {
	tr := &templateReads{}
	seen := map[string]bool{}
	site := map[string]bool{}
	siteLen := map[string]bool{}
	var w *treeWalk[bool]
	follow := func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		if tree := t.Lookup(name); tree != nil && tree.Root != nil {
			w.walk(tree.Root, false)
		}
	}
	makeAll := func(why string) {
		if !tr.all {
			tr.all, tr.why = true, why
		}
	}
	idents := func(ids []string, startsAtDot bool, shallow bool) {
		for i, id := range ids {
			switch {
			case id == "Site":
				rest := ids[i+1:]
				if len(rest) == 0 {
					makeAll(".Site as a whole")
					return
				}
				if rest[0] == "Model" {
					makeAll(".Site.Model")
					return
				}
				p := strings.Join(rest, ".")
				if shallow {
					siteLen[p] = true
				} else {
					site[p] = true
				}
				return
			case linkFields[id]:
				tr.deep = true
			case id == "WhyChain" && !(i == 0 && startsAtDot):
				tr.deep = true
			case pageMethods[id] && !recordingMethods[id] && (i == 0 || ids[i-1] == "Page"):
				makeAll("the method " + id)
			}
		}
	}
	function := func(name string, _ bool) {
		if !recordingFuncs[name] && !strings.HasPrefix(name, "_html_template_") {
			makeAll("the function " + name)
		}
	}
	no := func(bool) bool { return false }
	w = &treeWalk[bool]{
		stmt:  no,
		test:  func(_ bool, p *parse.PipeNode) bool { return isTest(p) },
		body:  no,
		arg:   func(shallow bool, fn string) bool { return shallow || fn == "len" },
		call:  func(n *parse.TemplateNode, _ bool) { follow(n.Name) },
		ident: function,
		field: func(ids []string, shallow bool) { idents(ids, true, shallow) },
		variable: func(ids []string, shallow bool) {
			idents(ids[1:], ids[0] == "$", shallow)
		},
		chain: func(n *parse.ChainNode, shallow bool) { idents(n.Field, false, shallow) },
	}
	follow("layout")
	tr.site = slices.Sorted(mapKeys(site))
	tr.siteLen = slices.Sorted(mapKeys(siteLen))
	return tr
}

// isTest reports whether a pipeline only tests one value ({{if .Site.Tree}}).
func isTest(p *parse.PipeNode) bool {
	return p != nil && len(p.Decl) == 0 && len(p.Cmds) == 1 && len(p.Cmds[0].Args) == 1
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// sigs caches the signatures of a renderer's inputs. A site is immutable,
// so each is computed once.
type sigs struct {
	mu sync.Mutex
	m  map[Dep]uint64
	// byPath finds documents by path.
	byPath map[string]*model.Document
	epics  map[string]*Epic
}

// sigSeed is shared by every renderer of a process, so that signatures of
// two builds compare.
var sigSeed = maphash.MakeSeed()

// Sig is the signature of one input on r's site: equal signatures, equal
// input.
func (r *Renderer) Sig(d Dep) uint64 {
	s := &r.sigs
	s.mu.Lock()
	r.sigsReady()
	v, ok := s.m[d]
	s.mu.Unlock()
	if ok {
		return v
	}
	if v, ok = r.keptSig(d); !ok {
		v = r.computeSig(d)
	}
	s.mu.Lock()
	s.m[d] = v
	s.mu.Unlock()
	return v
}

// keptSig is the signature the last renderer found for a document's own
// data or body that the change did not touch (touchedSince), which is
// still its signature: a neighbourhood near an edit is hashed from its
// documents' signatures, most of them kept.
func (r *Renderer) keptSig(d Dep) (uint64, bool) {
	prev := r.sigPrev.Load()
	if prev == nil || (d.Kind != depDoc && d.Kind != depBody) || r.touched[d.Name] {
		return 0, false
	}
	prev.sigs.mu.Lock()
	v, ok := prev.sigs.m[d]
	prev.sigs.mu.Unlock()
	return v, ok
}

// sigsReady makes the maps Sig and computeSig read, once; r.sigs.mu is
// held.
func (r *Renderer) sigsReady() {
	s := &r.sigs
	if s.m != nil {
		return
	}
	s.m = map[Dep]uint64{}
	s.byPath = make(map[string]*model.Document, len(r.Site.Model.Docs))
	for _, doc := range r.Site.Model.Docs {
		s.byPath[doc.Path] = doc
	}
	s.epics = make(map[string]*Epic, len(r.Site.Epics))
	for _, e := range r.Site.Epics {
		s.epics[e.Doc.Path] = e
	}
}

// Changed reports whether any of deps, recorded while prev rendered a
// page, has another signature on r's site.
func (r *Renderer) Changed(prev *Renderer, deps []Dep) bool {
	touched := r.touchedSince(prev)
	for _, d := range deps {
		if touched != nil && (d.Kind == depDoc || d.Kind == depBody) && !touched[d.Name] {
			// A document no edit came within one link of: its own data
			// and its body (with its links' targets) are what they were.
			continue
		}
		if touched != nil && d.Kind == depNear && !r.nearTouched[d.Name] {
			// Nor a neighbour of it: the neighbours' data is as it was.
			continue
		}
		if r.Sig(d) != prev.Sig(d) {
			return true
		}
	}
	return false
}

// touchedSince is the paths of the documents the change from prev's model
// to r's touched (model.Change.Touched: edited, or one link from an edited
// one), or nil when the change is not known. Finding the pages to render
// again then computes signatures for those documents alone, not for
// every document a page read: at 10,000 documents that was most of a
// one-story rebuild's CPU.
func (r *Renderer) touchedSince(prev *Renderer) map[string]bool {
	delta := r.Site.delta
	if delta == nil || prev == nil || delta.From != prev.Site.Model {
		return nil
	}
	r.touchOnce.Do(func() {
		r.touched = make(map[string]bool, len(delta.Touched))
		for _, d := range delta.Touched {
			r.touched[d.Path] = true
		}
		// The documents with a touched neighbour, or touched: the ones
		// whose neighbourhood (depNear) may differ. Looked for in one
		// pass, neighbours not being symmetric (Ups).
		r.sigPrev.Store(prev)
		// prev's own link is let go, so that renderers do not keep every
		// earlier one alive through a preview's session.
		prev.sigPrev.Store(nil)
		r.nearTouched = make(map[string]bool, len(delta.Touched))
		for _, d := range r.Site.Model.Docs {
			if r.touched[d.Path] || slices.ContainsFunc(neighbours(d), func(n *model.Document) bool { return r.touched[n.Path] }) {
				r.nearTouched[d.Path] = true
			}
		}
	})
	return r.touched
}

func (r *Renderer) doc(path string) *model.Document {
	return r.sigs.byPath[path] // filled by Sig before any computeSig
}

func (r *Renderer) computeSig(d Dep) uint64 {
	var h maphash.Hash
	h.SetSeed(sigSeed)
	switch d.Kind {
	case depDoc:
		writeDoc(&h, r.doc(d.Name))
	case depNear:
		doc := r.doc(d.Name)
		r.writeDocSig(&h, doc)
		if doc != nil {
			for _, n := range neighbours(doc) {
				r.writeDocSig(&h, n)
			}
		}
	case depBody:
		r.writeBody(&h, r.doc(d.Name))
	case depSite, depSiteNear, depLen, depIDs:
		v, ok := sitePath(r.Site, d.Name)
		if !ok {
			h.WriteString("\x00missing")
			break
		}
		hv := valueHasher{r: r, h: &h, near: d.Kind == depSiteNear, ids: d.Kind == depIDs}
		if d.Kind == depLen {
			hv.length(v)
		} else {
			hv.value(v, 0)
		}
	case depEpic:
		if e := r.sigs.epics[d.Name]; e != nil {
			fmt.Fprintf(&h, "%d %d %d %d", e.Done, e.Open, e.Checked, e.Total)
			for _, st := range e.Stories {
				h.WriteString(st.Path)
			}
		}
	case depTreePart:
		parts := r.Site.treeParts
		fmt.Fprintf(&h, "%d|", len(parts))
		if d.N >= 1 && d.N <= len(parts) {
			tp := parts[d.N-1]
			fmt.Fprintf(&h, "%d %d|", tp.from, tp.to)
			writeShape(&h, tp.roots)
		} else {
			writeShape(&h, r.Site.Tree)
		}
	case depView:
		tmpl, u, _ := strings.Cut(d.Name, " ")
		vp, ok := r.Site.viewPage(tmpl, u)
		if !ok {
			h.WriteString("\x00missing")
			break
		}
		h.WriteString(vp.Title)
		valueHasher{r: r, h: &h}.value(reflect.ValueOf(&vp.Data).Elem(), 0)
	case depModel:
		h.WriteString(r.Site.Title)
		for _, doc := range r.Site.Model.Docs {
			r.writeDocSig(&h, doc)
		}
	case depSearch:
		limit := searchText(len(r.Site.Model.Docs))
		for _, doc := range r.Site.Model.Docs {
			e := searchEntryOf(doc, limit)
			h.WriteString(e.ID + "\x00" + e.Title + "\x00" + e.Kind + "\x00" + e.URL + "\x00" + e.Summary + "\x00" + e.Text + "\x00")
		}
	case depWarnings:
		writeDiags(&h, r.Site.Warnings)
		for _, w := range r.Site.Warnings {
			r.writeDocSig(&h, r.doc(strings.TrimPrefix(w.File, "content/")))
		}
	case depAll:
		h.WriteString(r.Site.Title)
		for _, doc := range r.Site.Model.Docs {
			r.writeDocSig(&h, doc)
			r.writeBody(&h, doc)
		}
		for _, a := range r.Site.Model.Assets {
			h.WriteString(a)
		}
		writeDiags(&h, r.Site.Diagnostics)
	}
	v := h.Sum64()
	if v == 0 {
		v = 1
	}
	return v
}

// writeDocSig writes a document's signature (its depDoc), computed once
// per renderer however many lists and neighbourhoods it is in.
func (r *Renderer) writeDocSig(h *maphash.Hash, d *model.Document) {
	if d == nil {
		h.WriteString("\x00none\x00")
		return
	}
	writeUint64(h, r.Sig(Dep{Kind: depDoc, Name: d.Path}))
}

// neighbours are the documents one link away from d.
func neighbours(d *model.Document) []*model.Document {
	var out []*model.Document
	for _, r := range d.Refs {
		if r.To != nil {
			out = append(out, r.To)
		}
	}
	for _, r := range d.Backlinks {
		out = append(out, r.From)
	}
	out = append(out, d.Mentions...)
	for _, l := range d.BodyLinks {
		if l.To != nil {
			out = append(out, l.To)
		}
	}
	for up := range d.Ups() {
		out = append(out, up)
	}
	return out
}

// writeDoc hashes what any page may show of a document of its own file:
// everything but the body's text, with its links as the identities of
// the documents at their other ends.
func writeDoc(h *maphash.Hash, d *model.Document) {
	if d == nil {
		h.WriteString("\x00none\x00")
		return
	}
	str := func(ss ...string) {
		for _, s := range ss {
			h.WriteString(s)
			h.WriteByte(0)
		}
	}
	id := func(d *model.Document) string {
		if d == nil {
			return ""
		}
		return d.Path
	}
	str(d.ID, d.Kind.Name, string(d.Section), d.File, d.Path, d.URL, d.Title, d.Summary, d.Status, d.Owner, d.Updated)
	str(d.Tags...)
	// What comes from the document's source alone (its fields as fmt
	// prints them, its criteria, its body's title) is hashed once a
	// source: printing the fields was most of a signature's cost, which
	// the preview pays for every document at every edit (a third of a
	// one-story rebuild's CPU at 10,000 documents, by pprof).
	writeUint64(h, d.SourceMemo(ownSigKey{}, func() uint64 {
		var fh maphash.Hash
		fh.SetSeed(sigSeed)
		fmt.Fprintf(&fh, "\x01%#v\x01%#v\x01", d.Fields, d.KeyResults)
		if d.Extra != nil {
			fmt.Fprintf(&fh, "%#v", d.Extra.Interface())
		}
		c, t := Criteria(d)
		fmt.Fprintf(&fh, "\x06%d/%d", c, t)
		if d.Body != nil {
			// A page shows a document's first heading as its title,
			// and the search index its text: both are the body's, but
			// other pages than its own may show them.
			fh.WriteString(d.Body.Title)
		}
		return fh.Sum64()
	}))
	for _, r := range d.Refs {
		str("\x02", r.Field, r.ID, id(r.To))
	}
	for _, r := range d.Backlinks {
		str("\x03", r.Field, id(r.From))
	}
	for _, m := range d.Mentions {
		str("\x04", m.Path)
	}
	for _, l := range d.BodyLinks {
		str("\x05", id(l.To), l.Asset)
	}
}

// The keys of what the signatures keep with a source (SourceMemo).
type (
	ownSigKey  struct{}
	bodySigKey struct{}
)

func writeUint64(h *maphash.Hash, v uint64) {
	var b [8]byte
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	h.Write(b[:])
}

// writeBody hashes what the document's body renders from: its text, and
// where and to what title each of its links leads.
func (r *Renderer) writeBody(h *maphash.Hash, d *model.Document) {
	if d == nil || d.Body == nil {
		h.WriteString("\x00nobody")
		return
	}
	writeUint64(h, d.SourceMemo(bodySigKey{}, func() uint64 {
		return maphash.Bytes(sigSeed, d.Body.Source)
	}))
	for _, l := range d.BodyLinks {
		if l.To != nil {
			h.WriteString(l.To.URL)
			h.WriteByte(0)
			h.WriteString(l.To.Title)
		}
		h.WriteString(l.Asset)
		h.WriteByte(0)
	}
}

func writeDiags(h *maphash.Hash, ds []diag.Diagnostic) {
	for _, d := range ds {
		fmt.Fprintf(h, "%s:%d:%d:%d:%s:%s\x00", d.File, d.Line, d.Column, d.Severity, d.Code, d.Message)
	}
}

// writeShape hashes a tree's documents and how they nest.
func writeShape(h *maphash.Hash, ns []*Node) {
	for _, n := range ns {
		h.WriteString(n.Doc.Path)
		h.WriteByte('(')
		writeShape(h, n.Children)
		h.WriteByte(')')
	}
}

// sitePath finds the value a field path names in a Site: fields, or
// methods without arguments, one name after another.
func sitePath(s *SiteView, p string) (reflect.Value, bool) {
	v := reflect.ValueOf(s)
	for name := range strings.SplitSeq(p, ".") {
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if m := v.MethodByName(name); m.IsValid() {
				break
			}
			if v.IsNil() {
				return v, true
			}
			v = v.Elem()
		}
		if m := v.MethodByName(name); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() >= 1 {
			v = m.Call(nil)[0]
			continue
		}
		if v.Kind() != reflect.Struct {
			return v, false
		}
		f := v.FieldByName(name)
		if !f.IsValid() || !f.CanInterface() {
			return v, false
		}
		v = f
	}
	return v, true
}

// valueHasher hashes any value a template may read of the site, its
// documents by their signatures.
type valueHasher struct {
	r    *Renderer
	h    *maphash.Hash
	near bool // documents with their neighbours
	ids  bool // documents by identity alone
}

var (
	docType  = reflect.TypeFor[*model.Document]()
	kindType = reflect.TypeFor[*model.Kind]()
)

func (vh valueHasher) length(v reflect.Value) {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.Array, reflect.String:
		fmt.Fprintf(vh.h, "len %d", v.Len())
	case reflect.Pointer, reflect.Interface:
		fmt.Fprintf(vh.h, "nil %t", v.IsNil())
	default:
		vh.value(v, 0)
	}
}

func (vh valueHasher) value(v reflect.Value, depth int) {
	h := vh.h
	if depth > 64 {
		return
	}
	switch v.Type() {
	case docType:
		d := v.Interface().(*model.Document)
		switch {
		case vh.ids:
			if d != nil {
				h.WriteString(d.Path)
			}
			h.WriteByte(0)
		case vh.near && d != nil:
			vh.r.writeDocSig(h, d)
			for _, n := range neighbours(d) {
				vh.r.writeDocSig(h, n)
			}
		default:
			vh.r.writeDocSig(h, d)
		}
		return
	case kindType:
		if k := v.Interface().(*model.Kind); k != nil {
			h.WriteString(k.Name)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			h.WriteString("nil")
			return
		}
		vh.value(v.Elem(), depth+1)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				vh.value(v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		h.WriteString("[" + strconv.Itoa(v.Len()))
		for i := range v.Len() {
			vh.value(v.Index(i), depth+1)
		}
		h.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			fmt.Fprint(h, k.Interface())
			vh.value(v.MapIndex(k), depth+1)
		}
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
	default:
		fmt.Fprintf(h, "%v\x00", v.Interface())
	}
}

package render

import (
	"bytes"
	"slices"

	"productdocs/generator/model"
)

// The preview renders a site again after every change. These helpers let
// it reuse what it rendered the time before, when the model was made
// from the one before by model.Next with the same documents (model.Related):
// the list of output files, and the data files, whose entries are one a
// document, in the documents' order.

// sameFiles reports whether r's site has the output files of prev's: the
// same documents at the same places, the same templates, and as many
// pages of the long lists and of the tree.
func (r *Renderer) sameFiles(prev *Renderer) bool {
	return prev != nil && r.tmpl == prev.tmpl && model.Related(prev.Site.Model, r.Site.Model) &&
		r.Site.BaseURL == prev.Site.BaseURL && slices.Equal(r.Site.listJobs(), prev.Site.listJobs())
}

// NextJobs is Jobs for a renderer whose site NextSite made from that of
// prev, which listed jobs: those jobs with r's documents when the site
// has the same output files, and Jobs otherwise.
func (r *Renderer) NextJobs(prev *Renderer, jobs []Job) []Job {
	if !r.sameFiles(prev) {
		return r.Jobs()
	}
	out := slices.Clone(jobs)
	for i, j := range out {
		if j.Doc != nil {
			out[i].Doc = r.Site.Model.Docs[prev.Site.Model.IndexOf(j.Doc)]
		}
	}
	return out
}

// Data file framing, as modelJSON and searchIndex write it: an entry of
// model.json starts a line indented by two spaces, which nothing else in
// the file does (JSON strings hold no newlines, and everything in an
// entry is indented further); an entry of the search index starts with
// its ID's key, which no string can hold unescaped.
var (
	modelMark  = []byte("\n  {")
	modelEnd   = []byte("\n ]\n}\n")
	searchMark = []byte(`{"i":`)
	searchEnd  = []byte("];\n")
)

// Patch renders the data file of job j from old, the file as prev
// rendered it, for a site that NextSite made from prev's: the entries of
// the documents in docs, whose entries may differ, are written again, and
// the rest of old is kept. starts are where old's entries start, as Patch
// returned them with old, or nil to find them; Patch returns the new
// file's. It reports false when it cannot, for a file it does not know or
// a site with other files or another title; the job is then rendered in
// full.
func (r *Renderer) Patch(j Job, prev *Renderer, old []byte, starts []int, docs []*model.Document) ([]byte, []int, bool) {
	if j.Kind != "data" || !r.sameFiles(prev) || r.Site.Title != prev.Site.Title {
		return nil, nil, false
	}
	n := len(r.Site.Model.Docs)
	var entry func(b []byte, d *model.Document) ([]byte, error)
	var tail []byte
	switch j.Name {
	case "sitemap.xml":
		return old, nil, true // the same pages at the same URLs
	case "model.json":
		if starts == nil {
			starts = entryStarts(old, modelMark, 3, modelEnd, n)
		}
		tail = modelEnd
		entry = func(b []byte, d *model.Document) ([]byte, error) {
			jd := jsonDocOf(d)
			return appendJSONDoc(b, &jd)
		}
	case "search-index":
		if starts == nil {
			starts = entryStarts(old, searchMark, 0, searchEnd, n)
		}
		tail = searchEnd
		limit := searchText(n)
		entry = func(b []byte, d *model.Document) ([]byte, error) {
			return appendSearchEntry(b, searchEntryOf(d, limit)), nil
		}
	default:
		return nil, nil, false
	}
	if len(starts) != n || !bytes.HasSuffix(old, tail) {
		return nil, nil, false
	}
	end := len(old) - len(tail) // of the last entry
	for _, d := range docs {
		if i := d.Index(); starts[i] >= len(old) || old[starts[i]] != '{' {
			return nil, nil, false // not old's: never so, but a wrong guess would be a wrong file
		}
	}
	redo := slices.Clone(docs)
	slices.SortFunc(redo, func(a, b *model.Document) int { return a.Index() - b.Index() })
	redo = slices.Compact(redo)
	entries := make([][]byte, len(redo))
	spans := make([][2]int, len(redo))
	size, same := len(old), true
	for k, d := range redo {
		i := d.Index()
		e := end
		if i+1 < n {
			// The separator between entries goes with the next one.
			e = starts[i+1] - sepLen(j.Name)
		}
		var err error
		if entries[k], err = entry(nil, d); err != nil {
			return nil, nil, false
		}
		spans[k] = [2]int{starts[i], e}
		size += len(entries[k]) - (e - starts[i])
		same = same && bytes.Equal(entries[k], old[starts[i]:e])
	}
	if same {
		// Most edits of a body are past the part the search index has.
		return old, starts, true
	}
	out := make([]byte, 0, size)
	at := 0
	for k, e := range entries {
		out = append(append(out, old[at:spans[k][0]]...), e...)
		at = spans[k][1]
	}
	// An entry starts as far from where it did as the entries before it
	// grew.
	moved := make([]int, n)
	shift, k := 0, 0
	for m := range moved {
		moved[m] = starts[m] + shift
		if k < len(redo) && redo[k].Index() == m {
			shift += len(entries[k]) - (spans[k][1] - spans[k][0])
			k++
		}
	}
	return append(out, old[at:]...), moved, true
}

// sepLen is how many bytes go between an entry and the next: a comma
// and, in model.json, the next entry's indent.
func sepLen(name string) int {
	if name == "model.json" {
		return len(",\n  ")
	}
	return len(",")
}

// entryStarts finds where the entries of a data file start: where mark
// is found, and skip bytes into it. It returns nil unless there are
// exactly n.
func entryStarts(b, mark []byte, skip int, tail []byte, n int) []int {
	starts := make([]int, 0, n)
	for at := 0; ; {
		i := bytes.Index(b[at:], mark)
		if i < 0 {
			break
		}
		starts = append(starts, at+i+skip)
		at += i + len(mark)
	}
	if len(starts) != n {
		return nil
	}
	return starts
}

// searchEntryOf is d's entry of the search index, where each document has
// limit bytes of its text at most.
func searchEntryOf(d *model.Document, limit int) searchEntry {
	e := searchEntry{ID: d.ID, Title: d.Title, Kind: d.Kind.Name, URL: d.URL, Summary: d.Summary}
	if d.Body != nil {
		e.Text = truncate(d.Body.TextPrefix(), limit)
	}
	return e
}

// Stale returns a function that reports whether the listing page of a
// job (home, strategy, backlog and its list pages, trace and its parts,
// search, 404) may show something else on r's site than on prev's, which
// NextSite made it from, when changed (by document index, the same in
// both) marks the documents whose fields, title, references or links
// changed. It knows what the pages of the built-in theme show, and is for
// a site without page templates of its own; any other page is stale. A
// listing page's document's body (the text of content/index.md on the
// home page) is not its business.
func (r *Renderer) Stale(prev *Renderer, changed []bool) func(Job) bool {
	if !r.sameFiles(prev) {
		return func(Job) bool { return true }
	}
	st := &staleness{s: r.Site, o: prev.Site, changed: changed}
	// The pages without a section show the plain pages in their
	// navigation.
	st.nav = st.anyOf(st.s.Pages) || !sameDocs(st.s.Pages, st.o.Pages)
	// A row of the ranked backlog shows the initiative its item serves,
	// up its why-chain: what lies below a changed document in either
	// model may show it.
	st.below = make([]bool, len(changed))
	var down func(d *model.Document)
	down = func(d *model.Document) {
		for _, r := range d.Backlinks {
			if r.Field == "traces" && !st.below[r.From.Index()] {
				st.below[r.From.Index()] = true
				down(st.s.Model.Docs[r.From.Index()])
				down(st.o.Model.Docs[r.From.Index()])
			}
		}
	}
	for i, c := range changed {
		if c {
			st.below[i] = true
			down(st.s.Model.Docs[i])
			down(st.o.Model.Docs[i])
		}
	}
	return st.stale
}

// staleness is what Stale knows of a change.
type staleness struct {
	s, o    *Site  // the new site and the old
	changed []bool // by document index
	below   []bool // changed, or below a changed document by traces
	nav     bool   // the plain pages' navigation changed
}

func (st *staleness) is(d *model.Document) bool { return d != nil && st.changed[d.Index()] }

func (st *staleness) anyOf(ds []*model.Document) bool { return slices.ContainsFunc(ds, st.is) }

// anyChanged reports whether a changed document, in the new model, is
// one that keep picks.
func (st *staleness) anyChanged(keep func(d *model.Document) bool) bool {
	for i, c := range st.changed {
		if c && keep(st.s.Model.Docs[i]) {
			return true
		}
	}
	return false
}

func (st *staleness) stale(j Job) bool {
	s, o := st.s, st.o
	p := &Page{Site: s, URL: j.URL, Template: j.Kind}
	switch j.Kind {
	case "search.html", "404.html":
		return st.nav
	case "home.html":
		return st.nav || st.is(s.Vision) || !sameDoc(s.Vision, o.Vision) || !sameHealth(s.Health, o.Health)
	case "strategy.html":
		lists := [][2][]*model.Document{{s.Objectives, o.Objectives}, {s.Now, o.Now}, {s.Next, o.Next}, {s.Later, o.Later},
			{s.Releases, o.Releases}, {s.Personas, o.Personas}, {s.Market, o.Market}, {s.Competitors, o.Competitors}}
		if st.is(s.Vision) || !sameDoc(s.Vision, o.Vision) || len(s.Quarters) != len(o.Quarters) {
			return true
		}
		for i, q := range s.Quarters {
			lists = append(lists, [2][]*model.Document{q.Initiatives, o.Quarters[i].Initiatives})
			if q.Name != o.Quarters[i].Name {
				return true
			}
		}
		for _, l := range lists {
			if st.anyOf(l[0]) || !sameDocs(l[0], l[1]) {
				return true
			}
		}
		return false
	case "roadmap.html":
		// Initiatives, objectives and releases, and the progress of the
		// work below the initiatives.
		return st.anyChanged(func(d *model.Document) bool {
			k := d.Kind.Name
			return k == "initiative" || k == "objective" || k == "release" || k == "epic" || k == "story"
		})
	case "releases.html":
		// The releases, and the progress of the items that name them.
		return st.anyChanged(func(d *model.Document) bool {
			return d.Kind.Name == "release" || len(d.RefsTo("release")) > 0 || len(o.Model.Docs[d.Index()].RefsTo("release")) > 0
		})
	case "backlog.html":
		return st.backlog(p)
	case "trace.html":
		return st.trace(p)
	}
	return true
}

// backlog is stale for a page of the backlog: its rows show their
// documents, the ranked ones the initiative they serve, the epics their
// stories' progress, the feedback what addresses it.
func (st *staleness) backlog(p *Page) bool {
	s, o := st.s, st.o
	if p.Shows("ranked") {
		if !sameDocs(s.Backlog, o.Backlog) {
			return true
		}
		for _, d := range p.Ranked() {
			if st.below[d.Index()] {
				return true
			}
		}
	}
	if p.Shows("epics") {
		if len(s.Epics) != len(o.Epics) {
			return true
		}
		from, to := p.window("epics", len(s.Epics))
		for i, e := range s.Epics[from:to] {
			oe := o.Epics[from+i]
			if st.is(e.Doc) || !sameDoc(e.Doc, oe.Doc) || e.Done != oe.Done || e.Open != oe.Open || e.Checked != oe.Checked || e.Total != oe.Total {
				return true
			}
		}
	}
	if p.Shows("feedback") {
		if !sameDocs(s.Feedback, o.Feedback) {
			return true
		}
		for _, d := range p.FeedbackList() {
			by := d.From("addresses")
			if st.is(d) || st.anyOf(by) || !sameDocs(by, o.Model.Docs[d.Index()].From("addresses")) {
				return true
			}
		}
	}
	return false
}

// trace is stale for a page of the trace page: its part of the tree, and
// on the first the figures, the drawing and the warnings.
func (st *staleness) trace(p *Page) bool {
	s, o := st.s, st.o
	if st.nav || len(s.treeParts) != len(o.treeParts) || !sameNodes(s.Tree, o.Tree) {
		return true
	}
	k := p.treePage() - 1
	if len(s.treeParts) > 0 {
		if s.treeParts[k].from != o.treeParts[k].from || s.treeParts[k].to != o.treeParts[k].to {
			return true
		}
	}
	var inPart func(ns []*Node) bool
	inPart = func(ns []*Node) bool {
		for _, n := range ns {
			if st.is(n.Doc) || inPart(n.Children) {
				return true
			}
		}
		return false
	}
	if inPart(p.TreePart()) {
		return true
	}
	if !p.TreeFirst() {
		return false
	}
	if !sameHealth(s.Health, o.Health) || !slices.Equal(s.Warnings, o.Warnings) || len(s.Epics) != len(o.Epics) {
		return true
	}
	for _, w := range s.Warnings {
		if st.is(p.DocByFile(w.File)) {
			return true
		}
	}
	// The drawing shows the strategy tree, and the epics of a small one.
	for i, c := range st.changed {
		if c && s.Model.Docs[i].Kind.Name != "story" && inTree(s.Tree, i) {
			return true
		}
	}
	return false
}

// inTree reports whether the document at index i is in the tree.
func inTree(ns []*Node, i int) bool {
	for _, n := range ns {
		if n.Doc.Index() == i || inTree(n.Children, i) {
			return true
		}
	}
	return false
}

// sameNodes reports whether two trees have the same documents at the same
// places.
func sameNodes(a, b []*Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Doc.Index() != b[i].Doc.Index() || !sameNodes(a[i].Children, b[i].Children) {
			return false
		}
	}
	return true
}

// sameDocs reports whether two lists have the documents at the same
// places, of two models of the same documents.
func sameDocs(a, b []*model.Document) bool {
	return slices.EqualFunc(a, b, sameDoc)
}

func sameDoc(a, b *model.Document) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Index() == b.Index())
}

func sameHealth(a, b Health) bool {
	return slices.EqualFunc(a.ByKind, b.ByKind, func(x, y KindCount) bool { return x == y }) &&
		a.Documents == b.Documents && a.BacklogItems == b.BacklogItems && a.TracedItems == b.TracedItems &&
		a.OpenObjective == b.OpenObjective && a.CoveredOpen == b.CoveredOpen && a.OpenNow == b.OpenNow &&
		a.CoveredNow == b.CoveredNow && a.ActiveEpics == b.ActiveEpics && a.EpicsStoried == b.EpicsStoried && a.Warnings == b.Warnings && a.Unaddressed == b.Unaddressed
}

package model

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"productdocs/generator/content"
	"productdocs/generator/diag"
)

// shape is what resolving links needs to know of the whole site: which
// document has which ID and path, and which files there are. It follows
// from every document's identity (file, ID, URL, kind) and the assets
// alone, so the models Next makes one after another share it while those
// stay the same, which is nearly always: most edits change a title, a
// field or a body, not an ID.
type shape struct {
	assets  []string       // as given to New
	byID    map[string]int // by lower-case ID
	exact   map[string]int // by ID as written, to look up without lower-casing
	byPath  map[string]int
	isAsset map[string]bool // by content path
	// dups are the duplicate-id diagnostics, each at the later holder.
	dups []diag.Diagnostic
}

// docKey is what of a document the shape depends on.
type docKey struct {
	file, id, url string
	kind          *Kind
}

func keyOf(d *Document) docKey { return docKey{d.File, d.ID, d.URL, d.Kind} }

// newShape enters every document under its ID and path, and reports the
// second holder of an ID, or of an output URL, at the later file.
func newShape(docs []*Document, assets []string) *shape {
	sh := &shape{assets: assets, isAsset: make(map[string]bool, len(assets))}
	for _, a := range assets {
		sh.isAsset[content.Rel(a)] = true
	}
	// Each map is filled on a core of its own, which on a large site
	// halves this, the longest step of making a model that runs on one
	// core. That holds while no ID or URL is taken twice: the one
	// skipped then is skipped in every map, so the maps are filled
	// again, together, in file order.
	if sh.fillApart(docs) {
		return sh
	}
	n := len(docs)
	sh.byPath, sh.byID, sh.exact = make(map[string]int, n), make(map[string]int, n), make(map[string]int, n)
	byURL := make(map[string]int, n)
	dup := func(d *Document, msg string) {
		sh.dups = append(sh.dups, diag.Diagnostic{File: d.File, Line: d.idPos.Line, Column: d.idPos.Column, Code: diag.CodeDuplicateID, Message: msg})
	}
	for i, d := range docs {
		sh.byPath[d.Path] = i
		key := strings.ToLower(d.ID)
		if first, taken := sh.byID[key]; taken {
			dup(d, fmt.Sprintf("ID %q is already taken by %s (IDs ignore case)", d.ID, docs[first].File))
			continue
		}
		url := strings.ToLower(d.URL)
		if first, taken := byURL[url]; taken {
			dup(d, fmt.Sprintf("%s would be written to /%s, as %s is", d.File, d.URL, docs[first].File))
			continue
		}
		sh.byID[key] = i
		sh.exact[d.ID] = i
		byURL[url] = i
	}
	return sh
}

// fillApart fills the maps by path, by ID and by exact ID side by side,
// and reports whether every ID and URL was free, as the maps are then
// complete.
func (sh *shape) fillApart(docs []*Document) bool {
	n := len(docs)
	var taken atomic.Bool
	// fill enters each document under key(d), and notes a key entered
	// twice when unique. It stops early once any fill has noted one.
	fill := func(m map[string]int, unique bool, key func(*Document) string) {
		for i, d := range docs {
			k := key(d)
			if unique {
				if _, ok := m[k]; ok {
					taken.Store(true)
				}
			}
			if i%1024 == 0 && taken.Load() {
				return
			}
			m[k] = i
		}
	}
	sh.byPath, sh.byID, sh.exact = make(map[string]int, n), make(map[string]int, n), make(map[string]int, n)
	var wg sync.WaitGroup
	wg.Go(func() { fill(sh.byPath, false, func(d *Document) string { return d.Path }) })
	wg.Go(func() { fill(sh.byID, true, func(d *Document) string { return strings.ToLower(d.ID) }) })
	wg.Go(func() { fill(sh.exact, false, func(d *Document) string { return d.ID }) })
	wg.Go(func() {
		fill(make(map[string]int, n), true, func(d *Document) string { return strings.ToLower(d.URL) })
	})
	wg.Wait()
	return !taken.Load()
}

// fits reports whether the documents of srcs (sorted by file and read)
// and assets have the shape of prevDocs, the documents of a model with
// shape sh. A shape with duplicates never fits again: where a duplicate
// is reported depends on the later holder's text.
func (sh *shape) fits(srcs []*Source, prevDocs []*Document, assets []string) bool {
	if len(sh.dups) > 0 || len(srcs) != len(prevDocs) || !slices.Equal(sh.assets, assets) {
		return false
	}
	for i, src := range srcs {
		if src != prevDocs[i].src && keyOf(&src.read.doc) != keyOf(prevDocs[i]) {
			return false
		}
	}
	return true
}

// gens numbers the models Next makes, for Diff to know a model's
// predecessor by.
var gens atomic.Uint64

// Next is New for a site that prev, built a moment before from mostly the
// same sources, modelled. When the documents keep their identities (files,
// IDs, URLs and kinds) and the assets stay, a document whose source is
// prev's is prev's copied with its links pointed at the new documents:
// only the documents whose sources changed have their references looked
// up, and only the body links to them their anchors, again. Otherwise, or
// with a nil prev, it is New.
//
// prev is not changed: its documents stay as they were, for whoever still
// reads them.
func Next(prev *Model, sources []*Source, assets []string) *Model {
	srcs := slices.Clone(sources)
	slices.SortFunc(srcs, func(a, b *Source) int { return cmp.Compare(a.File, b.File) })
	readAll(srcs)
	reuse := prev != nil && prev.shape.fits(srcs, prev.Docs, assets)

	// The documents and their links are allocated together, a few large
	// blocks per model rather than some ten small ones per document, and
	// filled in on every core: the preview makes a model of the whole
	// site for every change.
	n := len(srcs)
	docs := make([]Document, n)
	s := &Model{Docs: make([]*Document, n), Assets: assets, block: docs}
	edited := make([]bool, n) // made from its source, not copied from prev
	// refAt[i] and linkAt[i] are where document i's references and body
	// links start in the blocks, once summed up.
	refAt, linkAt := make([]int, n+1), make([]int, n+1)
	inChunks(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			src, d := srcs[i], &docs[i]
			if reuse && src == prev.Docs[i].src {
				*d = *prev.Docs[i]
				linkAt[i+1] = len(d.BodyLinks)
			} else {
				*d = src.read.doc
				edited[i] = true
				if d.Body != nil {
					linkAt[i+1] = len(d.Body.Links)
				}
			}
			d.index, d.src, d.up = i, src, nil
			d.Backlinks, d.Mentions, d.BodyLinks = nil, nil, nil
			s.Docs[i] = d
			refAt[i+1] = len(d.Refs)
		}
		pack(docs[lo:hi], edited[lo:hi])
	})
	// A document copied from prev has prev's diagnostics: taken from
	// prev's list, its source is not read, which on a large site was a
	// trip to memory for each.
	s.diagAt = make([]int32, n+1)
	for i, src := range srcs {
		refAt[i+1] += refAt[i]
		linkAt[i+1] += linkAt[i]
		if edited[i] {
			s.Diagnostics = append(s.Diagnostics, src.read.diags...)
		} else {
			s.Diagnostics = append(s.Diagnostics, prev.Diagnostics[prev.diagAt[i]:prev.diagAt[i+1]]...)
		}
		s.diagAt[i+1] = int32(len(s.Diagnostics))
	}
	s.gen = gens.Add(1)
	if reuse {
		s.shape = prev.shape
		s.from = prev.gen
		for i, e := range edited {
			if e {
				s.edits = append(s.edits, int32(i))
			}
		}
	} else {
		s.shape = newShape(s.Docs, assets)
	}
	s.Diagnostics = append(s.Diagnostics, s.shape.dups...)
	tr := func(old *Document) *Document {
		if old == nil {
			return nil
		}
		return s.Docs[prev.IndexOf(old)]
	}

	refs, refPtrs, links := make([]Ref, refAt[n]), make([]*Ref, refAt[n]), make([]BodyLink, linkAt[n])
	// moved is set when a reference or a body link leads to another
	// document than it did in prev: the back-links and mentions must then
	// be gathered again, rather than taken over from prev's.
	var moved atomic.Bool
	inChunks(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			d := s.Docs[i]
			rs := d.Refs // prev's, or the source's as read
			d.Refs = refPtrs[refAt[i]:refAt[i+1]:refAt[i+1]]
			for j, r := range rs {
				nr := &refs[refAt[i]+j]
				*nr = *r
				nr.From = d
				if edited[i] {
					nr.To = s.Lookup(r.ID)
				} else {
					nr.To = tr(r.To)
				}
				d.Refs[j] = nr
				if d.up == nil && nr.Field == "traces" {
					d.up = nr.To
				}
			}
			if reuse && edited[i] && !sameRefs(d.Refs, prev.Docs[i].Refs) {
				moved.Store(true)
			}
			if linkAt[i] == linkAt[i+1] {
				if reuse && edited[i] && len(prev.Docs[i].BodyLinks) > 0 {
					moved.Store(true)
				}
				continue
			}
			d.BodyLinks = links[linkAt[i]:linkAt[i+1]:linkAt[i+1]]
			if edited[i] {
				for j := range d.Body.Links {
					d.BodyLinks[j] = s.resolveLink(d, j, &d.Body.Links[j])
				}
				if reuse && !sameTargets(d.BodyLinks, prev.Docs[i].BodyLinks) {
					moved.Store(true)
				}
				continue
			}
			for j, l := range prev.Docs[i].BodyLinks {
				if l.To != nil {
					k := prev.IndexOf(l.To)
					if edited[k] {
						// Whether the anchor is there is the edited
						// document's to say. The document linked is the
						// shape's to say, and stays.
						d.BodyLinks[j] = s.resolveLink(d, j, l.Link)
						continue
					}
					l.To = s.Docs[k]
				}
				d.BodyLinks[j] = l
			}
		}
	})

	if reuse && !moved.Load() {
		s.relink(prev, refs)
	} else {
		s.link(refs)
	}
	return s
}

// sameRefs reports whether two lists of references have the same fields
// leading to the same documents, by place: then they make the same
// back-links.
func sameRefs(a, b []*Ref) bool {
	return slices.EqualFunc(a, b, func(x, y *Ref) bool { return x.Field == y.Field && sameDoc(x.To, y.To) })
}

// sameTargets reports whether two lists of body links lead to the same
// documents, by place: then they make the same mentions.
func sameTargets(a, b []BodyLink) bool {
	return slices.EqualFunc(a, b, func(x, y BodyLink) bool { return sameDoc(x.To, y.To) })
}

// sameDoc reports whether two documents of models with the same shape are
// the same document.
func sameDoc(a, b *Document) bool {
	return a == nil && b == nil || a != nil && b != nil && a.index == b.index
}

// links are where a model's back-links and mentions lead, by index: the
// k-th of all documents' back-links, one document after another, is
// reference backRefs[k] of the model's block of references (see Next),
// and document i's are those from backAt[i] to backAt[i+1]; mentions
// likewise, by document index. A model whose references and body links
// all lead where its predecessor's did takes them over (relink), which is
// most of an edit's model on a large site.
type links struct {
	backRefs, backAt []int32
	mentions, mentAt []int32
}

// link fills in every document's back-links and mentions from the
// references (refs, the model's block of them, in document order) and
// body links. Back-links are by field, then by file, then as written:
// gathering the references field by field, each field's in the order of
// the documents, gives that order without sorting, which on a large site
// is much of making a model (a persona or a release has thousands of
// back-links).
func (s *Model) link(refs []Ref) {
	// The fields are few, and every reference's Field is a string of the
	// kinds table (see reader.refs): a slice searched from the last one
	// found beats a map.
	type bucket struct {
		field string
		refs  []int32 // in refs
	}
	var byField []bucket
	last := 0
	n := len(s.Docs)
	l := links{backAt: make([]int32, n+1), mentAt: make([]int32, n+1)}
	for g := range refs {
		r := &refs[g]
		if r.To == nil {
			continue
		}
		if last >= len(byField) || byField[last].field != r.Field {
			last = slices.IndexFunc(byField, func(b bucket) bool { return b.field == r.Field })
			if last < 0 {
				last = len(byField)
				byField = append(byField, bucket{field: r.Field})
			}
		}
		byField[last].refs = append(byField[last].refs, int32(g))
		l.backAt[s.IndexOf(r.To)+1]++
	}
	// lastFrom[i] is 1 + the index of the last document found linking to
	// i: a body links to a document once or many times, it mentions once.
	// The documents linked are found by address (IndexOf), not read: on
	// a large model each was a trip to memory. mentioned lists them, each
	// once a document, document after document; document i's are those
	// from mentionedAt[i] to mentionedAt[i+1].
	lastFrom := make([]int, n)
	var mentioned []int32
	mentionedAt := make([]int32, n+1)
	for i, d := range s.Docs {
		for _, bl := range d.BodyLinks {
			if to := bl.To; to != nil && to != d {
				if t := s.IndexOf(to); lastFrom[t] != i+1 {
					lastFrom[t] = i + 1
					l.mentAt[t+1]++
					mentioned = append(mentioned, int32(t))
				}
			}
		}
		mentionedAt[i+1] = int32(len(mentioned))
	}
	for i := range n {
		l.backAt[i+1] += l.backAt[i]
		l.mentAt[i+1] += l.mentAt[i]
	}
	l.backRefs, l.mentions = make([]int32, l.backAt[n]), make([]int32, l.mentAt[n])
	fill := slices.Clone(l.backAt[:n])
	slices.SortFunc(byField, func(a, b bucket) int { return cmp.Compare(a.field, b.field) })
	for _, b := range byField {
		for _, g := range b.refs {
			t := s.IndexOf(refs[g].To)
			l.backRefs[fill[t]] = g
			fill[t]++
		}
	}
	copy(fill, l.mentAt[:n])
	for i := range n {
		for _, t := range mentioned[mentionedAt[i]:mentionedAt[i+1]] {
			l.mentions[fill[t]] = int32(i)
			fill[t]++
		}
	}
	s.links = l
	s.fillLinks(refs)
}

// relink takes prev's back-links and mentions over, prev being the model
// s was made from by Next with the same shape and with every reference
// and body link leading where prev's did.
func (s *Model) relink(prev *Model, refs []Ref) {
	s.links = prev.links
	s.fillLinks(refs)
}

// fillLinks points every document's Backlinks and Mentions at s.links's.
func (s *Model) fillLinks(refs []Ref) {
	l := &s.links
	backlinks, mentions := make([]*Ref, len(l.backRefs)), make([]*Document, len(l.mentions))
	for k, g := range l.backRefs {
		backlinks[k] = &refs[g]
	}
	for k, i := range l.mentions {
		mentions[k] = s.Docs[i]
	}
	for i, d := range s.Docs {
		if lo, hi := l.backAt[i], l.backAt[i+1]; lo < hi {
			d.Backlinks = backlinks[lo:hi:hi]
		}
		if lo, hi := l.mentAt[i], l.mentAt[i+1]; lo < hi {
			d.Mentions = mentions[lo:hi:hi]
		}
	}
}

// Change is what changed between two loads of a site: the one
// description of a change that a rebuild passes from stage to stage, each
// reading it and none working it out again. The watcher names the paths
// (serve.Batch is this type); a load made from the earlier one
// (generator.LoadIncremental) reads those paths again and adds, with
// Diff, the documents they changed; the checks look again at the touched
// documents alone, and the render view keeps the order of the lists the
// edited documents cannot have moved (render.NextSite). Its pages then
// compare what each read (render.Dep) on the new site.
type Change struct {
	// Paths are the files and folders that changed, as slash paths from
	// the site root, sorted: what they are now (a file written, renamed
	// over, created or removed), not how editors got there.
	Paths []string
	// All is set when changes may have been missed (the system's event
	// queue overflowed, or watching fell back to polling): read
	// everything again.
	All bool

	// From is the model the documents below are relative to: s's prev in
	// Diff(prev, s). Nil until a load has made a model from that one
	// with the same documents (files, IDs, URLs and kinds) and assets;
	// then any document may differ.
	From *Model
	// Edited are the documents made again from their files: anything of
	// their own may differ.
	Edited []*Document
	// Touched are the edited documents and every document one link away
	// from one in either model (by reference, back-link, body link or
	// mention), by file: the documents whose resolved state may differ.
	// Others still show the edited ones through their links, further away.
	Touched []*Document
}

// Diff returns how s differs from prev when both were made one from the
// other by Next (perhaps through models between) with the same documents
// (files, IDs, URLs and kinds) and assets; the documents at the same
// index are then the same document. It returns nil when they are not so
// related: then anything may differ. The paths are left for the caller,
// which knows them.
func Diff(prev, s *Model) *Change {
	if !Related(prev, s) {
		return nil
	}
	dl := Change{From: prev}
	mark := make([]bool, len(s.Docs))
	touch := func(d *Document) {
		if d != nil {
			mark[d.index] = true
		}
	}
	edited := s.edits
	if s.from != prev.gen {
		// Made from prev through models between: compare every document.
		edited = nil
		for i, d := range s.Docs {
			if d.src != prev.Docs[i].src {
				edited = append(edited, int32(i))
			}
		}
	}
	for _, i := range edited {
		d := s.Docs[i]
		dl.Edited = append(dl.Edited, d)
		for _, d := range []*Document{prev.Docs[i], d} {
			touch(d)
			for _, r := range d.Refs {
				touch(r.To)
			}
			for _, r := range d.Backlinks {
				touch(r.From)
			}
			for _, m := range d.Mentions {
				touch(m)
			}
			for _, l := range d.BodyLinks {
				touch(l.To)
			}
		}
	}
	for i, ok := range mark {
		if ok {
			dl.Touched = append(dl.Touched, s.Docs[i])
		}
	}
	return &dl
}

// Related reports whether Diff(prev, s) is not nil, without working out
// the difference: whether the two models have the same documents at the
// same indexes.
func Related(prev, s *Model) bool {
	return prev != nil && s != nil && prev.shape == s.shape
}

// inChunks calls f over [0, n) in one chunk per core, or in one for a
// small n, and waits for them.
func inChunks(n int, f func(lo, hi int)) {
	k := min(runtime.GOMAXPROCS(0), max(1, n/1024))
	var wg sync.WaitGroup
	for c := range k {
		wg.Go(func() { f(c*n/k, (c+1)*n/k) })
	}
	wg.Wait()
}

// pack copies the strings that other documents' pages print of the
// edited documents (ID, URL and title) into one block, in document order:
// read apart, each was a cache miss of its own in a large site's heap.
// Documents copied from an earlier model keep theirs. A status and a
// priority are not copied: they are the text of the model's own lists of
// values (Statuses, a field's Values), which the sorts and lists of every
// page read from the same few bytes.
func pack(docs []Document, edited []bool) {
	size := 0
	for i := range docs {
		if edited[i] {
			d := &docs[i]
			size += len(d.ID) + len(d.URL) + len(d.Title)
		}
	}
	var b strings.Builder
	b.Grow(size)
	for i := range docs {
		if edited[i] {
			d := &docs[i]
			b.WriteString(d.ID)
			b.WriteString(d.URL)
			b.WriteString(d.Title)
		}
	}
	block := b.String()
	take := func(s *string) {
		n := len(*s)
		*s, block = block[:n], block[n:]
	}
	for i := range docs {
		if edited[i] {
			d := &docs[i]
			take(&d.ID)
			take(&d.URL)
			take(&d.Title)
		}
	}
}

package model

import (
	"bytes"
	"slices"

	"productdocs/generator/content"
	"productdocs/generator/markdown"
)

// ExactDates stands, in a list of fields to leave out of the public site,
// for the exact dates of a document that has a quarter (its updated:
// date and its last change in git): the public site shows the quarter.
const ExactDates = "exact-dates"

// Public returns the model of the public site: the documents of s that
// say `audience: public`, each as it would read if the internal ones did
// not exist, and without the fields named in omit (see ExactDates).
// Everything rendered from it (pages, search index, model.json, sitemap,
// drawings, roll-ups) is then free of internal documents by
// construction, rather than by each page remembering to hide them:
//
//   - a reference to an internal document is left out, so a why-chain
//     ends at the last public document, and back-links, roll-ups and
//     counts see public documents alone;
//   - a body link to an internal document is written as its own text (a
//     wiki link's label, a Markdown link's text; nothing for [[ID]],
//     whose text would be the internal title), in the source, before the
//     body is parsed again: the page, its headings and the search index's
//     text have nothing of the target;
//   - only the files a public document links to are copied.
//
// The result has no diagnostics: problems are the internal site's to
// show. s is not changed.
func Public(s *Model, omit []string) *Model {
	var srcs []*Source
	assets := map[string]bool{}
	for _, d := range s.Docs {
		if !d.Public {
			continue
		}
		nd := publicDoc(d, omit)
		for _, l := range d.BodyLinks {
			if l.Asset != "" {
				assets[l.Asset] = true
			}
		}
		src := &Source{File: d.File, BodyLine: d.BodyLine, Body: nd.Body, read: &readDoc{doc: nd}}
		src.once.Do(func() {}) // read already
		srcs = append(srcs, src)
	}
	var as []string
	for _, a := range s.Assets {
		if assets[content.Rel(a)] {
			as = append(as, a)
		}
	}
	p := New(srcs, as)
	p.Diagnostics = nil
	clear(p.diagAt)
	return p
}

// publicDoc is d as the public site has it, before its links are
// resolved again.
func publicDoc(d *Document, omit []string) Document {
	nd := Document{
		ID: d.ID, Kind: d.Kind, URL: d.URL, Title: d.Title,
		Status: d.Status, priority: d.priority, rank: d.rank, Section: d.Section,
		File: d.File, Path: d.Path, Summary: d.Summary, Owner: d.Owner,
		Tags: d.Tags, Updated: d.Updated, Extra: d.Extra,
		Fields: make(map[string]any, len(d.Fields)), KeyResults: d.KeyResults,
		Body: d.Body, BodyLine: d.BodyLine, idPos: d.idPos, Public: true,
	}
	for k, v := range d.Fields {
		nd.Fields[k] = v
	}
	for _, r := range d.Refs {
		if r.To != nil && r.To.Public {
			nd.Refs = append(nd.Refs, &Ref{Field: r.Field, ID: r.ID, Pos: r.Pos})
		}
	}
	gone := func(name string) bool { return slices.Contains(omit, name) }
	for _, f := range d.fields {
		if !gone(f.key) {
			nd.fields = append(nd.fields, f)
		}
	}
	for _, name := range omit {
		switch name {
		case "owner":
			nd.Owner = ""
		case "summary":
			nd.Summary = ""
		case "tags":
			nd.Tags = nil
		case "updated":
			nd.Updated = ""
		case "extra":
			nd.Extra = nil
		case "rank":
			nd.rank = 0
		case "priority":
			nd.priority = ""
		case "key_results":
			nd.KeyResults = nil
		case ExactDates:
			if _, ok := d.Fields["quarter"]; ok {
				nd.Updated = ""
			}
		}
		delete(nd.Fields, name)
		nd.Refs = slices.DeleteFunc(nd.Refs, func(r *Ref) bool { return r.Field == name })
	}
	nd.Body = publicBody(d)
	return nd
}

// publicBody is d's body with every link to an internal document written
// as its label alone, parsed again; d's own body where it has none.
func publicBody(d *Document) *markdown.Doc {
	if d.Body == nil {
		return nil
	}
	src := d.Body.Source
	var out []byte
	last := 0
	for _, l := range d.BodyLinks {
		if l.To == nil || l.To.Public || l.Link == nil {
			continue
		}
		start, end, label, ok := markdown.LinkSpan(src, *l.Link)
		if !ok || start < last {
			continue // a reference link: it renders without a target
		}
		if out == nil {
			out = make([]byte, 0, len(src))
		}
		out = append(out, src[last:start]...)
		out = append(out, label...)
		last = end
	}
	if out == nil {
		return d.Body
	}
	out = append(out, src[last:]...)
	b := markdown.Parse(bytes.Clone(out))
	b.Release()
	return b
}

package render

import (
	"fmt"
	"html/template"
	"maps"
	"net/url"
	"slices"
	"strings"

	"productdocs/generator/content"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
)

// Page is the data every page template receives.
type Page struct {
	Site     *SiteView
	URL      string // this page's URL from the site root ("" for the home page)
	Template string // the template rendering it
	Title    string
	Section  model.Section // the section whose navigation the page shows
	Doc      *model.Document
	Body     template.HTML
	TOC      []markdown.Heading
	Live     string // the live-reload script, in the preview only
	// Data is a view's page's own data (see views), nil on other pages.
	Data any

	is404 bool
	view  bool           // a page of one of the views
	rec   *recorder      // what the page reads, when the preview records it
	reads *templateReads // what its template reads besides the accessors
}

// Root is the relative path from this page to the site root ("../../").
func (p *Page) Root() string {
	if p.is404 {
		return p.Rel("")
	}
	if p.URL == "" {
		return "./"
	}
	return strings.Repeat("../", strings.Count(p.URL, "/"))
}

// Rel returns the relative link from this page to a site URL
// ("backlog/story-1/").
//
// 404.html is served at any missing address, at any depth, so no relative
// link works from it: its links are absolute with a base URL, and without
// one root-relative ("/assets/style.css"), which is right for a site at
// the root of its host, the usual place; a site served under a sub-path
// sets base_url for its 404 page to find its way (the manual says so).
func (p *Page) Rel(to string) string {
	if p.is404 {
		if p.Site.BaseURL != "" {
			return p.Site.BaseURL + escapePath(to)
		}
		return "/" + escapePath(to)
	}
	return Rel(p.URL, to)
}

// Link returns the relative link from this page to a document's page.
func (p *Page) Link(d *model.Document) string { return p.Rel(d.URL) }

// Asset returns the relative link to a file of the theme's assets.
func (p *Page) Asset(name string) string { return p.Rel("assets/" + name) }

// Current reports whether a nav entry for URL u is this page. The 404
// page is no entry's, though its URL is the home page's.
func (p *Page) Current(u string) bool { return !p.is404 && p.URL == u }

// EditURL is the "edit this page" link of the page's document, or "".
func (p *Page) EditURL() string {
	if p.Site.EditURL == "" || p.Doc == nil {
		return ""
	}
	return p.Site.EditURL + escapePath(p.Doc.File)
}

// CanonicalURL is the page's absolute URL when the site has a base URL.
func (p *Page) CanonicalURL() string {
	if p.Site.BaseURL == "" || p.is404 {
		return ""
	}
	return p.Site.BaseURL + escapePath(p.URL)
}

// RefGroup is the documents one reference field names, or that name a
// document through it.
type RefGroup struct {
	Field string
	Label string
	Docs  []*model.Document
	// More counts the documents of a back-link group left out of Docs,
	// past RefListLimit.
	More int
}

// RefListLimit is how many documents a page lists in one group of
// back-links. A document that everything links to (the vision of a site
// of 100,000 documents) would otherwise be a page of some 25 MB.
const RefListLimit = 1000

var outLabels = map[string]string{
	"traces": "Traces to", "evidence": "Evidence", "depends_on": "Depends on",
	"release": "Release", "personas": "Personas", "addresses": "Addresses",
}

var inLabels = map[string]string{
	"traces": "Traced by", "evidence": "Evidence for", "depends_on": "Needed by",
	"release": "Planned work", "personas": "Work for this persona", "addresses": "Addressed by",
}

// OutRefs groups the document's reference fields, traces first: the
// why-chain follows only the first document traced to, and this lists
// them all.
func (p *Page) OutRefs() []RefGroup {
	var out []RefGroup
	if p.Doc == nil {
		return nil
	}
	idx := map[string]int{}
	var refs []*model.Ref
	for _, r := range p.Doc.Refs {
		if r.Field == "traces" {
			refs = append(refs, r)
		}
	}
	for _, r := range p.Doc.Refs {
		if r.Field != "traces" {
			refs = append(refs, r)
		}
	}
	for _, r := range refs {
		if r.To == nil {
			continue
		}
		i, ok := idx[r.Field]
		if !ok {
			i = len(out)
			idx[r.Field] = i
			out = append(out, RefGroup{Field: r.Field, Label: label(outLabels, r.Field)})
		}
		out[i].Docs = append(out[i].Docs, r.To)
		p.read(r.To)
	}
	return out
}

// InRefs groups the back-links by field; traces comes first as "Traced
// by".
func (p *Page) InRefs() []RefGroup {
	var out []RefGroup
	if p.Doc == nil {
		return nil
	}
	idx := map[string]int{}
	add := func(field string, d *model.Document) {
		i, ok := idx[field]
		if !ok {
			i = len(out)
			idx[field] = i
			out = append(out, RefGroup{Field: field, Label: label(inLabels, field)})
		}
		out[i].Docs = append(out[i].Docs, d)
		p.read(d)
	}
	for _, r := range p.Doc.Backlinks {
		if r.Field == "traces" {
			add(r.Field, r.From)
		}
	}
	for _, r := range p.Doc.Backlinks {
		if r.Field != "traces" {
			add(r.Field, r.From)
		}
	}
	for _, m := range p.Doc.Mentions {
		add("mentions", m)
	}
	if i, ok := idx["mentions"]; ok {
		out[i].Label = "Mentioned in"
	}
	for i := range out {
		if n := len(out[i].Docs); n > RefListLimit {
			out[i].Docs, out[i].More = out[i].Docs[:RefListLimit], n-RefListLimit
		}
	}
	return out
}

func label(m map[string]string, field string) string {
	if l, ok := m[field]; ok {
		return l
	}
	return strings.ReplaceAll(field, "_", " ")
}

// WhyChain is the document's path up to the vision, from the top down.
func (p *Page) WhyChain() []*model.Document {
	if p.Doc == nil {
		return nil
	}
	c := p.Doc.WhyChain()
	p.read(c...)
	for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
		c[i], c[j] = c[j], c[i]
	}
	return c
}

// Crossing reports whether a link from this page to d crosses from the
// backlog into the strategy section.
func (p *Page) Crossing(d *model.Document) bool {
	return p.Section == model.Backlog && d.Kind.Section == model.Strategy
}

// Field is one of a document's own fields, formatted for display: Value
// is text (a string), or for a list or a mapping HTML (template.HTML).
type Field struct {
	Name  string
	Value any
}

// Fields returns the document's own fields (not references) in the order
// of its kind's table.
func (p *Page) Fields() []Field {
	d := p.Doc
	if d == nil {
		return nil
	}
	var out []Field
	for _, f := range d.Kind.Fields {
		v, ok := d.Fields[f.Name]
		if !ok || f.Type == model.TypeKeyResults {
			continue
		}
		out = append(out, Field{strings.ReplaceAll(f.Name, "_", " "), display(v)})
	}
	return out
}

// display formats a field's value: a scalar as text (a number with at
// most two decimals), for the template to escape; a list or a mapping as
// HTML, a list and a definition list (in the frontmatter's order from a
// *content.Value, by key from a Go map), so that extra: {deep: {a: [1, 2]}}
// reads as what it is, not as Go's map[deep:map[a:[1 2]]].
func display(v any) any {
	if nested(v) {
		var b strings.Builder
		writeNested(&b, v)
		return template.HTML(b.String())
	}
	return scalar(v)
}

// nested reports whether v is a list or a mapping with something in it.
func nested(v any) bool {
	switch v := v.(type) {
	case *content.Value:
		return len(v.List)+len(v.Map) > 0
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	}
	return false
}

// scalar is the text of a value that is not nested.
func scalar(v any) string {
	if c, ok := v.(*content.Value); ok {
		v = c.Interface()
	}
	switch v := v.(type) {
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
	case nil, []any, map[string]any: // nothing, or nothing in it
		return "—"
	}
	return fmt.Sprint(v)
}

// writeNested writes display's HTML of v.
func writeNested(b *strings.Builder, v any) {
	if !nested(v) {
		b.WriteString(template.HTMLEscapeString(scalar(v)))
		return
	}
	li := func(x any) {
		b.WriteString("<li>")
		writeNested(b, x)
		b.WriteString("</li>")
	}
	dd := func(key string, x any) {
		b.WriteString("<dt>" + template.HTMLEscapeString(key) + "</dt><dd>")
		writeNested(b, x)
		b.WriteString("</dd>")
	}
	switch v := v.(type) {
	case *content.Value:
		if v.Kind == content.List {
			b.WriteString(`<ul class="value">`)
			for _, x := range v.List {
				li(x)
			}
			b.WriteString("</ul>")
			return
		}
		b.WriteString(`<dl class="value">`)
		for _, f := range v.Map {
			dd(f.Key, f.Value)
		}
		b.WriteString("</dl>")
	case []any:
		b.WriteString(`<ul class="value">`)
		for _, x := range v {
			li(x)
		}
		b.WriteString("</ul>")
	case map[string]any:
		b.WriteString(`<dl class="value">`)
		for _, k := range slices.Sorted(maps.Keys(v)) {
			dd(k, v[k])
		}
		b.WriteString("</dl>")
	}
}

// Extra returns the team's own fields, in the frontmatter's order,
// formatted.
func (p *Page) Extra() []Field {
	if p.Doc == nil || p.Doc.Extra == nil {
		return nil
	}
	var out []Field
	for _, f := range p.Doc.Extra.Map {
		out = append(out, Field{f.Key, display(f.Value)})
	}
	return out
}

func pathEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "%2F", "/")
}

// Serves returns the initiative a backlog item serves: the first one on
// its why-chain, or nil.
func (p *Page) Serves(d *model.Document) *model.Document {
	p.read(d)
	for up := range d.Ups() {
		p.read(up)
		if up.Kind.Name == "initiative" {
			return up
		}
	}
	return nil
}

// DocByFile returns the document of a site-relative file, or nil.
func (p *Page) DocByFile(file string) *model.Document {
	path := strings.TrimPrefix(file, "content/")
	p.readDep(Dep{Kind: depDoc, Name: path}) // whether there is one, too
	d := p.Site.Model.ByPath(path)
	p.read(d)
	return d
}

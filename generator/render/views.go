package render

import (
	"cmp"
	"slices"
	"strings"

	"productdocs/generator/model"
)

// A view is a page (or a family of pages) of the built-in theme that is
// one template and, where it needs data the site does not have yet, one
// function that provides it: the template is executed once for each
// ViewPage the function returns, with the page's Data as .Data. Adding a
// view is a row here and a template in templates/; the preview rebuilds a
// view's page when its Data changes (Page.Data is recorded as read, by
// its value).
var views = []view{
	{Template: "tags.html", Pages: func(s *Site) []ViewPage {
		return []ViewPage{{URL: "tags/", Title: "Tags", Data: Tags(s)}}
	}},
	{Template: "tag.html", Pages: func(s *Site) []ViewPage {
		var out []ViewPage
		for _, t := range Tags(s) {
			out = append(out, ViewPage{URL: t.URL, Title: "Tag: " + t.Name, Data: t})
		}
		return out
	}},
}

type view struct {
	Template string
	Pages    func(*Site) []ViewPage
}

// ViewPage is one page of a view.
type ViewPage struct {
	URL   string // from the site root, a folder: "tags/"
	Title string
	Data  any // the page's .Data
}

// viewPages are the pages of every view of the site, by template,
// computed once.
func (s *Site) viewPages() map[string][]ViewPage {
	s.viewOnce.Do(func() {
		s.views = map[string][]ViewPage{}
		for _, v := range views {
			s.views[v.Template] = v.Pages(s)
		}
	})
	return s.views
}

// viewPage finds a page of a view by template and URL.
func (s *Site) viewPage(tmpl, url string) (ViewPage, bool) {
	// Every page asks; a document's page need not wait for every view's
	// pages to be made (the tags alone, some 25 ms at 10,000 documents,
	// more than the page itself in the preview's first part).
	if !isView(tmpl) {
		return ViewPage{}, false
	}
	for _, vp := range s.viewPages()[tmpl] {
		if vp.URL == url {
			return vp, true
		}
	}
	return ViewPage{}, false
}

func isView(name string) bool {
	return slices.ContainsFunc(views, func(v view) bool { return v.Template == name })
}

// Tag is one tag and the documents that carry it.
type Tag struct {
	Name string // as first written, in the natural order of its documents
	URL  string // "tags/<slug>/"
	Docs []*model.Document
}

// Count is how many documents carry the tag.
func (t *Tag) Count() int { return len(t.Docs) }

// Tags are the site's tags, in alphabetical order, ignoring case, each
// with its documents in natural ID order. Tags that differ only in case,
// or in spaces and dashes, share one page and are one tag.
func Tags(s *Site) []*Tag {
	byURL := map[string]*Tag{}
	var out []*Tag
	for _, d := range s.Model.Docs {
		seen := map[string]bool{}
		for _, name := range d.Tags {
			u := TagURL(name)
			if seen[u] || strings.TrimSpace(name) == "" {
				continue
			}
			seen[u] = true
			t := byURL[u]
			if t == nil {
				t = &Tag{Name: name, URL: u}
				byURL[u] = t
				out = append(out, t)
			}
			t.Docs = append(t.Docs, d)
		}
	}
	for _, t := range out {
		slices.SortFunc(t.Docs, model.CompareDocs)
	}
	slices.SortFunc(out, func(a, b *Tag) int {
		return cmp.Or(model.CompareIDs(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.URL, b.URL))
	})
	return out
}

// TagURL is the URL of a tag's page: "tags/" and the tag lower-cased,
// spaces as "-", other characters percent-encoded.
//
// The URL is kept as the file's path in the output, which links escape
// (see Rel): a "/" of a tag, which no file name can hold, is written as
// "%2F" in the name, so that a link's "%252F" finds it, and a tag of
// dots alone, which would name a folder above, is "%2E"s.
func TagURL(name string) string {
	slug := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), " ", "-")
	slug = strings.ReplaceAll(slug, "/", "%2F")
	if strings.Trim(slug, ".") == "" {
		slug = strings.Repeat("%2E", len(slug))
	}
	return "tags/" + slug + "/"
}

// TagURL is the link from this page to a tag's page.
func (p *Page) TagURL(name string) string { return p.Rel(TagURL(name)) }

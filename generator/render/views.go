package render

import (
	"cmp"
	"reflect"
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
// its value), or what its template's accessors record.
var views = []view{
	viewOf("roadmap.html", model.Strategy, func(s *SiteView) []ViewOf[*Roadmap] {
		return []ViewOf[*Roadmap]{{URL: "strategy/roadmap/", Title: "Roadmap", Data: s.Roadmap()}}
	}),
	{Template: "releases.html", Section: model.Strategy, Pages: func(s *SiteView) []ViewPage {
		return []ViewPage{{URL: "strategy/releases/", Title: "Releases"}}
	}},
	viewOf("tags.html", "", func(s *SiteView) []ViewOf[[]*Tag] {
		return []ViewOf[[]*Tag]{{URL: "tags/", Title: "Tags", Data: Tags(s)}}
	}),
	viewOf("tag.html", "", func(s *SiteView) []ViewOf[*Tag] {
		var out []ViewOf[*Tag]
		for _, t := range Tags(s) {
			out = append(out, ViewOf[*Tag]{URL: t.URL, Title: "Tag: " + t.Name, Data: t})
		}
		return out
	}),
}

type view struct {
	Template string
	Section  model.Section // of the site's two, or "" for none
	Pages    func(*SiteView) []ViewPage
	data     reflect.Type // of the pages' .Data, for the compiled theme
}

// ViewOf is one page of a view whose data is a T.
type ViewOf[T any] struct {
	URL, Title string
	Data       T
}

// viewOf is a view's row: its template, its section, and the function
// that makes its pages, whose data's type is what the compiled theme
// (compile.go) reads .Data as.
func viewOf[T any](tmpl string, sec model.Section, pages func(*SiteView) []ViewOf[T]) view {
	return view{Template: tmpl, Section: sec, data: reflect.TypeFor[T](), Pages: func(s *SiteView) []ViewPage {
		ps := pages(s)
		out := make([]ViewPage, len(ps))
		for i, p := range ps {
			out[i] = ViewPage{URL: p.URL, Title: p.Title, Data: p.Data}
		}
		return out
	}}
}

// ViewPage is one page of a view.
type ViewPage struct {
	URL   string // from the site root, a folder: "tags/"
	Title string
	Data  any // the page's .Data
}

// viewPages are the pages of every view of the site, by template,
// computed once.
func (s *SiteView) viewPages() map[string][]ViewPage {
	s.viewOnce.Do(func() {
		s.views = map[string][]ViewPage{}
		for _, v := range views {
			s.views[v.Template] = v.Pages(s)
		}
	})
	return s.views
}

// viewPage finds a page of a view by template and URL.
func (s *SiteView) viewPage(tmpl, url string) (ViewPage, bool) {
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

// viewSection is the section of a view's pages, or "" for none and for
// any other template.
func viewSection(tmpl string) model.Section {
	for _, v := range views {
		if v.Template == tmpl {
			return v.Section
		}
	}
	return ""
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
func Tags(s *SiteView) []*Tag {
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

// viewDataType is the type of .Data on a view's pages, for the compiled
// theme, or nil.
func viewDataType(tmpl string) reflect.Type {
	for _, v := range views {
		if v.Template == tmpl {
			return v.data
		}
	}
	return nil
}

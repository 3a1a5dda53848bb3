package render

import (
	"slices"
	"strings"

	"productdocs/generator/model"
)

// The pages section's navigation lists the plain pages. Listing every one
// on every page made a site of n pages n² in size (4,000 pages were
// 893 MB), so past navFlat pages it folds: the top folder's entries, and
// the folders on the way to the current page opened, each list cut to
// navWindow entries around the one on the way. A page's navigation is
// then a few hundred entries at most, whatever the site's size.
const (
	navFlat   = 50 // up to this many plain pages are listed flat, all of them
	navWindow = 24 // entries of one folder shown around the current one
)

// NavItem is an entry of the pages section's navigation.
type NavItem struct {
	Title    string
	Href     string // relative to the page; "" for a folder without a page of its own
	Current  bool   // the page showing the navigation
	Open     bool   // on the way to the current page
	Children []NavItem
	// Before and After count the entries of the same folder left out
	// before and after the ones listed.
	Before, After int
}

// navTree is the plain pages by folder, made once per site.
type navTree struct {
	byURL    map[string]*model.Document // the pages, by URL
	children map[string][]string        // folder URL → entry URLs, in path order
}

func (s *SiteView) navTree() *navTree {
	s.navOnce.Do(func() {
		t := &navTree{byURL: map[string]*model.Document{}, children: map[string][]string{}}
		seen := map[string]bool{"": true}
		var add func(u string)
		add = func(u string) {
			if seen[u] {
				return
			}
			seen[u] = true
			parent := navParent(u)
			add(parent)
			t.children[parent] = append(t.children[parent], u)
		}
		for _, d := range s.Pages {
			t.byURL[d.URL] = d
		}
		for _, d := range s.Pages {
			add(d.URL)
		}
		for _, c := range t.children {
			slices.Sort(c)
		}
		s.nav = t
	})
	return s.nav
}

// navParent is the folder URL above a page URL: "guides/" for
// "guides/writing/", "" for "guides/".
func navParent(u string) string {
	u = strings.TrimSuffix(u, "/")
	i := strings.LastIndexByte(u, '/')
	if i < 0 {
		return ""
	}
	return u[:i+1]
}

// Nav is the pages section's navigation as this page shows it: every
// plain page on a small site, the folded tree of a large one.
func (p *Page) Nav() []NavItem {
	pages := p.Site.Pages
	p.readDep(Dep{Kind: depIDs, Name: "Pages"})
	if len(pages) <= navFlat {
		out := make([]NavItem, len(pages))
		for i, d := range pages {
			p.read(d)
			out[i] = NavItem{Title: d.Title, Href: p.Link(d), Current: p.Current(d.URL)}
		}
		return out
	}
	t := p.Site.navTree()
	cur := ""
	if p.Doc != nil && !p.is404 {
		cur = p.Doc.URL
	}
	// The folders on the way to the current page, from the top.
	var way []string
	for u := cur; u != ""; u = navParent(u) {
		way = append(way, u)
	}
	slices.Reverse(way)
	var level func(folder string, depth int) []NavItem
	level = func(folder string, depth int) []NavItem {
		entries := t.children[folder]
		at := 0
		if depth < len(way) {
			at, _ = slices.BinarySearch(entries, way[depth])
		}
		from := max(0, min(at-navWindow/2, len(entries)-navWindow))
		to := min(len(entries), from+navWindow)
		out := make([]NavItem, 0, to-from)
		for _, u := range entries[from:to] {
			it := NavItem{Title: navTitle(u), Current: u == cur}
			if d := t.byURL[u]; d != nil {
				p.read(d)
				it.Title, it.Href = d.Title, p.Link(d)
			}
			if depth < len(way) && u == way[depth] && len(t.children[u]) > 0 {
				it.Open = true
				it.Children = level(u, depth+1)
			}
			out = append(out, it)
		}
		if len(out) > 0 {
			out[0].Before, out[len(out)-1].After = from, len(entries)-to
		}
		return out
	}
	return level("", 0)
}

// navTitle names a folder without a page of its own by its last segment.
func navTitle(u string) string {
	u = strings.TrimSuffix(u, "/")
	return u[strings.LastIndexByte(u, '/')+1:]
}

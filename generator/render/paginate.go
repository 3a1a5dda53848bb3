package render

import (
	"slices"
	"strconv"
	"strings"

	"productdocs/generator/diag"
	"productdocs/generator/model"
)

// ListPageSize is how many items of a list the backlog page shows at most:
// the ranked backlog of a site of 100,000 documents has 85,000 items, some
// 55 MB of table. The rest of a longer list is on pages of their own,
// backlog/<list>/2/, backlog/<list>/3/ and so on, and each of its pages
// links to all the others. The backlog page shows three lists, whose rows
// measure some 700, 350 and 500 bytes on the generated site of 10,000
// documents. The page must be ready to work in within a second: the
// browser's parsing and first layout of its HTML grow with it, and 400
// rows of each (750 KB) took most of that second alone, 100 (200 KB) a
// quarter of it. (With script, the ranked list and the feedback are
// drawn from backlog/items.js, as many rows at first.)
const ListPageSize = 100

// backlogLists are the backlog page's lists that split into pages, by the
// name of their section (its anchor on the backlog page).
var backlogLists = []string{"ranked", "epics", "feedback"}

// The trace page's warnings split into pages as the backlog's lists do:
// the 3,700 warnings of the generated site of 10,000 documents are 1.8 MB
// of table. Its first page, trace/, shows the first ListPageSize of them
// beside the figures, the drawing and the tree; trace/warnings/2/ and on
// the rest. (With script, they are drawn from trace/warnings.js, so the
// filter covers every one.)
const warningsList = "warnings"

func (s *SiteView) listLen(list string) int {
	switch list {
	case "ranked":
		return len(s.Backlog)
	case "epics":
		return len(s.Epics)
	case "feedback":
		return len(s.Feedback)
	case warningsList:
		return len(s.Warnings)
	}
	return 0
}

// listField is the Site field that holds a list.
var listField = map[string]string{"ranked": "Backlog", "epics": "Epics", "feedback": "Feedback", warningsList: "Warnings"}

// pageCount is how many pages a list of n items takes.
func pageCount(n int) int { return max(1, (n+ListPageSize-1)/ListPageSize) }

// listURL is the URL of page n of a list; page 1 is the page that shows
// the first page of every list: the backlog page, or for the warnings the
// trace page.
func listURL(list string, n int) string {
	base := "backlog/"
	if list == warningsList {
		base = "trace/"
	}
	if n == 1 {
		return base
	}
	return base + list + "/" + strconv.Itoa(n) + "/"
}

// listPage tells which list and which of its pages p is: "", 1 for the
// backlog page or the trace page, which show page 1 of every list. The
// trace page's pages of the tree beyond the first are the list "tree".
func (p *Page) listPage() (list string, n int) {
	var rest string
	var ok bool
	switch p.Template {
	case "backlog.html":
		rest, ok = strings.CutPrefix(p.URL, "backlog/")
	case "trace.html":
		rest, ok = strings.CutPrefix(p.URL, "trace/")
	}
	if !ok || rest == "" {
		return "", 1
	}
	list, num, found := strings.Cut(strings.TrimSuffix(rest, "/"), "/")
	if !found && p.Template == "trace.html" {
		list, num = "tree", list
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return "", 1
	}
	return list, n
}

// window is the part [from, to) of a list of n items that p shows.
func (p *Page) window(list string, n int) (from, to int) {
	l, page := p.listPage()
	if l != "" && l != list {
		return 0, 0
	}
	from = min(n, (page-1)*ListPageSize)
	return from, min(n, from+ListPageSize)
}

// Shows reports whether the page shows the list (of backlogLists, or on
// the trace page "tree" or "warnings"): the backlog page and the trace
// page show all of theirs, a page of one list only that one.
func (p *Page) Shows(list string) bool {
	l, _ := p.listPage()
	return l == "" || l == list
}

// Ranked is the part of the ranked backlog (Site.Backlog) that the page
// shows.
func (p *Page) Ranked() []*model.Document {
	from, to := p.window("ranked", len(p.Site.Backlog))
	p.readDep(Dep{Kind: depIDs, Name: "Backlog"})
	p.read(p.Site.Backlog[from:to]...)
	return p.Site.Backlog[from:to]
}

// EpicList is the part of Site.Epics that the page shows.
func (p *Page) EpicList() []*Epic {
	from, to := p.window("epics", len(p.Site.Epics))
	p.readDep(Dep{Kind: depIDs, Name: "Epics"})
	for _, e := range p.Site.Epics[from:to] {
		p.read(e.Doc)
		p.readDep(Dep{Kind: depEpic, Name: e.Doc.Path})
	}
	return p.Site.Epics[from:to]
}

// FeedbackList is the part of Site.Feedback that the page shows.
func (p *Page) FeedbackList() []*model.Document {
	from, to := p.window("feedback", len(p.Site.Feedback))
	p.readDep(Dep{Kind: depIDs, Name: "Feedback"})
	p.read(p.Site.Feedback[from:to]...)
	return p.Site.Feedback[from:to]
}

// Part is where a page is in a list too long for one page.
type Part struct {
	From, To, Total int        // the items shown, 1-based, of Total
	Pages           []PartLink // every page of the list
}

// PartLink is one page of a list.
type PartLink struct {
	N       int    // 1-based
	Href    string // relative to the page showing the link
	Current bool
}

// Part returns where the page is in the list (of backlogLists, or the
// warnings), or nil when the whole list fits on its first page.
func (p *Page) Part(list string) *Part {
	total := p.Site.listLen(list)
	p.readDep(Dep{Kind: depLen, Name: listField[list]})
	if pageCount(total) == 1 {
		return nil
	}
	from, to := p.window(list, total)
	_, cur := p.listPage()
	return p.part(from, to, total, cur, pageCount(total), func(n int) string {
		if n == 1 {
			return listURL(list, 1) + "#" + list
		}
		return listURL(list, n)
	})
}

func (p *Page) part(from, to, total, cur, pages int, url func(n int) string) *Part {
	part := &Part{From: from + 1, To: to, Total: total}
	for n := 1; n <= pages; n++ {
		u, anchor, _ := strings.Cut(url(n), "#")
		href := p.Rel(u)
		if anchor != "" {
			href += "#" + anchor
		}
		part.Pages = append(part.Pages, PartLink{N: n, Href: href, Current: n == cur})
	}
	return part
}

// TreePageSize bounds the nodes of the traceability tree on one page: the
// tree of a site of 100,000 documents has as many, some 20 MB. A longer
// tree is split between the objectives (the children of a vision), into
// trace/, trace/2/, trace/3/ and so on; each page has whole objectives,
// and at least one.
const TreePageSize = 2000

// treePart is the tree of one page of the trace page: copies of the roots
// with some of their children.
type treePart struct {
	roots    []*Node
	from, to int // the children shown, of all the roots' children
}

func treeSize(n *Node) int {
	size := 1
	for _, c := range n.Children {
		size += treeSize(c)
	}
	return size
}

// splitTree splits the tree into the parts of TreePageSize nodes that the
// pages of the trace page show; a tree that fits is one part, itself.
func splitTree(roots []*Node) []treePart {
	total, units := 0, 0
	for _, r := range roots {
		total += treeSize(r)
		units += max(1, len(r.Children))
	}
	if total <= TreePageSize {
		return []treePart{{roots: roots, to: units}}
	}
	var parts []treePart
	cur := treePart{}
	size, unit := 0, 0
	flush := func() {
		if len(cur.roots) > 0 {
			cur.to = unit
			parts = append(parts, cur)
			cur = treePart{from: unit}
			size = 0
		}
	}
	for _, r := range roots {
		if len(r.Children) == 0 {
			if size > 0 && size+1 > TreePageSize {
				flush()
			}
			cur.roots = append(cur.roots, r)
			size++
			unit++
			continue
		}
		var copy *Node // r on the page being filled
		for _, c := range r.Children {
			n := treeSize(c)
			if copy == nil {
				n++
			}
			if size > 0 && size+n > TreePageSize {
				flush()
				copy = nil
				n = treeSize(c) + 1
			}
			if copy == nil {
				copy = &Node{Doc: r.Doc}
				cur.roots = append(cur.roots, copy)
			}
			copy.Children = append(copy.Children, c)
			size += n
			unit++
		}
	}
	flush()
	return parts
}

// treePage is which page of the trace page p is, from 1.
func (p *Page) treePage() int {
	if p.Template != "trace.html" {
		return 1
	}
	rest, _ := strings.CutPrefix(p.URL, "trace/")
	n, err := strconv.Atoi(strings.TrimSuffix(rest, "/"))
	if err != nil || n < 1 || n > len(p.Site.treeParts) {
		return 1
	}
	return n
}

// TreeFirst reports whether the page is the first of the trace page, the
// one with the figures and the drawing.
func (p *Page) TreeFirst() bool {
	l, _ := p.listPage()
	return l == "" && p.treePage() == 1
}

// WarningList is the part of Site.Warnings that the page shows.
func (p *Page) WarningList() []diag.Diagnostic {
	from, to := p.window(warningsList, len(p.Site.Warnings))
	p.readDep(Dep{Kind: depSite, Name: "Warnings"})
	return p.Site.Warnings[from:to]
}

// TreePart is the part of the tree (Site.Tree) that the page shows: all of
// it when it fits on one page.
func (p *Page) TreePart() []*Node {
	p.readDep(Dep{Kind: depTreePart, N: p.treePage()})
	if len(p.Site.treeParts) == 0 {
		return p.Site.Tree
	}
	return p.Site.treeParts[p.treePage()-1].roots
}

// TreePager returns where the page is in a tree split over pages (counting
// the visions' children, the objectives), or nil for a tree on one page.
func (p *Page) TreePager() *Part {
	parts := p.Site.treeParts
	p.readDep(Dep{Kind: depTreePart, N: p.treePage()})
	if len(parts) <= 1 {
		return nil
	}
	cur := p.treePage()
	tp := parts[cur-1]
	return p.part(tp.from, tp.to, parts[len(parts)-1].to, cur, len(parts), treeURL)
}

func treeURL(n int) string {
	if n == 1 {
		return "trace/#h-tree"
	}
	return "trace/" + strconv.Itoa(n) + "/"
}

// listJobs are the pages of the backlog's long lists, of the traceability
// tree beyond the first, and of the warnings beyond the first.
func (s *SiteView) listJobs() []Job {
	var jobs []Job
	for n := 2; n <= len(s.treeParts); n++ {
		u := strings.TrimSuffix(treeURL(n), "#h-tree")
		jobs = append(jobs, Job{Path: OutputPath(u), URL: u, Kind: "trace.html"})
	}
	for _, list := range slices.Concat(backlogLists, []string{warningsList}) {
		for n := 2; n <= pageCount(s.listLen(list)); n++ {
			u := listURL(list, n)
			kind := "backlog.html"
			if list == warningsList {
				kind = "trace.html"
			}
			jobs = append(jobs, Job{Path: OutputPath(u), URL: u, Kind: kind})
		}
	}
	return jobs
}

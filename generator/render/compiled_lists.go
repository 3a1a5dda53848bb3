package render

import (
	"html/template"
	"strconv"

	"productdocs/generator/model"
)

// The "main" of the built-in theme's listing pages, written in Go as
// compiled.go explains: home.html, strategy.html, backlog.html (the
// backlog page and the pages of its lists) and trace.html (every page of
// the tree). Their lists hold a large site's rows, a thousand to a page of
// a backlog list and two thousand nodes to a page of the tree: through
// html/template, they took a fifth of the CPU time of building 10,000
// documents.

// prose is the pages' {{with .Body}}<div class="prose">{{.}}</div>{{end}}.
func (w pageWriter) prose() {
	start := w.b.Len()
	w.raw(`<div class="prose">`)
	open := w.b.Len()
	w.body()
	if w.b.Len() == open { // no body: no div
		w.b.Truncate(start)
		return
	}
	w.raw("</div>")
}

// with is the templates' {{with .S}}open{{.}}close{{end}} for a string
// in text.
func (w pageWriter) with(open, s, close string) {
	if s != "" {
		w.raw(open)
		w.text(s)
		w.raw(close)
	}
}

// sectionHead is the head of the strategy and the backlog pages, with the
// text of the section's index.md.
func (w pageWriter) sectionHead(title, owner string) {
	w.raw("\n<header class=\"section-head\">\n<p class=\"owner\">" + title + " · owned by the " + owner + "</p>\n<h1>" + title + "</h1>\n</header>\n")
	w.prose()
}

// figure is one of the health figures of the home and trace pages: a
// percentage, what it is of, and its bar.
func (w pageWriter) figure(pc int, of string) {
	w.raw(`<div class="figure"><span class="n">`)
	w.int(pc)
	w.raw("%</span> " + of + ` <progress max="100" value="`)
	w.int(pc)
	w.raw("\"></progress></div>\n")
}

// warnFigure is the figure of the warnings, marked when there are any.
func (w pageWriter) warnFigure(n int) {
	w.raw(`<div class="figure`)
	if n > 0 {
		w.raw(" warn")
	}
	w.raw(`"><span class="n">`)
	w.int(n)
	w.raw("</span> ")
}

// homeMain is home.html's "main".
func (w pageWriter) homeMain() {
	p := w.p
	h := &p.Site.Health
	w.raw("\n<section class=\"hero\">\n<h1>")
	w.text(p.Site.Title)
	w.raw("</h1>\n")
	if v := p.Site.Vision; v != nil {
		w.raw(`<p class="vision-statement"><span class="kind kind-vision">vision</span> <a href="`)
		w.rel(v.URL)
		w.raw(`">`)
		w.text(v.Title)
		w.raw("</a></p>\n")
		w.with(`<p class="lead">`, v.Summary, "</p>")
	}
	w.raw("\n</section>\n")
	w.prose()
	w.raw(`
<section class="health" aria-labelledby="health">
<h2 id="health">Health</h2>
<div class="figures">
<div class="figure"><span class="n">`)
	w.int(h.Documents)
	w.raw("</span> documents</div>\n")
	w.figure(h.TracedPercent(), "of backlog items trace to an objective")
	w.figure(h.CoveredPercent(), "of open objectives have initiatives")
	w.warnFigure(h.Warnings)
	w.raw(`<a href="`)
	w.rel("trace/")
	w.raw(`#warnings">warnings</a></div>
</div>
<table class="counts">
<caption>Documents by kind</caption>
<tbody>`)
	for _, k := range h.ByKind {
		w.raw(`<tr><th scope="row">`)
		w.kind(k.Kind)
		w.raw("</th><td>")
		w.int(k.Count)
		w.raw("</td></tr>")
	}
	w.raw("</tbody>\n</table>\n</section>\n<section class=\"ways\" aria-label=\"The two sections\">\n<a class=\"way way-strategy\" href=\"")
	w.rel("strategy/")
	w.raw(`"><h2>Strategy</h2><p>Vision, objectives, the roadmap, releases, personas, market and competitors.</p><p class="owner">Owned by the Product Manager</p></a>
<a class="way way-backlog" href="`)
	w.rel("backlog/")
	w.raw(`"><h2>Backlog</h2><p>Epics and stories in rank order, with acceptance criteria, and stakeholder feedback.</p><p class="owner">Owned by the Product Owner</p></a>
</section>
`)
}

// card is partials.html's "card".
func (w pageWriter) card(d *model.Document) {
	w.raw(`<li class="card kind-`)
	w.text(d.Kind.Name)
	w.raw(`">`)
	w.doclink(d)
	w.raw(" ")
	w.status(d.Status)
	w.with("<p>", d.Summary, "</p>")
	w.raw("</li>")
}

// cards is partials.html's "cards".
func (w pageWriter) cards(docs []*model.Document) {
	if len(docs) == 0 {
		w.raw(`<p class="empty">None yet.</p>`)
		return
	}
	w.raw(`<ul class="cards">`)
	for _, d := range docs {
		w.card(d)
	}
	w.raw("</ul>")
}

// pager is partials.html's "pager".
func (w pageWriter) pager(part *Part) {
	if part == nil {
		return
	}
	w.raw(`<nav class="pager" aria-label="Pages of this list"><p>` +
		strconv.Itoa(part.From) + "–" + strconv.Itoa(part.To) + " of " + strconv.Itoa(part.Total) + "</p><ol>")
	for _, l := range part.Pages {
		w.raw(`<li><a href="`)
		w.url(l.Href)
		w.raw(`"`)
		if l.Current {
			w.raw(` aria-current="page"`)
		}
		w.raw(">")
		w.int(l.N)
		w.raw("</a></li>")
	}
	w.raw("</ol></nav>")
}

// strategyMain is strategy.html's "main".
func (w pageWriter) strategyMain() {
	p := w.p
	s := p.Site
	w.sectionHead("Strategy", "Product Manager")
	w.raw(`
<section id="vision" aria-labelledby="h-vision">
<h2 id="h-vision">Vision</h2>
`)
	if v := s.Vision; v != nil {
		w.raw(`<div class="vision-card"><a href="`)
		w.rel(v.URL)
		w.raw(`" class="big">`)
		w.text(v.Title)
		w.raw("</a>")
		w.with("<p>", v.Summary, "</p>")
		w.raw("</div>")
	} else {
		w.raw(`<p class="empty">No vision yet: write one with <code>productdocs new vision</code>.</p>`)
	}
	w.raw(`
</section>
<section id="objectives" aria-labelledby="h-objectives">
<h2 id="h-objectives">Objectives</h2>
`)
	for _, o := range s.Objectives {
		w.raw("<article class=\"objective\">\n<h3>")
		w.doclink(o)
		w.raw(" ")
		w.status(o.Status)
		w.raw("</h3>\n")
		w.with("<p>", o.Summary, "</p>")
		w.raw("\n")
		w.keyresults(o)
		w.raw("\n</article>\n")
	}
	if len(s.Objectives) == 0 {
		w.raw(`<p class="empty">No objectives yet.</p>`)
	}
	w.raw(`
</section>
<section id="roadmap" aria-labelledby="h-roadmap">
<h2 id="h-roadmap">Roadmap</h2>
<div class="board">
`)
	for _, c := range []struct {
		name string
		docs []*model.Document
	}{{"Now", s.Now}, {"Next", s.Next}, {"Later", s.Later}} {
		w.raw(`<div class="column"><h3>` + c.name + "</h3>")
		w.cards(c.docs)
		w.raw("</div>\n")
	}
	w.raw(`</div>
</section>
<section id="timeline" aria-labelledby="h-timeline">
<h2 id="h-timeline">By quarter</h2>
<div class="timeline">
`)
	for _, q := range s.Quarters {
		w.raw(`<div class="quarter"><h3>`)
		w.text(q.Name)
		w.raw("</h3>")
		w.cards(q.Initiatives)
		w.raw("</div>\n")
	}
	if len(s.Quarters) == 0 {
		w.raw(`<p class="empty">No initiatives yet.</p>`)
	}
	w.raw(`
</div>
</section>
<section id="releases" aria-labelledby="h-releases">
<h2 id="h-releases">Releases</h2>
`)
	if len(s.Releases) > 0 {
		w.raw(`<ol class="releases">`)
		for _, r := range s.Releases {
			date := r.String("date")
			w.raw(`<li><time datetime="`)
			w.text(date)
			w.raw(`">`)
			w.text(date)
			w.raw("</time> ")
			w.doclink(r)
			w.raw(" ")
			w.status(r.Status)
			w.raw("</li>")
		}
		w.raw("</ol>")
	} else {
		w.raw(`<p class="empty">No releases yet.</p>`)
	}
	w.raw("\n</section>\n")
	for _, c := range []struct {
		id, name string
		docs     []*model.Document
	}{{"personas", "Personas", s.Personas}, {"market", "Market", s.Market}, {"competitors", "Competitors", s.Competitors}} {
		w.raw(`<section id="` + c.id + `" aria-labelledby="h-` + c.id + `"><h2 id="h-` + c.id + `">` + c.name + "</h2>")
		w.cards(c.docs)
		w.raw("</section>\n")
	}
}

// dash is what a table shows for a value it lacks.
const dash = "—"

// backlogMain is backlog.html's "main".
func (w pageWriter) backlogMain() {
	p := w.p
	w.sectionHead("Backlog", "Product Owner")
	w.raw("\n")
	if p.Shows("ranked") {
		w.ranked()
	}
	if p.Shows("epics") {
		w.epics()
	}
	if p.Shows("feedback") {
		w.feedback()
	}
}

// ranked is backlog.html's section of the ranked backlog.
func (w pageWriter) ranked() {
	p := w.p
	w.raw(`<section id="ranked" aria-labelledby="h-ranked">
<h2 id="h-ranked">Ranked backlog</h2>
`)
	if items := p.Ranked(); len(items) == 0 {
		w.raw(`<p class="empty">The backlog is empty: add a story with <code>productdocs new story</code>.</p>`)
	} else {
		w.rankedTable(items)
		w.pager(p.Part("ranked"))
	}
	w.raw("\n</section>\n")
}

// rankedTable is the table of the ranked backlog, with items as its rows.
func (w pageWriter) rankedTable(items []*model.Document) {
	p := w.p
	w.raw(`<div class="scroll"><table class="backlog">
<thead><tr><th scope="col">Rank</th><th scope="col">Item</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Estimate</th><th scope="col">Serves</th></tr></thead>
<tbody>
`)
	for _, d := range items {
		w.raw(`<tr class="kind-`)
		w.text(d.Kind.Name)
		w.raw(`"><td>`)
		if r := d.Rank(); r != 0 {
			w.raw(strconv.FormatInt(r, 10))
		} else {
			w.raw(dash)
		}
		w.raw("</td><td>")
		w.kind(d.Kind)
		w.raw(" ")
		w.doclink(d)
		w.raw("</td><td>")
		w.status(d.Status)
		w.raw("</td><td>")
		if pr := d.String("priority"); pr != "" {
			w.text(pr)
		} else {
			w.raw(dash)
		}
		w.raw("</td><td>")
		// {{with index .Fields "estimate"}} is false for an estimate of 0
		// as for none.
		if e := d.Fields["estimate"]; isTrue(e) {
			w.text(display(e))
		} else {
			w.raw(dash)
		}
		w.raw("</td><td>")
		if in := p.Serves(d); in != nil {
			w.doclink(in)
		} else {
			w.raw(dash)
		}
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody></table></div>")
}

// isTrue is the truth of a value to the templates' if and with.
func isTrue(v any) bool {
	truth, _ := template.IsTrue(v)
	return truth
}

// epics is backlog.html's section of the epics.
func (w pageWriter) epics() {
	p := w.p
	w.raw(`<section id="epics" aria-labelledby="h-epics">
<h2 id="h-epics">Epics</h2>
`)
	epics := p.EpicList()
	for _, e := range epics {
		w.raw("<article class=\"epic\">\n<h3>")
		w.doclink(e.Doc)
		w.raw(" ")
		w.status(e.Doc.Status)
		w.raw("</h3>\n<p>")
		w.progress(e.Percent())
		w.raw(" ")
		w.int(e.Done)
		w.raw(" of ")
		w.int(e.Done + e.Open)
		w.raw(" stories done")
		if e.Total != 0 {
			w.raw(" · ")
			w.criteria(e.Checked, e.Total)
		}
		w.raw("</p>\n</article>\n")
	}
	if len(epics) == 0 {
		w.raw(`<p class="empty">No epics yet.</p>`)
	}
	w.pager(p.Part("epics"))
	w.raw("\n</section>\n")
}

// feedback is backlog.html's section of the feedback.
func (w pageWriter) feedback() {
	p := w.p
	w.raw(`<section id="feedback" aria-labelledby="h-feedback">
<h2 id="h-feedback">Feedback</h2>
`)
	if items := p.FeedbackList(); len(items) == 0 {
		w.raw(`<p class="empty">No feedback yet.</p>`)
	} else {
		w.inbox(items)
		w.pager(p.Part("feedback"))
	}
	w.raw("\n</section>\n")
}

// inbox is the list of the feedback, with items in it.
func (w pageWriter) inbox(items []*model.Document) {
	w.raw(`<ul class="inbox">`)
	for _, d := range items {
		w.raw("<li>")
		w.doclink(d)
		w.raw(` <span class="source">`)
		w.text(d.String("source"))
		w.raw("</span>")
		if date := d.String("date"); date != "" {
			w.raw(` <time datetime="`)
			w.text(date)
			w.raw(`">`)
			w.text(date)
			w.raw("</time>")
		}
		w.raw("\n")
		if by := d.From("addresses"); len(by) > 0 {
			w.raw(`<span class="addressed">addressed by `)
			w.doclinks(by)
			w.raw("</span>")
		} else {
			w.raw(`<span class="unaddressed">not yet addressed</span>`)
		}
		w.raw("</li>\n")
	}
	w.raw("</ul>")
}

// traceMain is trace.html's "main".
func (w pageWriter) traceMain() {
	p := w.p
	s := p.Site
	h := &s.Health
	first := p.TreeFirst()
	w.raw("\n<h1>Traceability</h1>\n")
	if first {
		w.raw(`<p class="lead">Every piece of work answers “why are we building this?” by following its <code>traces</code> links up to the vision.</p>
<div class="figures">
`)
		w.figure(h.TracedPercent(), "of "+strconv.Itoa(h.BacklogItems)+" backlog items trace to an objective")
		w.figure(h.CoveredPercent(), "of "+strconv.Itoa(h.OpenObjective)+" open objectives have initiatives")
		w.figure(h.NowPercent(), "of "+strconv.Itoa(h.OpenNow)+" open initiatives for now have epics")
		w.figure(h.StoriedPercent(), "of "+strconv.Itoa(h.ActiveEpics)+" planned or in-progress epics have stories")
		w.warnFigure(len(s.Warnings))
		w.raw("warnings</div>\n</div>\n")
		if svg := traceSVG(p); svg != "" {
			w.raw(`<figure class="tree-figure"><div class="scroll">`)
			w.raw(string(svg))
			w.raw("</div><figcaption>The strategy tree: vision, objectives, initiatives")
			if len(s.Epics) <= 60 {
				w.raw(" and epics")
			}
			w.raw("</figcaption></figure>")
		}
		w.raw("\n")
	}
	w.raw("<section aria-labelledby=\"h-tree\">\n<h2 id=\"h-tree\">The tree</h2>\n")
	if len(s.Tree) > 0 {
		w.raw(`<ul class="tree">`)
		for _, n := range p.TreePart() {
			w.node(n)
		}
		w.raw("</ul>")
		w.pager(p.TreePager())
	} else {
		w.raw(`<p class="empty">No vision yet, so nothing to trace to.</p>`)
	}
	w.raw("\n</section>\n")
	if first {
		w.warnings()
	}
}

// node is trace.html's "node".
func (w pageWriter) node(n *Node) {
	w.raw("<li>")
	w.entry(n.Doc)
	if len(n.Children) > 0 {
		w.raw("\n<ul>")
		for _, c := range n.Children {
			w.node(c)
		}
		w.raw("</ul>")
	}
	w.raw("</li>\n")
}

// warnings is trace.html's section of the warnings.
func (w pageWriter) warnings() {
	p := w.p
	w.raw("<section aria-labelledby=\"warnings\">\n<h2 id=\"warnings\">Warnings</h2>\n")
	if len(p.Site.Warnings) == 0 {
		w.raw(`<p class="empty">No warnings: every link is in place.</p>`)
	} else {
		w.warningTable()
	}
	w.raw("\n</section>\n")
}

// warningTable is the table of the site's warnings.
func (w pageWriter) warningTable() {
	p := w.p
	w.raw(`<div class="scroll"><table class="warnings">
<thead><tr><th scope="col">Where</th><th scope="col">Check</th><th scope="col">Message</th></tr></thead>
<tbody>`)
	for _, d := range p.Site.Warnings {
		w.raw("<tr><td>")
		if doc := p.DocByFile(d.File); doc != nil {
			w.doclink(doc)
		} else {
			w.text(d.File)
		}
		w.raw("<br><small>")
		w.text(d.File)
		w.raw(":" + strconv.Itoa(d.Line) + ":" + strconv.Itoa(d.Column) + "</small></td><td><code>")
		w.text(d.Code)
		w.raw("</code></td><td>")
		w.text(d.Message)
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody></table></div>")
}

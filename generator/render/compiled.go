package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"productdocs/generator/model"
)

// The built-in theme's pages, written in Go.
//
// html/template spends most of a build on the document pages, nearly all
// of a site's pages, and much of the rest on the listing pages (home,
// strategy, backlog and trace, whose lists run to thousands of rows):
// every field, method, escaper and partial a template uses is a reflective
// call. So those pages of the built-in theme are also written out here
// and in compiled_lists.go by hand, escaping each value as html/template
// escapes it in that place, and Render uses this code instead of the
// templates whenever they are the theme's own, unchanged. A site whose
// templates change such a page (its file, layout.html, partials.html, or
// a partial of its own) renders it through html/template, as the README
// describes.
//
// Each page has a guard of its own, the SHA-256 of the files its code
// transcribes (layout.html, partials.html and the page's own file), rather
// than one over all of them: a site that replaces home.html keeps the
// fast document pages, and a change to trace.html slows only the trace
// pages until their code catches up. When a hash no longer matches, that
// page renders through the templates again, correct but slower, until its
// code is brought up to date (TestCompiledTheme says so, and holds the two
// to the same bytes).
var compiledPages = []compiledPage{
	{"document.html", "32f7b06f1bfdc159ba431edb643f2f7d1edc89aa6d36b7b0533c5e98a78afc50", pageWriter.documentMain},
	{"home.html", "38c5ec25912204ff38cb920c646a8850cfded7afec7bcc0f7544c8f441723519", pageWriter.homeMain},
	{"strategy.html", "4485a2b710d97372823c205949f4c56fa49bab2cb92e43a1a6dd2ed9126881be", pageWriter.strategyMain},
	{"backlog.html", "a8f85b4d164d4ecda23440c3a26b862783f9668be5ba711dc0dc037c65984aba", pageWriter.backlogMain},
	{"trace.html", "de7833d6cb3efd65b6f31eba1ac712ac71050f6e96b8caadb2824b4b39c3e869", pageWriter.traceMain},
}

// compiledPage is a page template of the theme and the code that writes
// its "main".
type compiledPage struct {
	name string // the page template, "document.html"
	hash string // themeHash of the files the page's code transcribes
	main pageMain
}

// pageMain writes the "main" of a page template.
type pageMain func(pageWriter)

// write writes p as layout.html executing the page template does.
func (m pageMain) write(b *bytes.Buffer, p *Page) {
	w := pageWriter{b, p}
	w.layoutHead()
	m(w)
	w.layoutFoot()
}

// sharedFiles are the theme files every page template executes through.
var sharedFiles = []string{"layout.html", "partials.html"}

// themeHash is the hash of the files a page's code transcribes: the
// shared files, then the page's own.
func themeHash(files map[string][]byte, page string) string {
	h := sha256.New()
	for _, n := range slices.Concat(sharedFiles, []string{page}) {
		h.Write([]byte(n))
		h.Write([]byte{0})
		h.Write(files[n])
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// canCompile returns the code that may write pages instead of the
// templates made of files, by page template. Each page template is parsed
// apart over the shared ones (see LoadTemplates), so a page depends on its
// own file and the shared ones alone: a site's <kind>.html or
// <section>-document.html changes only the pages made with it, which
// Render gives to html/template by that name. A shared file the theme
// lacks may redefine any template a page calls, though, so with one, no
// page is written in Go.
func canCompile(files map[string][]byte) map[string]pageMain {
	for n := range files {
		if strings.HasSuffix(n, ".html") && !isPageTemplate(n) && !slices.Contains(sharedFiles, n) {
			return nil
		}
	}
	out := map[string]pageMain{}
	for _, c := range compiledPages {
		if themeHash(files, c.name) == c.hash {
			out[c.name] = c.main
		}
	}
	return out
}

// pageWriter writes a page into a buffer, escaping values the way
// html/template does in each context of the theme.
type pageWriter struct {
	b *bytes.Buffer
	p *Page
}

func (w pageWriter) raw(s string) { w.b.WriteString(s) }

// body writes the page's .Body: rendered straight into the page where
// Renderer.page left it to bodyTo.
func (w pageWriter) body() {
	if w.p.bodyTo == nil {
		w.raw(string(w.p.Body))
		return
	}
	if err := w.p.bodyTo(w.b); err != nil && w.p.err == nil {
		w.p.err = err
	}
}

// text writes s as html/template writes a string in text, in RCDATA
// (<title>) and in a quoted attribute value: its escapers share one table.
// Only ASCII bytes are replaced, so scanning bytes is the same as
// scanning runes.
func (w pageWriter) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		w.b.WriteString(s[last:i])
		w.b.WriteString(repl)
		last = i + 1
	}
	w.b.WriteString(s[last:])
}

func (w pageWriter) int(n int) { w.b.WriteString(strconv.Itoa(n)) }

// url writes s as html/template writes a value that starts a URL
// attribute (href="{{.}}"): unsafe schemes filtered, the URL normalised,
// then escaped for the attribute.
func (w pageWriter) url(s string) {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			s = "#ZgotmplZ"
		}
	}
	w.text(processURL(s, true))
}

// rel writes the link from this page to a site URL, as w.url(p.Rel(to))
// does, but straight into the page where to needs no escaping, as a
// document's URL does: a listing writes thousands.
func (w pageWriter) rel(to string) {
	if w.p.is404 || !plainPath(to) {
		w.url(w.p.Rel(to))
		return
	}
	depth := strings.Count(w.p.URL, "/")
	if depth == 0 && to == "" {
		w.raw("./")
		return
	}
	w.raw(up(depth))
	w.raw(to)
}

// plainPath reports whether p is letters, digits and "-._~/" alone, which
// no step from Rel to the page escapes or changes.
func plainPath(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			return false
		}
	}
	return true
}

// fragment writes s as html/template writes a value after the "#" of a
// URL attribute (href="#{{.}}"): every byte but the unreserved ones
// percent-encoded, then escaped for the attribute.
func (w pageWriter) fragment(s string) { w.text(processURL(s, false)) }

// processURL is html/template's URL normaliser (norm) and escaper.
func processURL(s string, norm bool) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(lowerHex[c>>4])
		b.WriteByte(lowerHex[c&15])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

const lowerHex = "0123456789abcdef"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// layoutHead is layout.html up to its "main" block, the sidenav included.
func (w pageWriter) layoutHead() {
	p := w.p
	w.raw(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'">
<meta name="generator" content="productdocs">
<title>`)
	if p.Title != p.Site.Title {
		w.text(p.Title)
		w.raw(" · ")
	}
	w.text(p.Site.Title)
	w.raw("</title>\n")
	if c := p.CanonicalURL(); c != "" {
		w.raw(`<link rel="canonical" href="`)
		w.url(c)
		w.raw("\">\n")
	}
	w.raw(`<link rel="stylesheet" href="`)
	w.url(p.Asset("style.css"))
	w.raw("\">\n<link rel=\"stylesheet\" href=\"")
	w.url(p.Asset("chroma.css"))
	w.raw("\">\n<script src=\"")
	w.url(p.Asset("site.js"))
	w.raw("\" defer></script>\n")
	if p.Live != "" {
		w.raw(`<script src="`)
		w.url(p.Live)
		w.raw("\" defer></script>\n")
	}
	section := string(p.Section)
	w.raw("</head>\n<body class=\"section-")
	if section != "" {
		w.text(section)
	} else {
		w.raw("pages")
	}
	w.raw("\">\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"top\">\n<a class=\"brand\" href=\"")
	w.rel("")
	w.raw(`">`)
	w.text(p.Site.Title)
	w.raw("</a>\n<nav class=\"sections\" aria-label=\"Sections\">\n<a class=\"to-strategy\" href=\"")
	w.rel("strategy/")
	w.raw(`"`)
	if section == "strategy" {
		w.raw(` aria-current="page"`)
	}
	w.raw(">Strategy <small>PM</small></a>\n<a class=\"to-backlog\" href=\"")
	w.rel("backlog/")
	w.raw(`"`)
	if section == "backlog" {
		w.raw(` aria-current="page"`)
	}
	w.raw(">Backlog <small>PO</small></a>\n<a href=\"")
	w.rel("trace/")
	w.raw(`"`)
	w.current("trace/")
	w.raw(">Trace</a>\n<a href=\"")
	w.rel("search/")
	w.raw(`"`)
	w.current("search/")
	w.raw(">Search</a>\n</nav>\n<form class=\"quick-search\" action=\"")
	w.rel("search/")
	w.raw(`" role="search"><input name="q" type="search" placeholder="Search IDs, titles, text" aria-label="Search the docs" autocomplete="off"></form>
</header>
<div class="wrap">
`)
	w.sidenav()
	w.raw("\n<main id=\"main\" tabindex=\"-1\">\n")
}

// layoutFoot is layout.html after its "main" block.
func (w pageWriter) layoutFoot() {
	p := w.p
	w.raw("\n</main>\n</div>\n<footer class=\"bottom\">\n<p>")
	w.text(p.Site.Title)
	w.raw(" · ")
	w.int(p.Site.Health.Documents)
	w.raw(" documents · built with productdocs")
	if e := p.EditURL(); e != "" {
		w.raw(` · <a href="`)
		w.url(e)
		w.raw(`">Edit this page</a>`)
	}
	w.raw("</p>\n</footer>\n</body>\n</html>\n")
}

// sidenav is partials.html's "sidenav".
func (w pageWriter) sidenav() {
	p := w.p
	section := string(p.Section)
	w.raw(`<nav class="side" aria-label="`)
	switch section {
	case "strategy":
		w.raw("Strategy")
	case "backlog":
		w.raw("Backlog")
	default:
		w.raw("Pages")
	}
	w.raw(" navigation\">\n")
	switch section {
	case "strategy":
		w.raw("\n<p class=\"owner\">Strategy · owned by the <strong>Product Manager</strong></p>\n<ul>\n")
		for _, a := range [][2]string{{"vision", "Vision"}, {"objectives", "Objectives"}, {"roadmap", "Roadmap"}, {"timeline", "By quarter"},
			{"releases", "Releases"}, {"personas", "Personas"}, {"market", "Market"}, {"competitors", "Competitors"}} {
			w.raw(`<li><a href="`)
			w.rel("strategy/")
			w.raw("#" + a[0] + `">` + a[1] + "</a></li>\n")
		}
		w.raw("</ul>\n")
	case "backlog":
		w.raw("\n<p class=\"owner\">Backlog · owned by the <strong>Product Owner</strong></p>\n<ul>\n")
		for _, a := range [][2]string{{"ranked", "Ranked backlog"}, {"epics", "Epics"}, {"feedback", "Feedback"}} {
			w.raw(`<li><a href="`)
			w.rel("backlog/")
			w.raw("#" + a[0] + `">` + a[1] + "</a></li>\n")
		}
		w.raw("</ul>\n")
	default:
		w.raw("\n<ul>\n<li><a href=\"")
		w.rel("")
		w.raw(`"`)
		w.current("")
		w.raw(">Home</a></li>\n")
		for _, a := range [][2]string{{"strategy/", "Strategy"}, {"backlog/", "Backlog"}, {"trace/", "Traceability"}} {
			w.raw(`<li><a href="`)
			w.rel(a[0])
			w.raw(`">` + a[1] + "</a></li>\n")
		}
		w.raw("</ul>\n")
		if len(p.Site.Pages) > 0 {
			w.raw("<p class=\"owner\">Pages</p>\n<ul>\n")
			for _, d := range p.Site.Pages {
				w.raw(`<li><a href="`)
				w.rel(d.URL)
				w.raw(`"`)
				w.current(d.URL)
				w.raw(`>`)
				w.text(d.Title)
				w.raw("</a></li>\n")
			}
			w.raw("</ul>")
		}
		w.raw("\n")
	}
	w.raw("\n</nav>")
}

// current marks the link to u as this page, as the templates' {{if
// .Current u}} aria-current="page"{{end}}.
func (w pageWriter) current(u string) {
	if w.p.Current(u) {
		w.raw(` aria-current="page"`)
	}
}

// kind is partials.html's "kind", of a document of kind k.
func (w pageWriter) kind(k *model.Kind) {
	w.raw(`<span class="kind kind-`)
	w.text(k.Name)
	w.raw(`">`)
	w.text(k.Name)
	w.raw("</span>")
}

// status is partials.html's "status".
func (w pageWriter) status(s string) {
	w.raw(`<span class="status status-`)
	w.text(s)
	w.raw(`">`)
	w.text(statusLabel(s))
	w.raw("</span>")
}

// entry is a document with its kind and status, as the back-links of a
// document page and the nodes of the tree show it.
func (w pageWriter) entry(d *model.Document) {
	w.kind(d.Kind)
	w.raw(" ")
	w.doclink(d)
	w.raw(" ")
	w.status(d.Status)
}

// doclink is partials.html's "doclink".
func (w pageWriter) doclink(d *model.Document) {
	p := w.p
	crossing := p.Crossing(d)
	w.raw(`<a class="doc kind-`)
	w.text(d.Kind.Name)
	if crossing {
		w.raw(" crossing")
	}
	w.raw(`" href="`)
	w.rel(d.URL)
	w.raw(`"`)
	if crossing {
		w.raw(` title="In the Product Manager's strategy section"`)
	}
	w.raw(`><span class="id">`)
	w.text(d.ID)
	w.raw("</span> ")
	w.text(d.Title)
	w.raw("</a>")
}

// doclinks are doclinks separated by commas, as the templates'
// {{range $i, $x := .}}{{if $i}}, {{end}}{{template "doclink" …}}{{end}}.
func (w pageWriter) doclinks(docs []*model.Document) {
	for i, d := range docs {
		if i > 0 {
			w.raw(", ")
		}
		w.doclink(d)
	}
}

// keyresults is partials.html's "keyresults".
func (w pageWriter) keyresults(d *model.Document) {
	if len(d.KeyResults) == 0 {
		return
	}
	w.raw(`<table class="krs">
<thead><tr><th scope="col">Key result</th><th scope="col">Current</th><th scope="col">Target</th><th scope="col">Progress</th></tr></thead>
<tbody>`)
	for _, k := range d.KeyResults {
		w.raw("<tr><td>")
		w.text(k.Metric)
		w.raw("</td><td>")
		w.text(display(k.Current))
		w.raw("</td><td>")
		w.text(display(k.Target))
		w.raw("</td><td>")
		if pr := k.Progress(); pr.OK {
			r := ratio(pr.Value)
			w.progress(r)
			w.raw(" ")
			w.int(r)
			w.raw("%")
		} else {
			w.raw(dash)
		}
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody></table>")
}

// progress is a bar of pc percent, with the figure for browsers without
// one.
func (w pageWriter) progress(pc int) {
	w.raw(`<progress max="100" value="`)
	w.int(pc)
	w.raw(`">`)
	w.int(pc)
	w.raw("%</progress>")
}

// criteria is how many acceptance criteria of how many are checked.
func (w pageWriter) criteria(checked, total int) {
	w.int(checked)
	w.raw(" of ")
	w.int(total)
	w.raw(" acceptance criteria checked")
}

// documentMain is document.html's "main".
func (w pageWriter) documentMain() {
	p := w.p
	d := p.Doc
	runtime.KeepAlive(warm(d))
	w.raw("\n<nav class=\"why\" aria-label=\"Why-chain\">\n<ol>")
	for _, up := range p.WhyChain() {
		w.raw("<li>")
		w.doclink(up)
		w.raw("</li>")
	}
	w.raw(`<li aria-current="page"><span class="id">`)
	w.text(d.ID)
	w.raw("</span></li></ol>\n</nav>\n<article class=\"document kind-")
	w.text(d.Kind.Name)
	w.raw("\">\n<header class=\"doc-head\">\n<p class=\"badges\">")
	w.kind(d.Kind)
	section := string(d.Kind.Section)
	w.raw(` <span class="section-badge section-`)
	w.text(section)
	w.raw(`">`)
	w.text(section)
	w.raw(" · ")
	w.text(d.Kind.Section.Owner())
	w.raw("</span> ")
	w.status(d.Status)
	w.raw("</p>\n<h1><span class=\"id\">")
	w.text(d.ID)
	w.raw("</span> ")
	w.text(d.Title)
	w.raw("</h1>\n")
	w.with(`<p class="lead">`, d.Summary, "</p>")
	w.raw("\n</header>\n<dl class=\"facts\">\n")
	w.with("<dt>Owner</dt><dd>", d.Owner, "</dd>")
	w.raw("\n")
	for _, f := range p.Fields() {
		w.raw("<dt>")
		w.text(capitalize(f.Name))
		w.raw("</dt><dd>")
		w.text(f.Value)
		w.raw("</dd>")
	}
	w.raw("\n")
	if d.Updated != "" {
		w.raw(`<dt>Updated</dt><dd><time datetime="`)
		w.text(d.Updated)
		w.raw(`">`)
		w.text(d.Updated)
		w.raw("</time></dd>")
	}
	w.raw("\n")
	if len(d.Tags) > 0 {
		w.raw("<dt>Tags</dt><dd>")
		for _, t := range d.Tags {
			w.raw(`<span class="tag">`)
			w.text(t)
			w.raw("</span> ")
		}
		w.raw("</dd>")
	}
	w.raw("\n")
	for _, g := range p.OutRefs() {
		w.raw("<dt>")
		w.text(g.Label)
		w.raw("</dt><dd>")
		w.doclinks(g.Docs)
		w.raw("</dd>")
	}
	w.raw("\n")
	for _, f := range p.Extra() {
		w.raw("<dt>")
		w.text(f.Name)
		w.raw("</dt><dd>")
		w.text(f.Value)
		w.raw("</dd>")
	}
	w.raw("\n</dl>\n")
	w.keyresults(d)
	w.raw("\n")
	if checked, total := Criteria(d); total > 0 {
		w.raw(`<p class="criteria">`)
		w.progress(percent(checked, total))
		w.raw(" ")
		w.criteria(checked, total)
		w.raw("</p>")
	}
	w.raw("\n")
	mark := w.b.Len()
	w.raw(`<figure class="neighbourhood">`)
	if writeNeighbourhood(w.b, p) {
		w.raw("<figcaption>What ")
		w.text(d.ID)
		w.raw(" traces to, and what traces to it</figcaption></figure>")
	} else {
		w.b.Truncate(mark)
	}
	w.raw("\n")
	if len(p.TOC) > 0 {
		w.raw(`<nav class="toc" aria-label="On this page"><p>On this page</p><ul>`)
		for _, h := range p.TOC {
			w.raw(`<li class="l`)
			w.int(h.Level)
			w.raw(`"><a href="#`)
			w.fragment(h.ID)
			w.raw(`">`)
			w.text(h.Text)
			w.raw("</a></li>")
		}
		w.raw("</ul></nav>")
	}
	w.raw("\n<div class=\"prose\">")
	w.body()
	w.raw("</div>\n")
	for _, g := range p.InRefs() {
		w.raw(`<section class="refs"><h2>`)
		w.text(g.Label)
		w.raw("</h2><ul>")
		for _, x := range g.Docs {
			w.raw("<li>")
			w.entry(x)
			w.raw("</li>")
		}
		w.raw("</ul>")
		if g.More > 0 {
			w.raw(`<p class="more">and `)
			w.int(g.More)
			w.raw(" more</p>")
		}
		w.raw("</section>\n")
	}
	w.raw("\n</article>\n")
}

// warm reads the first byte of the ID, title and URL, and the length of
// the status, of each document d's page lists (what it names, and the
// first of what names it), before the page prints any of them. These
// loads do not wait on one another, so the processor has many in flight
// at once; read as each link is printed, with the page's HTML written in
// between, each was a trip to memory of its own on a large site. At
// 100,000 documents this cut the time of rendering by a sixth (perf), at
// 10,000 by 7%.
func warm(d *model.Document) (x byte) {
	touch := func(t *model.Document) {
		if t == nil {
			return
		}
		x += byte(len(t.Status))
		if len(t.ID) > 0 {
			x += t.ID[0]
		}
		if len(t.Title) > 0 {
			x += t.Title[0]
		}
		if len(t.URL) > 0 {
			x += t.URL[0]
		}
	}
	for _, r := range d.Refs {
		touch(r.To)
	}
	for i, r := range d.Backlinks {
		if i == RefListLimit*4 {
			break
		}
		touch(r.From)
	}
	for i, m := range d.Mentions {
		if i == RefListLimit {
			break
		}
		touch(m)
	}
	return x
}

// Package render turns a checked model into the pages of the website:
// it loads the templates (the built-in theme, overridden file by file by a
// site's templates/ folder), lists every output file, and renders each one.
// Writing the files is the caller's business (a folder for build, memory
// for serve), so rendering can run on every core.
//
// # Templates
//
// Every .html file of the theme is parsed once, at start. Page templates
// (home, strategy, backlog, document, page, trace, search, changes, 404
// and the optional per-kind and per-section ones) each define "main" and are
// executed through the "layout" template of layout.html; every other .html
// file (partials.html, and any a site adds) is shared by all pages. A
// document page uses the first of <kind>.html, <section>-document.html and
// document.html that exists. Files that are not .html are copied to
// assets/. Templates run with missingkey=error. The views (views.go) are
// pages of one template each, with data from one function. The manual's
// templates guide (content/guides/templates.md) documents the data each
// template receives, the functions, and how pages record what they read
// (deps.go) for the preview's rebuilds.
package render

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"

	"productdocs/generator/diag"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
)

// pageTemplates are the templates executed as whole pages; every other
// .html file is a partial.
var pageTemplates = map[string]bool{
	"home.html": true, "strategy.html": true, "backlog.html": true, "document.html": true,
	"page.html": true, "trace.html": true, "search.html": true, "404.html": true,
	"strategy-document.html": true, "backlog-document.html": true,
	"changes.html": true,
}

func isPageTemplate(name string) bool {
	if pageTemplates[name] || isView(name) {
		return true
	}
	k := model.LookupKind(strings.TrimSuffix(name, ".html"))
	return k != nil && strings.HasSuffix(name, ".html")
}

// Templates is a parsed theme.
type Templates struct {
	pages  map[string]*template.Template
	reads  map[string]*templateReads // by page template
	assets map[string][]byte         // by name under assets/
	user   map[string]bool           // the names that the site's templates/ folder gave
	// compiled are the page templates run by the compiled theme
	// (compile.go): those whose template set is the built-in one.
	compiled map[string]func(*bytes.Buffer, *Page) error
}

// treeLookup is a template's parse trees by name, for readsOf.
type treeLookup struct{ t *template.Template }

func (l treeLookup) Lookup(name string) *parse.Tree {
	if t := l.t.Lookup(name); t != nil {
		return t.Tree
	}
	return nil
}

// TemplateFile is how template problems are filed: templates/<name>.
func TemplateFile(name string) string { return "templates/" + name }

var tmplErrRE = regexp.MustCompile(`template: ([^:]+):(\d+)(?::(\d+))?: (.*)`)

// templateDiag turns a template error into a diagnostic naming the file and
// line.
func templateDiag(name string, err error) diag.Diagnostic {
	d := diag.Diagnostic{File: TemplateFile(name), Line: 1, Column: 1, Severity: diag.Error, Code: diag.CodeTemplate, Message: err.Error()}
	if m := tmplErrRE.FindStringSubmatch(err.Error()); m != nil {
		d.File = TemplateFile(m[1])
		d.Line, _ = strconv.Atoi(m[2])
		if m[3] != "" {
			d.Column, _ = strconv.Atoi(m[3])
		}
		d.Message = m[4]
	}
	return d
}

// LoadTemplates parses the built-in theme, with the files of user (a
// site's templates/ folder, or nil) replacing or adding to it.
func LoadTemplates(builtin, user fs.FS) (*Templates, []diag.Diagnostic) {
	files := map[string][]byte{}
	fromUser := map[string]bool{}
	for i, fsys := range []fs.FS{builtin, user} {
		if fsys == nil {
			continue
		}
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, []diag.Diagnostic{{File: "templates", Line: 1, Column: 1, Severity: diag.Error, Code: diag.CodeTemplate, Message: err.Error()}}
		}
		for _, e := range entries {
			// Go files are how the built-in theme is embedded; a site
			// whose templates/ folder is that theme's must not publish them.
			if e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			b, err := fs.ReadFile(fsys, e.Name())
			if err != nil {
				return nil, []diag.Diagnostic{{File: TemplateFile(e.Name()), Line: 1, Column: 1, Severity: diag.Error, Code: diag.CodeTemplate, Message: err.Error()}}
			}
			files[e.Name()] = b
			fromUser[e.Name()] = i == 1
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)

	t := &Templates{pages: map[string]*template.Template{}, reads: map[string]*templateReads{}, assets: map[string][]byte{}, user: fromUser}
	var ds []diag.Diagnostic
	base := template.New("").Funcs(funcs).Option("missingkey=error")
	for _, n := range names {
		switch {
		case !strings.HasSuffix(n, ".html"):
			t.assets[n] = files[n]
		case !isPageTemplate(n):
			if _, err := base.New(n).Parse(string(files[n])); err != nil {
				ds = append(ds, templateDiag(n, err))
			}
		}
	}
	if len(ds) > 0 {
		return nil, ds
	}
	for _, n := range names {
		if !strings.HasSuffix(n, ".html") || !isPageTemplate(n) {
			continue
		}
		clone := template.Must(base.Clone())
		if _, err := clone.New(n).Parse(string(files[n])); err != nil {
			ds = append(ds, templateDiag(n, err))
			continue
		}
		if clone.Lookup("layout") == nil {
			ds = append(ds, diag.Diagnostic{File: TemplateFile("layout.html"), Line: 1, Column: 1, Code: diag.CodeTemplate, Message: `no template defines "layout"`})
			break
		}
		t.pages[n] = clone
		t.reads[n] = readsOf(treeLookup{clone})
		memoise(clone)
	}
	for _, need := range []string{"home.html", "strategy.html", "backlog.html", "document.html", "page.html", "trace.html", "search.html", "404.html"} {
		if t.pages[need] == nil && len(ds) == 0 {
			ds = append(ds, diag.Diagnostic{File: TemplateFile(need), Line: 1, Column: 1, Code: diag.CodeTemplate, Message: "the theme has no " + need})
		}
	}
	for i := range ds {
		ds[i].Severity = diag.Error
	}
	if len(ds) > 0 {
		return nil, ds
	}
	t.compiled = compiledPages(builtin, t)
	return t, nil
}

// compiledPages are the compiled theme's pages that can stand for the
// templates of t: all, when the theme is the one they were made from,
// but a page template that the site's templates/ folder gave, and none
// when the folder gives a partial, which every page may call.
func compiledPages(builtin fs.FS, t *Templates) map[string]func(*bytes.Buffer, *Page) error {
	if compiledTheme == nil || builtin == nil {
		return nil
	}
	for n, u := range t.user {
		if u && strings.HasSuffix(n, ".html") && !isPageTemplate(n) {
			return nil
		}
	}
	hash, err := themeHash(builtin)
	if err != nil || !compiledTheme.usable(hash) {
		return nil
	}
	out := map[string]func(*bytes.Buffer, *Page) error{}
	for n, f := range compiledTheme.pages {
		if t.pages[n] != nil && !t.user[n] {
			out[n] = f
		}
	}
	return out
}

// Options are a build's settings.
type Options struct {
	Markdown markdown.Options
	// Live is a script URL to add to every page (the preview's live reload);
	// empty for a build.
	Live string
	// Record makes RenderDeps note what each page reads (the preview's
	// rebuilds need it; a build does not).
	Record bool
}

// Renderer renders the pages of one model.
type Renderer struct {
	Site *SiteView
	tmpl *Templates
	opts Options
	sigs sigs // of the inputs pages recorded, on this site

	clashes      []diag.Diagnostic // see Clashes; known once listed
	clashesKnown bool

	touchOnce   sync.Once
	touched     map[string]bool          // see touchedSince
	nearTouched map[string]bool          // the same, and their neighbours
	sigPrev     atomic.Pointer[Renderer] // whose signatures keptSig reuses
}

// New prepares to render site with the templates.
func New(site *SiteView, t *Templates, o Options) *Renderer {
	return &Renderer{Site: site, tmpl: t, opts: o}
}

// Job is one output file: its path in the output folder, and what makes it.
type Job struct {
	Path string // "backlog/story-1/index.html"
	URL  string // the page's URL from the root: "backlog/story-1/"
	Kind string // the template, or "asset", "content", "data"
	Doc  *model.Document
	Name string // asset or content file name
}

// OutputPath is the file a page URL is written to.
func OutputPath(url string) string {
	if folderURL(url) {
		return url + "index.html"
	}
	return url
}

// folderURL reports whether a page URL names a folder, written as its
// index.html.
func folderURL(url string) bool { return url == "" || strings.HasSuffix(url, "/") }

// Jobs lists every file of the output, sorted by path. Where two jobs
// write one path, the first listed is kept (a page the site makes before
// a document's page, a document's page before a copied file); Clashes
// reports it.
func (r *Renderer) Jobs() []Job { return sortJobs(r.jobList()) }

// jobList lists every file of the output, as it comes: the pages and
// files the site makes, the documents' pages, then the copied files.
func (r *Renderer) jobList() []Job {
	s := r.Site
	docs := s.Model.Docs
	jobs := make([]Job, 0, len(docs)+len(s.Model.Assets)+len(r.tmpl.assets)+16)
	page := func(url, kind string, d *model.Document) {
		jobs = append(jobs, Job{Path: OutputPath(url), URL: url, Kind: kind, Doc: d})
	}
	page("", "home.html", s.Home)
	page("strategy/", "strategy.html", s.StrategyPage)
	page("backlog/", "backlog.html", s.BacklogPage)
	jobs = append(jobs, s.listJobs()...)
	jobs = append(jobs, r.viewJobs()...)
	page("trace/", "trace.html", nil)
	for _, v := range views {
		for _, vp := range s.viewPages()[v.Template] {
			page(vp.URL, v.Template, nil)
		}
	}
	page("search/", "search.html", nil)
	page("changes/", "changes.html", nil)
	jobs = append(jobs, Job{Path: "404.html", URL: "", Kind: "404.html"})
	// A large site's jobs are mostly document pages: their paths are cut
	// from one block, and their templates looked up once a kind, rather
	// than two strings made for each.
	pathLen := func(url string) int {
		if folderURL(url) {
			return len(url) + len("index.html")
		}
		return len(url)
	}
	size := 0
	for _, d := range docs {
		size += pathLen(d.URL)
	}
	var b strings.Builder
	b.Grow(size)
	for _, d := range docs {
		b.WriteString(d.URL)
		if folderURL(d.URL) {
			b.WriteString("index.html")
		}
	}
	block := b.String()
	templates := map[*model.Kind]string{}
	for _, d := range docs {
		n := pathLen(d.URL)
		p := block[:n]
		block = block[n:]
		switch {
		case d == s.Home || d == s.StrategyPage || d == s.BacklogPage:
		case d.Kind == model.PageKind:
			jobs = append(jobs, Job{Path: p, URL: d.URL, Kind: "page.html", Doc: d})
		default:
			t, ok := templates[d.Kind]
			if !ok {
				t = r.docTemplate(d)
				templates[d.Kind] = t
			}
			jobs = append(jobs, Job{Path: p, URL: d.URL, Kind: t, Doc: d})
		}
	}
	jobs = append(jobs,
		Job{Path: "model.json", Kind: "data", Name: "model.json"},
		Job{Path: "search/index.js", Kind: "data", Name: "search-index"},
	)
	if s.BaseURL != "" {
		jobs = append(jobs, Job{Path: "sitemap.xml", Kind: "data", Name: "sitemap.xml"})
	}
	for n := range r.tmpl.assets {
		jobs = append(jobs, Job{Path: "assets/" + n, Kind: "asset", Name: n})
	}
	jobs = append(jobs, Job{Path: "assets/chroma.css", Kind: "asset", Name: "chroma.css"})
	for _, a := range s.Model.Assets {
		rel := strings.TrimPrefix(a, "content/")
		jobs = append(jobs, Job{Path: rel, Kind: "content", Name: a})
	}
	return jobs
}

// Clashes reports, as an output-clash diagnostic each (at the code's
// default severity), the files of the output that two jobs would write:
// a document or a copied file at a path the site makes (content/trace.md,
// content/model.json, content/assets/site.js, a strategy document whose
// ID is a page's name), a copied file at a document's page, a template
// named as a file the theme makes. Paths that differ only in case clash
// too: on the case-insensitive file systems of macOS and Windows, and on
// most static hosts' storage, one would overwrite the other. The first
// listed is what Jobs keeps; the diagnostic is at the other's file where
// it has one.
func (r *Renderer) Clashes() []diag.Diagnostic {
	if !r.clashesKnown {
		r.clashes, r.clashesKnown = clashes(r, r.jobList()), true
	}
	return r.clashes
}

func clashes(r *Renderer, jobs []Job) []diag.Diagnostic {
	first := make(map[string]int, len(jobs))
	var ds []diag.Diagnostic
	for i, j := range jobs {
		key := strings.ToLower(j.Path)
		k, ok := first[key]
		if !ok {
			first[key] = i
			continue
		}
		kept := jobs[k]
		if j == kept && j.Kind == "asset" && r.tmpl.user[j.Name] {
			// The same job twice: a template file of the site named as a
			// file the site makes after the templates' (chroma.css).
			ds = append(ds, clash(TemplateFile(j.Name), fmt.Sprintf("%s is made by the site (%s), so this template file is never published; rename it", j.Path, made[j.Name])))
			continue
		}
		file := r.jobFile(j)
		self, other := j, kept
		if file == "" {
			file, self, other = r.jobFile(kept), kept, j
		}
		if file == "" {
			continue // two files of the theme's own: not the site's doing
		}
		what, by := r.describe(self, true), r.describe(other, false)
		msg := fmt.Sprintf("%s is written twice: by %s and by %s; rename or move this file", self.Path, what, by)
		if kept.Path != j.Path {
			msg = fmt.Sprintf("%s and %s differ only in case, so one overwrites the other where names ignore case (macOS, Windows, most hosts): %s and %s; rename or move this file", self.Path, other.Path, what, by)
		}
		ds = append(ds, clash(file, msg))
	}
	return ds
}

// made names the files the site makes under assets/ after the theme's.
var made = map[string]string{"chroma.css": "the code highlighting styles"}

func clash(file, msg string) diag.Diagnostic {
	return diag.Diagnostic{File: file, Line: 1, Column: 1, Severity: diag.DefaultSeverity(diag.CodeOutputClash),
		Code: diag.CodeOutputClash, Message: msg}
}

// jobFile names the site's file that a job comes from, or "" for a page
// or a file that the site makes.
func (r *Renderer) jobFile(j Job) string {
	switch {
	case j.Kind == "content":
		return j.Name
	case j.Kind == "asset" && r.tmpl.user[j.Name]:
		return TemplateFile(j.Name)
	case j.Kind != "data" && j.Kind != "asset" && j.Doc != nil && j.Doc.File != "" && j.URL == j.Doc.URL:
		return j.Doc.File
	}
	return ""
}

// describe says what a job writes, for Clashes: of the file a diagnostic
// is at (self), or of the other.
func (r *Renderer) describe(j Job, self bool) string {
	file := r.jobFile(j)
	switch {
	case file != "" && self && j.Kind == "content":
		return "this copied file"
	case file != "" && self && j.Kind == "asset":
		return "this template file"
	case file != "" && self:
		return "this document's page"
	case file != "" && (j.Kind == "content" || j.Kind == "asset"):
		return "the copy of " + file
	case file != "":
		return "the page of " + file
	case j.Kind == "asset":
		return "the theme's " + j.Name
	case j.Kind == "data":
		return "the " + j.Path + " that the site makes"
	}
	return "the " + strings.TrimSuffix(j.Kind, ".html") + " page that the site makes"
}

// sortJobs sorts jobs by path, keeping one job of each path. Paths are
// sorted with their places alone, 24 bytes an element rather than a
// Job's 72, and the jobs then put in that order.
func sortJobs(jobs []Job) []Job {
	type key struct {
		path string
		i    int
	}
	keys := make([]key, len(jobs))
	for i, j := range jobs {
		keys[i] = key{j.Path, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.path, b.path); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i) // the first listed of a path is kept
	})
	out := make([]Job, 0, len(jobs))
	for k, key := range keys {
		if k > 0 && key.path == keys[k-1].path {
			continue
		}
		out = append(out, jobs[key.i])
	}
	return out
}

func (r *Renderer) docTemplate(d *model.Document) string {
	for _, n := range []string{d.Kind.Name + ".html", string(d.Kind.Section) + "-document.html"} {
		if r.tmpl.pages[n] != nil {
			return n
		}
	}
	return "document.html"
}

// Render writes one job's bytes to w, except content files, which the
// caller copies from the site (see Job.Name). A template that fails or
// panics is an error naming it.
func (r *Renderer) Render(j Job, w io.Writer) error {
	_, err := r.render(j, w, false)
	return err
}

// RenderDeps is Render, and returns what the job read (see Dep) when the
// renderer's options ask to record; a data file reads everything.
func (r *Renderer) RenderDeps(j Job, w io.Writer) ([]Dep, error) {
	return r.render(j, w, r.opts.Record)
}

func (r *Renderer) render(j Job, w io.Writer, record bool) (deps []Dep, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &TemplateError{Diag: diag.Diagnostic{File: TemplateFile(j.Kind), Line: 1, Column: 1, Severity: diag.Error, Code: diag.CodeTemplate,
				Message: fmt.Sprintf("rendering %s panicked: %v", j.Path, p)}}
		}
	}()
	switch j.Kind {
	case "asset":
		if j.Name == "chroma.css" {
			_, err = w.Write(markdown.HighlightCSS())
		} else {
			_, err = w.Write(r.tmpl.assets[j.Name])
		}
		return nil, err
	case "content":
		return nil, nil
	case "data":
		if record {
			deps = []Dep{{Kind: map[string]depKind{"model.json": depModel, "search-index": depSearch, "warnings": depWarnings}[j.Name]}}
			if deps[0].Kind == 0 {
				deps[0].Kind = depAll
			}
		}
		switch j.Name {
		case "model.json":
			return deps, r.modelJSON(w)
		case "search-index":
			return deps, r.searchIndex(w)
		case "sitemap.xml":
			return deps, r.sitemap(w)
		case "backlog-items":
			return deps, r.backlogItems(w)
		case "matrix.csv":
			return deps, r.matrixCSV(w)
		case "warnings":
			return deps, r.warningsData(w)
		}
		return nil, fmt.Errorf("unknown data file %s", j.Name)
	}
	p, err := r.page(j)
	if err != nil {
		return nil, err
	}
	if record {
		p.rec = &recorder{deps: map[Dep]struct{}{}}
		r.recordStatic(p)
	}
	if f := r.tmpl.compiled[j.Kind]; f != nil {
		if ok, err := runCompiled(f, w, p); ok || err != nil {
			if err != nil || !record {
				return nil, err
			}
			return p.rec.list(), nil
		}
	}
	t := r.tmpl.pages[j.Kind]
	if err := t.ExecuteTemplate(w, "layout", p); err != nil {
		return nil, &TemplateError{Diag: templateDiag(j.Kind, err)}
	}
	if record {
		return p.rec.list(), nil
	}
	return nil, nil
}

var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// runCompiled renders a page with its compiled template into w, and
// reports false when it failed or panicked, so that html/template renders
// it again and reports the error as a template's, with its position.
// A page is made in a buffer, w's own where w is one, and reaches w only
// whole.
func runCompiled(f func(*bytes.Buffer, *Page) error, w io.Writer, p *Page) (ok bool, err error) {
	b, direct := w.(*bytes.Buffer)
	if !direct {
		b = pageBufs.Get().(*bytes.Buffer)
		b.Reset()
		defer pageBufs.Put(b)
	}
	mark := b.Len()
	failed := func() (failed bool) {
		defer func() {
			if recover() != nil {
				failed = true
			}
		}()
		return f(b, p) != nil
	}()
	if failed {
		b.Truncate(mark)
		return false, nil
	}
	if !direct {
		_, err = w.Write(b.Bytes())
	}
	return true, err
}

// recordStatic records what a page reads outside its accessors: its own
// document and body, and the site's values its template names.
func (r *Renderer) recordStatic(p *Page) {
	tr := p.reads
	if tr == nil {
		p.rec.add(Dep{Kind: depAll})
		return
	}
	if tr.all {
		p.rec.add(Dep{Kind: depAll})
	}
	if d := p.Doc; d != nil {
		p.read(d)
		p.rec.add(Dep{Kind: depBody, Name: d.Path})
	}
	if p.view {
		p.rec.add(Dep{Kind: depView, Name: p.Template + " " + p.URL})
	}
	for _, s := range tr.site {
		k := depSite
		if tr.deep {
			k = depSiteNear
		}
		p.rec.add(Dep{Kind: k, Name: s})
	}
	for _, s := range tr.siteLen {
		p.rec.add(Dep{Kind: depLen, Name: s})
	}
}

// TemplateError is a template that failed while rendering a page.
type TemplateError struct {
	Diag diag.Diagnostic
}

func (e *TemplateError) Error() string { return e.Diag.String() }

// page prepares the data of a page.
func (r *Renderer) page(j Job) (*Page, error) {
	p := &Page{Site: r.Site, URL: j.URL, Template: j.Kind, Doc: j.Doc, Live: r.opts.Live, reads: r.tmpl.reads[j.Kind]}
	if j.Kind == "404.html" {
		p.is404 = true
	}
	switch j.Kind {
	case "home.html":
		p.Title = r.Site.Title
	case "strategy.html":
		p.Title, p.Section = "Strategy", model.Strategy
	case "backlog.html":
		p.Title, p.Section = "Backlog", model.Backlog
	case "trace.html":
		p.Title = "Traceability"
	case "search.html":
		p.Title = "Search"
	case "changes.html":
		p.Title = "Changes"
	case "404.html":
		p.Title = "Page not found"
	default:
		if vp, ok := r.Site.viewPage(j.Kind, j.URL); ok {
			p.Title, p.Data = vp.Title, vp.Data
			p.view = true
		}
	}
	if sec := viewSection(j.Kind); sec != "" {
		p.Section = sec
	}
	if d := j.Doc; d != nil {
		if j.Kind != "home.html" && j.Kind != "strategy.html" && j.Kind != "backlog.html" {
			p.Title = d.Title
			p.Section = d.Section
			if d.Kind != model.PageKind {
				p.Section = d.Kind.Section
			}
		}
		body, err := r.body(d, j.URL)
		if err != nil {
			return nil, err
		}
		p.Body = body
		if d.Body != nil && len(d.Body.Headings) >= 4 {
			for _, h := range d.Body.Headings {
				if h.Level == 2 || h.Level == 3 {
					p.TOC = append(p.TOC, h)
				}
			}
		}
	}
	return p, nil
}

// body renders a document's Markdown with its links pointed at the pages
// and files of the output, relative to the page at url.
func (r *Renderer) body(d *model.Document, url string) (template.HTML, error) {
	b := pageBufs.Get().(*bytes.Buffer)
	b.Reset()
	defer pageBufs.Put(b)
	if err := r.renderBody(b, d, url); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// renderBody is body, written into b.
func (r *Renderer) renderBody(b *bytes.Buffer, d *model.Document, url string) error {
	if d.Body == nil {
		return nil
	}
	links := d.BodyLinks
	resolve := func(i int, ml markdown.Link) (string, string) {
		if i >= len(links) { // the model resolves every link of the body
			return markdown.AsWritten(i, ml)
		}
		l := &links[i]
		switch {
		case l.Kind == markdown.External:
			return l.Target, ""
		case l.Kind == markdown.Anchor:
			return "#" + l.Anchor, ""
		case l.To != nil:
			target := Rel(url, l.To.URL)
			if l.Anchor != "" {
				target += "#" + l.Anchor
			}
			return target, l.To.Title
		case l.Asset != "":
			return Rel(url, l.Asset), ""
		}
		return "", ""
	}
	if err := d.Body.Render(b, r.opts.Markdown, resolve); err != nil {
		return fmt.Errorf("%s: %w", d.File, err)
	}
	return nil
}

// Rel is the relative link from the page at URL from to the site URL to.
// Both are paths from the site root; a folder ends in "/".
func Rel(from, to string) string {
	rel := up(strings.Count(from, "/")) + escapePath(to)
	if rel == "" {
		return "./"
	}
	// A first segment with a colon reads as a scheme: a page named
	// "javascript:alert(1)-x.md" would be a script link from the home page.
	// RFC 3986 §4.2 puts "./" before such a segment.
	if first, _, _ := strings.Cut(rel, "/"); strings.IndexByte(first, ':') >= 0 {
		rel = "./" + rel
	}
	return rel
}

// ups serves up for the depths of most sites without allocating: every
// page makes tens of links.
const ups = "../../../../../../../../../../"

// up is "../" depth times.
func up(depth int) string {
	if 3*depth <= len(ups) {
		return ups[:3*depth]
	}
	return strings.Repeat("../", depth)
}

func escapePath(p string) string {
	if !needsEscape(p) {
		return p
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = pathEscape(s)
	}
	return strings.Join(segs, "/")
}

// needsEscape reports whether url.PathEscape would change any of the
// "/"-separated segments of p: whether p has a byte other than letters,
// digits, the unreserved marks and the reserved characters allowed in a
// path segment. IDs and most paths have none.
func needsEscape(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		switch c {
		case '/', '-', '_', '.', '~', '$', '&', '+', ':', '=', '@':
			continue
		}
		return true
	}
	return false
}

var _ = path.Join

package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"productdocs/generator"
	"productdocs/generator/content"
	"productdocs/generator/diag"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
	"productdocs/generator/render"
)

// Output is one good build of the site, held in memory: what the server
// serves. It is immutable once a Builder returns it, so requests can read
// it while the next build is made.
type Output struct {
	// Build names this build; the live script reloads a page that was
	// served by another.
	Build string
	// Files are the rendered files by output path ("backlog/story-1/index.html").
	Files map[string][]byte
	// Copied are the site's own files copied to the output, by output path
	// ("img/flow.png"), with the file to read ("content/img/flow.png").
	Copied map[string]string
	Site   *generator.Site

	tmplGen int              // which parse of the templates rendered it
	sigs    []docSig         // by document index
	r       *render.Renderer // what rendered it, with the view of the site
	jobs    []render.Job     // all its files
	// entries are where the entries of its data files start, by path,
	// where known (see render.Renderer.Patch).
	entries map[string][]int
}

// Result says what one rebuild did.
type Result struct {
	// Output is the new build, or nil when the site has errors, in which
	// case the last good build stays served.
	Output *Output
	// Site is the site as loaded, errors and all.
	Site *generator.Site
	// Diagnostics are the site's problems, sorted.
	Diagnostics []diag.Diagnostic
	// Full is set when every page was rendered again.
	Full bool
	// Rendered are the output paths rendered again, sorted.
	Rendered []string
	// Changed are the URLs whose bytes changed, appeared or went away,
	// from the root ("/backlog/story-1/", "/assets/style.css"), sorted.
	Changed []string
	// Took is how long the rebuild took.
	Took time.Duration
}

// Failed reports whether the site has errors, so nothing was rendered.
func (r *Result) Failed() bool { return r.Output == nil }

// Pages counts the HTML pages rendered again.
func (r *Result) Pages() int {
	n := 0
	for _, p := range r.Rendered {
		if path.Ext(p) == ".html" {
			n++
		}
	}
	return n
}

// Builder keeps the last good build of a site and brings it up to date
// for the files that changed, rendering again only the pages whose inputs
// changed. Its methods must not be called concurrently; the Outputs it
// returns may be read from any goroutine.
//
// What a page depends on, with the built-in theme: a document's page shows
// the document, the documents it names and that name it (references, body
// links, back-links, mentions), its why-chain up the traces links, the
// site's title and document count, and in the pages section the list of
// plain pages. The listing pages (home, strategy, backlog, trace, search,
// 404) and the data files (model.json, the search index, the sitemap) show
// many documents' fields and the warnings. So a change to a document's
// fields, title, references or links (its meta) renders again its page,
// its neighbours' pages in the old and the new model, the pages of every
// document whose why-chain passes through it, and of the listings those
// that show it: the lists and parts of the tree it is in, the rows that
// show what it serves or addresses, the figures and warnings when they
// change (render.Renderer.Stale says which); search and 404 show the plain
// pages only. A change to its body alone renders its page and the search
// index. The data files are written again only in the entries of the
// documents the change touched (render.Renderer.Patch). A document added,
// removed or moved to another URL, a change of settings or templates, or a
// site with templates of its own (which may show anything anywhere)
// renders everything.
//
// The model, the view of the site and the list of files are made from the
// last good build's (model.Next, render.NextSite, render.NextJobs), and
// only the documents an edit touched are checked again
// (generator.LoadIncremental). Tests check every rule against a full
// build, byte for byte.
type Builder struct {
	fsys    fs.FS
	live    string
	baseURL string
	seed    maphash.Seed
	id      string // this process's builds: "3fa9c1-" and a count

	count   int
	loaded  *generator.Site   // the last site loaded, good or not, for its sources
	tmpl    *render.Templates // the parsed templates, nil when they must be parsed again
	tmplGen int
	own     bool // the site has templates of its own
	good    *Output
	// Early, when set, is called during a rebuild that renders both
	// documents' pages and listings, once the pages are done, with a
	// Result whose Output has the new pages and the old listings. Rebuild
	// then renders the listings and returns the whole Result, whose
	// Changed includes the early Changed.
	Early func(*Result)

	// copiedChanged are the site's own files that changed since the last
	// good build, so that its change list names them even when builds
	// with errors came between.
	copiedChanged map[string]bool
}

// NewBuilder prepares to build the site whose root is fsys. live is the
// URL of the live-reload script put into every page ("" for none);
// baseURL, when set, overrides the site's base_url.
func NewBuilder(fsys fs.FS, live, baseURL string) *Builder {
	var id [3]byte
	_, _ = rand.Read(id[:])
	if baseURL != "" {
		// A folder, as build takes it: page URLs are appended.
		baseURL = strings.TrimSuffix(baseURL, "/") + "/"
	}
	return &Builder{fsys: fsys, live: live, baseURL: baseURL, seed: maphash.MakeSeed(),
		id: hex.EncodeToString(id[:]) + "-", copiedChanged: map[string]bool{}}
}

// Current is the last good build, or nil.
func (b *Builder) Current() *Output { return b.good }

// Rebuild brings the build up to date. changed names the files and
// folders that changed, as slash paths from the site root; all set means
// that changes may have been missed, so everything is read again. An
// error means the site could not be read; problems in it are the
// Result's diagnostics.
func (b *Builder) Rebuild(ctx context.Context, changed []string, all bool) (*Result, error) {
	start := time.Now()
	tmplChanged := all || b.tmpl == nil
	for _, p := range changed {
		switch {
		case p == "templates" || strings.HasPrefix(p, "templates/"):
			tmplChanged = true
		case strings.HasPrefix(p, content.Dir+"/") && !strings.HasSuffix(p, ".md"):
			b.copiedChanged[p] = true
		}
	}
	if all {
		b.loaded = nil
	}
	site, err := generator.LoadIncremental(ctx, b.fsys, b.loaded, changed)
	if err != nil {
		b.loaded = nil // read everything next time
		return nil, err
	}
	b.loaded = site
	if b.baseURL != "" {
		site.Settings.BaseURL = b.baseURL
	}
	res := &Result{Site: site}
	if tmplChanged {
		t, ds := site.Templates()
		b.tmpl, b.tmplGen = t, b.tmplGen+1
		if len(ds) > 0 {
			site.Diagnostics = diag.Sort(append(site.Diagnostics, ds...))
		}
		b.own = ownTemplates(b.fsys)
	}
	res.Diagnostics = site.Diagnostics
	if site.Failed(false) {
		res.Took = time.Since(start)
		return res, nil
	}

	// The view, the file list and the data files are made from the last
	// good build's where the model was made from its model (model.Next):
	// on a large site, sorting and listing the whole site again would take
	// most of a rebuild.
	var prev *render.Renderer
	var prevView *render.Site
	var prevJobs []render.Job
	var delta *model.Delta
	if b.good != nil {
		prev, prevView, prevJobs = b.good.r, b.good.r.Site, b.good.jobs
		delta = model.Diff(b.good.Site.Model, site.Model)
	}
	view := render.NextSite(prevView, site.Model, site.Settings.Title, site.Settings.BaseURL, site.Settings.EditURL, site.Diagnostics)
	view.Today = render.Today()
	r := render.New(view, b.tmpl, render.Options{Markdown: markdown.Options{UnsafeHTML: site.Settings.UnsafeHTML}, Live: b.live})
	jobs := r.NextJobs(prev, prevJobs)
	plan, sigs := b.plan(site, delta)
	if delta != nil && plan.listings {
		// Which listing pages show what changed, page by page: of a large
		// site's backlog and tree, split over pages, an edit reaches one
		// or two.
		plan.stale = r.Stale(prev, plan.meta)
	}
	// patch makes a data file from the last good build's; its entries'
	// starts go to entries, as patch may be called by any renderJobs worker.
	var mu sync.Mutex
	entries := map[string][]int{}
	if !plan.full && b.good.entries != nil {
		entries = maps.Clone(b.good.entries) // of the files not rendered again
	}
	patch := func(j render.Job) ([]byte, bool) {
		if j.Kind != "data" {
			return nil, false
		}
		var out []byte
		var starts []int
		ok := false
		if !plan.full && delta != nil {
			out, starts, ok = r.Patch(j, prev, b.good.Files[j.Path], b.good.entries[j.Path], delta.Touched)
		}
		mu.Lock()
		entries[j.Path] = starts // nil, unknown, when rendered in full
		mu.Unlock()
		return out, ok
	}
	todo := jobs
	if !plan.full {
		todo = slices.DeleteFunc(slices.Clone(jobs), func(j render.Job) bool { return !plan.wants(j) })
	}
	// The pages of the changed documents first, then the listings, when
	// Early wants the pages: on a big site the listings take most of the
	// time, and the page being edited is the one a writer looks at.
	phases := [][]render.Job{todo}
	if b.Early != nil && !plan.full && b.good != nil {
		lists := slices.DeleteFunc(slices.Clone(todo), func(j render.Job) bool { return !listing(j) })
		pages := slices.DeleteFunc(slices.Clone(todo), listing)
		if len(pages) > 0 && len(lists) > 0 {
			phases = [][]render.Job{pages, lists}
		}
	}
	changedURLs := map[string]bool{}
	var o *Output
	for i, phase := range phases {
		out, err := renderJobs(ctx, r, phase, patch)
		if err != nil {
			var te *render.TemplateError
			if errors.As(err, &te) {
				site.Diagnostics = diag.Sort(append(site.Diagnostics, te.Diag))
				res.Diagnostics = site.Diagnostics
				res.Took = time.Since(start)
				return res, nil
			}
			return nil, err
		}
		o = b.assemble(o, site, r, sigs, jobs, phase, out, plan.full, res, changedURLs)
		o.entries = maps.Clone(entries)
		res.Changed = slices.Sorted(maps.Keys(changedURLs))
		slices.Sort(res.Rendered)
		res.Full = plan.full
		res.Output = o
		res.Took = time.Since(start)
		if i < len(phases)-1 {
			early := *res
			early.Rendered = slices.Clone(res.Rendered)
			b.Early(&early)
		}
	}
	clear(b.copiedChanged)
	b.good = o
	return res, nil
}

// listing reports whether a job is a listing page or a data file: those
// show every document, so they are rendered after the documents' pages.
func listing(j render.Job) bool {
	return j.Kind == "data" || j.Doc == nil || j.Kind == "home.html" || j.Kind == "strategy.html" || j.Kind == "backlog.html"
}

// assemble makes the Output of a rebuild's phase: base's files (or the
// last good build's, for the first phase) with the phase's jobs rendered.
// It records in res and changed what was rendered and which URLs differ
// from the last good build.
func (b *Builder) assemble(base *Output, site *generator.Site, r *render.Renderer, sigs []docSig, jobs, phase []render.Job, out [][]byte, full bool, res *Result, changed map[string]bool) *Output {
	b.count++
	o := &Output{Build: fmt.Sprintf("%s%d", b.id, b.count), Site: site, tmplGen: b.tmplGen, sigs: sigs, r: r, jobs: jobs}
	var prev map[string][]byte
	if b.good != nil {
		prev = b.good.Files
	}
	switch {
	case base != nil:
		o.Files, o.Copied = maps.Clone(base.Files), base.Copied
	case full || b.good == nil:
		o.Files = make(map[string][]byte, len(jobs))
	default:
		o.Files = maps.Clone(b.good.Files)
	}
	for i, j := range phase {
		if j.Kind == "content" {
			continue
		}
		res.Rendered = append(res.Rendered, j.Path)
		if old, ok := prev[j.Path]; !ok || !bytes.Equal(old, out[i]) {
			changed[URL(j.Path)] = true
		}
		o.Files[j.Path] = out[i]
	}
	if base != nil {
		return o
	}
	o.Copied = map[string]string{}
	for _, j := range jobs {
		if j.Kind == "content" {
			o.Copied[j.Path] = j.Name
		}
	}
	if b.good == nil {
		return o
	}
	if full {
		for p := range b.good.Files {
			if _, ok := o.Files[p]; !ok {
				changed[URL(p)] = true
			}
		}
	}
	for p, name := range o.Copied {
		if _, ok := b.good.Copied[p]; !ok || b.copiedChanged[name] {
			changed[URL(p)] = true
		}
	}
	for p := range b.good.Copied {
		if _, ok := o.Copied[p]; !ok {
			changed[URL(p)] = true
		}
	}
	return o
}

// URL is the address, from the root, of an output file: "/" for
// index.html, "/backlog/story-1/" for backlog/story-1/index.html.
func URL(outputPath string) string {
	if outputPath == "index.html" {
		return "/"
	}
	if strings.HasSuffix(outputPath, "/index.html") {
		return "/" + strings.TrimSuffix(outputPath, "index.html")
	}
	return "/" + outputPath
}

// ownTemplates reports whether the site has page templates of its own.
func ownTemplates(fsys fs.FS) bool {
	entries, _ := fs.ReadDir(fsys, "templates")
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".html") && !strings.HasPrefix(e.Name(), ".") {
			return true
		}
	}
	return false
}

// docSig is what other pages may show of a document, hashed, with the
// body it was computed from.
type docSig struct {
	body *markdown.Doc
	meta uint64
}

// sig returns the signature of d, the document at index i, reusing the
// last good build's when d was made from the same parsed body: a
// document's meta is a function of its own file, but for how its links
// resolve, and links resolve differently only when a document or a
// copied file comes or goes, or moves, which makes the build full, or has
// signatures made afresh.
func (b *Builder) sig(i int, d *model.Document) docSig {
	if s := b.good.sigs[i]; s.body == d.Body && d.Body != nil {
		return s
	}
	return docSig{body: d.Body, meta: b.meta(d)}
}

// meta hashes everything of a document that a page other than its own may
// show (see Builder), and the resolution of its links.
func (b *Builder) meta(d *model.Document) uint64 {
	var h maphash.Hash
	h.SetSeed(b.seed)
	str := func(ss ...string) {
		for _, s := range ss {
			h.WriteString(s)
			h.WriteByte(0)
		}
	}
	file := func(d *model.Document) string {
		if d == nil {
			return ""
		}
		return d.File
	}
	str(d.ID, d.Kind.Name, string(d.Section), d.File, d.URL, d.Title, d.Summary, d.Status, d.Owner, d.Updated)
	str(d.Tags...)
	fmt.Fprintf(&h, "\x01%#v\x01%#v\x01", d.Fields, d.KeyResults)
	if d.Extra != nil {
		fmt.Fprintf(&h, "%#v", d.Extra.Interface())
	}
	for _, r := range d.Refs {
		str("\x02", r.Field, r.ID, file(r.To))
	}
	for _, l := range d.BodyLinks {
		// Not l.OK: whether an anchor exists shows in diagnostics only.
		fmt.Fprintf(&h, "\x03%d %t\x00", l.Kind, l.Image)
		str(l.Target, l.Anchor, l.Asset, file(l.To))
	}
	c, t := render.Criteria(d)
	fmt.Fprintf(&h, "\x04%d/%d", c, t)
	return h.Sum64()
}

// plan is what a rebuild renders.
type plan struct {
	full     bool
	m        *model.Site // the new model, whose documents the jobs name
	docs     []bool      // by document index (the same in both models unless full): whose pages to render
	listings bool        // the listing pages and data files
	nav      bool        // the pages that show nothing but the navigation
	search   bool        // the search index
	meta     []bool      // by document index: the documents whose meta changed
	// stale, when set, tells which listing pages to render when listings
	// is set.
	stale func(render.Job) bool
}

func (p *plan) wants(j render.Job) bool {
	switch {
	case j.Kind == "content" || j.Kind == "asset":
		return false // copied, or theme files: they change with the templates only
	case j.Kind == "data":
		return p.listings || (p.search && j.Name == "search-index")
	case j.Doc != nil && p.docs[p.m.IndexOf(j.Doc)]:
		return true
	case p.stale != nil && listing(j):
		return p.listings && p.stale(j)
	case j.Kind == "search.html" || j.Kind == "404.html":
		// They show the site's title and size, and the pages section's
		// navigation, which lists the plain pages: no other document.
		return p.nav
	case listing(j):
		return p.listings
	}
	return p.docs[p.m.IndexOf(j.Doc)]
}

// plan compares site with the last good build and decides what to render.
// It returns the new site's document signatures too. delta is how the
// model differs from the last good build's, when it was made from it.
func (b *Builder) plan(site *generator.Site, delta *model.Delta) (*plan, []docSig) {
	p := &plan{m: site.Model, docs: make([]bool, len(site.Model.Docs)), meta: make([]bool, len(site.Model.Docs))}
	good := b.good
	docs := site.Model.Docs
	sigs := make([]docSig, len(docs))
	full := good == nil || good.tmplGen != b.tmplGen || b.own ||
		!reflect.DeepEqual(good.Site.Settings, site.Settings) || len(good.Site.Model.Docs) != len(docs)
	if !full && delta == nil {
		for i, n := range docs {
			o := good.Site.Model.Docs[i]
			if o.File != n.File || o.ID != n.ID || o.URL != n.URL || o.Kind != n.Kind {
				full = true
				break
			}
		}
	}
	changed := docs // the documents whose signatures may differ
	switch {
	case full || !slices.Equal(good.Site.Model.Assets, site.Model.Assets):
		// A copied file that comes or goes changes how links resolve: no
		// signature of the last build can be trusted.
		for i, d := range docs {
			sigs[i] = docSig{body: d.Body, meta: b.meta(d)}
		}
	case delta != nil:
		// Only the edited documents' own files changed, and the rest
		// resolve their links as before.
		copy(sigs, good.sigs)
		for _, d := range delta.Edited {
			sigs[d.Index()] = docSig{body: d.Body, meta: b.meta(d)}
		}
		changed = delta.Edited
	default:
		for i, d := range docs {
			sigs[i] = b.sig(i, d)
		}
	}
	if full {
		p.full = true
		return p, sigs
	}
	oldModel, newModel := good.Site.Model, site.Model
	for _, n := range changed {
		i := n.Index()
		o := oldModel.Docs[i]
		switch {
		case sigs[i].meta != good.sigs[i].meta:
			p.listings = true
			p.meta[i] = true
			p.touch(o)
			p.touch(n)
			if n.Kind == model.PageKind {
				// The pages section's navigation lists every plain page.
				p.nav = true
				for _, d := range newModel.Docs {
					if d.Kind == model.PageKind {
						p.docs[d.Index()] = true
					}
				}
			}
		case n.Body != o.Body && (n.Body == nil || o.Body == nil || !bytes.Equal(n.Body.Source, o.Body.Source)):
			p.docs[n.Index()] = true
			p.search = true
		}
	}
	if !slices.Equal(good.Site.Diagnostics, site.Diagnostics) {
		p.listings = true // warnings are on the home and trace pages
		// A document's page shows its own diagnostics.
		for _, f := range changedFiles(good.Site.Diagnostics, site.Diagnostics) {
			if d := newModel.ByPath(strings.TrimPrefix(f, "content/")); d != nil {
				p.docs[d.Index()] = true
			}
		}
	}
	return p, sigs
}

// changedFiles are the files whose diagnostics differ between a and b.
func changedFiles(a, b []diag.Diagnostic) []string {
	byFile := func(ds []diag.Diagnostic) map[string][]diag.Diagnostic {
		m := map[string][]diag.Diagnostic{}
		for _, d := range ds {
			m[d.File] = append(m[d.File], d)
		}
		return m
	}
	ma, mb := byFile(a), byFile(b)
	var out []string
	for f, ds := range ma {
		if !slices.Equal(ds, mb[f]) {
			out = append(out, f)
		}
	}
	for f := range mb {
		if _, ok := ma[f]; !ok {
			out = append(out, f)
		}
	}
	return out
}

// touch marks the pages that show d: its own, its neighbours', and those
// of every document whose why-chain passes through it.
func (p *plan) touch(d *model.Document) {
	p.docs[d.Index()] = true
	for _, r := range d.Refs {
		if r.To != nil {
			p.docs[r.To.Index()] = true
		}
	}
	for _, r := range d.Backlinks {
		p.docs[r.From.Index()] = true
	}
	for _, m := range d.Mentions {
		p.docs[m.Index()] = true
	}
	for _, l := range d.BodyLinks {
		if l.To != nil {
			p.docs[l.To.Index()] = true
		}
	}
	seen := map[*model.Document]bool{d: true}
	queue := []*model.Document{d}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, r := range cur.Backlinks {
			if r.Field == "traces" && !seen[r.From] {
				seen[r.From] = true
				p.docs[r.From.Index()] = true
				queue = append(queue, r.From)
			}
		}
		// A release's page groups its items by their epics.
		for _, r := range cur.Refs {
			if r.Field == "release" && r.To != nil {
				p.docs[r.To.Index()] = true
			}
		}
	}
	// The pages of everything above d roll its progress up, and a
	// persona's page shows how far the work on its feedback has come.
	up := map[*model.Document]bool{d: true}
	queue = append(queue[:0], d)
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, r := range cur.Refs {
			if r.To == nil {
				continue
			}
			if r.Field == "addresses" {
				for _, per := range r.To.RefsTo("personas") {
					p.docs[per.Index()] = true
				}
			}
			if r.Field == "traces" && !up[r.To] {
				up[r.To] = true
				if render.RollsUp(r.To.Kind) {
					p.docs[r.To.Index()] = true
				}
				queue = append(queue, r.To)
			}
		}
	}
}

// renderJobs renders jobs on every core; out[i] holds jobs[i]'s bytes (nil
// for files copied from the site). A job that patch makes is not
// rendered. The first error stops the work.
func renderJobs(ctx context.Context, r *render.Renderer, jobs []render.Job, patch func(render.Job) ([]byte, bool)) ([][]byte, error) {
	out := make([][]byte, len(jobs))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(jobs))) {
		wg.Go(func() {
			var buf bytes.Buffer
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				if jobs[i].Kind == "content" {
					continue
				}
				if b, ok := patch(jobs[i]); ok {
					out[i] = b
					continue
				}
				buf.Reset()
				if err := r.Render(jobs[i], &buf); err != nil {
					cancel(err)
					return
				}
				out[i] = bytes.Clone(buf.Bytes())
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

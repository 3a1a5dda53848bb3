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

	tmplGen int               // which parse of the templates rendered it
	sigs    map[string]docSig // by document file
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
// every document's fields and the warnings. So a change to a document's
// fields, title, references or links (its meta) renders again its page,
// its neighbours' pages in the old and the new model, the pages of every
// document whose why-chain passes through it, and the listings; a change
// to its body alone renders its page and the search index. A document
// added, removed or moved to another URL, a change of settings or
// templates, or a site with templates of its own (which may show anything
// anywhere) renders everything. Tests check every rule against a full
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

	r := site.RendererWith(b.tmpl, b.live)
	jobs := r.Jobs()
	sigs := make(map[string]docSig, len(site.Model.Docs))
	plan := b.plan(site, sigs)
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
		out, err := renderJobs(ctx, r, phase)
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
		o = b.assemble(o, site, sigs, jobs, phase, out, plan.full, res, changedURLs)
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
func (b *Builder) assemble(base *Output, site *generator.Site, sigs map[string]docSig, jobs, phase []render.Job, out [][]byte, full bool, res *Result, changed map[string]bool) *Output {
	b.count++
	o := &Output{Build: fmt.Sprintf("%s%d", b.id, b.count), Site: site, tmplGen: b.tmplGen, sigs: sigs}
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

// sig returns d's signature, reusing the last good build's when d was
// made from the same parsed body: a document's meta is a function of its
// own file, but for how its links resolve, and links resolve differently
// only when a document or a copied file comes or goes, or moves, which
// makes the build full and skips signatures.
func (b *Builder) sig(d *model.Document) docSig {
	if b.good != nil {
		if s, ok := b.good.sigs[d.File]; ok && s.body == d.Body && d.Body != nil {
			return s
		}
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
	docs     map[string]bool // document files whose pages to render
	listings bool            // the listing pages and data files
	search   bool            // the search index
}

func (p *plan) wants(j render.Job) bool {
	switch {
	case j.Kind == "content" || j.Kind == "asset":
		return false // copied, or theme files: they change with the templates only
	case j.Kind == "data":
		return p.listings || (p.search && j.Name == "search-index")
	case j.Doc == nil || j.Kind == "home.html" || j.Kind == "strategy.html" || j.Kind == "backlog.html":
		return p.listings || (j.Doc != nil && p.docs[j.Doc.File])
	}
	return p.docs[j.Doc.File]
}

// plan compares site with the last good build and decides what to render,
// filling sigs with the new site's document signatures.
func (b *Builder) plan(site *generator.Site, sigs map[string]docSig) *plan {
	p := &plan{docs: map[string]bool{}}
	good := b.good
	full := good == nil || good.tmplGen != b.tmplGen || b.own ||
		!reflect.DeepEqual(good.Site.Settings, site.Settings) || len(good.Site.Model.Docs) != len(site.Model.Docs)
	if !full {
		for i, n := range site.Model.Docs {
			o := good.Site.Model.Docs[i]
			if o.File != n.File || o.ID != n.ID || o.URL != n.URL || o.Kind != n.Kind {
				full = true
				break
			}
		}
	}
	if full || !slices.Equal(good.Site.Model.Assets, site.Model.Assets) {
		// A copied file that comes or goes changes how links resolve: no
		// signature of the last build can be trusted.
		for _, d := range site.Model.Docs {
			sigs[d.File] = docSig{body: d.Body, meta: b.meta(d)}
		}
	} else {
		for _, d := range site.Model.Docs {
			sigs[d.File] = b.sig(d)
		}
	}
	if full {
		p.full = true
		return p
	}
	oldModel, newModel := good.Site.Model, site.Model
	for i, n := range newModel.Docs {
		o := oldModel.Docs[i]
		switch {
		case sigs[n.File].meta != good.sigs[n.File].meta:
			p.listings = true
			p.touch(o)
			p.touch(n)
			if n.Kind == model.PageKind {
				// The pages section's navigation lists every plain page.
				for _, d := range newModel.Docs {
					if d.Kind == model.PageKind {
						p.docs[d.File] = true
					}
				}
			}
		case n.Body != o.Body && (n.Body == nil || o.Body == nil || !bytes.Equal(n.Body.Source, o.Body.Source)):
			p.docs[n.File] = true
			p.search = true
		}
	}
	if !slices.Equal(good.Site.Diagnostics, site.Diagnostics) {
		p.listings = true // warnings are on the home and trace pages
	}
	return p
}

// touch marks the pages that show d: its own, its neighbours', and those
// of every document whose why-chain passes through it.
func (p *plan) touch(d *model.Document) {
	p.docs[d.File] = true
	for _, r := range d.Refs {
		if r.To != nil {
			p.docs[r.To.File] = true
		}
	}
	for _, r := range d.Backlinks {
		p.docs[r.From.File] = true
	}
	for _, m := range d.Mentions {
		p.docs[m.File] = true
	}
	for _, l := range d.BodyLinks {
		if l.To != nil {
			p.docs[l.To.File] = true
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
				p.docs[r.From.File] = true
				queue = append(queue, r.From)
			}
		}
	}
}

// renderJobs renders jobs on every core; out[i] holds jobs[i]'s bytes (nil
// for files copied from the site). The first error stops the work.
func renderJobs(ctx context.Context, r *render.Renderer, jobs []render.Job) ([][]byte, error) {
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

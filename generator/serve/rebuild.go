package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
	// copies are the bytes of Copied, by output path, read when the build
	// was made (see snapshot.go): what the server sends.
	copies map[string][]byte

	tmplGen int              // which parse of the templates rendered it
	r       *render.Renderer // what rendered it, with the view of the site
	jobs    []render.Job     // all its files
	// made are the jobs by output path, with what each read while it
	// rendered, in the build that last rendered it.
	made map[string]made
}

// made is one rendered file: the job, and the inputs it read.
type made struct {
	job  render.Job
	deps []render.Dep
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
	// Unchanged is set when every file the change names is as the last
	// rebuild read it and that rebuild's Output is current, so nothing
	// was done: the events of one save that reach the watcher after the
	// batch of its end make a batch of their own.
	Unchanged bool
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
// It knows nothing of what a page shows. Each page notes what it reads
// while it renders (render.Dep: documents, bodies, the site's lists and
// figures); a rebuild renders again the pages whose noted inputs have
// other signatures on the new site (render.Renderer.Changed), the pages
// that are new or made by another template or of another document, and
// everything when the templates or the settings changed. This holds for
// a site's own templates as for the built-in theme.
type Builder struct {
	fsys    fs.FS
	live    string
	baseURL string
	id      string // this process's builds: "3fa9c1-" and a count

	count   int
	loaded  *generator.Site   // the last site loaded, good or not, for its sources
	tmpl    *render.Templates // the parsed templates, nil when they must be parsed again
	tmplGen int
	good    *Output

	// Load is what the site is loaded with (its date, history and
	// audience); a change keeps it.
	Load generator.LoadOptions

	// copiedChanged are the site's own files that changed since the last
	// good build, so that its change list names them even when builds
	// with errors came between.
	copiedChanged map[string]bool
	copiesStale   bool // see snapshot

	// sums are the files the batches named, as the rebuild that last
	// named each read them; current is set while the Output of the last
	// rebuild, good, is Current, with diags its diagnostics. See
	// unchanged.
	sums    map[string]fileSum
	current bool
	diags   []diag.Diagnostic

	// Early, when set, is called during a rebuild that renders other
	// files besides the pages of the changed documents, once those pages
	// are rendered, with a Result whose Output holds them and the last
	// good build's other files. Rebuild then renders the rest and
	// returns the whole Result, whose Changed includes the early one's.
	// The page being edited is the one its writer looks at, and on a
	// large site the listings and data files that show the same change
	// take many times as long as it does.
	Early func(*Result)
}

// NewBuilder prepares to build the site whose root is fsys. live is the
// URL of the live-reload script put into every page ("" for none);
// baseURL, when set, overrides the site's base_url.
func NewBuilder(fsys fs.FS, live, baseURL string) *Builder {
	var id [3]byte
	_, _ = rand.Read(id[:])
	return &Builder{fsys: fsys, live: live, baseURL: baseURL,
		id: hex.EncodeToString(id[:]) + "-", copiedChanged: map[string]bool{}}
}

// Current is the last good build, or nil.
func (b *Builder) Current() *Output { return b.good }

// Rebuild brings the build up to date for c, the files and folders that
// changed (c.Paths, slash paths from the site root) or, with c.All, the
// news that changes may have been missed, so that everything is read
// again. An error means the site could not be read, or rendering failed
// for a reason other than a template's; problems in the site are the
// Result's diagnostics. Either way, a rebuild that fails publishes
// nothing: the last good build stays Current.
func (b *Builder) Rebuild(ctx context.Context, c model.Change) (*Result, error) {
	start := time.Now()
	all := c.All
	if b.unchanged(c.Paths, all) {
		return &Result{Output: b.good, Site: b.loaded, Diagnostics: b.diags, Unchanged: true, Took: time.Since(start)}, nil
	}
	b.current = false
	tmplChanged := all || b.tmpl == nil
	for _, p := range c.Paths {
		switch {
		case p == "templates" || strings.HasPrefix(p, "templates/"):
			tmplChanged = true
		case strings.HasPrefix(p, content.Dir+"/") && !strings.HasSuffix(p, ".md"):
			b.copiedChanged[p] = true
		case p == content.Dir:
			b.copiesStale = true
		}
	}
	if all {
		b.loaded = nil
		b.copiesStale = true // changes may have been missed: read every copy again
	}
	var site *generator.Site
	var err error
	if b.loaded == nil {
		site, err = generator.LoadWith(ctx, b.fsys, b.Load)
	} else {
		site, err = generator.LoadIncremental(ctx, b.fsys, b.loaded, c)
	}
	if err != nil {
		b.loaded = nil // read everything next time
		return nil, err
	}
	b.loaded = site
	res := &Result{Site: site}
	var tmplDiags []diag.Diagnostic
	if tmplChanged {
		t, ds := site.Templates()
		b.tmpl, b.tmplGen = t, b.tmplGen+1
		tmplDiags = ds
	}
	res.Diagnostics = site.Diagnostics
	if len(tmplDiags) > 0 {
		res.Diagnostics = diag.Sort(append(slices.Clone(site.Diagnostics), tmplDiags...))
	}
	if b.tmpl == nil || site.Failed(false) {
		res.Took = time.Since(start)
		return res, nil
	}

	r := generator.NewRenderer(site, b.tmpl, generator.RenderOptions{BaseURL: b.baseURL, Live: b.live, Record: true}, b.prevView())
	good := b.good
	// The public site's model is made whole for every change (model.Public),
	// so its pages are too.
	full := good == nil || good.tmplGen != b.tmplGen || !reflect.DeepEqual(good.Site.Settings, site.Settings) || site.Public != nil
	fail := func(err error) (*Result, error) {
		var te *render.TemplateError
		if errors.As(err, &te) {
			res.Diagnostics = diag.Sort(append(slices.Clone(res.Diagnostics), te.Diag))
			res.Took = time.Since(start)
			return res, nil
		}
		return nil, err
	}
	// The changed documents' own pages first, when Early wants them.
	// They are stale whatever they read, and a document that kept its
	// URL and kind keeps its page's job, so they wait neither for the
	// list of every file (on a large site, longer than the page takes)
	// nor for the staleness of the others to be known.
	first := b.earlyJobs(site, c.Paths, full)
	var firstOut [][]byte
	var firstDeps [][]render.Dep
	if len(first) > 0 {
		if firstOut, firstDeps, err = renderJobs(ctx, r, first); err != nil {
			return fail(err)
		}
		early := &Result{Site: site, Diagnostics: res.Diagnostics}
		urls := map[string]bool{}
		early.Output = b.assemble(site, r, good.jobs, first, firstOut, firstDeps, false, early, urls)
		early.Changed = slices.Sorted(maps.Keys(urls))
		early.Took = time.Since(start)
		if len(early.Changed) > 0 {
			b.Early(early)
		}
	}
	jobs := r.Jobs()
	// Two files at one output path fail the rebuild as they fail a build.
	if ds := site.Settings.Checks.Apply(r.Clashes()); len(ds) > 0 {
		res.Diagnostics = diag.Sort(slices.Concat(res.Diagnostics, ds))
		if errs, _ := diag.Count(res.Diagnostics); errs > 0 {
			res.Took = time.Since(start)
			return res, nil
		}
	}
	// An early page whose job the whole list does not have as it was
	// (the file now makes no page, say) is left to the rest.
	done := map[string]bool{}
	if len(first) > 0 {
		byPath := map[string]render.Job{}
		for _, j := range jobs {
			byPath[j.Path] = j
		}
		k := 0
		for i, f := range first {
			if j, ok := byPath[f.Path]; ok && j == f {
				first[k], firstOut[k], firstDeps[k] = f, firstOut[i], firstDeps[i]
				done[f.Path] = true
				k++
			}
		}
		first, firstOut, firstDeps = first[:k], firstOut[:k], firstDeps[:k]
	}
	todo := jobs
	if !full {
		todo = slices.DeleteFunc(slices.Clone(jobs), func(j render.Job) bool { return done[j.Path] || !b.stale(r, j) })
	}
	out, deps, err := renderJobs(ctx, r, todo)
	if err != nil {
		return fail(err)
	}
	todo, out, deps = append(first, todo...), append(firstOut, out...), append(firstDeps, deps...)
	changedURLs := map[string]bool{}
	o := b.assemble(site, r, jobs, todo, out, deps, full, res, changedURLs)
	res.Changed = slices.Sorted(maps.Keys(changedURLs))
	slices.Sort(res.Rendered)
	res.Full = full
	res.Output = o
	res.Took = time.Since(start)
	clear(b.copiedChanged)
	b.copiesStale = false
	b.good = o
	b.current, b.diags = true, res.Diagnostics
	return res, nil
}

// fileSum is a file's SHA-256, or none for a file that is not there.
type fileSum struct {
	there bool
	sum   [32]byte
}

// unchanged reports whether every file of changed is as the rebuild that
// last named it read it, while that rebuild's Output is current, and
// notes the files as they are now for the next call. The files are read
// before the rebuild reads them: a write in between makes the next
// batch differ, and rebuild, rather than be taken for nothing. A folder,
// or a file that cannot be read, is never unchanged; a batch of changes
// that may have been missed forgets every file.
func (b *Builder) unchanged(changed []string, all bool) bool {
	if all || b.sums == nil {
		b.sums = map[string]fileSum{}
	}
	same := !all && len(changed) > 0 && b.current && b.good != nil
	for _, p := range changed {
		var s fileSum
		data, err := fs.ReadFile(b.fsys, p)
		switch {
		case err == nil:
			s = fileSum{there: true, sum: sha256.Sum256(data)}
		case errors.Is(err, fs.ErrNotExist):
		default:
			same = false
			delete(b.sums, p)
			continue
		}
		if old, ok := b.sums[p]; !ok || old != s {
			same = false
		}
		b.sums[p] = s
	}
	return same
}

// earlyJobs are the jobs of the pages of the documents of the changed
// files, for Early: the last good build's jobs of those files, with the
// documents of the new site, when each kept its URL and its kind.
func (b *Builder) earlyJobs(site *generator.Site, changed []string, full bool) []render.Job {
	if b.Early == nil || full || len(changed) == 0 {
		return nil
	}
	files := map[string]*model.Document{}
	for _, p := range changed {
		if strings.HasSuffix(p, ".md") {
			files[p] = nil
		}
	}
	if len(files) == 0 {
		return nil
	}
	for _, d := range site.Model.Docs {
		if _, ok := files[d.File]; ok {
			files[d.File] = d
		}
	}
	var out []render.Job
	for _, j := range b.good.jobs {
		if j.Doc == nil || j.Kind == "content" || j.Kind == "data" || j.Kind == "asset" {
			continue
		}
		if d, ok := files[j.Doc.File]; ok && d != nil && d.URL == j.Doc.URL && d.Kind == j.Doc.Kind && d.Path == j.Doc.Path {
			j.Doc = d
			out = append(out, j)
		}
	}
	return out
}

// prevView is the view of the site of the last good build, from which
// the next is sorted faster (render.NextSite), or nil.
func (b *Builder) prevView() *render.SiteView {
	if b.good == nil {
		return nil
	}
	return b.good.r.Site
}

// stale reports whether job j of the new renderer r must be rendered: it
// is new, or another template's or document's than the file of the same
// path in the last good build, or an input that file read has changed.
func (b *Builder) stale(r *render.Renderer, j render.Job) bool {
	if j.Kind == "content" {
		return false
	}
	m, ok := b.good.made[j.Path]
	if !ok || m.job.Kind != j.Kind || m.job.Name != j.Name || m.job.URL != j.URL || docPath(m.job.Doc) != docPath(j.Doc) {
		return true
	}
	if j.Kind == "asset" {
		return false // theme files change with the templates, which renders everything
	}
	return r.Changed(b.good.r, m.deps)
}

func docPath(d *model.Document) string {
	if d == nil {
		return ""
	}
	return d.Path
}

// assemble makes the Output of a rebuild: the last good build's files with
// the rendered jobs' new bytes. It records in res and changed what was
// rendered and which URLs differ from the last good build.
func (b *Builder) assemble(site *generator.Site, r *render.Renderer, jobs, rendered []render.Job, out [][]byte, deps [][]render.Dep, full bool, res *Result, changed map[string]bool) *Output {
	b.count++
	o := &Output{Build: fmt.Sprintf("%s%d", b.id, b.count), Site: site, tmplGen: b.tmplGen, r: r, jobs: jobs,
		Files: make(map[string][]byte, len(jobs)), made: make(map[string]made, len(jobs)), Copied: map[string]string{}}
	var prev map[string][]byte
	if b.good != nil {
		prev = b.good.Files
	}
	for _, j := range jobs {
		switch {
		case j.Kind == "content":
			o.Copied[j.Path] = j.Name
		case !full && b.good != nil:
			if f, ok := b.good.Files[j.Path]; ok {
				o.Files[j.Path] = f
				o.made[j.Path] = made{job: j, deps: b.good.made[j.Path].deps}
			}
		}
	}
	for i, j := range rendered {
		if j.Kind == "content" {
			continue
		}
		res.Rendered = append(res.Rendered, j.Path)
		if old, ok := prev[j.Path]; !ok || !bytes.Equal(old, out[i]) {
			changed[URL(j.Path)] = true
		}
		o.Files[j.Path] = out[i]
		o.made[j.Path] = made{job: j, deps: deps[i]}
	}
	o.copies = b.snapshot(o.Copied, site.Settings.UnsafeHTML)
	if b.good == nil {
		return o
	}
	for p := range b.good.Files {
		if _, ok := o.Files[p]; !ok {
			changed[URL(p)] = true
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

// renderJobs renders jobs on every core, recording what each read;
// out[i] holds jobs[i]'s bytes (nil for files copied from the site). The
// first error stops the work.
func renderJobs(ctx context.Context, r *render.Renderer, jobs []render.Job) ([][]byte, [][]render.Dep, error) {
	out := make([][]byte, len(jobs))
	deps := make([][]render.Dep, len(jobs))
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
				d, err := r.RenderDeps(jobs[i], &buf)
				if err != nil {
					cancel(err)
					return
				}
				out[i], deps[i] = bytes.Clone(buf.Bytes()), d
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, nil, err
	}
	return out, deps, nil
}

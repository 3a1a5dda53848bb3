package generator

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"productdocs/generator/diag"
	"productdocs/generator/internal/sysfs"
	"productdocs/generator/markdown"
	"productdocs/generator/output"
	"productdocs/generator/render"
	"productdocs/templates"
)

// BuildOptions are the settings of one build.
type BuildOptions struct {
	Out     string // the output folder, on the OS's file system
	BaseURL string // overrides the site's base_url when set
	Strict  bool   // warnings fail the build as errors do
	// Progress, when set, is called as files are written, one call at a
	// time, with done counting up to total.
	Progress func(done, total int)
	// Waiting, when set, is called once if another build holds the
	// output folder, which this one then waits for.
	Waiting func()
}

// BuildResult says what a build wrote, and what it found.
type BuildResult struct {
	Files int
	Pages int
	// Diagnostics are the site's, with those the build found (templates
	// that fail, output paths that clash, files refused when copied),
	// sorted. The loaded site is not changed.
	Diagnostics []diag.Diagnostic
}

// ErrFailed is returned by Build when the site has errors; they are in the
// BuildResult's Diagnostics.
var ErrFailed = errors.New("the site has errors")

// Renderer prepares the pages of a loaded site, with the templates parsed
// from the built-in theme and the site's templates/ folder; where they
// fail, it returns their problems and no renderer.
func (s *Site) Renderer(live string) (*render.Renderer, []diag.Diagnostic) {
	t, ds := s.Templates()
	if len(ds) > 0 {
		return nil, ds
	}
	return NewRenderer(s, t, RenderOptions{Live: live}, nil), nil
}

// Check returns the site's diagnostics with those a build would add
// before it writes: the templates parsed as a build parses them, and the
// paths that two files would be written to (render.Renderer.Clashes), so
// that check fails where build would. The site is not changed.
func Check(s *Site) []diag.Diagnostic {
	t, ds := s.Templates()
	if len(ds) > 0 {
		return withMore(s.Diagnostics, ds)
	}
	return withMore(s.Diagnostics, s.Settings.Checks.Apply(NewRenderer(s, t, RenderOptions{}, nil).Clashes()))
}

// withMore returns ds with more, sorted, in a new slice: ds may be a
// loaded site's, which others read.
func withMore(ds, more []diag.Diagnostic) []diag.Diagnostic {
	if len(more) == 0 {
		return ds
	}
	return diag.Sort(slices.Concat(ds, more))
}

// failed reports whether diagnostics fail a run: any error, or under
// strict any warning too.
func failed(ds []diag.Diagnostic, strict bool) bool {
	e, w := diag.Count(ds)
	return e > 0 || (strict && w > 0)
}

// Templates parses the templates a site renders with: the built-in theme,
// with the site's templates/ folder over it.
func (s *Site) Templates() (*render.Templates, []diag.Diagnostic) {
	// Read through the guarded reader: a template that links to
	// /proc/self/environ would otherwise be published as an asset.
	return render.LoadTemplates(templates.FS, guardedFS{fsys: s.FS, dir: "templates", limit: TextLimit})
}

// RenderOptions are how a site is rendered, beside its settings.
type RenderOptions struct {
	BaseURL string // overrides the site's base_url when set
	Live    string // the preview's live-reload script, "" for a build
	Record  bool   // note what each page reads (render.Renderer.RenderDeps)
}

// NewRenderer is the one place a site's renderer is set up, for build and
// serve alike: the view of the site (sorted from prev's, a view of the
// same site a change ago, when given), the base URL as a folder, the
// Markdown options of the settings. The site is not changed.
func NewRenderer(s *Site, t *render.Templates, o RenderOptions, prev *render.SiteView) *render.Renderer {
	base := s.Settings.BaseURL
	if o.BaseURL != "" {
		base = o.BaseURL
	}
	if base != "" {
		// A folder: page URLs are appended.
		base = strings.TrimSuffix(base, "/") + "/"
	}
	view := s.view(prev, base)
	return render.New(view, t, render.Options{Markdown: markdown.Options{UnsafeHTML: s.Settings.UnsafeHTML}, Live: o.Live, Record: o.Record})
}

// Build writes the site into o.Out, all at once. It returns ErrFailed
// (with the problems in the result's Diagnostics) when the site has
// errors, or warnings under o.Strict, and leaves the output as it was; an
// error wrapping output.ErrRefused when the output folder must not be
// replaced; and other errors when the tool could not write. The site is
// not changed.
func Build(ctx context.Context, s *Site, siteRoot string, o BuildOptions) (BuildResult, error) {
	res := BuildResult{Diagnostics: s.Diagnostics}
	// The output folder first: one it must not replace is a usage error,
	// whatever the content holds.
	if err := output.Check(siteRoot, o.Out); err != nil {
		return res, err
	}
	if failed(res.Diagnostics, o.Strict) {
		return res, ErrFailed
	}
	t, ds := s.Templates()
	if len(ds) > 0 {
		res.Diagnostics = withMore(res.Diagnostics, ds)
		return res, ErrFailed
	}
	r := NewRenderer(s, t, RenderOptions{BaseURL: o.BaseURL}, nil)
	res.Diagnostics = withMore(res.Diagnostics, s.Settings.Checks.Apply(r.Clashes()))
	if failed(res.Diagnostics, o.Strict) {
		return res, ErrFailed
	}
	// One build at a time into a folder: the second waits, rather than
	// clearing the first's staging folder as a killed build's.
	lock, err := output.Acquire(ctx, o.Out, o.Waiting)
	if err != nil {
		return res, err
	}
	defer lock.Release()
	st, err := output.Stage(o.Out)
	if err != nil {
		return res, err
	}
	jobs := r.Jobs()
	if err := writeAll(ctx, s, r, jobs, st.Dir, o.Progress); err != nil {
		st.Abort()
		var te *render.TemplateError
		if errors.As(err, &te) {
			res.Diagnostics = withMore(res.Diagnostics, []diag.Diagnostic{te.Diag})
			return res, ErrFailed
		}
		var re *refusedError
		if errors.As(err, &re) {
			// Load refused what it saw; this file changed since (grew,
			// or was replaced by a link): the build stops, whatever the
			// code's severity, as the file cannot be left out now.
			res.Diagnostics = withMore(res.Diagnostics, []diag.Diagnostic{re.diagnostic()})
			return res, ErrFailed
		}
		return res, err
	}
	if err := st.Commit(); err != nil {
		return res, fmt.Errorf("replacing %s: %w", o.Out, err)
	}
	res.Files = len(jobs)
	for _, j := range jobs {
		if path.Ext(j.Path) == ".html" {
			res.Pages++
		}
	}
	return res, nil
}

// writeAll renders and writes every job on every core. The first error
// stops the work.
func writeAll(ctx context.Context, s *Site, r *render.Renderer, jobs []render.Job, dir string, progress func(int, int)) error {
	// Nearly every page has a folder of its own, which the worker that
	// writes the page makes, on every core; the folders that hold other
	// folders or several files are made first, here.
	files := map[string]int{} // files by folder
	for _, j := range jobs {
		files[path.Dir(j.Path)]++
	}
	shared := map[string]bool{}
	for d, n := range files {
		if n > 1 {
			shared[d] = true
		}
		for p := path.Dir(d); p != "."; p = path.Dir(p) {
			shared[p] = true
		}
	}
	root := sysfs.OpenDir(dir)
	defer root.Close()
	src := newReader(s.FS)
	defer src.close()
	sorted := slices.Sorted(maps.Keys(shared))
	made := map[string]bool{".": true}
	for _, d := range sorted {
		if err := mkdirs(root, d, made); err != nil {
			return err
		}
	}
	own := func(j render.Job) bool { d := path.Dir(j.Path); return d != "." && !shared[d] }
	order := heavyFirst(jobs)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for ctx.Err() == nil {
				k := int(next.Add(1)) - 1
				if k >= len(jobs) {
					return
				}
				j := jobs[order[k]]
				if own(j) {
					if err := root.Mkdir(filepath.FromSlash(path.Dir(j.Path))); err != nil {
						cancel(err)
						return
					}
				}
				if err := writeJob(s, src, r, j, root, &buf); err != nil {
					cancel(err)
					return
				}
				if progress != nil {
					// One call at a time, counting up: callers redraw a
					// line from it.
					mu.Lock()
					done++
					progress(done, len(jobs))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return ctx.Err()
}

// mkdirs makes the folder d (a slash path) under root with its parents,
// as os.MkdirAll, but knowing which it made already: MkdirAll asks the
// file system first, two calls more for each of thousands of folders.
func mkdirs(root sysfs.Dir, d string, made map[string]bool) error {
	if made[d] {
		return nil
	}
	if err := mkdirs(root, path.Dir(d), made); err != nil {
		return err
	}
	if err := root.Mkdir(filepath.FromSlash(d)); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	made[d] = true
	return nil
}

// heavyFirst returns the order in which to work through jobs: the few
// files that take long (the data files and the pages that list the whole
// site, each some MB for a large site) first, then the rest as listed.
// Started last, one of them would leave the other cores idle at the end.
// The search index comes last all the same: rendering a document's page
// gives the text it indexes, which it would otherwise read again.
func heavyFirst(jobs []render.Job) []int {
	order := make([]int, 0, len(jobs))
	pass := func(j render.Job) int {
		switch {
		case j.Kind == "data" && j.Name == "search-index":
			return 2
		case heavy(j):
			return 0
		}
		return 1
	}
	for p := range 3 {
		for i, j := range jobs {
			if pass(j) == p {
				order = append(order, i)
			}
		}
	}
	return order
}

// heavy reports whether a job makes one of the few files that grow with
// the whole site rather than with one document.
func heavy(j render.Job) bool {
	return j.Kind == "data" || j.Kind == "backlog.html" || j.Kind == "trace.html" || j.Kind == "strategy.html"
}

func writeJob(s *Site, src *reader, r *render.Renderer, j render.Job, root sysfs.Dir, buf *bytes.Buffer) error {
	name := filepath.FromSlash(j.Path)
	target := filepath.Join(root.Path, name)
	if j.Kind == "content" {
		return copyFile(src, j.Name, target, s.Settings.UnsafeHTML)
	}
	if heavy(j) {
		// Written as it is made: such a file is many MB for a large site,
		// and would stay in the worker's buffer, as big, to the end.
		return streamFile(target, func(w io.Writer) error { return r.Render(j, w) })
	}
	buf.Reset()
	if err := r.Render(j, buf); err != nil {
		return err
	}
	return root.Write(name, buf.Bytes())
}

// streamFile creates the file target and writes it with write, through a
// buffer.
func streamFile(target string, write func(io.Writer) error) error {
	f, err := os.Create(target)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// copyFile copies the site's file name to target through the guarded
// reader. A file refused there (grown over AssetLimit, or replaced by a
// link since the listing) is a *refusedError.
func copyFile(src *reader, name, target string, unsafeHTML bool) error {
	if activeCopy(name) {
		// HTML, SVG and XML: read whole, made unable to run script.
		data, err := src.readInto(name, nil, AssetLimit)
		if err == nil {
			data, err = PrepareCopy(name, data, unsafeHTML)
		}
		if Refused(err) {
			return &refusedError{name, err}
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		return os.WriteFile(target, data, 0o644)
	}
	in, err := src.open(name, AssetLimit)
	if Refused(err) {
		return &refusedError{name, err}
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	defer in.Close()
	out, err := os.Create(target)
	if err != nil {
		return err
	}
	// One byte over the bound tells a file that grew while it was copied.
	n, err := io.Copy(out, io.LimitReader(in, AssetLimit+1))
	if err == nil && n > AssetLimit {
		err = &refusedError{name, &sysfs.TooLargeError{Size: n, Limit: AssetLimit}}
	}
	if err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// refusedError is a copied file that the guarded reader refused.
type refusedError struct {
	name string
	err  error
}

func (e *refusedError) Error() string { return e.name + ": " + e.err.Error() }

func (e *refusedError) diagnostic() diag.Diagnostic {
	return refusedAsset(e.name, e.err)
}

// refusedAsset is the diagnostic of a file under content/ that is not
// copied: it is reported where it is, as anything wrong with a site.
func refusedAsset(name string, err error) diag.Diagnostic {
	return diag.Diagnostic{File: name, Line: 1, Column: 1, Severity: diag.Error, Code: diag.CodeRefusedFile,
		Message: "the file is not copied: " + err.Error()}
}

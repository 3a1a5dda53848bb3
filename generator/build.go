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
	"productdocs/generator/markdown"
	"productdocs/generator/output"
	"productdocs/generator/render"
	"productdocs/templates"
)

// BuildOptions are the settings of one build.
type BuildOptions struct {
	Out     string // the output folder, on the OS's file system
	BaseURL string // overrides the site's base_url when set
	// Progress, when set, is called as files are written, one call at a
	// time, with done counting up to total.
	Progress func(done, total int)
}

// BuildResult says what a build wrote.
type BuildResult struct {
	Files int
	Pages int
}

// ErrFailed is returned by Build when the site has errors; they are in the
// site's Diagnostics.
var ErrFailed = errors.New("the site has errors")

// Renderer prepares the pages of a loaded site, with the templates parsed
// from the built-in theme and the site's templates/ folder. Template
// problems are added to the site's diagnostics, and the result is nil.
func (s *Site) Renderer(live string) *render.Renderer {
	t, ds := s.Templates()
	if len(ds) > 0 {
		s.Diagnostics = diag.Sort(append(s.Diagnostics, ds...))
		return nil
	}
	return s.RendererWith(t, live)
}

// CheckTemplates parses the site's templates as a build does and adds
// their problems to the diagnostics, so that check fails where build
// would.
func (s *Site) CheckTemplates() {
	if _, ds := s.Templates(); len(ds) > 0 {
		s.Diagnostics = diag.Sort(append(s.Diagnostics, ds...))
	}
}

// Templates parses the templates a site renders with: the built-in theme,
// with the site's templates/ folder over it.
func (s *Site) Templates() (*render.Templates, []diag.Diagnostic) {
	var user fs.FS
	if sub, err := fs.Sub(s.FS, "templates"); err == nil {
		user = sub
	}
	return render.LoadTemplates(templates.FS, user)
}

// RendererWith is Renderer with templates parsed already, so that a
// preview parses them again only when they change. t must come from
// Templates of a site with the same templates/ folder.
func (s *Site) RendererWith(t *render.Templates, live string) *render.Renderer {
	view := render.NewSite(s.Model, s.Settings.Title, s.Settings.BaseURL, s.Settings.EditURL, s.Diagnostics)
	view.Today = render.Today()
	return render.New(view, t, render.Options{Markdown: markdown.Options{UnsafeHTML: s.Settings.UnsafeHTML}, Live: live})
}

// Build writes the site into o.Out, all at once. It returns ErrFailed
// (with the problems in s.Diagnostics) when the site has errors, or
// warnings under strict, and leaves the output as it was; an error
// wrapping output.ErrRefused when the output folder must not be replaced;
// and other errors when the tool could not write.
func Build(ctx context.Context, s *Site, siteRoot string, strict bool, o BuildOptions) (BuildResult, error) {
	var res BuildResult
	if o.BaseURL != "" {
		// A folder, as base_url in productdocs.yaml: page URLs are appended.
		s.Settings.BaseURL = strings.TrimSuffix(o.BaseURL, "/") + "/"
	}
	if s.Failed(strict) {
		return res, ErrFailed
	}
	if err := output.Check(siteRoot, o.Out); err != nil {
		return res, err
	}
	r := s.Renderer("")
	if r == nil {
		return res, ErrFailed
	}
	s.forgetSources()
	st, err := output.Stage(o.Out)
	if err != nil {
		return res, err
	}
	jobs := r.Jobs()
	if err := writeAll(ctx, s, r, jobs, st.Dir, o.Progress); err != nil {
		st.Abort()
		var te *render.TemplateError
		if errors.As(err, &te) {
			s.Diagnostics = diag.Sort(append(s.Diagnostics, te.Diag))
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
	root := openRawDir(dir)
	defer root.close()
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
					if err := root.mkdir(filepath.FromSlash(path.Dir(j.Path))); err != nil {
						cancel(err)
						return
					}
				}
				if err := writeJob(s, r, j, root, &buf); err != nil {
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
func mkdirs(root rawDir, d string, made map[string]bool) error {
	if made[d] {
		return nil
	}
	if err := mkdirs(root, path.Dir(d), made); err != nil {
		return err
	}
	if err := root.mkdir(filepath.FromSlash(d)); err != nil && !errors.Is(err, fs.ErrExist) {
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

func writeJob(s *Site, r *render.Renderer, j render.Job, root rawDir, buf *bytes.Buffer) error {
	name := filepath.FromSlash(j.Path)
	target := filepath.Join(root.path, name)
	if j.Kind == "content" {
		return copyFile(s.FS, j.Name, target)
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
	return root.write(name, buf.Bytes())
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

func copyFile(fsys fs.FS, name, target string) error {
	in, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	defer in.Close()
	out, err := os.Create(target)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

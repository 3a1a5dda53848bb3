// Package generator is the facade the command line calls: load a site
// (read its files, build the model, run the checks), build it into a
// folder, or serve it. The stages live in the packages below this one:
// content reads files, markdown parses bodies, model resolves documents,
// check finds problems, diag reports them.
package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"productdocs/generator/check"
	"productdocs/generator/config"
	"productdocs/generator/content"
	"productdocs/generator/diag"
	"productdocs/generator/internal/sysfs"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
)

// Site is a loaded site: its settings, its model and its diagnostics.
type Site struct {
	FS       fs.FS
	Settings config.Settings
	Model    *model.Site
	Listing  *content.Listing
	// Diagnostics are sorted, with the severities the settings give.
	Diagnostics []diag.Diagnostic

	sources []*model.Source // as read, for LoadIncremental to reuse
}

// Load reads the site whose root is fsys and checks it. An error means the
// site could not be read at all (an unreadable folder); problems in the
// content are diagnostics.
func Load(ctx context.Context, fsys fs.FS) (*Site, error) {
	s := &Site{FS: fsys}
	settings, ds, err := readSettings(fsys)
	if err != nil {
		return nil, err
	}
	s.Settings = settings
	l, err := content.Walk(fsys)
	if err != nil {
		return nil, err
	}
	s.Listing = l
	sources, err := readAll(ctx, fsys, l.Documents)
	if err != nil {
		return nil, err
	}
	s.sources = sources
	assets, refused := screenAssets(fsys, l.Assets, settings.UnsafeHTML)
	s.Model = model.New(sources, assets)
	ds = append(ds, refused...)
	ds = append(ds, check.Run(s.Model)...)
	s.Diagnostics = diag.Sort(s.Settings.Checks.Apply(ds))
	return s, nil
}

// screenAssets returns the files to copy to the output, leaving out, with
// a diagnostic each, those the guarded reader would refuse (over
// AssetLimit, or no longer regular files) and those PrepareCopy refuses
// (HTML, SVG and XML that can run script, unless unsafeHTML). It looks at
// each file's size (one Lstat a file) and reads those few kinds, so that
// check reports what build would.
func screenAssets(fsys fs.FS, assets []string, unsafeHTML bool) ([]string, []diag.Diagnostic) {
	lstat := func(name string) (fs.FileInfo, error) { return fs.Stat(fsys, name) }
	if d, ok := fsys.(dirFS); ok {
		lstat = func(name string) (fs.FileInfo, error) {
			return os.Lstat(filepath.Join(d.root, filepath.FromSlash(name)))
		}
	} else if rl, ok := fsys.(fs.ReadLinkFS); ok {
		lstat = rl.Lstat
	}
	var kept []string
	var ds []diag.Diagnostic
	for i, a := range assets {
		fi, err := lstat(a)
		var why error
		switch {
		case err != nil:
			// Gone since the listing, or unreadable: the copy says so.
		case fi.Mode()&fs.ModeSymlink != 0:
			why = sysfs.ErrSymlink
		case !fi.Mode().IsRegular():
			why = sysfs.ErrNotRegular
		case fi.Size() > AssetLimit:
			why = &sysfs.TooLargeError{Size: fi.Size(), Limit: AssetLimit}
		case !unsafeHTML && activeCopy(a):
			if data, err := ReadFile(fsys, a, AssetLimit); err == nil {
				_, why = PrepareCopy(a, data, false)
			}
		}
		if why == nil {
			if kept != nil {
				kept = append(kept, a)
			}
			continue
		}
		if kept == nil {
			kept = append(make([]string, 0, len(assets)), assets[:i]...)
		}
		ds = append(ds, refusedAsset(a, why))
	}
	if kept == nil {
		return assets, nil
	}
	return kept, ds
}

// forgetSources lets go of what the site kept to be loaded again with
// LoadIncremental, which will load it whole instead: a build, which
// loads a site once, needs the memory more.
func (s *Site) forgetSources() {
	for _, src := range s.sources {
		src.Forget()
	}
	s.sources = nil
}

// readSettings reads productdocs.yaml, which is optional. A file the
// guarded reader refuses (a link, a FIFO, too large) is a settings
// diagnostic, and the defaults apply.
func readSettings(fsys fs.FS) (config.Settings, []diag.Diagnostic, error) {
	src, err := ReadFile(fsys, config.File, TextLimit)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return config.Settings{}, nil, nil
	case Refused(err):
		return config.Settings{}, []diag.Diagnostic{{File: config.File, Line: 1, Column: 1, Severity: diag.Error,
			Code: diag.CodeSettings, Message: "not read: " + err.Error()}}, nil
	case err != nil:
		return config.Settings{}, nil, fmt.Errorf("reading %s: %w", config.File, err)
	}
	s, ds := config.Parse(src)
	return s, ds, nil
}

// Parse reads one document's bytes into a model source: frontmatter, then
// the body as Markdown. A file that is not UTF-8 text is one problem, with
// neither frontmatter nor body. The source keeps none of src, which the
// caller may reuse.
func Parse(file string, src []byte) *model.Source {
	if prob := content.CheckText(src); prob != nil {
		return &model.Source{File: file, Problem: prob, BodyLine: 1, Body: markdown.Parse(nil)}
	}
	fm, _, body, bodyLine, prob := content.Split(src)
	// The body is kept, to be parsed again when rendered: a copy of it
	// alone, out of the file.
	body = bytes.Clone(body)
	doc := markdown.Parse(body)
	// The model needs what Parse found, not the tree, which is most of a
	// document's memory; rendering parses the body again for its moment.
	doc.Release()
	return &model.Source{File: file, Frontmatter: fm, Problem: prob, BodyLine: bodyLine, Body: doc}
}

// readAll reads and parses documents on every core; the order of the
// result follows files, whatever the scheduling.
func readAll(ctx context.Context, fsys fs.FS, files []string) ([]*model.Source, error) {
	out := make([]*model.Source, len(files))
	errs := make([]error, len(files))
	rd := newReader(fsys)
	defer rd.close()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(files))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte // the file being read: Parse keeps none of it
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) || ctx.Err() != nil {
					return
				}
				var err error
				buf, err = rd.readInto(files[i], buf[:0], TextLimit)
				switch {
				case Refused(err):
					out[i] = refusedSource(files[i], err)
				case err != nil:
					if !errors.Is(err, fs.ErrNotExist) { // deleted since the listing: gone
						errs[i] = fmt.Errorf("reading %s: %w", files[i], err)
					}
					continue
				default:
					out[i] = Parse(files[i], buf)
				}
				// Read its fields now, on this core, so that its
				// frontmatter's tree is let go of at once rather than
				// with every other's, its memory used again for the next.
				fm := out[i].Frontmatter
				out[i].Read()
				content.Release(fm)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sources := out[:0]
	for _, s := range out {
		if s != nil {
			sources = append(sources, s)
		}
	}
	return sources, nil
}

// refusedSource is a document that the guarded reader refused: one
// problem, as a file that is not text, so that it is reported where it
// is and links to it still resolve.
func refusedSource(file string, err error) *model.Source {
	prob := &content.Problem{Pos: content.Pos{Line: 1, Column: 1}, Message: "the file is not read: " + err.Error()}
	return &model.Source{File: file, Problem: prob, BodyLine: 1, Body: markdown.Parse(nil)}
}

// Report returns the site's diagnostics and documents for a diag format.
func (s *Site) Report() *diag.Report {
	r := &diag.Report{Diagnostics: s.Diagnostics, Documents: make([]diag.Document, len(s.Model.Docs))}
	for i, d := range s.Model.Docs {
		r.Documents[i] = diag.Document{File: d.File, ID: d.ID, Section: string(d.Section)}
	}
	return r
}

// Failed reports whether the diagnostics fail a run: any error, or under
// strict any warning too.
func (s *Site) Failed(strict bool) bool {
	e, w := diag.Count(s.Diagnostics)
	return e > 0 || (strict && w > 0)
}

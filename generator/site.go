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
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"productdocs/generator/check"
	"productdocs/generator/config"
	"productdocs/generator/content"
	"productdocs/generator/diag"
	"productdocs/generator/gitlog"
	"productdocs/generator/internal/sysfs"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
	"productdocs/generator/render"
)

// Site is a loaded site: its settings, its model and its diagnostics.
type Site struct {
	FS       fs.FS
	Settings config.Settings
	Model    *model.Model
	Listing  *content.Listing
	// Diagnostics are sorted, with the severities the settings give.
	Diagnostics []diag.Diagnostic

	sources []*model.Source // as read, for LoadIncremental to reuse

	// Options are what the site was loaded with; LoadIncremental loads
	// its successor with the same.
	Options LoadOptions
	// Public is the model of the public site (model.Public), made when
	// Options.Audience is public: what a build renders. Model stays the
	// whole site, which the checks read.
	Public *model.Model
	// Change is how the site differs from the one LoadIncremental made
	// it from: the paths it was told of, with the documents they changed
	// where the two have the same documents. Nil for a site loaded whole.
	Change *model.Change
}

// LoadOptions are what a load reads besides the site's files, each
// worked out once by the caller: the checks stay pure functions of their
// inputs.
type LoadOptions struct {
	// Today is the date of the time-based checks (check.Today); zero
	// leaves late and stale out.
	Today time.Time
	// History is the site's git history (gitlog.Read); nil for none.
	History *gitlog.History
	// Audience is "public" for the public site (build --audience
	// public): Site.Public is then its model, which is what is rendered.
	Audience string
	// Once is set when the site will not be loaded again from this one
	// (a build): what LoadIncremental would reuse is not kept, as the
	// build needs the memory more, and LoadIncremental loads it whole.
	Once bool
}

// AudiencePublic is the audience of the public site.
const AudiencePublic = "public"

// plan is what the plan checks read of the site and its options.
func (s *Site) plan() check.Plan {
	return check.Plan{Today: s.Options.Today, Stale: s.Settings.Stale, Git: s.lastCommit}
}

// makePublic makes the public site's model when the site is loaded for
// it.
func (s *Site) makePublic() {
	if s.Options.Audience == AudiencePublic {
		s.Public = model.Public(s.Model, s.Settings.InternalOf())
	}
}

// View sorts the model that is rendered into the lists the pages show:
// the public model, without diagnostics (they are the team's) or edit
// links, for the public site, else the whole site's. prev is the view of
// the site a change ago, or nil (see render.NextSite).
func (s *Site) View(prev *render.SiteView) *render.SiteView { return s.view(prev, s.Settings.BaseURL) }

// view is View with the base URL to publish at.
func (s *Site) view(prev *render.SiteView, base string) *render.SiteView {
	m, ds, edit := s.Model, s.Diagnostics, s.Settings.EditURL
	if s.Public != nil {
		m, ds, edit, prev = s.Public, nil, "", nil
	}
	v := render.NextSite(prev, m, s.Change, s.Settings.Title, base, edit, ds)
	v.Public = s.Public != nil
	v.History = render.History{Log: s.Options.History, Today: s.Options.Today,
		Public: v.Public, OmitExact: slices.Contains(s.Settings.InternalOf(), model.ExactDates)}
	return v
}

// lastCommit is the last commit of a file, for the checks.
func (s *Site) lastCommit(file string) (check.Change, bool) {
	c, ok := s.Options.History.Last(file)
	return check.Change{Date: c.Date, Summary: c.Summary}, ok
}

// Load reads the site whose root is fsys and checks it. An error means the
// site could not be read at all (an unreadable folder); problems in the
// content are diagnostics.
func Load(ctx context.Context, fsys fs.FS) (*Site, error) {
	return LoadWith(ctx, fsys, LoadOptions{})
}

// LoadWith is Load with options.
func LoadWith(ctx context.Context, fsys fs.FS, o LoadOptions) (*Site, error) {
	s := &Site{FS: fsys, Options: o}
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
	ds = append(ds, check.RunPlan(s.Model, s.plan())...)
	s.Diagnostics = diag.Sort(s.Settings.Checks.Apply(ds))
	s.makePublic()
	if o.Once {
		for _, src := range sources {
			src.Forget()
		}
		s.sources = nil
	}
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

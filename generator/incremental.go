package generator

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"productdocs/generator/check"
	"productdocs/generator/content"
	"productdocs/generator/diag"
	"productdocs/generator/model"
)

// LoadIncremental is Load for a site that has changed since prev was
// loaded from the same fsys: only the files named in c.Paths (slash paths
// from the site root; a folder stands for everything under it) are read
// and parsed again, and every other document reuses prev's parsed source.
// The model is made from prev's (model.Next), and only the documents the
// change touched are checked again (see nextDiagnostics); a change that
// moves IDs, files or URLs, which can move links anywhere, has both done
// in full. The result's Change is c with the documents it changed
// (model.Diff), for the stages after the load.
//
// The result is the Site that Load would return for the files as they are
// now, provided c names every file that changed. With a nil prev, or
// c.All, it is Load. productdocs.yaml is small and always read again.
//
// Parsed sources are shared between prev and the result and must not be
// changed; a Site and its model are never edited once loaded.
func LoadIncremental(ctx context.Context, fsys fs.FS, prev *Site, c model.Change) (*Site, error) {
	if prev == nil {
		return Load(ctx, fsys)
	}
	if c.All || prev.Listing == nil || (prev.sources == nil && len(prev.Listing.Documents) > 0) {
		return LoadWith(ctx, fsys, prev.Options)
	}
	changed := c.Paths
	s := &Site{FS: fsys, Options: prev.Options}
	settings, ds, err := readSettings(fsys)
	if err != nil {
		return nil, err
	}
	s.Settings = settings
	dirty := map[string]bool{}
	for _, c := range changed {
		dirty[path.Clean(c)] = true
	}
	l, err := relist(fsys, prev.Listing, dirty)
	if err != nil {
		return nil, err
	}
	s.Listing = l

	var sources []*model.Source
	var reread []string
	var at []int
	if l == prev.Listing && len(prev.sources) == len(l.Documents) {
		// The same files, each source at its file's place: only those
		// changed are read again, found in the listing, without reading
		// every source for its name (on a large site, a trip to memory
		// for each).
		sources = slices.Clone(prev.sources)
		at = dirtyDocs(l.Documents, dirty)
		for _, i := range at {
			reread = append(reread, l.Documents[i])
		}
	} else {
		// Both lists are sorted by file: merge them, reusing what is clean.
		old := prev.sources
		sources = make([]*model.Source, len(l.Documents))
		for i, f := range l.Documents {
			for len(old) > 0 && old[0].File < f {
				old = old[1:]
			}
			if len(old) > 0 && old[0].File == f && !underAny(f, dirty) {
				sources[i] = old[0]
				continue
			}
			reread = append(reread, f)
			at = append(at, i)
		}
	}
	fresh, err := readAll(ctx, fsys, reread)
	if err != nil {
		return nil, err
	}
	// readAll leaves out files deleted since the listing; match by name.
	for j, k := 0, 0; j < len(reread); j++ {
		if k < len(fresh) && fresh[k].File == reread[j] {
			sources[at[j]] = fresh[k]
			k++
		} else {
			sources[at[j]] = nil
		}
	}
	sources = slices.DeleteFunc(sources, func(s *model.Source) bool { return s == nil })

	s.sources = sources
	assets, refused := screenAssets(fsys, l.Assets, settings.UnsafeHTML)
	s.Model = model.Next(prev.Model, sources, assets)
	if ch := model.Diff(prev.Model, s.Model); ch != nil {
		ch.Paths, ch.All = c.Paths, c.All
		s.Change = ch
	} else {
		s.Change = &model.Change{Paths: c.Paths, All: c.All}
	}
	s.Diagnostics = nextDiagnostics(prev, s, append(ds, refused...))
	s.makePublic()
	return s, nil
}

// nextDiagnostics returns the diagnostics of s, a site loaded from prev,
// given those of its settings: prev's for the documents the change did not
// touch, and those of a check of the touched ones. Diagnostics are sorted
// by file first and every check of one document reports at that document,
// so a file's diagnostics are the same where neither it nor a neighbour
// changed. Cycles can run anywhere, and are found again in full.
func nextDiagnostics(prev, s *Site, settings []diag.Diagnostic) []diag.Diagnostic {
	delta := s.Change
	if delta.From == nil || !maps.Equal(prev.Settings.Checks, s.Settings.Checks) {
		return diag.Sort(s.Settings.Checks.Apply(slices.Concat(settings, check.Run(s.Model), check.RunPlan(s.Model, s.plan()))))
	}
	touched := make(map[string]bool, len(delta.Touched))
	for _, d := range delta.Touched {
		touched[d.File] = true
	}
	ds := slices.Concat(settings, check.Docs(s.Model, delta.Touched), check.Cycles(s.Model), check.RunPlan(s.Model, s.plan()))
	ds = s.Settings.Checks.Apply(ds)
	for _, d := range prev.Diagnostics {
		// Of prev's diagnostics, those of documents are kept; the
		// settings' are made again above.
		rel, ok := strings.CutPrefix(d.File, content.Dir+"/")
		if ok && !touched[d.File] && d.Code != diag.CodeCycle && !slices.Contains(check.PlanCodes, d.Code) && s.Model.ByPath(rel) != nil {
			ds = append(ds, d)
		}
	}
	return diag.Sort(ds)
}

// dirtyDocs returns the indexes in docs, a sorted list of files, of those
// under a path of dirty, in order.
func dirtyDocs(docs []string, dirty map[string]bool) []int {
	var at []int
	for p := range dirty {
		i, _ := slices.BinarySearch(docs, p)
		for ; i < len(docs) && strings.HasPrefix(docs[i], p); i++ {
			if f := docs[i]; len(f) == len(p) || f[len(p)] == '/' {
				at = append(at, i)
			}
		}
	}
	slices.Sort(at)
	return slices.Compact(at)
}

// underAny reports whether file, or one of the folders above it, is in set.
func underAny(file string, set map[string]bool) bool {
	if len(set) <= 4 {
		// What a preview is told of an edit: a file or two, which every
		// document of a large site is matched against.
		for p := range set {
			if strings.HasPrefix(file, p) && (len(file) == len(p) || file[len(p)] == '/') {
				return true
			}
		}
		return false
	}
	for p := file; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		if set[p] {
			return true
		}
	}
	return false
}

// relist updates prev, a listing of content/, for the paths that changed.
// A file is looked at alone; anything it cannot settle that way (a new
// folder, a link, an unreadable entry) has content/ walked again, which
// gives the same listing by construction.
func relist(fsys fs.FS, prev *content.Listing, dirty map[string]bool) (*content.Listing, error) {
	docs := map[string]bool{}
	assets := map[string]bool{}
	added := false
	var gone []string
	for p := range dirty {
		rel, ok := strings.CutPrefix(p, content.Dir+"/")
		if !ok {
			if p == content.Dir {
				return content.Walk(fsys)
			}
			continue // a template or the settings: not content
		}
		if ignoredPath(rel) {
			continue
		}
		for _, sk := range prev.Skipped {
			if sk.Path == p || strings.HasPrefix(sk.Path, p+"/") {
				return content.Walk(fsys)
			}
		}
		fi, err := fs.Lstat(fsys, p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			gone = append(gone, p)
		case err != nil || !fi.Mode().IsRegular():
			return content.Walk(fsys)
		case strings.HasSuffix(p, ".md"):
			if !listed(prev.Documents, p) {
				docs[p], added = true, true
			}
		default:
			if !listed(prev.Assets, p) {
				assets[p], added = true, true
			}
		}
	}
	if !added && len(gone) == 0 {
		return prev, nil
	}
	// A listing is shared by the sites loaded from it, so make a new one.
	keep := func(list []string, more map[string]bool) []string {
		out := make([]string, 0, len(list)+len(more))
		for _, f := range list {
			if more[f] {
				delete(more, f)
			}
			if !goneUnder(f, gone) {
				out = append(out, f)
			}
		}
		for f := range more {
			out = append(out, f)
		}
		slices.Sort(out)
		return out
	}
	return &content.Listing{
		Documents: keep(prev.Documents, docs),
		Assets:    keep(prev.Assets, assets),
		Skipped:   prev.Skipped,
	}, nil
}

// listed reports whether a sorted list of files holds f.
func listed(files []string, f string) bool {
	_, ok := slices.BinarySearch(files, f)
	return ok
}

// goneUnder reports whether file is one of the removed paths or lies in a
// removed folder.
func goneUnder(file string, gone []string) bool {
	for _, g := range gone {
		if file == g || strings.HasPrefix(file, g+"/") {
			return true
		}
	}
	return false
}

// ignoredPath reports whether content.Walk skips a path under content/:
// when any of its names is ignored.
func ignoredPath(rel string) bool {
	for _, name := range strings.Split(rel, "/") {
		if content.Ignored(name) {
			return true
		}
	}
	return false
}

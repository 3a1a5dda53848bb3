package serve

import (
	"path"

	"productdocs/generator"
)

// snapshot reads the site's files that a build copies (copied: by output
// path, the file under content/) into memory, through the generator's
// guarded reader, as the pages are: so the server sends what the build
// saw. Read per request, a file edited or deleted while the site has
// errors would be served from the "last good build" as it is now, and a
// symbolic link that replaced it would be followed. The bytes of a file
// that has not changed since the last good build are that build's.
//
// A file that cannot be read now (deleted since the listing, or replaced
// by something the guard refuses) is left out: the change that did it is
// on its way to the next rebuild, which reports it.
//
// HTML, SVG and XML files are made unable to run script as a build makes
// them (generator.PrepareCopy), as unsafeHTML, the site's setting, says.
func (b *Builder) snapshot(copied map[string]string, unsafeHTML bool) map[string][]byte {
	out := make(map[string][]byte, len(copied))
	for p, name := range copied {
		if b.good != nil && !b.copiesStale && !b.copyChanged(name) && b.good.Site.Settings.UnsafeHTML == unsafeHTML {
			if data, ok := b.good.copies[p]; ok && b.good.Copied[p] == name {
				out[p] = data
				continue
			}
		}
		data, err := generator.ReadFile(b.fsys, name, generator.AssetLimit)
		if err == nil {
			data, err = generator.PrepareCopy(name, data, unsafeHTML)
		}
		if err != nil {
			continue
		}
		out[p] = data
	}
	return out
}

// copyChanged reports whether the file name, or a folder above it,
// changed since the last good build.
func (b *Builder) copyChanged(name string) bool {
	for p := name; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		if b.copiedChanged[p] {
			return true
		}
	}
	return false
}

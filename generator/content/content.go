// Package content reads a site's content/ folder from an fs.FS: which files
// are documents and which are assets, and each document's frontmatter (with
// the position of every key and value) and body.
//
// # Documents
//
// Every file ending in .md is a document: optional frontmatter, then a
// Markdown body. Frontmatter is the first non-blank lines of the file,
// between delimiter lines:
//
//	---          YAML
//	+++          TOML
//	;;;          JSON
//
// It must be a mapping, with each key at most once, of at most 256 KB.
// YAML anchors and aliases work, bounded in how far they expand; merge
// keys (<<) do not. An opening delimiter without a closing one is an
// error, not a body. A UTF-8 byte order mark is skipped. Every line end
// that text editors know is one: LF, CRLF, and a CR alone (old Mac files),
// in the frontmatter and the body alike, and line numbers count them all
// (see LineEnds).
//
// A document is UTF-8 text: a file that is not (an image saved as .md, a
// file in another encoding) is one problem, found by CheckText, instead of
// the garbage its bytes would read as.
//
// # What is skipped
//
// A file or folder whose name starts with "." or "_" is ignored, and so are
// editors' temporary files (see Ignored). Every other file is an asset,
// copied to the output as it is.
package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// Dir is the folder of the site root that holds the content.
const Dir = "content"

// Ignored reports whether a file or folder of that base name is skipped:
// hidden and underscore names, and the temporary files that editors write
// beside the file they save (vim's 4913 probe and swap files, emacs lock
// and autosave files, JetBrains' safe-write copies, backups ending in ~).
func Ignored(name string) bool {
	if name == "" {
		return true
	}
	switch name[0] {
	case '.', '_':
		return true
	}
	if name == "4913" || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".swo") ||
		strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#")) {
		return true
	}
	return false
}

// Listing is what is under content/: documents and assets, as slash paths
// relative to the site root, sorted.
type Listing struct {
	Documents []string
	Assets    []string
	// Skipped are entries that could not be used, such as symbolic links,
	// with the reason.
	Skipped []Skip
}

// Skip is an entry left out of a listing, and why.
type Skip struct {
	Path   string
	Reason string
}

// Walk walks content/ in fsys. A missing content/ folder is an empty site;
// a folder that cannot be read is an error.
func Walk(fsys fs.FS) (*Listing, error) {
	l := &Listing{}
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return fmt.Errorf("reading %s: %w", p, unwrapPath(err))
		}
		if p != Dir && Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
		case d.Type()&fs.ModeSymlink != 0:
			// A link may lead out of the site or into a loop; the site is
			// what is really under content/.
			l.Skipped = append(l.Skipped, Skip{p, "symbolic links are not followed"})
		case !d.Type().IsRegular():
			l.Skipped = append(l.Skipped, Skip{p, "not a regular file"})
		case strings.HasSuffix(p, ".md"):
			l.Documents = append(l.Documents, p)
		default:
			l.Assets = append(l.Assets, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(l.Documents)
	sort.Strings(l.Assets)
	return l, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Rel returns a site-relative path's part below content/
// ("content/backlog/a.md" → "backlog/a.md").
func Rel(p string) string {
	return strings.TrimPrefix(p, Dir+"/")
}

// Section returns the first folder of a content path, which decides the
// section: "strategy", "backlog", or "" elsewhere.
func Section(rel string) string {
	first, _, found := strings.Cut(rel, "/")
	if !found {
		return ""
	}
	switch first {
	case "strategy", "backlog":
		return first
	}
	return ""
}

func sortStrings(s []string) { sort.Strings(s) }

// LineEnds returns src with every CR that ends a line by itself (the line
// ends of old Mac files) made an LF, which the YAML, TOML and Markdown
// readers take for one; a CR before an LF is left, as they all read CRLF.
// A CR is one byte and so is an LF, so every byte stays at its offset and
// every position at the line and column an editor shows, which counts a
// lone CR as a line end too. Without a lone CR, src itself is returned;
// else a copy.
func LineEnds(src []byte) []byte {
	i := bytes.IndexByte(src, '\r')
	for i >= 0 && i+1 < len(src) && src[i+1] == '\n' {
		j := bytes.IndexByte(src[i+1:], '\r')
		if j < 0 {
			return src
		}
		i += 1 + j
	}
	if i < 0 {
		return src
	}
	out := bytes.Clone(src)
	for ; i < len(out); i++ {
		if out[i] == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}

// CheckText reports a document that is not UTF-8 text, at its first byte
// that is not valid UTF-8, or is NUL (which no text file holds, and every
// UTF-16 one does). Positions count from after a byte order mark, as
// Split's do.
func CheckText(src []byte) *Problem {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if utf8.Valid(src) && bytes.IndexByte(src, 0) < 0 {
		return nil
	}
	src = LineEnds(src) // for the position, as Split's
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == 0 || (r == utf8.RuneError && n <= 1) {
			line := 1 + bytes.Count(src[:i], []byte("\n"))
			col := i - (bytes.LastIndexByte(src[:i], '\n') + 1) + 1
			what := fmt.Sprintf("byte 0x%02X", src[i])
			if r == 0 {
				what = "a NUL byte"
			}
			return &Problem{Pos{line, col}, fmt.Sprintf("the file is not UTF-8 text (%s here); save it as UTF-8", what)}
		}
		i += n
	}
	return nil
}

// Join resolves a relative link target against the folder of the file
// that holds it. It reports false when the result leaves content/.
func Join(fromRel, target string) (string, bool) {
	p := path.Join(path.Dir(fromRel), target)
	if p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(target, "/") {
		return "", false
	}
	return p, true
}

package generator

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"productdocs/generator/internal/sysfs"
)

// The most the tool reads of one file. A bound keeps a mistake or a
// hostile site (a 1 GB sparse .md, a link to /dev/zero) from taking the
// machine's memory; a file over it is refused with a diagnostic.
const (
	// TextLimit bounds a document, a template and productdocs.yaml. The
	// largest Markdown files of big documentation sets (changelogs, API
	// references made into Markdown) run to a few MB; 16 MB is several
	// times that, and two cores each parsing such a file stay well under
	// a GB.
	TextLimit = 16 << 20
	// AssetLimit bounds a file copied to the output as it is. Git hosts
	// refuse files over 100 MB (GitHub's hard limit), so a site in a
	// repository has none larger; a preview holds its copies in memory.
	AssetLimit = 128 << 20
)

// DirFS is os.DirFS(root) for Load, which reads a site's files from it
// through the guarded reader (sysfs: no symbolic links, regular files
// only, never blocking) and more cheaply than through fs.FS: a site of
// 10,000 documents is 10,000 files to open.
func DirFS(root string) fs.FS { return dirFS{FS: os.DirFS(root), root: root} }

type dirFS struct {
	fs.FS
	root string
}

// reader reads files of fsys through the guard, reusing one opened root
// where fsys is a DirFS. Close it when done.
type reader struct {
	fsys fs.FS
	root sysfs.Dir
	raw  bool
}

func newReader(fsys fs.FS) *reader {
	r := &reader{fsys: fsys}
	if d, ok := fsys.(dirFS); ok {
		r.root, r.raw = sysfs.OpenDir(d.root), true
	}
	return r
}

func (r *reader) close() {
	if r.raw {
		r.root.Close()
	}
}

// readInto appends the contents of the file name (a slash path from the
// site root) to buf, with at most limit bytes. A refused file is an
// error that is sysfs.ErrRefused and says why, without the path, which
// the caller's diagnostic names.
func (r *reader) readInto(name string, buf []byte, limit int64) ([]byte, error) {
	if !fs.ValidPath(name) {
		return buf, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if r.raw {
		buf, err := r.root.ReadInto(filepath.FromSlash(name), buf, limit)
		return buf, renamed(err, name)
	}
	f, err := openChecked(r.fsys, name, limit)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	buf, err = sysfs.ReadAllInto(f, buf, limit)
	if errors.Is(err, sysfs.ErrRefused) {
		return buf, err
	}
	return buf, renamed(err, name)
}

// open opens the file name for reading, with at most limit bytes, and
// returns a reader that stops at the bound with a refusal.
func (r *reader) open(name string, limit int64) (io.ReadCloser, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if r.raw {
		f, _, err := r.root.Open(filepath.FromSlash(name), limit)
		if err != nil {
			return nil, renamed(err, name)
		}
		return f, nil
	}
	return openChecked(r.fsys, name, limit)
}

// openChecked opens name in an fs.FS that is not a DirFS (a test's, or
// another tool's) after the same checks, made with Lstat where fsys has
// it: without the kernel's help, a link or a FIFO swapped in between the
// look and the open is not seen, so the command line reads a DirFS.
func openChecked(fsys fs.FS, name string, limit int64) (fs.File, error) {
	if rl, ok := fsys.(fs.ReadLinkFS); ok {
		for p := name; p != "."; p = path.Dir(p) {
			fi, err := rl.Lstat(p)
			if err != nil {
				return nil, err
			}
			if fi.Mode()&fs.ModeSymlink != 0 {
				return nil, sysfs.ErrSymlink
			}
			if p == name && !fi.Mode().IsRegular() {
				return nil, sysfs.ErrNotRegular
			}
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
	case !fi.Mode().IsRegular():
		err = sysfs.ErrNotRegular
	case limit >= 0 && fi.Size() > limit:
		err = &sysfs.TooLargeError{Size: fi.Size(), Limit: limit}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// renamed names the file of a path error by its slash path from the
// site root, as os.DirFS does; a refusal loses its path, which the
// diagnostic that reports it names.
func renamed(err error, name string) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, sysfs.ErrRefused) {
			return pe.Err
		}
		pe.Path = name
	}
	return err
}

// ReadFile reads the file name (a slash path from the site root) of the
// site fsys through the guarded reader, with at most limit bytes: what
// every part of the tool that reads a site's file uses. A refused file
// is an error that is sysfs.ErrRefused (see Refused) and says why.
func ReadFile(fsys fs.FS, name string, limit int64) ([]byte, error) {
	r := newReader(fsys)
	defer r.close()
	return r.readInto(name, nil, limit)
}

// Refused reports whether err refuses a file for what it is (a link, not
// a regular file, too large) rather than failing to read it.
func Refused(err error) bool { return errors.Is(err, sysfs.ErrRefused) }

// guardedFS is a site's folder (templates/) as an fs.FS whose files are
// read through the guarded reader, for code that takes an fs.FS.
type guardedFS struct {
	fsys  fs.FS
	dir   string
	limit int64
}

func (g guardedFS) Open(name string) (fs.File, error) {
	if name == "." {
		return g.fsys.Open(g.dir)
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid} // ReadDir and ReadFile only
}

func (g guardedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return fs.ReadDir(g.fsys, path.Join(g.dir, name))
}

func (g guardedFS) ReadFile(name string) ([]byte, error) {
	return ReadFile(g.fsys, path.Join(g.dir, name), g.limit)
}

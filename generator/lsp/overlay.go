package lsp

import (
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// overlay is the site as the editor sees it: the files on disk, with the
// text of the open buffers laid over them. A load reads one overlay from
// start to end, so each is a snapshot: the buffers' map is copied, and
// edits made while the site loads go into the next one.
type overlay struct {
	base    fs.FS
	buffers map[string]string // slash path from the site root → text
}

func (o *overlay) Open(name string) (fs.File, error) {
	if s, ok := o.buffers[name]; ok {
		return &memFile{info: memInfo{name: path.Base(name), size: int64(len(s))}, r: strings.NewReader(s)}, nil
	}
	f, err := o.base.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		if extra := o.newIn(name); len(extra) > 0 {
			return &dirWithNew{File: f, extra: extra}, nil
		}
	}
	return f, nil
}

// ReadDir adds to the folder's entries the buffers of files not yet saved
// in it, so that a new document is part of the site as soon as it is open.
func (o *overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.base, name)
	if err != nil {
		return nil, err
	}
	entries = append(entries, o.newIn(name)...)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

func (o *overlay) Stat(name string) (fs.FileInfo, error) {
	if s, ok := o.buffers[name]; ok {
		return memInfo{name: path.Base(name), size: int64(len(s))}, nil
	}
	return fs.Stat(o.base, name)
}

// Lstat is what the incremental load asks of a changed path.
func (o *overlay) Lstat(name string) (fs.FileInfo, error) {
	if s, ok := o.buffers[name]; ok {
		return memInfo{name: path.Base(name), size: int64(len(s))}, nil
	}
	return fs.Lstat(o.base, name)
}

func (o *overlay) ReadLink(name string) (string, error) {
	if _, ok := o.buffers[name]; ok {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	return fs.ReadLink(o.base, name)
}

// newIn returns entries for the buffers directly in folder dir that the
// disk does not have.
func (o *overlay) newIn(dir string) []fs.DirEntry {
	var out []fs.DirEntry
	for p, s := range o.buffers {
		if path.Dir(p) != dir {
			continue
		}
		if _, err := fs.Stat(o.base, p); err == nil {
			continue
		}
		out = append(out, fs.FileInfoToDirEntry(memInfo{name: path.Base(p), size: int64(len(s))}))
	}
	return out
}

type memFile struct {
	info memInfo
	r    *strings.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// dirWithNew is a folder of the disk whose listing gains the new buffers.
type dirWithNew struct {
	fs.File
	extra []fs.DirEntry
	done  bool
}

func (d *dirWithNew) ReadDir(n int) ([]fs.DirEntry, error) {
	rd, ok := d.File.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Err: fs.ErrInvalid}
	}
	entries, err := rd.ReadDir(n)
	if !d.done && (n <= 0 || err == io.EOF) {
		d.done = true
		entries = append(entries, d.extra...)
		if err == io.EOF && len(entries) > 0 {
			err = nil
		}
	}
	return entries, err
}

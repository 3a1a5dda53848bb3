//go:build !unix

package sysfs

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Dir is a folder that files are read from or written to by names under
// it (see the Unix version).
type Dir struct{ Path string }

// OpenDir returns the folder at path.
func OpenDir(path string) Dir { return Dir{Path: path} }

// Opened reports whether the folder itself is open: never here.
func (d Dir) Opened() bool { return false }

// Close does nothing.
func (d Dir) Close() {}

// Unopened is d.
func (d Dir) Unopened() Dir { return d }

// openGuarded opens the file name as the Unix version does, by looking
// at every step of its path first: a link swapped in between the look
// and the open is not seen here.
func (d Dir) openGuarded(name string, limit int64) (*os.File, int64, error) {
	full := filepath.Join(d.Path, name)
	p := d.Path
	for _, part := range strings.Split(name, string(os.PathSeparator)) {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if err != nil {
			return nil, 0, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, 0, &fs.PathError{Op: "open", Path: full, Err: ErrSymlink}
		}
	}
	f, err := os.Open(full)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
	case !fi.Mode().IsRegular():
		err = &fs.PathError{Op: "open", Path: full, Err: ErrNotRegular}
	case limit >= 0 && fi.Size() > limit:
		err = &fs.PathError{Op: "open", Path: full, Err: &TooLargeError{Size: fi.Size(), Limit: limit}}
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}

// ReadInto appends the contents of the file name to buf.
func (d Dir) ReadInto(name string, buf []byte, limit int64) ([]byte, error) {
	f, _, err := d.openGuarded(name, limit)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	buf, err = ReadAllInto(f, buf, limit)
	if err != nil {
		return buf, &fs.PathError{Op: "read", Path: f.Name(), Err: err}
	}
	return buf, nil
}

// Open opens the file name for reading, with at most limit bytes.
func (d Dir) Open(name string, limit int64) (*os.File, int64, error) {
	return d.openGuarded(name, limit)
}

// Write writes data to a new file name.
func (d Dir) Write(name string, data []byte) error {
	return os.WriteFile(filepath.Join(d.Path, name), data, 0o644)
}

// Mkdir makes the folder name.
func (d Dir) Mkdir(name string) error { return os.Mkdir(filepath.Join(d.Path, name), 0o755) }

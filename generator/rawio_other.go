//go:build !unix

package generator

import (
	"os"
	"path/filepath"
)

// rawDir is a folder that files are read from or written to by names
// under it (see the Unix version).
type rawDir struct{ path string }

func openRawDir(path string) rawDir { return rawDir{path: path} }

func (d rawDir) close() {}

// read appends the contents of the file name to buf.
func (d rawDir) read(name string, buf []byte) ([]byte, error) {
	f, err := os.Open(filepath.Join(d.path, name))
	if err != nil {
		return buf, err
	}
	defer f.Close()
	return readAllInto(f, buf)
}

// write writes data to a new file name.
func (d rawDir) write(name string, data []byte) error {
	return os.WriteFile(filepath.Join(d.path, name), data, 0o644)
}

// mkdir makes the folder name.
func (d rawDir) mkdir(name string) error { return os.Mkdir(filepath.Join(d.path, name), 0o755) }

//go:build unix

package generator

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRawDir writes, makes folders and reads through a folder opened once
// and through whole paths (where the folder could not be opened), and
// checks that errors name the whole path and keep the system's error.
func TestRawDir(t *testing.T) {
	for _, opened := range []bool{true, false} {
		dir := t.TempDir()
		d := openRawDir(dir)
		if d.fd < 0 {
			t.Fatalf("%s: not opened", dir)
		}
		if !opened {
			d.close()
			d.fd = -1
		}
		sub := filepath.Join("a", "b")
		if err := d.mkdir("a"); err != nil {
			t.Fatal(err)
		}
		if err := d.mkdir(sub); err != nil {
			t.Fatal(err)
		}
		if err := d.mkdir(sub); !errors.Is(err, fs.ErrExist) {
			t.Errorf("opened %v: making a folder twice: %v, want one that is fs.ErrExist", opened, err)
		}
		name := filepath.Join(sub, "index.html")
		if err := d.write(name, []byte("<p>one</p>")); err != nil {
			t.Fatal(err)
		}
		if err := d.write(name, []byte("<p>two</p>")); err != nil { // truncates
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != "<p>two</p>" {
			t.Errorf("opened %v: the file holds %q, %v", opened, got, err)
		}
		got, err := d.read(name, []byte("kept:"))
		if err != nil || string(got) != "kept:<p>two</p>" {
			t.Errorf("opened %v: read %q, %v", opened, got, err)
		}
		missing := filepath.Join("a", "none.md")
		_, err = d.read(missing, nil)
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), filepath.Join(dir, missing)) {
			t.Errorf("opened %v: reading a missing file: %v, want fs.ErrNotExist naming the whole path", opened, err)
		}
		if err := d.write(filepath.Join("none", "x.html"), nil); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "none", "x.html")) {
			t.Errorf("opened %v: writing into a missing folder: %v, want an error naming the whole path", opened, err)
		}
		if err := os.Symlink(filepath.Join(dir, name), filepath.Join(dir, "link.md")); err != nil {
			t.Fatal(err)
		}
		if _, err := d.read("link.md", nil); err == nil {
			t.Errorf("opened %v: read through a symbolic link", opened)
		}
		d.close()
	}
}

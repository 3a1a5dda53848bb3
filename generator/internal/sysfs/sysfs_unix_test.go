//go:build unix

package sysfs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDir writes, makes folders and reads through a folder opened once
// and through whole paths (where the folder could not be opened), and
// checks that errors name the whole path and keep the system's error.
func TestDir(t *testing.T) {
	for _, opened := range []bool{true, false} {
		dir := t.TempDir()
		d := OpenDir(dir)
		if !d.Opened() {
			t.Fatalf("%s: not opened", dir)
		}
		if !opened {
			d = d.Unopened()
		}
		sub := filepath.Join("a", "b")
		if err := d.Mkdir("a"); err != nil {
			t.Fatal(err)
		}
		if err := d.Mkdir(sub); err != nil {
			t.Fatal(err)
		}
		if err := d.Mkdir(sub); !errors.Is(err, fs.ErrExist) {
			t.Errorf("opened %v: making a folder twice: %v, want one that is fs.ErrExist", opened, err)
		}
		name := filepath.Join(sub, "index.html")
		if err := d.Write(name, []byte("<p>one</p>")); err != nil {
			t.Fatal(err)
		}
		if err := d.Write(name, []byte("<p>two</p>")); err != nil { // truncates
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != "<p>two</p>" {
			t.Errorf("opened %v: the file holds %q, %v", opened, got, err)
		}
		got, err := d.ReadInto(name, []byte("kept:"), -1)
		if err != nil || string(got) != "kept:<p>two</p>" {
			t.Errorf("opened %v: read %q, %v", opened, got, err)
		}
		missing := filepath.Join("a", "none.md")
		_, err = d.ReadInto(missing, nil, -1)
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), filepath.Join(dir, missing)) {
			t.Errorf("opened %v: reading a missing file: %v, want fs.ErrNotExist naming the whole path", opened, err)
		}
		if err := d.Write(filepath.Join("none", "x.html"), nil); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "none", "x.html")) {
			t.Errorf("opened %v: writing into a missing folder: %v, want an error naming the whole path", opened, err)
		}
		d.Close()
	}
}

// TestGuarded reads what a hostile site may hold: links to secrets and
// devices, a link to a folder on the way, a FIFO (which would block an
// ordinary open forever), a file over the bound. Each is refused with an
// error that wraps ErrRefused and names the file; none blocks. Both the
// kernel's one-call resolution and the step-by-step one are tried.
func TestGuarded(t *testing.T) {
	for _, steps := range []bool{false, true} {
		noOpenat2Store(steps)
		root, outside := t.TempDir(), t.TempDir()
		write := func(p, data string) {
			t.Helper()
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write(filepath.Join(outside, "secret"), "SECRET")
		write(filepath.Join(root, "templates", "ok.css"), "body{}")
		write(filepath.Join(root, "big.md"), strings.Repeat("x", 101))
		for name, target := range map[string]string{
			"templates/x.css":    filepath.Join(outside, "secret"),
			"templates/zero.css": "/dev/zero",
			"templates/in.css":   "ok.css", // a link inside the site is refused too
			"linked":             outside,
		} {
			if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
				t.Skipf("symbolic links: %v", err)
			}
		}
		if err := syscall.Mkfifo(filepath.Join(root, "productdocs.yaml"), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		d := OpenDir(root)
		if got, err := d.ReadInto(filepath.Join("templates", "ok.css"), nil, 100); err != nil || string(got) != "body{}" {
			t.Errorf("steps %v: reading a regular file: %q, %v", steps, got, err)
		}
		for _, c := range []struct {
			name string
			want error
		}{
			{"templates/x.css", ErrSymlink},
			{"templates/zero.css", ErrSymlink},
			{"templates/in.css", ErrSymlink},
			{"linked/secret", ErrSymlink},
			{"productdocs.yaml", ErrNotRegular},
			{"templates", ErrNotRegular},
			{"big.md", &TooLargeError{}},
		} {
			done := make(chan error, 1)
			go func() {
				_, err := d.ReadInto(filepath.FromSlash(c.name), nil, 100)
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), filepath.Join(root, filepath.FromSlash(c.name))) {
					t.Errorf("steps %v: %s: %v, want a refusal naming the file", steps, c.name, err)
				}
				var tl *TooLargeError
				if _, ok := c.want.(*TooLargeError); ok != errors.As(err, &tl) || (!ok && !errors.Is(err, c.want)) {
					t.Errorf("steps %v: %s: %v, want %v", steps, c.name, err, c.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("steps %v: reading %s blocks", steps, c.name)
			}
		}
		f, size, err := d.Open("big.md", 200)
		if err != nil || size != 101 {
			t.Errorf("steps %v: Open: size %d, %v", steps, size, err)
		} else {
			f.Close()
		}
		d.Close()
	}
	noOpenat2Store(false)
}

// TestReadAllIntoBound refuses a reader that gives more than the bound,
// as a file that grew after its size was looked at, and keeps buf as it
// was.
func TestReadAllIntoBound(t *testing.T) {
	got, err := ReadAllInto(strings.NewReader(strings.Repeat("y", 10)), []byte("kept"), 9)
	var tl *TooLargeError
	if !errors.As(err, &tl) || string(got) != "kept" {
		t.Errorf("got %q, %v; want a TooLargeError and buf as it was", got, err)
	}
	got, err = ReadAllInto(strings.NewReader(strings.Repeat("y", 10)), nil, 10)
	if err != nil || len(got) != 10 {
		t.Errorf("at the bound: %q, %v", got, err)
	}
}

package testkit

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Symlinks makes each link of links (a slash path under root) point to its
// target, with the folders above it. Where the system cannot make links
// the test is skipped, saying so.
func Symlinks(t testing.TB, root string, links map[string]string) {
	t.Helper()
	for name, target := range links {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
}

// NoFileHolds fails t for each file under dir whose bytes contain secret:
// what a test put outside a site must not reach the site's output.
func NoFileHolds(t testing.TB, dir, secret string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds what lies outside the site", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

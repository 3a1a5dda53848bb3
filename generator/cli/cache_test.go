package cli_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"productdocs/generator/internal/testkit"
	"productdocs/generator/sitegen"
)

// TestBinaryCacheDir builds a code-heavy site twice with the real command
// and one --cache-dir, as CI keeps a cache between runs: the second build
// writes the same bytes; a cache folder that cannot be made warns and
// builds all the same.
func TestBinaryCacheDir(t *testing.T) {
	bin := testkit.Binary(t)
	noCI(t)
	tmp := t.TempDir()
	site := siteDir(t, sitegen.Generate(sitegen.Options{Docs: 60, Seed: 5, Mix: sitegen.Code}))
	cache := filepath.Join(tmp, "cache")
	build := func(out, cacheDir string) (string, string) {
		t.Helper()
		cmd := exec.Command(bin, "build", "-s", site, "-o", out, "--cache-dir", cacheDir)
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(tmp, "user-cache"), "HOME="+tmp)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("build: %v\n%s%s", err, stdout.String(), stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	first, second := filepath.Join(tmp, "first"), filepath.Join(tmp, "second")
	build(first, cache)
	entries := countFiles(t, filepath.Join(cache, "highlight-1"))
	if entries < 60 {
		t.Fatalf("%d entries in the cache after a build of 60 code-heavy documents", entries)
	}
	build(second, cache)
	if n := countFiles(t, filepath.Join(cache, "highlight-1")); n != entries {
		t.Errorf("%d entries after the second build, %d after the first: it highlighted again", n, entries)
	}
	sameTree(t, first, second)

	// A file where the cache folder should be.
	notDir := filepath.Join(tmp, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := filepath.Join(tmp, "third")
	_, stderr := build(third, notDir)
	if !strings.Contains(stderr, "not keeping highlighted code in "+notDir) {
		t.Errorf("stderr = %q, want a warning about the cache folder", stderr)
	}
	sameTree(t, first, third)
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// sameTree fails unless folders a and b hold the same files, byte for
// byte.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	files := 0
	filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", rel, a, b)
		}
		files++
		return nil
	})
	if files == 0 {
		t.Errorf("%s is empty", a)
	}
}

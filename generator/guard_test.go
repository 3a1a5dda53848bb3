//go:build unix

package generator_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"productdocs/generator"
	"productdocs/generator/diag"
	"productdocs/generator/internal/testkit"
)

// TestGuardedReads puts in a site what a hostile pull request or a
// careless copy brings: templates that link to a secret and to
// /dev/zero, a FIFO as productdocs.yaml and as a template, a sparse
// document of 17 MB and a sparse asset of 129 MB. Loading, checking and
// building must neither block nor eat memory, read nothing outside the
// site, and report each file by name.
func TestGuardedReads(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	sparse := func(name string, size int64) {
		t.Helper()
		if err := os.Truncate(filepath.Join(root, name), size); err != nil {
			t.Fatal(err)
		}
	}
	const secret = "SECRET-OUTSIDE-THE-SITE"
	testkit.WriteFiles(t, outside, map[string]string{"env": secret})
	testkit.WriteFiles(t, root, map[string]string{"content/index.md": "# Home\n", "templates/ok.css": "body{}", "content/big.md": "", "content/video.bin": ""})
	sparse("content/big.md", generator.TextLimit+1)
	sparse("content/video.bin", generator.AssetLimit+1)
	testkit.Symlinks(t, root, map[string]string{
		"templates/x.css":    filepath.Join(outside, "env"),
		"templates/zero.css": "/dev/zero",
	})
	testkit.FIFOs(t, root, "productdocs.yaml", "templates/pipe.css")

	type result struct {
		s   *generator.Site
		ds  []diag.Diagnostic
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := generator.Load(t.Context(), generator.DirFS(root))
		var ds []diag.Diagnostic
		if err == nil {
			ds = generator.Check(s)
		}
		done <- result{s, ds, err}
	}()
	var s *generator.Site
	var ds []diag.Diagnostic
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Load: %v", r.err)
		}
		s, ds = r.s, r.ds
	case <-time.After(20 * time.Second):
		t.Fatal("loading the site blocks")
	}
	got := diagKeys(ds)
	for _, want := range []string{
		"content/big.md:1:1 frontmatter",
		"content/video.bin:1:1 refused-file",
		"productdocs.yaml:1:1 settings",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no %s among\n%s", want, diagList(ds))
		}
	}
	// The first template refused stops the templates' parse, as the
	// first unreadable one always did.
	tmpl := 0
	for _, d := range ds {
		if d.Code == diag.CodeTemplate && strings.HasPrefix(d.File, "templates/") {
			tmpl++
			if !strings.Contains(d.Message, "symbolic link") && !strings.Contains(d.Message, "not a regular file") {
				t.Errorf("%s: %s, want it to say why the file is refused", d.File, d.Message)
			}
		}
		if strings.Contains(d.Message, root) {
			t.Errorf("%s: %q names the machine's path", d.File, d.Message)
		}
	}
	if tmpl == 0 {
		t.Errorf("no template diagnostic among\n%s", diagList(ds))
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := generator.Build(t.Context(), s, root, generator.BuildOptions{Out: out}); !errors.Is(err, generator.ErrFailed) {
		t.Errorf("Build: %v, want ErrFailed", err)
	}

	// Without the FIFOs and the links the site builds, with the files over
	// their bounds left out, and nothing of the secret in the output.
	for _, name := range []string{"productdocs.yaml", "templates/pipe.css", "templates/x.css", "templates/zero.css", "content/big.md"} {
		os.Remove(filepath.Join(root, filepath.FromSlash(name)))
	}
	if err := os.Symlink(filepath.Join(outside, "env"), filepath.Join(root, "content", "env.txt")); err != nil {
		t.Fatal(err)
	}
	s = hardLoad(t, generator.DirFS(root))
	if keys := diagKeys(s.Diagnostics); !slices.Equal(keys, []string{"content/video.bin:1:1 refused-file"}) {
		t.Fatalf("diagnostics:\n%s", diagList(s.Diagnostics))
	}
	s.Settings.Checks = map[string]diag.Severity{diag.CodeRefusedFile: diag.Warning}
	s.Diagnostics = s.Settings.Checks.Apply(s.Diagnostics)
	if _, err := generator.Build(t.Context(), s, root, generator.BuildOptions{Out: out}); err != nil {
		t.Fatalf("Build: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "video.bin")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file over the bound was copied: %v", err)
	}
	testkit.NoFileHolds(t, out, secret)
}

// TestGuardedReadFile reads through the guard from a site on disk and from
// an fs.FS that is not a DirFS: the same refusals either way.
func TestGuardedReadFile(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "a.md"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.md", filepath.Join(root, "link.md")); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	if err := os.Mkdir(filepath.Join(root, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, fsys := range []fs.FS{generator.DirFS(root), os.DirFS(root)} {
		if b, err := generator.ReadFile(fsys, "a.md", 5); err != nil || string(b) != "hello" {
			t.Errorf("%T: a.md: %q, %v", fsys, b, err)
		}
		for name, limit := range map[string]int64{"a.md": 4, "link.md": 100, "dir": 100} {
			if _, err := generator.ReadFile(fsys, name, limit); !generator.Refused(err) {
				t.Errorf("%T: %s: %v, want a refusal", fsys, name, err)
			}
		}
		if _, err := generator.ReadFile(fsys, "none.md", 100); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%T: none.md: %v, want fs.ErrNotExist", fsys, err)
		}
	}
}

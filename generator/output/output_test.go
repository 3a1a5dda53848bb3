package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mkfiles creates files (with their folders) under dir; a name ending in
// "/" is an empty folder.
func mkfiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// listing is every file and folder under dir, as sorted slash paths.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if e.IsDir() {
			rel += "/"
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string // under the test's folder; the site root is site/
		out   string   // relative to the test's folder
		ok    bool
	}{
		{"missing", nil, "site/public", true},
		{"missing, in missing folders", nil, "a/b/c", true},
		{"empty", []string{"site/public/"}, "site/public", true},
		{"written by a build", []string{"site/public/" + Marker, "site/public/index.html"}, "site/public", true},
		{"beside the site", []string{"public/" + Marker}, "public", true},
		{"not empty, no marker", []string{"site/public/index.html"}, "site/public", false},
		{"only a hidden file, no marker", []string{"site/public/.keep"}, "site/public", false},
		{"a file", []string{"site/public"}, "site/public", false},
		{"the site root", nil, "site", false},
		{"the site root, unclean", nil, "site/content/..", false},
		{"the folder holding the site", nil, ".", false},
		{"inside content/", nil, "site/content/out", false},
		{"content/ itself", nil, "site/content", false},
		{"inside templates/", []string{"site/templates/"}, "site/templates/x", false},
		{"a folder holding content/", []string{"other/content/", "other/" + Marker}, "other", false},
		{"a folder holding templates/", []string{"other/templates/a.html"}, "other", false},
		{"a name that starts like content", nil, "site/content-out", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			mkfiles(t, dir, "site/content/index.md")
			mkfiles(t, dir, tc.files...)
			err := Check(filepath.Join(dir, "site"), filepath.Join(dir, filepath.FromSlash(tc.out)))
			switch {
			case tc.ok && err != nil:
				t.Errorf("Check: %v, want nil", err)
			case !tc.ok && !errors.Is(err, ErrRefused):
				t.Errorf("Check: %v, want an error wrapping ErrRefused", err)
			case !tc.ok && !strings.Contains(err.Error(), filepath.Join(dir, filepath.FromSlash(tc.out))):
				t.Errorf("Check: %q does not name the folder", err)
			}
		})
	}
}

// TestCheckRelative checks the refusals with the relative paths a command
// line gives: -s . -o . and -s site -o site/content/x.
func TestCheckRelative(t *testing.T) {
	dir := t.TempDir()
	mkfiles(t, dir, "site/content/index.md")
	t.Chdir(dir)
	for _, tc := range []struct{ root, out string }{
		{".", "."},
		{"site", "site"},
		{"site", "./site/"},
		{"site", "site/content/x"},
		{"site/content/..", "site"},
		{"site", "."},
	} {
		if err := Check(tc.root, tc.out); !errors.Is(err, ErrRefused) {
			t.Errorf("Check(%q, %q) = %v, want an error wrapping ErrRefused", tc.root, tc.out, err)
		}
	}
	if err := Check("site", "site/public"); err != nil {
		t.Errorf("Check(site, site/public) = %v", err)
	}
}

// stage writes files into a new staging folder for out.
func stage(t *testing.T, out string, files ...string) *Staging {
	t.Helper()
	st, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(st.Dir) != filepath.Dir(filepath.Clean(out)) {
		t.Errorf("staging folder %s is not beside %s", st.Dir, out)
	}
	if _, err := os.Stat(filepath.Join(st.Dir, Marker)); err != nil {
		t.Errorf("the staging folder has no marker: %v", err)
	}
	mkfiles(t, st.Dir, files...)
	return st
}

// TestStageCommit checks a first build, a second that replaces it whole,
// and a third that is aborted: each time, the output holds exactly one
// build's files and nothing is left beside it.
func TestStageCommit(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	mkfiles(t, parent, "neighbour.txt")

	st := stage(t, out, "index.html", "old/index.html")
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the output exists before Commit: %v", err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	want := []string{"./", Marker, "index.html", "old/", "old/index.html"}
	if got := listing(t, out); !slices.Equal(got, want) {
		t.Errorf("after the first build: %q, want %q", got, want)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("output mode %v (%v), want 0755", fi.Mode(), err)
	}

	st = stage(t, out, "index.html", "new/index.html")
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	want = []string{"./", Marker, "index.html", "new/", "new/index.html"}
	if got := listing(t, out); !slices.Equal(got, want) {
		t.Errorf("after the second build: %q, want %q", got, want)
	}

	st = stage(t, out, "broken.html")
	st.Abort()
	if got := listing(t, out); !slices.Equal(got, want) {
		t.Errorf("after an aborted build: %q, want %q", got, want)
	}
	if got := listing(t, parent); !slices.Equal(got, []string{"./", "neighbour.txt", "public/", "public/" + Marker, "public/index.html", "public/new/", "public/new/index.html"}) {
		t.Errorf("beside the output: %q", got)
	}
}

// TestStageClearsKilledBuilds checks that a staging folder a killed build
// left (it holds the marker) is removed by the next Stage, and that a
// folder with a similar name but without the marker is not.
func TestStageClearsKilledBuilds(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	mkfiles(t, parent,
		".public.productdocs-123/"+Marker, ".public.productdocs-123/index.html",
		".public.productdocs-456-old/"+Marker,
		".public.productdocs-789/mine.txt",
		".other.productdocs-1/"+Marker)
	st := stage(t, out)
	defer st.Abort()
	got := listing(t, parent)
	for _, gone := range []string{".public.productdocs-123/", ".public.productdocs-456-old/"} {
		if slices.Contains(got, gone) {
			t.Errorf("%s is still there", gone)
		}
	}
	for _, kept := range []string{".public.productdocs-789/mine.txt", ".other.productdocs-1/" + Marker} {
		if !slices.Contains(got, kept) {
			t.Errorf("%s was removed", kept)
		}
	}
}

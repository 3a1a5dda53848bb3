package output

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// names lists dir's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestStageClearsEveryKillPoint leaves beside the output what a build
// killed at each step leaves, and wants the next build's Stage to clear
// all of it, and nothing that is not a build's.
func TestStageClearsEveryKillPoint(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	mkfiles(t, parent,
		"public/"+Marker, "public/index.html",
		// Killed between creating the staging folder and its marker.
		".public.productdocs-1/",
		// Killed right after the marker.
		".public.productdocs-2/"+Marker,
		// Killed while writing pages.
		".public.productdocs-3/"+Marker, ".public.productdocs-3/a/index.html", ".public.productdocs-3/b/",
		// Killed while removing the previous output after the swap: the
		// marker goes last, so whatever is left still has it.
		".public.productdocs-4/"+Marker, ".public.productdocs-4/z/index.html",
		// Killed between the two renames where there is no atomic swap.
		".public.productdocs-5-old/"+Marker, ".public.productdocs-5-old/index.html",
	)
	// Not a build's: no marker and not empty, or not a folder, or the
	// staging of another
	mkfiles(t, parent, ".public.productdocs-6/notes.txt", ".public.productdocs-7", ".docs.productdocs-8/")
	st, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	got := names(t, parent)
	want := []string{".docs.productdocs-8", ".public.productdocs-6", ".public.productdocs-7", filepath.Base(st.Dir), "public"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("after Stage: %q, want %q", got, want)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, out); !slices.Equal(got, []string{Marker}) {
		t.Errorf("the new output holds %q, want only the marker", got)
	}
	want = []string{".docs.productdocs-8", ".public.productdocs-6", ".public.productdocs-7", "public"}
	if got := names(t, parent); !slices.Equal(got, want) {
		t.Errorf("after Commit: %q, want %q", got, want)
	}
}

// TestAbortLeavesTheOutput checks that an aborted build removes its
// staging folder and leaves the output as it was.
func TestAbortLeavesTheOutput(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	mkfiles(t, parent, "public/"+Marker, "public/index.html")
	st, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	mkfiles(t, st.Dir, "index.html", "deep/er/page.html")
	st.Abort()
	if got := names(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("after Abort: %q", got)
	}
	if b, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || string(b) != "public/index.html" {
		t.Errorf("the output changed: %q, %v", b, err)
	}
}

// TestCheckFollowsLinks gives Check paths that reach the site's content/
// or templates/ through symbolic links, or that are links themselves.
func TestCheckFollowsLinks(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "site")
	mkfiles(t, top, "site/content/index.md", "site/templates/page.html", "elsewhere/")
	for _, l := range [][2]string{
		{"site/content", "to-content"},
		{"site/templates", "to-templates"},
		{"site", "to-site"},
		{"elsewhere", "to-elsewhere"},
	} {
		if err := os.Symlink(filepath.Join(top, l[0]), filepath.Join(top, l[1])); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	for _, tc := range []struct {
		name, root, out string
		ok              bool
	}{
		{"into content/ through a link", root, "to-content/public", false},
		{"into templates/ through a link", root, "to-templates/out", false},
		{"the site root through a link", root, "to-site", false},
		{"content/ of a site given through a link", "to-site", "site/content/public", false},
		{"a link to a folder", root, "to-elsewhere", false},
		{"through a link to a folder elsewhere", root, "to-elsewhere/public", true},
		{"beside the site", root, "public", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.root
			if !filepath.IsAbs(r) {
				r = filepath.Join(top, r)
			}
			err := Check(r, filepath.Join(top, tc.out))
			if tc.ok && err != nil {
				t.Errorf("Check: %v, want it accepted", err)
			}
			if !tc.ok && !errors.Is(err, ErrRefused) {
				t.Errorf("Check: %v, want it refused", err)
			}
		})
	}
}
